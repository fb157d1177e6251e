"""An organisation's saved delivery addresses (kept by its unit manager or purchasers)."""
from marketplace.accounts.models import DeliveryAddress
from marketplace.audit.services import record
from marketplace.errors import NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _


def can_manage_addresses(user):
    """Who keeps an organisation's delivery addresses: the unit manager of a budget unit, the
    purchasers of a union or enterprise (which have no manager role)."""
    kind = user.organization.kind
    return (user.role == "unit_manager" and kind == "budget_unit") or \
        (user.role == "purchaser" and kind in ("union", "enterprise"))


# The longest each part of an address may be (the columns of DeliveryAddress).
ADDRESS_LIMITS = {"label": 60, "recipient": 60, "phone": 40, "address": 300}


def address_values(label, recipient, phone, address):
    """(the parts of an address, trimmed; {part: "required" | "too_long"} of what is wrong)."""
    values = {"label": (label or "").strip(), "recipient": (recipient or "").strip(),
              "phone": (phone or "").strip(), "address": (address or "").strip()}
    errors = {key: "required" for key, value in values.items() if not value}
    errors.update({key: "too_long" for key, value in values.items()
                   if len(value) > ADDRESS_LIMITS[key]})
    return values, errors


def addresses_of(org):
    """An organisation's saved delivery addresses."""
    return (DeliveryAddress.query.filter_by(organization_id=org.id)
            .order_by(DeliveryAddress.id).all())


def own_address(actor, address_id):
    """One of the actor organisation's addresses.

    :raises NotFound: no such address in the actor's organisation.
    """
    address = db.session.get(DeliveryAddress, address_id) if isinstance(address_id, int) else None
    if address is None or address.organization_id != actor.organization_id:
        raise NotFound(_("地址不存在。"))
    return address


def save_address(actor, label, recipient, phone, address, address_id=None):
    """Add (or edit) a delivery address of the actor's organisation.

    :raises PermissionDenied: the actor may not keep its organisation's addresses.
    :raises NotFound: `address_id` is not one of the organisation's addresses.
    :raises ValidationError: an empty or too long field.
    """
    if not can_manage_addresses(actor):
        raise PermissionDenied(_("您不能管理本单位的收货地址。"))
    values, errors = address_values(label, recipient, phone, address)
    if errors:
        raise ValidationError(_("收货地址信息不完整或有误。"), fields=errors, summary=True)
    if address_id is None:
        entry = DeliveryAddress(organization_id=actor.organization_id, **values)
        db.session.add(entry)
    else:
        entry = own_address(actor, address_id)
        for key, value in values.items():
            setattr(entry, key, value)
    db.session.flush()
    record("delivery_address.save", entry, actor=actor, detail=values)
    return entry


def delete_address(actor, address_id):
    """Remove a delivery address of the actor's organisation (orders keep their own copy).

    :raises PermissionDenied: the actor may not keep its organisation's addresses.
    :raises NotFound: not one of the organisation's addresses.
    """
    if not can_manage_addresses(actor):
        raise PermissionDenied(_("您不能管理本单位的收货地址。"))
    entry = own_address(actor, address_id)
    record("delivery_address.delete", entry, actor=actor,
           detail={"label": entry.label, "address": entry.address})
    db.session.delete(entry)
    db.session.flush()
