"""Pairings: the admin creates and ends them, an enterprise asks and the admin decides; bad input
is refused with a clear error and leaves nothing behind; every change is in the audit trail."""
import pytest

from marketplace.audit.models import AuditEntry
from marketplace.errors import Conflict, PermissionDenied, StateError, ValidationError
from marketplace.notifications.models import Notification
from marketplace.pairings import services
from marketplace.pairings.models import Pairing, PairingProject, PairingSupplier, Village
from tests import factories
from tests.pairings.helpers import DAGZE, NYINGCHI, pair, world


def actions():
    return [entry.action for entry in AuditEntry.query.order_by(AuditEntry.id)]


def test_admin_pairs_an_enterprise_with_a_village_and_its_cooperatives(db):
    w = world()
    pairing = pair(w, suppliers=[w.coop, w.coop2])
    assert pairing.status == "active"
    assert pairing.village.name == "扎西岗村" and pairing.village.county_code == NYINGCHI
    assert pairing.supplier_ids == sorted([w.coop.id, w.coop2.id])
    assert pairing.target_fen == 20_000_000 and pairing.year == 2026
    assert [(p.kind, p.households) for p in pairing.projects] == [("folk_tourism", 46)]
    assert "village.create" in actions() and "pairing.create" in actions()
    entry = AuditEntry.query.filter_by(action="pairing.create").one()
    assert entry.actor_id == w.admin.id and entry.detail["target"] == "200000.00"
    # The enterprise is told the pairing is in force.
    told = Notification.query.filter_by(user_id=w.buyer.id, kind="pairing.approved").one()
    assert "扎西岗村" in told.message and "¥200,000.00" in told.message


def test_several_enterprises_pair_with_one_village(db):
    w = world()
    other = factories.org("enterprise", name="林芝雅江农业开发有限公司")
    first = pair(w)
    second = pair(w, enterprise=other, suppliers=[w.coop2], target="80000")
    assert first.village_id == second.village_id
    assert Village.query.count() == 1
    assert {p.enterprise_id for p in first.village.pairings} == {w.enterprise.id, other.id}


@pytest.mark.parametrize("change, field, code", [
    ({"suppliers": "dagze"}, "supplier_ids", "outside_county"),
    ({"target": "0"}, "target_amount", "must_be_positive"),
    ({"target": "-50.00"}, "target_amount", "must_be_positive"),
    ({"target": "12.345"}, "target_amount", "amount"),
    ({"target": "lots"}, "target_amount", "amount"),
    ({"enterprise": "budget_unit"}, "enterprise_id", "not_enterprise"),
    ({"enterprise": "supplier"}, "enterprise_id", "not_enterprise"),
    ({"county": "540400"}, "county_code", "not_a_county"),
    ({"suppliers": "none"}, "supplier_ids", "required"),
    ({"village": "  "}, "village", "required"),
    ({"year": 1999}, "year", "invalid"),
])
def test_bad_input_is_refused_clearly_and_nothing_is_half_created(db, change, field, code):
    w = world()
    enterprise = {"budget_unit": factories.org("budget_unit"), "supplier": w.coop,
                  None: w.enterprise}[change.get("enterprise")]
    before = (len(actions()), Notification.query.count())
    suppliers = {"dagze": [w.dagze.id], "none": [], None: [w.coop.id]}[change.get("suppliers")]
    with pytest.raises(ValidationError) as error:
        services.create_pairing(w.admin, enterprise.id, change.get("village", "扎西岗村"),
                                change.get("county", NYINGCHI), suppliers,
                                change.get("year", 2026), change.get("target", "100000"),
                                [{"kind": "special_breeding", "households": 12}])
    assert error.value.fields == {field: code}
    assert error.value.message
    assert (Pairing.query.count(), Village.query.count(), PairingSupplier.query.count(),
            PairingProject.query.count()) == (0, 0, 0, 0)
    assert (len(actions()), Notification.query.count()) == before


def test_a_supplier_outside_the_county_is_named_in_the_message(db):
    w = world()
    with pytest.raises(ValidationError) as error:
        services.create_pairing(w.admin, w.enterprise.id, "扎西岗村", NYINGCHI,
                                [w.coop.id, w.dagze.id], 2026, "1000")
    assert "达孜青稞合作社" in error.value.message and "巴宜区" in error.value.message


def test_bad_projects_are_refused(db):
    w = world()
    for projects, field in (([{"kind": "gold_mining"}], "kind"),
                            ([{"kind": "other", "households": -3}], "households"),
                            ("many", "invalid")):
        with pytest.raises(ValidationError) as error:
            pair(w, projects=projects)
        assert error.value.fields == {"projects": field}
    assert Pairing.query.count() == 0


def test_the_same_pairing_twice_and_a_supplier_paired_twice_are_conflicts(db):
    w = world()
    pair(w)
    with pytest.raises(Conflict) as error:
        pair(w, target="5000")
    assert error.value.code == "duplicate_pairing"
    # Another village of the same county with the same cooperative: its sales would count twice.
    with pytest.raises(Conflict) as error:
        pair(w, village="鲁朗村")
    assert error.value.code == "supplier_already_paired"
    assert Pairing.query.count() == 1
    # Another year is another pairing.
    assert pair(w, year=2027).year == 2027


def test_only_the_admin_creates_approves_rejects_and_ends(db):
    w = world()
    with pytest.raises(PermissionDenied):
        services.create_pairing(w.buyer, w.enterprise.id, "扎西岗村", NYINGCHI, [w.coop.id],
                                2026, "1000")
    pairing = pair(w)
    for act in (lambda: services.end_pairing(w.staff, pairing, "x"),
                lambda: services.approve_pairing(w.buyer, pairing),
                lambda: services.reject_pairing(w.buyer, pairing, "x")):
        with pytest.raises(PermissionDenied):
            act()


def test_an_enterprise_asks_the_admin_approves_and_the_enterprise_is_told(db):
    w = world()
    village = services.find_village("扎西岗村", NYINGCHI, create_for=w.admin)
    request = services.request_pairing(w.buyer, village, [w.coop.id], 2026, "150000.50",
                                       [{"kind": "efficient_farming", "households": 30}],
                                       note="每月采购松茸")
    assert request.status == "requested" and request.note == "每月采购松茸"
    assert Notification.query.filter_by(user_id=w.admin.id, kind="pairing.requested").count() == 1
    services.approve_pairing(w.admin, request)
    assert request.status == "active" and request.decided_by_id == w.admin.id
    assert Notification.query.filter_by(user_id=w.buyer.id, kind="pairing.approved").count() == 1
    assert actions()[-1] == "pairing.approve"
    with pytest.raises(StateError):
        services.approve_pairing(w.admin, request)


def test_only_an_enterprise_may_ask_to_pair(db):
    w = world()
    village = services.find_village("扎西岗村", NYINGCHI, create_for=w.admin)
    canteen = factories.user("purchaser")
    for user in (canteen, w.staff, w.admin):
        with pytest.raises(PermissionDenied):
            services.request_pairing(user, village, [w.coop.id], 2026, "1000")
    assert Pairing.query.count() == 0


def test_a_rejected_request_says_why_and_may_be_asked_again(db):
    w = world()
    village = services.find_village("扎西岗村", NYINGCHI, create_for=w.admin)
    request = services.request_pairing(w.buyer, village, [w.coop.id], 2026, "1000")
    with pytest.raises(ValidationError):
        services.reject_pairing(w.admin, request, "   ")
    services.reject_pairing(w.admin, request, "目标过低，请提高到 10 万元以上")
    assert request.status == "rejected"
    told = Notification.query.filter_by(user_id=w.buyer.id, kind="pairing.rejected").one()
    assert "目标过低" in told.message
    again = services.request_pairing(w.buyer, village, [w.coop.id, w.coop2.id], 2026, "120000")
    assert again.id == request.id and again.status == "requested"
    assert again.target_fen == 12_000_000 and again.decision_note is None
    assert again.supplier_ids == sorted([w.coop.id, w.coop2.id])
    assert [a for a in actions() if a.startswith("pairing.")] == [
        "pairing.request", "pairing.reject", "pairing.request"]


def test_the_admin_ends_a_pairing_with_a_reason(db):
    w = world()
    pairing = pair(w)
    with pytest.raises(ValidationError):
        services.end_pairing(w.admin, pairing, "")
    services.end_pairing(w.admin, pairing, "企业经营调整，双方协商终止")
    assert pairing.status == "ended" and pairing.ended_at is not None
    assert AuditEntry.query.filter_by(action="pairing.end").one().detail == {
        "reason": "企业经营调整，双方协商终止"}
    with pytest.raises(StateError):
        services.end_pairing(w.admin, pairing, "again")


def test_who_sees_which_pairing(db):
    w = world()
    pairing = pair(w)
    lhasa_auditor = factories.user("auditor", organization=factories.org(
        "audit_office", region_code="540100"))
    nyingchi_auditor = factories.user("auditor", organization=factories.org(
        "audit_office", region_code="540400"))
    stranger = factories.user("purchaser", organization=factories.org("enterprise"))
    other_coop = factories.user("supplier_staff", organization=w.dagze)
    seen = {user: services.can_view_pairing(user, pairing) for user in (
        w.admin, w.buyer, w.staff, nyingchi_auditor, lhasa_auditor, stranger, other_coop)}
    assert seen == {w.admin: True, w.buyer: True, w.staff: True, nyingchi_auditor: True,
                    lhasa_auditor: False, stranger: False, other_coop: False}
    for user, expected in seen.items():
        assert (pairing in services.visible_pairings(user).all()) is expected
    for role in ("unit_manager", "purchaser"):
        with pytest.raises(PermissionDenied):
            services.visible_pairings(factories.user(role))
    assert DAGZE  # the other county's cooperative stays out of the Nyingchi pairing


def test_a_request_with_several_bad_fields_is_told_every_one_at_once(db):
    w = world()
    village = services.find_village("扎西岗村", NYINGCHI, create_for=w.admin)
    with pytest.raises(ValidationError) as refused:
        services.request_pairing(w.buyer, village, [], 1800, "五万元", note="说" * 501)
    assert set(refused.value.fields) == {"supplier_ids", "year", "target_amount", "note"}
    assert Pairing.query.count() == 0
