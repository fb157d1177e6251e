"""Auditors read the trail of the figures they audit (their jurisdiction's filings, orders and
payments, the quota rules), with the admin's filters; both export it as CSV and Excel written
for people."""
import csv
import io
import re
from html import unescape

from openpyxl import load_workbook

from marketplace.audit.services import record
from tests import factories
from tests.compliance.helpers import filing


def _text(html):
    body = html.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", body)))


def _world(db):
    """An order and a filing of a unit in Lhasa, the same of a unit in Nyingchi, and an
    administrative act; an auditor of Lhasa."""
    admin = factories.user("admin")
    near_unit = factories.org("budget_unit", name="拉萨某中学", region_code="540102")
    far_unit = factories.org("budget_unit", name="林芝某医院", region_code="540402")
    near = factories.order(buyer=factories.user("purchaser", organization=near_unit))
    far = factories.order(buyer=factories.user("purchaser", organization=far_unit))
    record("order.shipped", near, actor=admin, detail={"from": "confirmed", "to": "shipped"})
    record("order.shipped", far, actor=admin, detail={"from": "confirmed", "to": "shipped"})
    record("payment.transfer_confirmed", near, actor=admin, object_type="orders",
           detail={"order_id": near.id, "amount_fen": 123_456_78})
    record("filing.create", filing(near_unit), actor=admin, detail={"food_budget_fen": 1_000_000})
    record("filing.create", filing(far_unit), actor=admin, detail={"food_budget_fen": 2_000_000})
    record("organization.suspend", far_unit, actor=admin, detail={"from": "active",
                                                                   "to": "suspended"})
    auditor = factories.user("auditor", organization=factories.org(
        "audit_office", name="拉萨市审计局", region_code="540100"))
    db.session.commit()
    return auditor, near, far


def test_an_auditor_reads_the_trail_of_its_jurisdiction_only(client, db, login_as):
    auditor, near, far = _world(db)
    login_as(auditor)
    page = client.get("/admin/audit")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert f"发货了订单「{near.number}」" in text and far.number not in text
    assert "拉萨某中学 2026 年度（第 1 版）" in text and "林芝某医院" not in text
    assert "暂停了" not in text  # the platform's administration is not the auditor's
    assert "¥123,456.78" in text and "本页列出您辖区内" in text
    # The same filters as the admin's: only the filings.
    filings = _text(client.get("/admin/audit?object_type=filings").get_data(as_text=True))
    assert "填报了" in filings and "发货了" not in filings
    # The filters offer the auditor's kinds only.
    assert 'value="organizations"' not in page.get_data(as_text=True)


def test_the_trail_exports_as_csv_and_excel_for_people(client, db, login_as):
    auditor, near, far = _world(db)
    login_as(auditor)
    response = client.get("/admin/audit.csv?action=order.")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["时间", "操作人", "操作人所属机构", "操作", "变更", "详情"]
    body = [row for row in rows[1:] if row and not row[0].startswith("#")]
    assert len(body) == 1 and body[0][3] == f"发货了订单「{near.number}」"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", body[0][0])
    assert body[0][4] == "状态：已确认 → 已发货"
    trailer = {row[0]: row[1] for row in rows if row and row[0].startswith("#")}
    assert trailer["#筛选条件"] == "操作：订单" and trailer["#条数"] == "1"

    workbook = client.get("/admin/audit.xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.get_data())).worksheets[0]
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert "审计日志" in cells and "时间" in cells
    joined = " ".join(cells)
    assert "金额：¥123,456.78" in joined and far.number not in joined
    for code in ("amount_fen", "12345678", "order.shipped", "orders", "None"):
        assert code not in joined, code


def test_the_admin_exports_everything_in_english_too(client, db, login_as):
    _world(db)
    login_as("admin")
    client.get("/language/en")
    rows = list(csv.reader(io.StringIO(
        client.get("/admin/audit.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Time" and rows[0][3] == "Action"
    text = " ".join(" ".join(row) for row in rows)
    assert "suspended organisation" in text.lower() or "suspended organization" in text.lower()
    assert "12345678" not in text
