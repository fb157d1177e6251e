"""Saved delivery addresses of buyer organisations (canteens, warehouses)."""
from marketplace.audit.services import record
from marketplace.errors import NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.ordering.models import DeliveryAddress
from marketplace.ordering.services.common import _, _is_buyer


def delivery_addresses(org):
    """The saved delivery addresses of a buyer organisation."""
    return (DeliveryAddress.query.filter_by(organization_id=org.id)
            .order_by(DeliveryAddress.id).all())


def add_delivery_address(user, label, recipient, phone, address):
    """Save a delivery address for the user's organisation.

    :raises PermissionDenied: the user is not a buyer.
    :raises ValidationError: a field is empty or too long.
    """
    if not _is_buyer(user):
        raise PermissionDenied(_("只有采购单位可以保存收货地址。"))
    values = {"label": (label or "").strip(), "recipient": (recipient or "").strip(),
              "phone": (phone or "").strip(), "address": (address or "").strip()}
    limits = {"label": 60, "recipient": 60, "phone": 40, "address": 300}
    errors = {name: "required" for name, value in values.items() if not value}
    errors.update({name: "too_long" for name, value in values.items() if len(value) > limits[name]})
    if errors:
        raise ValidationError(_("收货地址信息不完整。"), fields=errors)
    saved = DeliveryAddress(organization_id=user.organization_id, **values)
    db.session.add(saved)
    db.session.flush()
    record("delivery_address.create", saved, actor=user)
    return saved


def format_address(saved):
    """One line for an order: label, address, recipient and phone."""
    return f"{saved.label}：{saved.address}（{saved.recipient} {saved.phone}）"


def get_delivery_address(user, address_id):
    """:raises NotFound: no such address in the user's organisation."""
    try:
        saved = db.session.get(DeliveryAddress, int(address_id))
    except (TypeError, ValueError):
        saved = None
    if saved is None or saved.organization_id != user.organization_id:
        raise NotFound(_("收货地址不存在。"))
    return saved
