"""CLI of the API: `flask --app wsgi api purge-idempotency-keys [--days 7]`."""
from datetime import timedelta

import click
from flask.cli import AppGroup

from marketplace.api.idempotency import purge
from marketplace.extensions import db

api_group = AppGroup("api", help="JSON API maintenance.")


@api_group.command("purge-idempotency-keys")
@click.option("--days", default=7, show_default=True, type=click.IntRange(min=0),
              help="Keep the keys of the last DAYS days.")
def purge_idempotency_keys(days):
    """Delete stored Idempotency-Key answers older than DAYS days (a retry after that is new)."""
    count = purge(timedelta(days=days))
    db.session.commit()
    click.echo(f"{count} idempotency keys deleted")


def register(app):
    app.cli.add_command(api_group)
