"""`flask credit recompute`: rebuild suppliers' ledgers from the orders, reviews and take-downs."""
import click
from flask.cli import with_appcontext

from marketplace.credit import services
from marketplace.errors import DomainError
from marketplace.extensions import db


def register(app):
    app.cli.add_command(credit_group)


@click.group("credit")
def credit_group():
    """Suppliers' credit (积分)."""


@credit_group.command("recompute")
@click.option("--supplier", "supplier_ids", type=int, multiple=True,
              help="Only this supplier (organisation id); may be given several times.")
@click.option("--dry-run", is_flag=True, help="Report the differences, change nothing.")
@with_appcontext
def recompute(supplier_ids, dry_run):
    """Derive every supplier's events again and compare them with the ledger.

    Missing events are added, events no record gives are removed, differing ones fixed, and
    each supplier's kept points and tier set to its ledger's sum (admins' corrections stay).
    With --dry-run, exits with status 1 when the ledger differs (a scheduled check can alert).
    """
    for supplier_id in supplier_ids:
        try:
            services.get_supplier(supplier_id)
        except DomainError as error:
            raise click.ClickException(f"{supplier_id}: {error.message}") from None
    results = services.recompute(list(supplier_ids) or None, apply=not dry_run)
    differing = [result for result in results if result.differs]
    for result in differing:
        click.echo(f"supplier {result.supplier_id}: +{len(result.added)} added, "
                   f"-{len(result.removed)} removed, ~{len(result.changed)} changed, "
                   f"{result.points} points")
        for label, sources in (("added", result.added), ("removed", result.removed),
                               ("changed", result.changed)):
            for source in sources:
                click.echo(f"  {label} {source}")
    events = sum(result.unchanged + len(result.added) + len(result.changed) for result in results)
    click.echo(f"{len(results)} suppliers, {events} derived events, {len(differing)} differed"
               + (" (dry run: nothing changed)" if dry_run else ""))
    if dry_run:
        db.session.rollback()
        if differing:
            raise SystemExit(1)
    else:
        db.session.commit()
