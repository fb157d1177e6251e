"""`flask demo load`: demo data for trying the product, built by each domain's `demo.seed(ctx)`.

Each domain that has demo data keeps it in `marketplace/<domain>/demo.py` with a function
`seed(ctx)`; they run in the order of DOMAINS, sharing `ctx` (a dict: accounts puts the
organisations and users there for the later domains), and `ctx["logins"]` collects the
(role, e-mail, password, organisation) lines printed at the end.
"""
import click
from flask.cli import with_appcontext

from marketplace.accounts.models import User
from marketplace.domains import domain_modules
from marketplace.extensions import db

DEMO_PASSWORD = "xizang-demo-2026"


def already_loaded():
    return User.query.filter_by(email="admin@demo.cn").first() is not None


def refresh():
    """What a demo loaded by an earlier version lacks, added by each domain's `demo.refresh()`
    where it has one (e.g. the catalog's product pictures)."""
    for module in domain_modules("demo"):
        if hasattr(module, "refresh"):
            module.refresh()
            db.session.flush()


def load():
    """Run every domain's seed step once; returns the context (with its logins)."""
    ctx = {"password": DEMO_PASSWORD, "logins": []}
    for module in domain_modules("demo"):
        module.seed(ctx)
        db.session.flush()
    return ctx


@click.group("demo")
def demo_group():
    """Demo data."""


@demo_group.command("load")
@with_appcontext
def demo_load():
    """Load the demo data (once) and print the logins."""
    if already_loaded():
        click.echo("demo data already loaded")
        refresh()
        db.session.commit()
    else:
        load()
        db.session.commit()
        click.echo("demo data loaded")
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")

    for user in User.query.filter(User.email.like("%@demo.cn")).order_by(User.role, User.id):
        waiting = "" if user.is_active else "  (待审核 / waiting for approval)"
        click.echo(f"  {user.role:<15} {user.email:<32} {user.organization.name}{waiting}")
