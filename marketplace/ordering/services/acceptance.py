"""Acceptance (验收) of a shipped order, fully or partly, with an optional photo."""
from flask_babel import lazy_gettext as _l

from marketplace import images
from marketplace.errors import FieldErrors, StateError, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.ordering.services.common import order_link, supplier_staff_of
from marketplace.ordering.services.lifecycle import require_order_buyer, record_transition
from marketplace.ordering.signals import order_accepted
from marketplace.timeutil import utcnow


def accept_delivery(order, user, accepted=None, note=None, photo=None):
    """The buyer accepts (验收) a shipped order, fully or partly.

    Rejected quantities do not return to stock (the goods go back to the supplier, who adjusts
    stock by hand). The payments module hears of it (`signals.order_accepted`): it sets a
    goods-first order's due date, completes a settled order, and tells the supplier of what a
    paid order now owes back.

    :param accepted: {line_id: accepted quantity}; lines left out are accepted in full.
    :param note: what was wrong (kept on the order and its timeline).
    :param photo: an optional image of the problem (a file object or bytes), checked by Pillow.
    :raises PermissionDenied: not the buyer organisation.
    :raises ValidationError: an unknown line, a quantity below 0 or above what was shipped,
        a file that is not an image.
    :raises StateError: the order is not shipped.
    """
    require_order_buyer(order, user)
    if order.status != "shipped":
        raise StateError(_("订单 %(number)s 尚未发货或已验收，不能验收。", number=order.number),
                         fields={"status": order.status})
    accepted = accepted or {}
    if not isinstance(accepted, dict):
        raise ValidationError(_("验收数量格式有误。"), fields={"lines": "invalid"})
    lines = {line.id: line for line in order.lines}
    quantities, errors = {}, FieldErrors()  # every line's problem at once
    for raw_id, raw_quantity in accepted.items():
        try:
            line_id = int(raw_id)
        except (TypeError, ValueError):
            line_id = None
        if line_id not in lines:
            errors.add(_("订单中没有这一行。"), "line_id", raw_id)
            continue
        quantity = errors.check(_accepted_quantity, lines[line_id], raw_quantity)
        if quantity is not None:
            quantities[line_id] = quantity
    note = (note or "").strip()[:1000] or None
    errors.raise_any()
    # The photo is stored only once the quantities are right (no file is left behind).
    photo_name = save_acceptance_photo(order, photo) if photo is not None else None
    for line in order.lines:
        line.accepted_quantity = quantities.get(line.id, line.quantity)
    short = shortfall_text(order)
    # The event keeps the buyer's own words only: what was accepted short is read from the
    # lines when the timeline is shown, in the reader's language (`acceptance_note`).
    record_transition(order, "accepted", user, note)
    order.accepted_at = utcnow()
    order.acceptance_note = note
    if photo_name:
        order.acceptance_photo = photo_name
    db.session.flush()
    order_accepted.send(order, actor=user)
    message = (_l("订单 %(number)s 已部分验收：%(detail)s", number=order.number,
                  detail=short) if short
               else _l("订单 %(number)s 已验收。", number=order.number))
    notify(supplier_staff_of(order.supplier_id), "order.accepted", message,
           link=order_link(order))
    return order


def _accepted_quantity(line, raw_quantity):
    """The whole quantity accepted of `line`, between 0 and what was shipped."""
    if isinstance(raw_quantity, bool) or isinstance(raw_quantity, float):
        raw_quantity = None
    try:
        quantity = int(str(raw_quantity).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("%(name)s 的验收数量必须是整数。", name=line.product_name),
                              fields={f"line_{line.id}": "integer"}) from None
    if quantity < 0 or quantity > line.quantity:
        raise ValidationError(
            _("%(name)s 的验收数量应在 0 到 %(max)s 之间。", name=line.product_name,
              max=line.quantity), fields={f"line_{line.id}": "out_of_range"})
    return quantity


def shortfall(order):
    """The lines accepted short: [(product name, accepted, shipped)]."""
    return [(line.product_name, line.accepted_quantity, line.quantity) for line in order.lines
            if line.accepted_quantity is not None and line.accepted_quantity < line.quantity]


def shortfall_text(order):
    """The lines accepted short in words any reader can read ("青稞面 4/6 · 牦牛肉 1/2"), ""
    when every line was accepted in full."""
    return " · ".join(f"{name} {accepted}/{shipped}" for name, accepted, shipped in shortfall(order))


def acceptance_note(event, order):
    """What the timeline shows under the acceptance `event`: the buyer's note, then what was
    accepted short ("部分验收：青稞面 4/6", translated)."""
    short = shortfall_text(order)
    detail = _("部分验收：%(detail)s", detail=short) if short else ""
    return "；".join(part for part in (event.note, detail) if part) or None


def save_acceptance_photo(order, photo):
    """Check an uploaded photo and store it re-encoded (EXIF and anything appended dropped, at
    most 1600 px a side); returns its file name, None for no photo.

    :raises ValidationError: too large (bytes or pixels), or not a JPEG/PNG/WebP image.
    """
    checked = images.photo_upload(photo, "photo")
    return images.store_photo(*checked, "acceptance") if checked else None


def photo_folder():
    """Where acceptance photos live (inside UPLOAD_FOLDER)."""
    return images.photo_folder("acceptance")
