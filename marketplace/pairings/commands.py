"""`flask pairings remind`: a scheduler's job (e.g. weekly from cron) telling enterprises behind
the pace of their pairing in the last quarter of the year."""
import click
from flask.cli import with_appcontext

from marketplace.extensions import db
from marketplace.pairings import services


@click.group("pairings")
def pairings_group():
    """万企兴万村: enterprises paired with villages."""


@pairings_group.command("remind")
@with_appcontext
def remind_command():
    """Tell enterprises behind their pairing's pace (October to December only)."""
    sent = services.remind_behind()
    db.session.commit()
    click.echo(f"reminded {sent['users']} user(s) of {sent['pairings']} pairing(s) behind pace")


def register(app):
    app.cli.add_command(pairings_group)
