"""CLI of accounts: `flask --app wsgi accounts purge-logins` (run it daily, e.g. from cron)."""
import click
from flask.cli import AppGroup

from marketplace.accounts.services import purge_login_sessions
from marketplace.extensions import db

accounts_group = AppGroup("accounts", help="Accounts maintenance.")


@accounts_group.command("purge-logins")
def purge_logins():
    """Delete the records of browser logins that were ended or are past LOGIN_SESSION_DAYS."""
    count = purge_login_sessions()
    db.session.commit()
    click.echo(f"{count} ended logins deleted")


def register(app):
    app.cli.add_command(accounts_group)
