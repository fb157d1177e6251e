"""Quota exceptions: a ratio under the minimum waits for the admin or an auditor in scope, counts
at the minimum meanwhile, and every decision is kept, audited and told to the unit."""
import io
import re

import pytest
from werkzeug.datastructures import FileStorage

from marketplace.audit.models import AuditEntry
from marketplace.compliance import services as q
from marketplace.compliance.models import Filing
from marketplace.errors import PermissionDenied, StateError, ValidationError
from marketplace.extensions import db as _db
from marketplace.mail import outbox
from marketplace.notifications.models import Notification
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.helpers import PDF, assert_error, bearer, login

YEAR = to_cst(utcnow()).year


@pytest.fixture
def world(db):
    lhasa = factories.org("budget_unit", name="拉萨一中", region_code="540102")
    other = factories.org("budget_unit", name="林芝一中", region_code="540402")
    people = {
        "manager": factories.user("unit_manager", organization=lhasa),
        "other_manager": factories.user("unit_manager", organization=other),
        "admin": factories.user("admin"),
        "auditor": factories.user("auditor", organization=factories.org(
            "audit_office", name="拉萨市审计局", region_code="540100")),
        "far_auditor": factories.user("auditor", organization=factories.org(
            "audit_office", name="林芝市审计局", region_code="540400")),
    }
    db.session.commit()
    return lhasa, people


def put_filing(client, manager, unit, **body):
    body = {"canteen_status": "own", "food_budget": "240000.00", **body}
    return client.put(f"/api/v1/quota/filings/{unit.id}/{YEAR}", json=body,
                      headers=bearer(manager))


def decide(client, user, unit, decision, note=None):
    body = {"decision": decision} | ({"note": note} if note is not None else {})
    return client.post(f"/api/v1/quota/filings/{unit.id}/{YEAR}/exception", json=body,
                       headers=bearer(user))


def test_a_unit_can_no_longer_make_its_own_quota_met(client, world):
    """The hole: ratio 0 with any reference was counted at once (reserved 0.00, met)."""
    unit, people = world
    response = put_filing(client, people["manager"], unit, ratio="0", exception_ref="x")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["exception_status"], body["reserved"], body["ratio"], body["counted_ratio"]) \
        == ("pending", "24000.00", "0.00", "0.10")
    assert body["status"] != "met"
    read = client.get(f"/api/v1/quota/filings/{unit.id}/{YEAR}", headers=bearer(people["auditor"]))
    assert read.status_code == 200
    assert (read.get_json()["exception_status"], read.get_json()["reserved"]) == \
        ("pending", "24000.00")
    rows = client.get(f"/api/v1/quota/{YEAR}/units", headers=bearer(people["auditor"]))
    [row] = [r for r in rows.get_json()["items"] if r["unit_id"] == unit.id]
    assert (row["exception_status"], row["reserved"], row["ratio"]) == \
        ("pending", "24000.00", "0.10")


def test_only_the_admin_or_an_auditor_in_scope_decides(client, world):
    unit, people = world
    put_filing(client, people["manager"], unit, ratio="0.05", exception_ref="藏财〔2026〕7号")
    for who in ("manager", "other_manager", "far_auditor"):
        assert_error(decide(client, people[who], unit, "approve"), 403)
    assert Filing.query.one().exception_status == "pending"
    response = decide(client, people["auditor"], unit, "approve", "依据批准文件")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["exception_status"], body["reserved"], body["counted_ratio"],
            body["exception_decided_by_id"]) == ("approved", "12000.00", "0.05",
                                                  people["auditor"].id)
    # One decision per version: deciding again is a state conflict.
    assert_error(decide(client, people["admin"], unit, "reject", "重复"), 409)


def test_a_rejection_needs_a_reason_keeps_the_minimum_and_is_told_to_the_unit(client, world):
    unit, people = world
    put_filing(client, people["manager"], unit, ratio="0.05", exception_ref="藏财〔2026〕7号")
    assert "note" in assert_error(decide(client, people["admin"], unit, "reject"), 422)["fields"]
    response = decide(client, people["admin"], unit, "reject", "批准文件已过期")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["exception_status"], body["reserved"], body["exception_note"]) == \
        ("rejected", "24000.00", "批准文件已过期")
    told = Notification.query.filter_by(user_id=people["manager"].id,
                                        kind="quota.exception_reject").one()
    assert "批准文件已过期" in told.message
    assert any(people["manager"].email in message["To"] and "批准文件已过期" in
               message.get_content() for message in outbox())
    [entry] = AuditEntry.query.filter_by(action="filing.exception_reject").all()
    assert entry.actor_id == people["admin"].id and entry.detail["note"] == "批准文件已过期"


def test_a_new_version_starts_a_new_decision(db, world):
    unit, people = world
    q.file_quota(people["manager"], unit, YEAR, "own", "240000", "0.05", exception_ref="甲号")
    q.decide_exception(people["admin"], unit, YEAR, "approve")
    corrected = q.file_quota(people["manager"], unit, YEAR, "own", "250000", "0.05",
                             exception_ref="甲号")
    assert (corrected.exception_status, corrected.reserved_fen) == ("pending", 2_500_000)
    history = q.filing_history(unit, YEAR)
    assert [f.exception_status for f in history] == ["pending", "approved"]
    with pytest.raises(PermissionDenied):
        q.decide_exception(people["manager"], unit, YEAR, "approve")
    with pytest.raises(ValidationError):
        q.decide_exception(people["admin"], unit, YEAR, "maybe")
    q.file_quota(people["manager"], unit, YEAR, "own", "250000", "0.12")
    with pytest.raises(StateError):
        q.decide_exception(people["admin"], unit, YEAR, "approve")


def _upload(data, name):
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_the_approving_document_is_attached_kept_and_shown_to_those_in_scope(client, world,
                                                                            post_form):
    unit, people = world
    login(client, people["manager"])
    page = client.get(f"/quota/filing?year={YEAR}")
    assert page.status_code == 200
    bad = post_form(f"/quota/filing?year={YEAR}", {
        "canteen_status": "own", "food_budget": "240000", "ratio": "0.05",
        "exception_ref": "藏财〔2026〕7号", "document": (io.BytesIO(b"MZ\x90\x00"), "a.exe")},
        content_type="multipart/form-data")
    assert bad.status_code == 422 and Filing.query.count() == 0
    response = post_form(f"/quota/filing?year={YEAR}", {
        "canteen_status": "own", "food_budget": "240000", "ratio": "0.05",
        "exception_ref": "藏财〔2026〕7号", "document": (io.BytesIO(PDF), "批复.pdf")},
        content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "例外申请已提交审批" in text and "例外待审批" in text
    filing = Filing.query.one()
    assert filing.exception_document_name == "批复.pdf"
    url = f"/quota/filings/{filing.id}/document"
    assert client.get(url).data == PDF
    # A correction with the same reference keeps the document.
    q.file_quota(people["manager"], unit, YEAR, "own", "250000", "0.05",
                 exception_ref="藏财〔2026〕7号")
    _db.session.commit()
    assert Filing.query.filter_by(is_current=True).one().exception_document == \
        filing.exception_document
    for who, status in (("auditor", 200), ("admin", 200), ("other_manager", 404),
                        ("far_auditor", 404)):
        login(client, people[who])
        assert client.get(url).status_code == status, who


def test_the_deciders_page_lists_what_waits_in_scope_and_decides(client, world, post_form):
    unit, people = world
    q.file_quota(people["manager"], unit, YEAR, "own", "240000", "0.05", exception_ref="甲号")
    _db.session.commit()
    login(client, people["far_auditor"])
    assert 'data-testid="no-pending-exception"' in client.get("/quota/exceptions").get_data(
        as_text=True)
    assert post_form(f"/quota/exceptions/{unit.id}/{YEAR}",
                     {"decision": "approve"}).status_code == 403
    login(client, people["auditor"])
    page = client.get("/quota/exceptions").get_data(as_text=True)
    assert page.count('data-testid="pending-exception"') == 1 and "拉萨一中" in page
    overview = client.get(f"/quota/overview?year={YEAR}").get_data(as_text=True)
    assert 'data-testid="pending-exceptions-note"' in overview
    assert 'data-testid="row-exception"' in overview
    response = post_form(f"/quota/exceptions/{unit.id}/{YEAR}", {"decision": "approve",
                                                                  "note": "同意"},
                         follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "已批准 拉萨一中 的例外申请" in text and 'data-testid="decided-exceptions"' in text
    assert Filing.query.one().exception_status == "approved"
    # The unit's own pages show the decision, on its dashboard and its history.
    login(client, people["manager"])
    dashboard = client.get(f"/quota/?year={YEAR}").get_data(as_text=True)
    assert re.search(r'data-testid="exception-status"[^>]*data-status="approved"', dashboard)
    history = client.get(f"/quota/filing?year={YEAR}").get_data(as_text=True)
    assert "例外已批准" in history and people["auditor"].name in history
    assert client.get("/quota/exceptions").status_code == 403


def test_a_decision_without_a_choice_or_with_too_long_a_note_is_told_on_the_list(client, world,
                                                                                  post_form):
    unit, people = world
    q.file_quota(people["manager"], unit, YEAR, "own", "240000", "0.05", exception_ref="甲号")
    _db.session.commit()
    login(client, people["auditor"])
    for data in ({"decision": "maybe"}, {"decision": "reject", "note": "长" * 501}):
        response = post_form(f"/quota/exceptions/{unit.id}/{YEAR}", data, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and 'class="flash' in page, data
        assert page.count('data-testid="pending-exception"') == 1  # nothing decided
    assert Filing.query.one().exception_status == "pending"
