"""Bank transfers (对公转账): the buyer records one with its voucher, the supplier confirms
or rejects it."""
import secrets
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace import images
from marketplace.audit.services import record
from marketplace.errors import ValidationError, required_reason
from marketplace.extensions import db
from marketplace.inputs import read_upload
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.notifications.services import notify
from marketplace.payments.models import Payment
from marketplace.payments.services.core import (PaymentStateError, lock_order, require_buyer,
                                                require_supplier, stored_file)
from marketplace.payments.services.figures import check_payable, amount_due_fen, refresh_order
from marketplace.payments.services.terms import today_cst
from marketplace.timeutil import to_cst, utcnow

VOUCHER_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
                 ".jpeg": "image/jpeg", ".webp": "image/webp"}


def _sniff_type(head):
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def save_voucher(upload):
    """Check a voucher (PDF or image, by content and name, size-limited) and store it; an image
    is re-encoded (`marketplace.images`), a PDF kept as it is (it is only ever downloaded).

    :returns: the stored file's name, relative to UPLOAD_FOLDER.
    :raises ValidationError: not a PDF or image, empty, or too large.
    """
    if upload is None or not getattr(upload, "filename", ""):
        return None
    suffix = Path(upload.filename).suffix.lower()
    data = read_upload(upload, "voucher", _("凭证文件是空的。"), _("凭证文件不能超过 %(mb)s MB。"))
    kind = _sniff_type(data[:16])
    if kind is None or VOUCHER_TYPES.get(suffix) != kind:
        raise ValidationError(_("凭证只能是 PDF 或图片（PNG、JPEG、WebP）。"),
                              fields={"voucher": "type"})
    if kind == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("PDF 文件不完整。"), fields={"voucher": "broken_pdf"})
        extension = "pdf"
    else:
        # Written anew like catalog photos: EXIF (GPS) and anything appended are dropped.
        data, extension = images.reencoded(data, "voucher",
                                           _("凭证只能是 PDF 或图片（PNG、JPEG、WebP）。"))
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "vouchers"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    (folder / name).write_bytes(data)
    return f"vouchers/{name}"


def voucher_file(payment):
    """The stored voucher's path on disk (None when there is none)."""
    return stored_file(payment.voucher_path)


def transfers_to_confirm(supplier_id):
    """The bank transfers to the supplier's orders that wait for its confirmation, oldest
    first."""
    return (Payment.query
            .filter(Payment.method == "bank_transfer", Payment.status == "pending",
                    Payment.order.has(supplier_id=supplier_id))
            .order_by(Payment.id).all())


def expected_transfer_fen(order):
    """What a new transfer should amount to: what is due less transfers awaiting confirmation."""
    waiting = sum(p.amount_fen for p in order.payments
                  if p.method == "bank_transfer" and p.status == "pending")
    return max(0, amount_due_fen(order) - waiting)


def check_transfer_fields(transferred_at, earliest, payer_account, reference, errors=None):
    """The transfer's date (from `earliest` to today, CST), payer account and note, every
    problem told at once (with any in `errors`); :returns: the cleaned account and note.
    :raises ValidationError: (fields transferred_at, payer_account, reference)."""
    errors = dict(errors or {})
    if not isinstance(transferred_at, date):
        errors["transferred_at"] = _("请填写转账日期。")
    elif transferred_at > today_cst() or transferred_at < earliest:
        errors["transferred_at"] = _("转账日期不能早于下单日，也不能晚于今天。")
    payer_account = (payer_account or "").strip()
    reference = (reference or "").strip()
    if not payer_account or len(payer_account) > 60:
        errors["payer_account"] = _("请填写付款账号（60 字以内）。")
    if len(reference) > 60:
        errors["reference"] = _("附言不能超过 60 字。")
    if errors:
        raise ValidationError("；".join(errors.values()), fields=errors, messages=errors)
    return payer_account, reference


def record_transfer(order, user, amount_fen, transferred_at, payer_account, reference,
                    voucher_path=None):
    """The buyer records a bank transfer (对公转账); pending until the supplier confirms it.

    An amount different from what is due is flagged (amount_mismatch), not refused.
    :raises PermissionDenied: not the buyer. :raises PaymentStateError: not payable.
    :raises ValidationError: a missing or impossible field.
    """
    require_buyer(user, order)
    lock_order(order)
    check_payable(order)
    amount_error = ({} if isinstance(amount_fen, int) and amount_fen > 0
                    else {"amount": _("转账金额必须大于零。")})
    payer_account, reference = check_transfer_fields(
        transferred_at, to_cst(order.created_at).date(), payer_account, reference,
        amount_error)
    due = expected_transfer_fen(order)
    if due <= 0:
        raise PaymentStateError(_("已登记的转账正在等待供应商确认，已覆盖应付金额。"))
    payment = Payment(order=order, method="bank_transfer", amount_fen=amount_fen,
                      status="pending", transferred_at=transferred_at,
                      payer_account=payer_account, reference=reference or order.payment_reference,
                      voucher_path=voucher_path, amount_mismatch=amount_fen != due,
                      created_by_id=user.id)
    db.session.add(payment)
    db.session.flush()
    record("payment.transfer_recorded", payment, actor=user,
           detail={"order_id": order.id, "amount_fen": amount_fen, "due_fen": due,
                   "amount_mismatch": payment.amount_mismatch})
    refresh_order(order, user)

    staff = [member for member in order.supplier.users if member.role == "supplier_staff"]
    notify(staff, "payment.transfer_recorded",
           _l("订单 %(number)s 的买方登记了一笔转账 %(amount)s，请核对到账后确认。",
              number=order.number, amount=format_yuan(amount_fen)),
           link=f"/payments/orders/{order.id}")
    return payment


def confirm_transfer(payment, user, acknowledge_mismatch=False):
    """The supplier confirms a recorded transfer arrived; the order is paid once covered.

    :param acknowledge_mismatch: the supplier checked that an amount differing from what was
        due really arrived (the page's tick, the API's "acknowledge_mismatch": true); without
        it such a transfer is refused.
    :raises ValidationError: the amount differs and was not acknowledged.
    """
    order = payment.order
    require_supplier(user, order)
    lock_order(order)
    if payment.method != "bank_transfer" or payment.status != "pending":
        raise PaymentStateError(_("该转账不在待确认状态。"))
    if payment.amount_mismatch and not acknowledge_mismatch:
        raise ValidationError(_("转账金额与应付金额不一致，请核对后勾选确认。"),
                              fields={"acknowledge_mismatch": "required"})
    mark_transfer(payment, user, "confirmed")
    notify([order.placed_by], "payment.transfer_confirmed",
           _l("订单 %(number)s 的转账 %(amount)s 已由供应商确认到账。", number=order.number,
              amount=format_yuan(payment.amount_fen)),
           link=f"/payments/orders/{order.id}")
    return payment


def reject_transfer(payment, user, reason):
    """The supplier reports that a recorded transfer did not arrive."""
    order = payment.order
    require_supplier(user, order)
    if payment.method != "bank_transfer" or payment.status != "pending":
        raise PaymentStateError(_("该转账不在待确认状态。"))
    reason = required_reason(reason, _("请说明原因。"))
    mark_transfer(payment, user, "rejected", reason)
    notify([order.placed_by], "payment.transfer_rejected",
           _l("订单 %(number)s 的转账未被确认：%(reason)s", number=order.number,
              reason=reason[:200]), link=f"/payments/orders/{order.id}")
    return payment


def mark_transfer(payment, user, status, reason=None):
    """Write the supplier's answer on a pending transfer (confirmed or rejected), log it and
    recompute its order (a covered, accepted order completes). The callers check who may and
    tell the buyer."""
    payment.status = status
    payment.confirmed_by_id = user.id
    payment.confirmed_at = utcnow()
    detail = {"order_id": payment.order_id, "amount_fen": payment.amount_fen}
    if status == "confirmed":
        detail["amount_mismatch"] = payment.amount_mismatch
    else:
        detail["reason"] = (reason or "")[:500]
    record(f"payment.transfer_{status}", payment, actor=user, detail=detail)
    refresh_order(payment.order, user)
