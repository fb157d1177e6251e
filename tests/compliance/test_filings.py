"""Filings: versions kept, windows, who may file, and bad input that stores nothing."""
from datetime import date
from decimal import Decimal

import pytest

from marketplace.compliance import services as q
from marketplace.compliance.models import Filing
from marketplace.errors import NotFound, PermissionDenied, ValidationError
from tests import factories
from tests.compliance.helpers import unit
from tests.helpers import cst


@pytest.fixture
def manager(db):
    return factories.user("unit_manager")


def stored():
    return Filing.query.count()


def test_a_correction_keeps_every_version_and_only_the_last_is_current(db, manager):
    first = q.file_quota(manager, manager.organization, 2026, "own", "10000", now=cst(2026, 2, 1))
    second = q.file_quota(manager, manager.organization, 2026, "outsourced", "20000", "0.2",
                          now=cst(2026, 3, 1))
    history = q.filing_history(manager.organization, 2026)
    assert [(f.version, f.is_current, f.reserved_fen) for f in history] == \
        [(2, True, 400_000), (1, False, 100_000)]
    assert q.current_filing(manager.organization, 2026).id == second.id != first.id


def test_the_ratio_defaults_to_the_policy_minimum(db, manager):
    admin = factories.user("admin")
    q.set_policy(admin, "54", 2026, "0.15", ["54"], True)
    filing = q.file_quota(manager, manager.organization, 2026, "own", "1000.00")
    assert (filing.ratio, filing.reserved_fen) == (Decimal("0.15"), 15_000)


def test_filing_before_the_window_opens_is_refused(db, manager):
    admin = factories.user("admin")
    q.set_filing_window(admin, 2026, date(2026, 3, 1), date(2026, 3, 31))
    with pytest.raises(ValidationError) as error:
        q.file_quota(manager, manager.organization, 2026, "own", "1000",
                     now=cst(2026, 2, 28, 23, 59))
    assert "2026年3月1日" in error.value.message
    assert stored() == 0


def test_filing_after_the_window_closes_is_accepted_and_marked_late(db, manager):
    admin = factories.user("admin")
    q.set_filing_window(admin, 2026, date(2026, 3, 1), date(2026, 3, 31))
    on_time = q.file_quota(manager, manager.organization, 2026, "own", "1000",
                           now=cst(2026, 3, 31, 23, 59))
    late = q.file_quota(manager, manager.organization, 2026, "own", "2000",
                        now=cst(2026, 4, 1, 0, 1))
    assert (on_time.late, late.late) == (False, True)


def test_without_a_window_filing_is_open_all_year(db, manager):
    for month in (1, 12):
        assert not q.file_quota(manager, manager.organization, 2026, "own", "1000",
                                now=cst(2026, month, 1)).late


@pytest.mark.parametrize("budget", ["-1", "abc", "", None, "1.001", "1e30", 1.5, "NaN"])
def test_a_bad_budget_is_refused_and_nothing_stored(db, manager, budget):
    with pytest.raises(ValidationError) as error:
        q.file_quota(manager, manager.organization, 2026, "own", budget)
    assert "food_budget" in error.value.fields
    assert stored() == 0


@pytest.mark.parametrize("ratio", ["1.01", "-0.1", "x", "0.12345"])
def test_a_bad_ratio_is_refused(db, manager, ratio):
    with pytest.raises(ValidationError) as error:
        q.file_quota(manager, manager.organization, 2026, "own", "1000", ratio,
                     exception_ref="批准")
    assert "ratio" in error.value.fields
    assert stored() == 0


def test_a_ratio_of_one_is_allowed(db, manager):
    assert q.file_quota(manager, manager.organization, 2026, "own", "1000", "1").reserved_fen == \
        100_000


def test_a_shared_member_must_name_another_budget_unit_of_the_system(db, manager):
    own = manager.organization
    supplier = factories.org("supplier")
    for representative in (None, own, own.id, 999_999, supplier, "abc"):
        with pytest.raises(ValidationError) as error:
            q.file_quota(manager, own, 2026, "shared_member", None,
                         representative_unit=representative)
        assert error.value.fields
    assert stored() == 0
    other = unit("代表")
    filing = q.file_quota(manager, own, 2026, "shared_member", None, representative_unit=other.id)
    assert (filing.representative_unit_id, filing.reserved_fen, filing.ratio) == (other.id, None, None)


def test_a_representative_cannot_itself_be_a_member(db, manager):
    first, second = unit("甲"), unit("乙")
    admin = factories.user("admin")
    q.file_quota(admin, first, 2026, "shared_member", None, representative_unit=second)
    with pytest.raises(ValidationError):
        q.file_quota(manager, manager.organization, 2026, "shared_member", None,
                     representative_unit=first)
    with pytest.raises(ValidationError):   # second represents first: it cannot become a member
        q.file_quota(admin, second, 2026, "shared_member", None,
                     representative_unit=manager.organization)


def test_only_the_units_own_manager_or_an_admin_may_file(db, manager):
    other = unit("别的单位")
    child = unit("下属单位", parent=manager.organization)
    for target in (other, child):
        with pytest.raises(PermissionDenied):
            q.file_quota(manager, target, 2026, "own", "1000")
    purchaser = factories.user("purchaser", organization=manager.organization)
    with pytest.raises(PermissionDenied):
        q.file_quota(purchaser, manager.organization, 2026, "own", "1000")
    assert stored() == 0
    assert q.file_quota(factories.user("admin"), other, 2026, "own", "1000").reserved_fen == 10_000


def test_filing_for_something_not_a_budget_unit_is_not_found(db):
    admin = factories.user("admin")
    with pytest.raises(NotFound):
        q.file_quota(admin, factories.org("supplier"), 2026, "own", "1000")


def test_an_unknown_canteen_status_or_year_is_refused(db, manager):
    with pytest.raises(ValidationError):
        q.file_quota(manager, manager.organization, 2026, "canteen", "1000")
    with pytest.raises(ValidationError):
        q.file_quota(manager, manager.organization, 1899, "own", "1000")
    assert stored() == 0


def test_policies_are_kept_by_the_admin_only_and_checked(db):
    admin = factories.user("admin")
    with pytest.raises(PermissionDenied):
        q.set_policy(factories.user("auditor"), "54", 2026, "0.10", ["54"], True)
    for bad in ({"min_ratio": "1.5"}, {"eligible_origin_prefixes": ["5x"]},
                {"eligible_origin_prefixes": "54"}, {"count_union_purchases": "yes"}):
        arguments = {"min_ratio": "0.10", "eligible_origin_prefixes": ["54"],
                     "count_union_purchases": True, **bad}
        with pytest.raises(ValidationError):
            q.set_policy(admin, "54", 2026, **arguments)
    q.set_policy(admin, "54", 2026, "0.10", ["54"], True)
    q.set_policy(admin, "54", 2026, "0.12", [], False)
    policy = q.governing_policy("540102", 2026)
    assert (policy.min_ratio, policy.eligible_origin_prefixes, policy.count_union_purchases) == \
        (Decimal("0.12"), (), False)


def test_a_window_closing_before_it_opens_is_refused(db):
    with pytest.raises(ValidationError):
        q.set_filing_window(factories.user("admin"), 2026, date(2026, 3, 2), date(2026, 3, 1))


@pytest.mark.postgres_only
def test_concurrent_corrections_leave_exactly_one_current_version(app, db, manager):
    import threading

    from marketplace.accounts.models import User

    unit_id, user_id = manager.organization_id, manager.id
    db.session.commit()
    barrier = threading.Barrier(4)
    outcomes = []

    def file(budget):
        with app.app_context():
            actor = db.session.get(User, user_id)
            barrier.wait()
            try:
                q.file_quota(actor, actor.organization, 2026, "own", budget)
                db.session.commit()
                outcomes.append("ok")
            except q.Conflict:
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=file, args=(str(1000 * (i + 1)),)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    versions = Filing.query.filter_by(budget_unit_id=unit_id, year=2026).all()
    assert len(versions) == outcomes.count("ok") >= 1
    assert sum(1 for f in versions if f.is_current) == 1
    assert sorted(f.version for f in versions) == list(range(1, len(versions) + 1))
