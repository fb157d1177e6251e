"""The admin's audit trail page: who did what to which object, in words, and its filters."""
import re
from html import unescape

from marketplace.audit.services import record
from marketplace.payments.models import Refund
from tests import factories


def _text(html):
    """The page as a reader sees it: tags gone, spaces squeezed."""
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", body)))


def test_audit_page_lists_entries_and_filters_them(client, db, login_as, post_form):
    supplier = factories.org("supplier", name="日喀则青稞合作社")
    admin = login_as("admin")
    post_form(f"/admin/organizations/{supplier.id}/status", {"action": "suspend",
                                                              "note": "核查"})
    record("order.shipped", None, actor=admin, object_type="orders", object_id=42)
    db.session.commit()
    everything = _text(client.get("/admin/audit").get_data(as_text=True))
    assert "暂停了机构「日喀则青稞合作社」" in everything and "发货了订单「第 42 号」" in everything
    orders = _text(client.get("/admin/audit?action=order.").get_data(as_text=True))
    assert "发货了订单" in orders and "暂停了机构" not in orders
    by_object = client.get(f"/admin/audit?object_type=organizations&object_id={supplier.id}")
    assert "暂停了机构" in _text(by_object.get_data(as_text=True))
    by_actor = _text(client.get("/admin/audit?actor=nobody@example.com").get_data(as_text=True))
    assert "暂停了机构" not in by_actor and "没有符合条件的记录" in by_actor
    by_name = _text(client.get(f"/admin/audit?actor={admin.name}").get_data(as_text=True))
    assert "暂停了机构" in by_name


def test_an_entry_reads_as_a_sentence_with_names_yuan_and_changes(client, db, login_as,
                                                                  post_form):
    supplier = factories.org("supplier", name="日喀则青稞合作社")
    admin = login_as("admin")
    post_form(f"/admin/organizations/{supplier.id}/status", {"action": "suspend", "note": "核查"})
    order = factories.order(status="shipped")
    record("payment.transfer_confirmed", order, actor=admin, object_type="orders",
           detail={"order_id": order.id, "amount_fen": 94400, "amount_mismatch": False})
    record("organization.approval_threshold", order.buyer_organization, actor=admin,
           detail={"from_fen": None, "to_fen": 2_000_000})
    db.session.commit()
    html = client.get("/admin/audit").get_data(as_text=True)
    text = _text(html)
    # who: the actor's name and organisation, not an id
    assert admin.name in text and admin.organization.name in text
    # what, to which object, linked to its page
    assert f'href="/admin/organizations/{supplier.id}"' in html
    assert f'href="/orders/{order.id}"' in html and order.number in text
    # changes as from → to in words; amounts in yuan; booleans as 是/否; empties as —
    assert "状态：正常 → 已暂停" in text and "说明：核查" in text
    assert "金额：¥944.00" in text and "金额不符：否" in text
    assert "审批额度：— → ¥20,000.00" in text
    for code in ("organization.suspend", "amount_fen", "94400", "None", "False",
                 "organizations #", "suspended"):
        assert code not in text, code


def test_the_trail_reads_in_english_on_english_pages(client, db, login_as, post_form):
    supplier = factories.org("supplier", name="日喀则青稞合作社")
    login_as("admin")
    post_form(f"/admin/organizations/{supplier.id}/status", {"action": "suspend", "note": "x"})
    client.get("/language/en")
    text = _text(client.get("/admin/audit").get_data(as_text=True))
    assert "suspended organisation “日喀则青稞合作社”" in text
    assert "Status: Active → Suspended" in text and "Note: x" in text


def test_the_organisation_page_shows_its_trail_in_words(client, db, login_as, post_form):
    supplier = factories.org("supplier", name="日喀则青稞合作社")
    login_as("admin")
    post_form(f"/admin/organizations/{supplier.id}/status", {"action": "suspend", "note": "核查"})
    text = _text(client.get(f"/admin/organizations/{supplier.id}").get_data(as_text=True))
    assert "暂停了机构「日喀则青稞合作社」" in text and "organization.suspend" not in text
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", text)


def test_object_kinds_are_offered_by_name_in_the_filter(client, db, login_as, post_form):
    supplier = factories.org("supplier")
    login_as("admin")
    post_form(f"/admin/organizations/{supplier.id}/status", {"action": "suspend", "note": "x"})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="organizations" >机构</option>' in html.replace("  ", " ")


def test_audit_page_ignores_malformed_dates(client, db, login_as):
    login_as("admin")
    assert client.get("/admin/audit?since=not-a-date&until=2026-13-45&page=x").status_code == 200


def test_a_refund_is_named_by_its_order_and_a_vanished_object_by_its_number(client, db,
                                                                           login_as):
    admin = login_as("admin")
    order = factories.order(status="accepted")
    refund = Refund(order_id=order.id, line_id=order.lines[0].id, amount_fen=16800,
                    reason="少发两斤", transfer_reference="ZZ123")
    db.session.add(refund)
    db.session.flush()
    record("refund.create", refund, actor=admin,
           detail={"order_id": order.id, "amount_fen": 16800, "reason": "少发两斤",
                   "stripe_refund_id": "re_123", "transfer_reference": "ZZ123"})
    record("product.take_down", None, actor=admin, object_type="products", object_id=987654,
           detail={"from": "active", "reason": "标签不符"})
    db.session.commit()
    response = client.get("/admin/audit")
    text = _text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert f"办理了退款「订单 {order.number}」" in text and "金额：¥168.00" in text
    assert "re_123" not in text  # the payment provider's id is for machines
    assert "强制下架了商品「第 987654 号」" in text and "状态：在售 → 被平台下架" in text


def test_in_english_the_trail_names_its_objects_with_english_nouns(client, db, login_as):
    admin = login_as("admin")
    order = factories.order(status="shipped")
    supplier = factories.org("supplier", name="日喀则青稞合作社")
    record("order.shipped", order, actor=admin)
    record("organization.suspend", supplier, actor=admin)
    db.session.commit()
    client.get("/language/en")
    text = _text(client.get("/admin/audit").get_data(as_text=True))
    assert f"order “{order.number}”" in text and "organisation “日喀则青稞合作社”" in text
    for noun in ("订单", "机构"):
        assert noun not in text, noun


def test_a_filing_and_a_policy_read_without_keys_or_codes(client, db, login_as):
    from tests.compliance.helpers import filing

    admin = login_as("admin")
    unit = factories.org("budget_unit", name="拉萨某中学")
    representative = factories.org("budget_unit", name="拉萨某机关")
    record("filing.create", filing(unit), actor=admin,
           detail={"late": True, "exception_status": "pending",
                   "representative_unit_id": representative.id})
    record("quota_policy.create", None, actor=admin, object_type="quota_policies", object_id=1,
           detail={"region_prefix": "54", "eligible_origin_prefixes": ["54"]})
    db.session.commit()
    text = _text(client.get("/admin/audit").get_data(as_text=True))
    assert "逾期填报：是" in text and "例外状态：例外待审批" in text
    assert "代表单位：拉萨某机关" in text
    assert "适用地区：西藏自治区" in text and "计入产地：西藏自治区" in text
    for code in ("late", "exception_status", "representative_unit_id", "pending", "第 54 号"):
        assert code not in text, code
