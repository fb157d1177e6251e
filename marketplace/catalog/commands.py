"""`flask catalog reindex`: rebuild the search terms of every product."""
import click
from flask.cli import with_appcontext

from marketplace.catalog.services import reindex_products
from marketplace.extensions import db


@click.group("catalog")
def catalog_group():
    """The product catalogue."""


@catalog_group.command("reindex")
@with_appcontext
def reindex():
    """Rebuild every product's search terms (after bulk edits of categories, suppliers, regions)."""
    count = reindex_products()
    db.session.commit()
    click.echo(f"reindexed {count} products")


def register(app):
    app.cli.add_command(catalog_group)
