"""The after-sales JSON API (api/aftersales.py): open with photos, answer, escalate, arbitrate;
photos downloaded with the same token; times in China time like every other answer."""
import base64

from marketplace.extensions import db as _db
from tests.factories import user
from tests.helpers import assert_error, bearer, image_bytes


def test_api_open_answer_escalate_and_arbitrate(parties, client):
    order = parties.order(status="accepted", quantity=2, payment_terms="goods_first")
    admin = user("admin")
    _db.session.commit()
    bad = client.post(f"/api/v1/orders/{order.id}/after-sales",
                      json={"line_id": order.lines[0].id, "kind": "return", "quantity": 3,
                            "reason": "变质"}, headers=bearer(parties.buyer))
    assert bad.status_code == 422
    opened = client.post(f"/api/v1/orders/{order.id}/after-sales",
                         json={"line_id": order.lines[0].id, "kind": "return", "quantity": 1,
                               "reason": "变质"}, headers=bearer(parties.buyer))
    assert opened.status_code == 201
    case_id = opened.get_json()["id"]
    assert client.post(f"/api/v1/after-sales/{case_id}/answer", json={"answer": "不认可"},
                       headers=bearer(parties.buyer)).status_code == 403
    assert client.post(f"/api/v1/after-sales/{case_id}/answer", json={"answer": "不认可"},
                       headers=bearer(parties.supplier)).status_code == 200
    assert client.post(f"/api/v1/after-sales/{case_id}/escalate",
                       headers=bearer(parties.buyer)).status_code == 200
    decided = client.post(f"/api/v1/after-sales/{case_id}/arbitrate",
                          json={"for_buyer": True, "note": "照片属实"}, headers=bearer(admin))
    assert decided.status_code == 200 and decided.get_json()["status"] == "agreed"


def test_api_cases_carry_their_photos_and_china_times(parties, client):
    order = parties.order(status="accepted", quantity=2)
    _db.session.commit()
    photo = {"filename": "破损.png", "content": base64.b64encode(image_bytes()).decode()}
    body = {"line_id": order.lines[0].id, "kind": "complaint", "quantity": 1, "reason": "破损"}
    not_image = client.post(f"/api/v1/orders/{order.id}/after-sales", headers=bearer(
        parties.buyer), json={**body, "photos": [{"filename": "a.png", "content": "aGVsbG8="}]})
    assert "photos" in assert_error(not_image, 422)["fields"]
    opened = client.post(f"/api/v1/orders/{order.id}/after-sales", headers=bearer(parties.buyer),
                         json={**body, "photos": [photo]})
    assert opened.status_code == 201, opened.get_json()
    case = opened.get_json()
    assert case["opened_at"].endswith("+08:00") and len(case["photos"]) == 1
    download = client.get(case["photos"][0], headers=bearer(parties.supplier))
    # Written anew (an opaque PNG becomes a JPEG): nothing the phone put in the file survives.
    assert download.status_code == 200 and download.data.startswith(b"\xff\xd8\xff")
    assert client.get(case["photos"][0], headers=bearer(user("supplier_staff"))).status_code \
        in (403, 404)
