"""The ledger rebuilt from the orders, reviews and take-downs gives the same events."""
import pytest

from marketplace.accounts.models import Organization
from marketplace.audit.models import AuditEntry
from marketplace.catalog import services as catalog
from marketplace.credit import services
from marketplace.credit.commands import credit_group
from marketplace.credit.models import CreditEvent
from marketplace.ordering import services as ordering
from tests.credit.helpers import deliver, events, place, review, trade


def busy_supplier(db):
    """A supplier with every kind of event, and an admin's correction."""
    world = trade()
    deliver(world)
    deliver(world, quantity=6, accepted=5)
    deliver(world, hours_to_ship=100, product=world.products[1])
    ordering.cancel_order(place(world), world.staff, "暂时缺货")
    ordering.cancel_order(place(world), world.buyer, None)
    review(world, world.products[0], 5)
    review(world, world.products[1], 1)
    catalog.take_down_product(world.admin, world.products[1], "描述与实物不符")
    services.correct(world.admin, world.supplier, -2, "重复下单套取积分")
    db.session.commit()
    return world


def test_rebuilding_an_emptied_ledger_gives_the_very_same_events(db):
    world = busy_supplier(db)
    live = events(world.supplier)
    assert {event[0] for event in live} == {
        "accepted_in_full", "accepted_with_refusal", "shipped_late", "cancelled_by_supplier",
        "good_review", "poor_review", "taken_down", "correction"}
    CreditEvent.query.filter(CreditEvent.source.isnot(None)).delete()
    db.session.commit()
    [result] = services.recompute([world.supplier.id])
    db.session.commit()
    assert len(result.added) == len(live) - 1 and not result.removed and not result.changed
    assert events(world.supplier) == live
    org = db.session.get(Organization, world.supplier.id)
    assert org.credit_points == result.points == sum(event[1] for event in live)


def test_an_intact_ledger_is_left_as_it_is(db):
    world = busy_supplier(db)
    live = events(world.supplier)
    [result] = services.recompute([world.supplier.id])
    assert (result.added, result.removed, result.changed) == ([], [], [])
    assert result.unchanged == len(live) - 1
    assert events(world.supplier) == live
    assert AuditEntry.query.filter_by(action="credit.recompute").count() == 0


def test_a_recompute_repairs_a_ledger_that_drifted_and_says_so(db):
    world = busy_supplier(db)
    live = events(world.supplier)
    forged = CreditEvent(supplier_id=world.supplier.id, reason="accepted_in_full", points=2,
                         at=live[0][2], source="order:999999:acceptance")
    db.session.add(forged)
    changed = CreditEvent.query.filter_by(reason="shipped_late").one()
    changed.points = -4
    CreditEvent.query.filter_by(reason="good_review").delete()
    db.session.commit()
    [result] = services.recompute([world.supplier.id])
    db.session.commit()
    assert result.removed == ["order:999999:acceptance"]
    assert result.changed == [changed.source]
    assert len(result.added) == 1 and result.added[0].startswith("review:")
    assert events(world.supplier) == live
    entry = AuditEntry.query.filter_by(action="credit.recompute").one()
    assert entry.detail["removed"] == ["order:999999:acceptance"]


def test_a_dry_run_changes_nothing(db):
    world = busy_supplier(db)
    CreditEvent.query.filter_by(reason="taken_down").delete()
    db.session.commit()
    before = events(world.supplier)
    [result] = services.recompute([world.supplier.id], apply=False)
    assert len(result.added) == 1
    assert result.points == sum(event[1] for event in before) - 5
    assert events(world.supplier) == before


def test_the_recompute_command_checks_and_repairs(app, db):
    world = busy_supplier(db)
    CreditEvent.query.filter_by(reason="accepted_with_refusal").delete()
    db.session.commit()
    runner = app.test_cli_runner()
    check = runner.invoke(credit_group, ["recompute", "--dry-run"])
    assert check.exit_code == 1, check.output
    assert f"supplier {world.supplier.id}: +1 added" in check.output
    assert "dry run" in check.output
    repair = runner.invoke(credit_group, ["recompute", "--supplier", str(world.supplier.id)])
    assert repair.exit_code == 0, repair.output
    db.session.expire_all()
    assert CreditEvent.query.filter_by(reason="accepted_with_refusal").count() == 1
    again = runner.invoke(credit_group, ["recompute", "--dry-run"])
    assert again.exit_code == 0 and "0 differed" in again.output


def test_the_command_refuses_an_unknown_supplier(app, db):
    result = app.test_cli_runner().invoke(credit_group, ["recompute", "--supplier", "424242"])
    assert result.exit_code != 0 and "424242" in result.output


@pytest.mark.parametrize("stars", [3])
def test_a_three_star_review_gives_no_event_either_way(db, stars):
    world = trade()
    deliver(world)
    review(world, world.products[0], stars)
    assert services.derive_events(world.supplier.id).keys() == \
        {event.source for event in CreditEvent.query}
