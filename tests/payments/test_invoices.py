"""Invoices (发票): the buyer asks, the supplier issues the accepted amount less refunds with a
checked PDF or OFD file, the buyer downloads it; reminders after 7 days; the auditor's list."""
import io
import zipfile
from datetime import timedelta

import pytest
from click.testing import CliRunner

from marketplace.errors import Conflict, PermissionDenied, ValidationError
from marketplace.extensions import db as _db
from marketplace.notifications.models import Notification
from marketplace.payments import services
from marketplace.payments.commands import payments_group
from marketplace.payments.models import Invoice
from marketplace.timeutil import utcnow
from tests import factories
from tests.helpers import PDF, login



def _ofd():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    return buffer.getvalue()


class Upload:
    def __init__(self, data, filename):
        self.stream, self.filename = io.BytesIO(data), filename

    def read(self, *args):
        return self.stream.read(*args)


def _ask(parties, order, **changes):
    values = dict(title="拉萨一中", tax_number="12540100MB0000000X", kind="special",
                  email="caiwu@example.cn")
    values.update(changes)
    return services.request_invoice(parties.buyer, order, **values)


def test_the_amount_must_be_what_was_accepted_less_refunds(parties):
    order = parties.order(status="accepted", quantity=3)
    order.lines[0].accepted_quantity = 2                # one refused at acceptance
    order.lines[0].refunded_fen = 800
    _ask(parties, order)
    assert services.invoice_amount_fen(order) == 2 * 12800 - 800
    with pytest.raises(ValidationError) as error:
        services.issue_invoice(parties.supplier, order, "12345678", "1234567890",
                               services.today_cst(), "384.00", Upload(PDF, "发票.pdf"))
    assert error.value.fields == {"amount": "mismatch"} and "248.00" in error.value.message
    invoice = services.issue_invoice(parties.supplier, order, "12345678", "1234567890",
                                     services.today_cst(), "248.00", Upload(PDF, "发票.pdf"))
    assert invoice.status == "issued" and invoice.amount_fen == 24800
    assert services.invoice_file(invoice).read_bytes() == PDF
    assert Notification.query.filter_by(user_id=parties.buyer.id, kind="invoice.issued").count()


def test_bad_requests_and_files_are_refused_with_their_field(parties):
    order = parties.order(status="accepted")
    with pytest.raises(ValidationError) as error:
        _ask(parties, order, tax_number="")
    assert error.value.fields == {"tax_number": "required"}     # special VAT needs it
    with pytest.raises(ValidationError) as error:
        _ask(parties, order, email="not-an-email")
    assert error.value.fields == {"email": "invalid"}
    with pytest.raises(PermissionDenied):
        services.request_invoice(parties.supplier, order, "x", "", "normal", "a@example.cn")
    _ask(parties, order, kind="normal", tax_number="")
    for data, name in ((b"not a pdf", "发票.pdf"), (PDF, "发票.ofd"), (PDF[:-7], "发票.pdf"),
                       (b"PK\x03\x04broken", "发票.ofd")):
        with pytest.raises(ValidationError) as error:
            services.issue_invoice(parties.supplier, order, "12345678", "1234567890",
                                   services.today_cst(), "256.00", Upload(data, name))
        assert error.value.fields == {"file": "type"}
    with pytest.raises(ValidationError) as error:
        services.issue_invoice(parties.supplier, order, "12345678", "", services.today_cst(),
                               "256.00", Upload(PDF, "a.pdf"))
    assert error.value.fields == {"code": "required"}
    # A 数电票: 20 digits, no code, an OFD file.
    invoice = services.issue_invoice(parties.supplier, order, "2" * 20, "",
                                     services.today_cst(), "256.00", Upload(_ofd(), "数电票.ofd"))
    assert invoice.code is None and invoice.file_path.endswith(".ofd")
    with pytest.raises(Conflict):
        _ask(parties, order)


def test_an_invoice_waits_for_acceptance(parties):
    order = parties.order(status="shipped")
    _ask(parties, order)
    with pytest.raises(Conflict):
        services.issue_invoice(parties.supplier, order, "12345678", "1234567890",
                               services.today_cst(), "256.00", Upload(PDF, "a.pdf"))


def test_suppliers_are_reminded_after_seven_days_once_a_week(parties, app):
    order = parties.order(status="accepted")
    invoice = _ask(parties, order)
    assert services.remind_invoices() == 0
    invoice.requested_at = utcnow() - timedelta(days=8)
    _db.session.commit()
    result = CliRunner().invoke(payments_group, ["remind-invoices"], obj=None,
                                catch_exceptions=False, standalone_mode=False)
    assert "invoice reminders sent: 1" in result.output, result.output
    assert services.remind_invoices() == 0                         # not again the next day
    reminders = Notification.query.filter_by(user_id=parties.supplier.id,
                                             kind="invoice.reminder").all()
    assert len(reminders) == 1 and order.number in reminders[0].message


def test_the_auditor_sees_accepted_orders_without_an_invoice(parties, client):
    without = parties.order(status="accepted")
    issued = parties.order(status="completed")
    _ask(parties, issued, kind="normal")
    services.issue_invoice(parties.supplier, issued, "87654321", "1234567890",
                           services.today_cst(), "256.00", Upload(PDF, "a.pdf"))
    parties.order(status="shipped")
    office = factories.org("audit_office", region_code="540100")
    auditor = factories.user("auditor", organization=office)
    admin = factories.user("admin")
    assert [o.id for o in services.orders_without_invoice(admin)] == [without.id]
    _db.session.commit()
    login(client, admin)
    page = client.get("/invoices/missing").get_data(as_text=True)
    assert without.number in page and issued.number not in page
    assert auditor.role == "auditor"


def test_the_pages_ask_issue_and_download(parties, client, post_form):
    order = parties.order(status="accepted")
    _db.session.commit()
    login(client, parties.buyer)
    response = post_form(f"/payments/orders/{order.id}/invoice",
                         {"ask-title": "拉萨一中", "ask-tax_number": "", "ask-kind": "special",
                          "ask-email": "caiwu@example.cn"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "增值税专用发票须填写纳税人识别号" in page
    assert 'value="caiwu@example.cn"' in page                   # nothing typed is lost
    response = post_form(f"/payments/orders/{order.id}/invoice",
                         {"ask-title": "拉萨一中", "ask-tax_number": "12540100mb0000000x",
                          "ask-kind": "special", "ask-email": "caiwu@example.cn"})
    assert response.status_code == 302
    assert Invoice.query.one().tax_number == "12540100MB0000000X"
    login(client, parties.supplier)
    response = post_form(f"/payments/orders/{order.id}/invoice/issue",
                         {"issue-number": "12345678", "issue-code": "1234567890",
                          "issue-issued_on": services.today_cst().isoformat(),
                          "issue-amount": "256.00",
                          "issue-file": (io.BytesIO(PDF), "发票.pdf")},
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    login(client, parties.buyer)
    download = client.get(f"/payments/orders/{order.id}/invoice/file")
    assert download.status_code == 200 and download.data == PDF
    other = factories.user("purchaser")
    _db.session.commit()
    login(client, other)
    assert client.get(f"/payments/orders/{order.id}/invoice/file").status_code in (403, 404)


def test_the_api_asks_issues_and_downloads(parties, client):
    import base64

    from tests.helpers import bearer

    order = parties.order(status="accepted")
    _db.session.commit()
    buyer, supplier = bearer(parties.buyer), bearer(parties.supplier)
    answer = client.post(f"/api/v1/orders/{order.id}/invoice", headers=buyer,
                         json={"title": "拉萨一中", "kind": "special", "email": "a@example.cn"})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"] == {"tax_number": "required"}
    answer = client.post(f"/api/v1/orders/{order.id}/invoice", headers=buyer,
                         json={"title": "拉萨一中", "kind": "normal", "email": "a@example.cn"})
    assert answer.status_code == 201 and answer.get_json()["status"] == "requested"
    issue = {"number": "12345678", "code": "1234567890",
             "issued_on": services.today_cst().isoformat(), "amount": "255.00",
             "filename": "发票.pdf", "content": base64.b64encode(PDF).decode()}
    answer = client.post(f"/api/v1/orders/{order.id}/invoice/issue", headers=supplier,
                         json=issue)
    assert answer.status_code == 422 and answer.get_json()["error"]["fields"] == {
        "amount": "mismatch"}
    answer = client.post(f"/api/v1/orders/{order.id}/invoice/issue", headers=supplier,
                         json=dict(issue, amount="256.00"))
    assert answer.status_code == 201 and answer.get_json()["number"] == "12345678"
    download = client.get(f"/api/v1/orders/{order.id}/invoice/file", headers=buyer)
    assert download.status_code == 200 and download.data == PDF
