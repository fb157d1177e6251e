"""An admin's correction is an event of its own, with its reason, in the audit trail."""
import pytest

from marketplace.audit.models import AuditEntry
from marketplace.credit import services
from marketplace.credit.models import CreditEvent
from marketplace.errors import PermissionDenied, ValidationError
from tests import factories
from tests.credit.helpers import trade


def test_a_correction_is_an_event_with_its_reason_admin_and_audit_entry(db):
    world = trade()
    event = services.correct(world.admin, world.supplier, " -4 ", "  虚假发货，经核实扣分 ")
    assert (event.reason, event.points, event.note, event.actor_id, event.source) == \
        ("correction", -4, "虚假发货，经核实扣分", world.admin.id, None)
    entry = AuditEntry.query.filter_by(action="credit.correct").one()
    assert entry.actor_id == world.admin.id and entry.object_id == str(event.id)
    assert entry.detail == {"supplier_id": world.supplier.id, "points": -4,
                            "reason": "虚假发货，经核实扣分"}
    assert services.ledger_points(world.supplier.id) == -4


@pytest.mark.parametrize("points, field", [
    (0, "points"), (101, "points"), (-101, "points"), ("三", "points"), ("1.5", "points"),
    (True, "points"), (None, "points")])
def test_a_correction_out_of_bounds_is_refused(db, points, field):
    world = trade()
    with pytest.raises(ValidationError) as error:
        services.correct(world.admin, world.supplier, points, "原因")
    assert field in error.value.fields
    assert CreditEvent.query.count() == 0


def test_a_correction_needs_a_reason(db):
    world = trade()
    with pytest.raises(ValidationError) as error:
        services.correct(world.admin, world.supplier, 5, "   ")
    assert error.value.fields == {"reason": "required"}


@pytest.mark.parametrize("role", ["supplier_staff", "auditor"])
def test_only_an_admin_corrects(db, role):
    world = trade()
    user = world.staff if role == "supplier_staff" else factories.user("auditor")
    with pytest.raises(PermissionDenied):
        services.correct(user, world.supplier, 5, "自己加分")
    assert CreditEvent.query.count() == 0


def test_the_admin_corrects_from_the_credit_page(client, login_as, post_form, db):
    world = trade()
    db.session.commit()
    login_as(world.admin)
    url = f"/credit/suppliers/{world.supplier.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="correction-form"' in page
    response = post_form(f"{url}/corrections", {"points": "7", "reason": "线下履约记录补录"})
    assert response.status_code == 302 and response.location.endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "平台调整" in page and "线下履约记录补录" in page and "+7" in page
    assert CreditEvent.query.one().points == 7


def test_a_refused_correction_shows_the_message_by_its_field_and_keeps_what_was_typed(
        client, login_as, post_form, db):
    world = trade()
    db.session.commit()
    login_as(world.admin)
    response = post_form(f"/credit/suppliers/{world.supplier.id}/corrections",
                         {"points": "500", "reason": "一次补录很多分"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "调整分值须在 -100 到 100 之间" in page and "一次补录很多分" in page
    assert CreditEvent.query.count() == 0


@pytest.mark.parametrize("role", ["supplier_staff", "auditor", "purchaser"])
def test_no_one_but_an_admin_may_post_a_correction(client, login_as, post_form, db, role):
    world = trade()
    db.session.commit()
    login_as(world.staff if role == "supplier_staff" else role)
    response = post_form(f"/credit/suppliers/{world.supplier.id}/corrections",
                         {"points": "50", "reason": "给自己加分"})
    assert response.status_code == 403
    assert CreditEvent.query.count() == 0
