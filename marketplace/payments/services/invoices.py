"""Invoices (发票): a public unit cannot reimburse a purchase without one.

The buyer asks for one per order (title, tax number, normal or special VAT, the e-mail it goes
to) at checkout or later; the supplier issues it once the goods are accepted (number, code,
date, amount and the PDF or OFD file); the amount must be what was accepted less refunds.
Suppliers are reminded of invoices asked and not issued within REMINDER_DAYS; the auditor sees
accepted orders without an issued invoice.
"""
import io
import re
import secrets
import zipfile
from datetime import date, timedelta
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
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
from marketplace.ordering.services import visible_orders
from marketplace.payments.models import INVOICE_KINDS, Invoice
from marketplace.payments.services.core import is_buyer, is_supplier, stored_file
from marketplace.timeutil import utcnow

REMINDER_DAYS = 7
INVOICEABLE_STATUSES = ("accepted", "completed")
CLOSED_STATUSES = ("cancelled", "rejected")
TAX_NUMBER = re.compile(r"^[0-9A-Z]{15,20}$")      # 统一社会信用代码 (18) or the older 15-20
INVOICE_NUMBER = re.compile(r"^(\d{8}|\d{20})$")   # 8 digits, or 20 on a 数电票
INVOICE_CODE = re.compile(r"^(\d{10}|\d{12})$")


def invoice_amount_fen(order):
    """What the invoice must amount to: the accepted value less every refund (fen)."""
    return sum(line.value_fen - (line.refunded_fen or 0) for line in order.lines)


def require_invoice_buyer(user, order):
    """:raises PermissionDenied: `user` is not a buyer of the order (who asks for invoices)."""
    if not is_buyer(user, order):
        raise PermissionDenied(_("只有下单单位的采购人可以申请发票。"))


def require_invoice_supplier(user, order):
    """:raises PermissionDenied: `user` is not the order's supplier (who issues invoices)."""
    if not is_supplier(user, order):
        raise PermissionDenied(_("只有该订单的供应商可以开具发票。"))


def _clean(value, limit):
    return (value or "").strip()[:limit + 1]


def request_invoice(user, order, title, tax_number, kind, email):
    """Ask for the order's invoice, or change what was asked while it is not issued.

    :raises PermissionDenied: not a buyer of the order.
    :raises Conflict: the order is cancelled or rejected, or its invoice already issued.
    :raises ValidationError: no title, a bad tax number (a special invoice needs one), kind
        or e-mail (fields: title, tax_number, kind, email).
    """
    require_invoice_buyer(user, order)
    if order.status in CLOSED_STATUSES:
        raise Conflict(_("已取消或未通过审批的订单不能开发票。"))
    if order.invoice is not None and order.invoice.status == "issued":
        raise Conflict(_("发票已开具，不能再修改申请。"))
    title, tax_number = _clean(title, 100), _clean(tax_number, 20).upper()
    errors = FieldErrors()  # every bad field of the request told at once
    if not title:
        errors.add(_("请填写发票抬头。"), "title", "required")
    elif len(title) > 100:
        errors.add(_("发票抬头不能超过 100 个字符。"), "title", "too_long")
    if kind not in INVOICE_KINDS:
        errors.add(_("请选择发票类型。"), "kind", "invalid")
    if tax_number and not TAX_NUMBER.match(tax_number):
        errors.add(_("纳税人识别号应为 15 到 20 位数字或大写字母。"), "tax_number", "invalid")
    elif not tax_number and kind == "special":
        errors.add(_("增值税专用发票须填写纳税人识别号。"), "tax_number", "required")
    try:
        email = validate_email(_clean(email, 254), check_deliverability=False).normalized
    except EmailNotValidError:
        errors.add(_("请填写有效的电子邮箱。"), "email", "invalid")
    errors.raise_any()
    invoice = order.invoice or Invoice(order=order, requested_by_id=user.id)
    invoice.title, invoice.tax_number, invoice.kind, invoice.email = \
        title, tax_number or None, kind, email
    invoice.requested_by_id, invoice.requested_at = user.id, utcnow()
    db.session.add(invoice)
    db.session.flush()
    record("invoice.request", invoice, actor=user, detail={"order_id": order.id, "kind": kind})
    notify(_supplier_staff(order), "invoice.requested",
           _l("订单 %(number)s 的买方申请开具发票（%(title)s）。", number=order.number, title=title),
           link=f"/payments/orders/{order.id}/invoice")
    return invoice


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
    if invoice.status == "issued":
        raise Conflict(_("发票已开具。"))
    if order.status not in INVOICEABLE_STATUSES:
        raise Conflict(_("订单验收后才能开具发票。"))
    errors = FieldErrors()  # number, code, date, amount and file told at once
    number, code = _clean(number, 20), _clean(code, 12)
    if not INVOICE_NUMBER.match(number):
        errors.add(_("发票号码应为 8 位或 20 位数字。"), "number", "invalid")
    if code and not INVOICE_CODE.match(code):
        errors.add(_("发票代码应为 10 位或 12 位数字。"), "code", "invalid")
    elif len(number) == 8 and not code:
        errors.add(_("8 位号码的发票须填写发票代码。"), "code", "required")
    day = errors.check(_invoice_day, issued_on)
    amount_fen = errors.check(_invoice_amount, amount, order)
    if upload is None or not getattr(upload, "filename", ""):
        errors.check(save_invoice_file, upload)  # the missing file, told with the rest
    errors.raise_any()
    invoice.file_path, invoice.file_name = save_invoice_file(upload)
    invoice.number, invoice.code, invoice.issued_on = number, code or None, day
    invoice.amount_fen, invoice.status = amount_fen, "issued"
    invoice.issued_by_id, invoice.issued_at = user.id, utcnow()
    db.session.flush()
    record("invoice.issue", invoice, actor=user,
           detail={"order_id": order.id, "number": number, "amount_fen": amount_fen})
    notify([invoice.requested_by], "invoice.issued",
           _l("订单 %(number)s 的发票已开具（%(amount)s），可在订单页下载。", number=order.number,
              amount=format_yuan(amount_fen)), link=f"/payments/orders/{order.id}/invoice")
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


def _invoice_amount(amount, order):
    """The invoice's amount in fen: what was accepted less the refunds."""
    try:
        amount_fen = yuan_to_fen(str(amount or "").strip())
    except (ValueError, ArithmeticError):
        raise ValidationError(_("请填写发票金额（元）。"), fields={"amount": "invalid"}) from None
    expected = invoice_amount_fen(order)
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
    issued = db.select(Invoice.order_id).where(Invoice.status == "issued")
    return (visible_orders(user).filter(Order.status.in_(INVOICEABLE_STATUSES),
                                        Order.id.not_in(issued))
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
        order = invoice.order
        notify(_supplier_staff(order), "invoice.reminder",
               _l("订单 %(number)s 的发票申请已超过 %(days)s 天未开具，请尽快开具。",
                  number=order.number, days=REMINDER_DAYS), link=f"/payments/orders/{order.id}/invoice")
        invoice.reminded_at = now
    db.session.flush()
    return len(waiting)


def _supplier_staff(order):
    return [member for member in order.supplier.users
            if member.role == "supplier_staff" and member.active]
