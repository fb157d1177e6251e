"""`flask mail send`: send every e-mail still waiting (after a failure, or a crash)."""
import click
from flask.cli import with_appcontext

from marketplace.notifications.outbox import deliver


def register(app):
    app.cli.add_command(mail_group)


@click.group("mail")
def mail_group():
    """Outgoing e-mail."""


@mail_group.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many messages.")
@with_appcontext
def send(limit):
    """Send the queued e-mails not sent yet (run it every few minutes, e.g. from cron)."""
    sent, failed = deliver(limit=limit)
    click.echo(f"mail sent: {sent}, failed (kept for the next run): {failed}")
    if failed:
        raise SystemExit(1)
