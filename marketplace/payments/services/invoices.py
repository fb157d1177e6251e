"""Invoices (发票): a public unit cannot reimburse a purchase without one.

The buyer asks for one per order (title, tax number, normal or special VAT, the e-mail it goes
to) at checkout or later, or one for a whole settlement statement (statement_invoices.py); the
supplier issues it once the goods are accepted (number, code, date, amount and the PDF or OFD
file); the amount must be what was accepted less refunds.
Suppliers are reminded of invoices asked and not issued within REMINDER_DAYS; the auditor sees
accepted orders without an issued invoice.
"""
import io
import re
import secrets
import zipfile
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.errors import (Conflict, FieldErrors, NotFound, PermissionDenied,
                                ValidationError)
from marketplace.extensions import db
from marketplace.inputs import read_upload
from marketplace.i18n import translate as _
from marketplace.money import format_yuan, yuan_to_fen
from marketplace.notifications.services import notify
from marketplace.ordering.models import Order
from marketplace.ordering.services import check_invoice_request, visible_orders
from marketplace.payments.models import Invoice, SettlementItem
from marketplace.payments.services.core import is_buyer, is_supplier, stored_file
from marketplace.payments.services.statements import supplier_staff
from marketplace.timeutil import utcnow

REMINDER_DAYS = 7
INVOICEABLE_STATUSES = ("accepted", "completed")
CLOSED_STATUSES = ("cancelled", "rejected")
INVOICE_NUMBER = re.compile(r"^(\d{8}|\d{20})$")   # 8 digits, or 20 on a 数电票
INVOICE_CODE = re.compile(r"^(\d{10}|\d{12})$")


def invoice_amount_fen(order):
    """What the invoice must amount to: the accepted value less every refund (fen)."""
    return sum(line.net_value_fen for line in order.lines)


def require_invoice_buyer(user, order):
    """:raises PermissionDenied: `user` is not a buyer of the order (who asks for invoices)."""
    if not is_buyer(user, order):
        raise PermissionDenied(_("只有下单单位的采购人可以申请发票。"))


def require_invoice_supplier(user, order):
    """:raises PermissionDenied: `user` is not the order's supplier (who issues invoices)."""
    if not is_supplier(user, order):
        raise PermissionDenied(_("只有该订单的供应商可以开具发票。"))


def request_invoice(user, order, title, tax_number, kind, email):
    """Ask for the order's invoice, or change what was asked while it is not issued.

    :raises PermissionDenied: not a buyer of the order.
    :raises Conflict: the order is cancelled or rejected, its invoice already issued, or it
        is invoiced with its settlement statement.
    :raises ValidationError: no title, a bad tax number (a special invoice needs one), kind
        or e-mail (fields: title, tax_number, kind, email).
    """
    require_invoice_buyer(user, order)
    if order.status in CLOSED_STATUSES:
        raise Conflict(_("已取消或未通过审批的订单不能开发票。"))
    statement = statement_invoicing(order)
    if statement is not None:
        raise Conflict(_("该订单随结算单 %(number)s 统一开票。", number=statement.number))
    invoice = write_request(order.invoice, user, title, tax_number, kind, email, order=order)
    notify(_supplier_staff(order), "invoice.requested",
           _l("订单 %(number)s 的买方申请开具发票（%(title)s）。", number=order.number,
              title=invoice.title), link=f"/payments/orders/{order.id}/invoice")
    return invoice


def invoice_asked_at_checkout(order):
    """The order's invoice request when the buyer asked for one at checkout (the order keeps
    the kind and e-mail; the checkout checked them as any request). The supplier sees it with
    the new order and issues it after acceptance."""
    if not order.invoice_kind or order.invoice is not None:
        return None
    return write_request(None, order.placed_by, order.invoice_title, order.invoice_tax_id,
                         order.invoice_kind, order.invoice_email, at_checkout=True, order=order)


def write_request(invoice, user, title, tax_number, kind, email, at_checkout=False, **owner):
    """Write what the buyer asks on `invoice` (asked and not issued yet), or on a new one of
    `owner` (order= or statement=) when it is None, and put the request on the audit trail.

    :raises Conflict: the invoice is issued. :raises ValidationError: as
        `check_invoice_request`."""
    if invoice is not None and invoice.status == "issued":
        raise Conflict(_("发票已开具，不能再修改申请。"))
    fields = check_invoice_request(title, tax_number, kind, email)
    invoice = invoice or Invoice(**owner)
    invoice.title, invoice.tax_number, invoice.kind, invoice.email = fields
    invoice.requested_by_id, invoice.requested_at = user.id, utcnow()
    db.session.add(invoice)
    db.session.flush()
    (name, thing), = owner.items()
    detail = {f"{name}_id": thing.id, "kind": invoice.kind}
    if at_checkout:
        detail["at_checkout"] = True
    record("invoice.request", invoice, actor=user, detail=detail)
    return invoice


def statement_invoicing(order):
    """The settlement statement that invoices `order` as a whole (its invoice asked or
    issued), or None."""
    item = SettlementItem.query.filter_by(order_id=order.id).first()
    if item is not None and item.statement.invoice is not None:
        return item.statement
    return None


def _sniff(data):
    """'pdf', 'ofd' or None: by content (an OFD is a zip holding OFD.xml)."""
    if data.startswith(b"%PDF-"):
        return "pdf" if b"%%EOF" in data[-2048:] else None
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        return "ofd" if "OFD.xml" in names else None
    return None


def save_invoice_file(upload):
    """Check the invoice file (a PDF or OFD, by content and name, size-limited) and store it.

    :returns: (stored path relative to UPLOAD_FOLDER, the file's own name).
    :raises ValidationError: missing, empty, too large, or not a whole PDF or OFD (field file).
    """
    if upload is None or not getattr(upload, "filename", ""):
        raise ValidationError(_("请上传发票文件（PDF 或 OFD）。"), fields={"file": "required"})
    suffix = Path(upload.filename).suffix.lower().lstrip(".")
    data = read_upload(upload, "file", _("发票文件是空的。"), _("发票文件不能超过 %(mb)s MB。"))
    kind = _sniff(data)
    if kind is None or kind != suffix:
        raise ValidationError(_("发票文件只能是完整的 PDF 或 OFD 文件。"), fields={"file": "type"})
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "invoices"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{kind}"
    (folder / name).write_bytes(data)
    return f"invoices/{name}", Path(upload.filename).name[:200]


def issue_invoice(user, order, number, code, issued_on, amount, upload):
    """Issue the asked invoice of an accepted order, with its file.

    :param issued_on: the invoice's date (a date or YYYY-MM-DD), not in the future.
    :param amount: in yuan (a string); must equal `invoice_amount_fen`.
    :raises PermissionDenied: not the order's supplier.
    :raises NotFound: no invoice was asked.
    :raises Conflict: already issued, or the goods are not accepted yet.
    :raises ValidationError: number, code, date, amount or file (their fields).
    """
    require_invoice_supplier(user, order)
    invoice = order.invoice
    if invoice is None:
        raise NotFound(_("买方还没有申请发票。"))
    if order.status not in INVOICEABLE_STATUSES:
        raise Conflict(_("订单验收后才能开具发票。"))
    write_issue(invoice, user, number, code, issued_on, amount, upload,
                invoice_amount_fen(order))
    record("invoice.issue", invoice, actor=user,
           detail={"order_id": order.id, "number": invoice.number,
                   "amount_fen": invoice.amount_fen})
    notify([invoice.requested_by], "invoice.issued",
           _l("订单 %(number)s 的发票已开具（%(amount)s），可在订单页下载。", number=order.number,
              amount=format_yuan(invoice.amount_fen)), link=f"/payments/orders/{order.id}/invoice")
    return invoice


def write_issue(invoice, user, number, code, issued_on, amount, upload, expected_fen):
    """Write the issued invoice's number, code, date, amount (must be `expected_fen`) and file.

    :raises Conflict: already issued.
    :raises ValidationError: number, code, date, amount or file, every bad one at once.
    """
    if invoice.status == "issued":
        raise Conflict(_("发票已开具。"))
    errors = FieldErrors()  # number, code, date, amount and file told at once
    number, code = (number or "").strip()[:21], (code or "").strip()[:13]
    if not INVOICE_NUMBER.match(number):
        errors.add(_("发票号码应为 8 位或 20 位数字。"), "number", "invalid")
    if code and not INVOICE_CODE.match(code):
        errors.add(_("发票代码应为 10 位或 12 位数字。"), "code", "invalid")
    elif len(number) == 8 and not code:
        errors.add(_("8 位号码的发票须填写发票代码。"), "code", "required")
    day = errors.check(_invoice_day, issued_on)
    amount_fen = errors.check(_invoice_amount, amount, expected_fen)
    if upload is None or not getattr(upload, "filename", ""):
        errors.check(save_invoice_file, upload)  # the missing file, told with the rest
    errors.raise_any()
    invoice.file_path, invoice.file_name = save_invoice_file(upload)
    invoice.number, invoice.code, invoice.issued_on = number, code or None, day
    invoice.amount_fen, invoice.status = amount_fen, "issued"
    invoice.issued_by_id, invoice.issued_at = user.id, utcnow()
    db.session.flush()
    return invoice


def _invoice_day(issued_on):
    """The invoice's date (a date or YYYY-MM-DD), not after today."""
    try:
        day = issued_on if isinstance(issued_on, date) else date.fromisoformat(
            str(issued_on or "").strip())
    except ValueError:
        raise ValidationError(_("请填写开票日期（年-月-日）。"), fields={"issued_on": "invalid"}) \
            from None
    if day > date.today() + timedelta(days=1):
        raise ValidationError(_("开票日期不能晚于今天。"), fields={"issued_on": "future"})
    return day


def _invoice_amount(amount, expected):
    """The invoice's amount in fen: what was accepted less the refunds (`expected`)."""
    try:
        amount_fen = yuan_to_fen(str(amount or "").strip())
    except (ValueError, ArithmeticError):
        raise ValidationError(_("请填写发票金额（元）。"), fields={"amount": "invalid"}) from None
    if amount_fen != expected:
        raise ValidationError(_("发票金额应为验收金额减去退款：%(amount)s。",
                                amount=format_yuan(expected)), fields={"amount": "mismatch"})
    return amount_fen


def invoice_file(invoice):
    """The issued invoice's file on disk, or None."""
    return stored_file(invoice.file_path) if invoice is not None else None


def orders_without_invoice(user, limit=200):
    """Accepted (or completed) orders `user` may read that have no issued invoice, oldest
    first: what an auditor checks."""
    issued = db.select(Invoice.order_id).where(Invoice.status == "issued",
                                               Invoice.order_id.isnot(None))
    on_invoiced_statement = (db.select(SettlementItem.order_id)
                             .join(Invoice, Invoice.statement_id == SettlementItem.statement_id)
                             .where(Invoice.status == "issued"))
    return (visible_orders(user).filter(Order.status.in_(INVOICEABLE_STATUSES),
                                        Order.id.not_in(issued),
                                        Order.id.not_in(on_invoiced_statement))
            .order_by(None).order_by(Order.created_at, Order.id).limit(limit).all())


def remind_invoices(now=None):
    """Remind the suppliers of invoices asked REMINDER_DAYS ago or more and still not issued
    (again each REMINDER_DAYS); returns how many invoices were reminded of."""
    now = now or utcnow()
    cutoff = now - timedelta(days=REMINDER_DAYS)
    waiting = Invoice.query.filter(Invoice.status == "requested",
                                   Invoice.requested_at <= cutoff,
                                   db.or_(Invoice.reminded_at.is_(None),
                                          Invoice.reminded_at <= cutoff)).all()
    for invoice in waiting:
        if invoice.order is not None:
            notify(_supplier_staff(invoice.order), "invoice.reminder",
                   _l("%(number)s 的发票申请已超过 %(days)s 天未开具，请尽快开具。",
                      number=invoice.order.number, days=REMINDER_DAYS),
                   link=f"/payments/orders/{invoice.order_id}/invoice")
        else:
            notify(supplier_staff(invoice.statement), "invoice.reminder",
                   _l("%(number)s 的发票申请已超过 %(days)s 天未开具，请尽快开具。",
                      number=invoice.statement.number, days=REMINDER_DAYS),
                   link=f"/payments/statements/{invoice.statement_id}")
        invoice.reminded_at = now
    db.session.flush()
    return len(waiting)


def _supplier_staff(order):
    return [member for member in order.supplier.users
            if member.role == "supplier_staff" and member.active]
