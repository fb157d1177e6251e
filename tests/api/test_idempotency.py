"""Idempotency-Key: a repeated POST gets the same answer without the work being done twice."""
import threading

import pytest

from marketplace.accounts.models import Organization
from marketplace.api.models import IdempotencyKey
from marketplace.audit.models import AuditEntry
from tests import factories
from tests.helpers import as_role, assert_error, bearer

ORG = {"name": "林芝市第一中学", "kind": "budget_unit", "region_code": "540402"}


def post_org(client, headers, key, body=ORG):
    return client.post("/api/v1/organizations", json=body,
                       headers={**headers, "Idempotency-Key": key})


def test_same_key_and_body_returns_the_same_answer_once(client, db):
    _, headers = as_role("admin")
    first = post_org(client, headers, "k-1")
    second = post_org(client, headers, "k-1")
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert Organization.query.filter_by(name=ORG["name"]).count() == 1
    assert AuditEntry.query.filter_by(action="organization.create",
                                      object_id=str(first.get_json()["id"])).count() == 1


def test_key_order_in_the_body_does_not_matter(client, db):
    _, headers = as_role("admin")
    post_org(client, headers, "k-1")
    reordered = dict(reversed(list(ORG.items())))
    assert post_org(client, headers, "k-1", reordered).status_code == 201
    assert Organization.query.filter_by(name=ORG["name"]).count() == 1


def test_same_key_with_another_body_is_409(client, db):
    _, headers = as_role("admin")
    post_org(client, headers, "k-1")
    response = post_org(client, headers, "k-1", {**ORG, "name": "另一个单位"})
    assert_error(response, 409, "idempotency_key_reused")
    assert Organization.query.filter_by(name="另一个单位").count() == 0


def test_same_key_on_another_path_is_409(client, db):
    _, headers = as_role("admin")
    post_org(client, headers, "k-1")
    response = client.post("/api/v1/regions", headers={**headers, "Idempotency-Key": "k-1"},
                           json={"code": "540499", "name": "测试县", "parent_code": "540400"})
    assert_error(response, 409, "idempotency_key_reused")


def test_without_a_key_each_post_does_the_work(client, db):
    _, headers = as_role("admin")
    client.post("/api/v1/organizations", json=ORG, headers=headers)
    client.post("/api/v1/organizations", json=ORG, headers=headers)
    assert Organization.query.filter_by(name=ORG["name"]).count() == 2


def test_keys_belong_to_their_user(client, db):
    _, first_admin = as_role("admin")
    _, second_admin = as_role("admin")
    post_org(client, first_admin, "shared-key")
    assert post_org(client, second_admin, "shared-key").status_code == 201
    assert Organization.query.filter_by(name=ORG["name"]).count() == 2


def test_failed_answers_are_not_stored_so_a_fixed_retry_works(client, db):
    _, headers = as_role("admin")
    bad = post_org(client, headers, "k-1", {**ORG, "region_code": "999999"})
    assert_error(bad, 422)
    assert IdempotencyKey.query.count() == 0
    assert post_org(client, headers, "k-1").status_code == 201
    assert IdempotencyKey.query.one().status_code == 201


def test_an_empty_or_overlong_key_is_400(client, db):
    _, headers = as_role("admin")
    assert_error(post_org(client, headers, " "), 400, "invalid_idempotency_key")
    assert_error(post_org(client, headers, "k" * 256), 400, "invalid_idempotency_key")
    assert Organization.query.filter_by(name=ORG["name"]).count() == 0


def test_a_key_without_a_token_is_still_401(client, db):
    assert_error(client.post("/api/v1/organizations", json=ORG,
                             headers={"Idempotency-Key": "k-1"}), 401)


def test_a_replay_to_a_user_without_the_role_is_not_served(client, db):
    admin = factories.user("admin")
    db.session.commit()
    post_org(client, bearer(admin), "k-1")
    _, purchaser = as_role("purchaser")
    assert_error(post_org(client, purchaser, "k-1"), 403)


def test_concurrent_duplicates_do_the_work_once(app, db):
    admin = factories.user("admin")
    db.session.commit()
    headers = {**bearer(admin), "Idempotency-Key": "concurrent"}
    barrier = threading.Barrier(6)
    answers = []

    def send():
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            response = client.post("/api/v1/organizations", json=ORG, headers=headers)
            answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert Organization.query.filter_by(name=ORG["name"]).count() == 1
    assert {status for status, _ in answers} == {201}
    assert len({body["id"] for _, body in answers}) == 1


@pytest.mark.postgres_only
def test_a_request_waits_for_an_in_flight_duplicate_and_replays_its_answer(app, db):
    """Another transaction holds the key uncommitted; once it commits an answer, ours replays it."""
    import json

    from sqlalchemy import text

    from marketplace.api.idempotency import request_fingerprint

    admin = factories.user("admin")
    db.session.commit()
    headers = {**bearer(admin), "Idempotency-Key": "in-flight"}
    with app.test_request_context("/api/v1/organizations", method="POST", json=ORG):
        fingerprint = request_fingerprint()
    stored = {"id": 424242, "name": ORG["name"]}
    connection = db.engine.connect()
    transaction = connection.begin()
    connection.execute(text(
        "INSERT INTO api_idempotency_keys (user_id, key, method, path, request_hash, created_at)"
        " VALUES (:user, 'in-flight', 'POST', '/api/v1/organizations', :hash, now())"),
        {"user": admin.id, "hash": fingerprint})
    answers = []

    def send():
        with app.app_context():
            response = app.test_client().post("/api/v1/organizations", json=ORG, headers=headers)
            answers.append((response.status_code, response.get_json()))

    thread = threading.Thread(target=send)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive(), "the duplicate must wait for the in-flight request"
    connection.execute(text("UPDATE api_idempotency_keys SET status_code = 201, "
                            "response_body = :body, content_type = 'application/json' "
                            "WHERE key = 'in-flight'"), {"body": json.dumps(stored)})
    transaction.commit()
    connection.close()
    thread.join(timeout=10)
    assert answers == [(201, stored)]
    db.session.rollback()
    assert Organization.query.filter_by(name=ORG["name"]).count() == 0


def test_old_keys_are_purged_and_then_a_retry_is_new_work(app, client, db):
    from datetime import timedelta

    from marketplace.timeutil import utcnow

    _, headers = as_role("admin")
    post_org(client, headers, "k-1")
    IdempotencyKey.query.one().created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["api", "purge-idempotency-keys", "--days", "7"])
    assert "1 idempotency keys deleted" in result.output
    assert post_org(client, headers, "k-1").status_code == 201
    assert Organization.query.filter_by(name=ORG["name"]).count() == 2
