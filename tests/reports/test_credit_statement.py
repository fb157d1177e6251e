"""The credit statement (信用证明): a PDF for the supplier's bank, checked on the public verify
page by uploading it or typing its code; a tampered file fails."""
import io
import re

import pytest
from pypdf import PdfReader, PdfWriter

from marketplace.audit.models import AuditEntry
from marketplace.catalog import services as catalog
from marketplace.reports.models import ReportExport
from tests import factories
from tests.credit.helpers import deliver, review, trade
from tests.helpers import login


def pdf_text(data):
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in
                                            PdfReader(io.BytesIO(data)).pages))


def upload(post_form, data, name="statement.pdf"):
    return post_form("/reports/verify", {"file": (io.BytesIO(data), name)},
                     content_type="multipart/form-data")


def sign_out(client):
    with client.session_transaction() as session:
        session.clear()


@pytest.fixture
def statement(client, db):
    """(world, the statement's bytes) downloaded by the supplier's staff."""
    world = trade()
    world.supplier.credit_code = "93540402MA0000001X"
    deliver(world, quantity=4)
    deliver(world, quantity=2, accepted=1)
    review(world, world.products[0], 5)
    db.session.commit()
    login(client, world.staff)
    response = client.get(f"/reports/credit-statement/{world.supplier.id}.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    sign_out(client)
    return world, response.data


def test_the_statement_says_who_what_and_how_much_with_its_code(statement):
    world, data = statement
    text = pdf_text(data)
    export = ReportExport.query.one()
    assert export.kind == "credit" and export.format == "pdf"
    for fact in (world.supplier.name, "93540402MA0000001X", "巴宜区", "供应商信用证明", "产地认证",
                 "近十二个月验收金额", "订单全部验收", "订单部分拒收", "获得4–5星评价"):
        assert fact in text, fact
    price = world.products[0].price_fen
    assert f"{(4 + 1) * price / 100:,.2f}" in text
    assert re.sub(r"\s", "", export.content["supplier"]["name"]) in text
    assert export.token[:4] in text and export.token[-4:] in text
    assert export.content["points"] == 2 - 3 + 1 and export.content["tier"] == "standard"
    assert len(export.content["months"]) == 12
    assert export.file_sha256 and export.sha256 and export.completed_at
    # Dates and months as people read them; no ISO date, no region code.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text) and not re.search(r"\d{4}-\d{2}(?!\d)", text)
    assert "540402" not in text.replace("93540402MA0000001X", "")
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text) and text.count("年") >= 12 + 2


def test_the_statement_is_logged_in_the_audit_trail(statement):
    world, _data = statement
    actions = {entry.action for entry in AuditEntry.query.filter(
        AuditEntry.action.like("report.%"))}
    assert {"report.export", "report.export_completed", "report.export_file"} <= actions
    export = ReportExport.query.one()
    assert export.user_id == world.staff.id and export.filters == {"supplier_id": world.supplier.id}


def test_a_visitor_verifies_the_untouched_pdf(client, post_form, statement):
    world, data = statement
    response = upload(post_form, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "文件未被改动" in page and world.supplier.name in page
    assert re.search(r'data-testid="statement-points">0<', page)
    entry = AuditEntry.query.filter_by(action="report.verify").one()
    assert entry.actor_id is None and entry.detail["outcome"] == "unaltered"


def test_a_tampered_pdf_fails(client, post_form, statement):
    _world, data = statement
    # One changed byte inside the file (not its metadata), as an edit would.
    position = data.index(b"stream") + 40
    tampered = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]
    response = upload(post_form, tampered)
    page = response.get_data(as_text=True)
    assert "文件已被改动" in page and "文件未被改动" not in page
    assert ReportExport.query.one().token in page


def test_a_pdf_edited_and_saved_by_another_program_fails(client, post_form, statement):
    _world, data = statement
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": "供应商信用证明（修订）"})
    edited = io.BytesIO()
    writer.write(edited)
    response = upload(post_form, edited.getvalue())
    assert "文件已被改动" in response.get_data(as_text=True)


def test_typing_the_code_shows_what_the_statement_said(client, post_form, statement):
    world, _data = statement
    token = ReportExport.query.one().token
    typed = " ".join(token[i:i + 4] for i in range(0, 32, 4)).upper()
    response = post_form("/reports/verify", {"code": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "核验码有效" in page and world.supplier.name in page and "93540402MA0000001X" in page
    assert "订单全部验收" in page and "普通" in page


@pytest.mark.parametrize("code", ["0" * 32, "not a code", "ab" * 20])
def test_an_unknown_code_is_refused_clearly(client, post_form, statement, code):
    response = post_form("/reports/verify", {"code": code})
    assert response.status_code == 422
    assert "找不到这个核验码" in response.get_data(as_text=True)


def test_a_pdf_that_is_not_ours_is_refused(client, post_form, db):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    foreign = io.BytesIO()
    writer.write(foreign)
    response = upload(post_form, foreign.getvalue())
    assert response.status_code == 422
    assert "这不是本平台导出的文件" in response.get_data(as_text=True)


def test_neither_a_file_nor_a_code_asks_for_one(client, post_form, db):
    response = post_form("/reports/verify", {})
    assert response.status_code == 422
    assert "或输入核验码" in response.get_data(as_text=True)


def test_only_the_supplier_or_an_admin_downloads_its_statement(client, login_as, db):
    world = trade()
    db.session.commit()
    url = f"/reports/credit-statement/{world.supplier.id}.pdf"
    for role in ("supplier_staff", "purchaser", "auditor", "unit_manager"):
        login_as(role)
        assert client.get(url).status_code == 403, role
    login_as("admin")
    assert client.get(url).status_code == 200
    assert client.get("/reports/credit-statement/999999.pdf").status_code == 404


def test_the_quota_report_pdf_verifies_by_upload_too(client, post_form, db):
    from tests.reports.helpers import YEAR, auditor_of, build_world

    world = build_world()
    login(client, auditor_of(world.tibet_office))
    data = client.get(f"/reports/quota/{YEAR}.pdf").data
    response = upload(post_form, data, "quota.pdf")
    assert "文件未被改动" in response.get_data(as_text=True)
    export = ReportExport.query.filter_by(format="pdf").one()
    assert export.file_sha256 and export.token in response.get_data(as_text=True)


def test_the_statement_reads_in_english_for_an_english_reader(client, db):
    world = trade()
    deliver(world)
    catalog.take_down_product(world.admin, world.products[1], "价格虚高")
    world.staff.locale = "en"
    db.session.commit()
    login(client, world.staff)
    client.get("/language/en")
    text = pdf_text(client.get(f"/reports/credit-statement/{world.supplier.id}.pdf").data)
    for phrase in ("Suppliercreditstatement", "Acceptedsales", "Orderacceptedinfull",
                   "Producttakendownbytheplatform", "Integritycode"):
        assert phrase in text, phrase
    assert factories.PASSWORD not in text
