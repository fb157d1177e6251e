"""`flask payments reconcile | remind-overdue | remind-refunds | remind-invoices`: payments work
that runs outside requests."""
import click
from flask.cli import with_appcontext

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.payments import services


def register(app):
    app.cli.add_command(payments_group)


@click.group("payments")
def payments_group():
    """Payments: reconcile with Stripe, remind overdue buyers and suppliers owing refunds."""


@payments_group.command("reconcile")
@click.option("--limit", default=500, show_default=True, help="At most this many payments.")
@with_appcontext
def reconcile(limit):
    """Ask Stripe about payments still pending (for webhooks that never came) and apply them."""
    try:
        checked, changed = services.reconcile_pending(limit)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"payments reconciled: {checked} checked, {changed} changed")


@payments_group.command("remind-overdue")
@with_appcontext
def remind_overdue():
    """E-mail the buyers of overdue orders."""
    count = services.remind_overdue()
    db.session.commit()
    click.echo(f"overdue reminders sent: {count}")


@payments_group.command("remind-refunds")
@with_appcontext
def remind_refunds():
    """Remind suppliers of paid orders accepted in part that still owe their buyer a refund."""
    count = services.remind_refunds()
    db.session.commit()
    click.echo(f"refund reminders sent: {count}")


@payments_group.command("remind-invoices")
@with_appcontext
def remind_invoices():
    """Remind suppliers of invoices asked 7 days ago or more and still not issued."""
    count = services.remind_invoices()
    db.session.commit()
    click.echo(f"invoice reminders sent: {count}")
