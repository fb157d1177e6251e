"""Delivery addresses at checkout: the organisation's address book (accounts) used by orders."""
from marketplace.accounts.models import DeliveryAddress
from marketplace.accounts.services.addresses import (address_values,
                                                     addresses_of as delivery_addresses)
from marketplace.audit.services import record
from marketplace.database import get_by_id
from marketplace.errors import NotFound, PermissionDenied, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.ordering.services.common import is_buyer_user

__all__ = ["add_delivery_address", "delivery_addresses", "format_address",
           "get_delivery_address"]


def add_delivery_address(user, label, recipient, phone, address):
    """Save a delivery address for the user's organisation, typed in at checkout; the same
    address typed again is the saved one, not a copy.

    :raises PermissionDenied: the user is not a buyer.
    :raises ValidationError: a field is empty or too long.
    """
    if not is_buyer_user(user):
        raise PermissionDenied(_("只有采购单位可以保存收货地址。"))
    values, errors = address_values(label, recipient, phone, address)
    if errors:
        raise ValidationError(_("收货地址信息不完整。"), fields=errors, summary=True)
    same = DeliveryAddress.query.filter_by(organization_id=user.organization_id, **values) \
        .order_by(DeliveryAddress.id).first()
    if same is not None:
        return same
    saved = DeliveryAddress(organization_id=user.organization_id, **values)
    db.session.add(saved)
    db.session.flush()
    record("delivery_address.create", saved, actor=user)
    return saved


def format_address(saved):
    """One line for an order: label, address, recipient and phone."""
    return _("%(label)s：%(address)s（%(recipient)s %(phone)s）", label=saved.label,
             address=saved.address, recipient=saved.recipient, phone=saved.phone)


def get_delivery_address(user, address_id):
    """:raises NotFound: no such address in the user's organisation."""
    saved = get_by_id(DeliveryAddress, address_id)
    if saved is None or saved.organization_id != user.organization_id:
        raise NotFound(_("收货地址不存在。"))
    return saved
