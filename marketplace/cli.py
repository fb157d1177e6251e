"""Command-line tools: flask --app wsgi create-admin | regions load | translations compile | demo."""
import click
from flask.cli import with_appcontext

from marketplace.accounts.models import Organization
from marketplace.accounts.services import create_organization, create_user
from marketplace.backup import backup_group
from marketplace.demo import demo_group
from marketplace.domains import domain_modules
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.i18n import compile_catalogues
from marketplace.jobs import commands as jobs_commands
from marketplace.regions.models import Region
from marketplace.regions.services import DEFAULT_CSV, load_csv


def init_app(app):
    """Register the commands, and each domain's own `commands` module where it has one."""
    app.cli.add_command(create_admin)
    app.cli.add_command(regions_group)
    app.cli.add_command(translations_group)
    app.cli.add_command(demo_group)
    app.cli.add_command(backup_group)
    jobs_commands.register(app)
    for module in domain_modules("commands"):
        module.register(app)


@click.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="平台管理员")
@with_appcontext
def create_admin(email, password, name):
    """Create a platform admin (in the platform organisation, created when missing)."""
    try:
        platform = Organization.query.filter_by(kind="platform").first()
        if platform is None:
            region = Region.query.order_by(Region.code).first()
            if region is None:
                region = Region(code="100000", name="全国", level=1, aided=False)
                db.session.add(region)
                db.session.flush()
            platform = create_organization("消费帮扶采购平台", "platform", region.code)
        create_user(email, password, name, platform, "admin")
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(f"{error.message} {error.fields or ''}".strip()) from None
    click.echo(f"admin {email} created")


@click.group("regions")
def regions_group():
    """The region registry."""


@regions_group.command("load")
@click.argument("path", required=False)
@with_appcontext
def regions_load(path):
    """Load regions from a CSV (default: the shipped data/regions.csv)."""
    created, updated = load_csv(path or DEFAULT_CSV)
    db.session.commit()
    click.echo(f"regions: {created} created, {updated} updated")


@click.group("translations")
def translations_group():
    """Flask-Babel catalogues."""


@translations_group.command("compile")
def translations_compile():
    """Compile every .po catalogue to .mo."""
    for path in compile_catalogues():
        click.echo(f"compiled {path}")
