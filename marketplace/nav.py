"""The navigation menu: each domain's views register their own entries here."""
from dataclasses import dataclass

from flask import url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string
    roles: tuple  # empty: everyone logged in; ("anonymous",): only logged-out visitors
    order: int = 50
    when: object = None  # optional when(user) → bool, for a rule finer than the role


_ITEMS = []


def add(endpoint, label, roles=(), order=50, when=None):
    """Register a menu entry shown to the given roles (empty: every logged-in user), and only
    to users for whom `when(user)` holds when it is given."""
    if not any(item.endpoint == endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, tuple(roles), order, when))
        _ITEMS.sort(key=lambda entry: entry.order)  # kept in menu order (stable: ties as added)


def visible_endpoints():
    """The endpoints of the entries the current user may see, in menu order (a tuple: what
    the kept page frames are keyed by, `marketplace.frame`)."""
    user = current_user._get_current_object()  # once: each proxy lookup costs (per request)
    signed_in = user.is_authenticated
    visible = []
    for item in _ITEMS:
        if signed_in:
            if item.roles == ("anonymous",):
                continue
            if item.roles and user.role not in item.roles:
                continue
            if item.when is not None and not item.when(user):
                continue
        elif item.roles != ("anonymous",) and item.roles != ("public",):
            continue
        visible.append(item.endpoint)
    return tuple(visible)


def items_for_current_user():
    """The (url, label, endpoint) entries the current user may see, in menu order."""
    items = {item.endpoint: item for item in _ITEMS}
    return [(url_for(endpoint), items[endpoint].label, endpoint)
            for endpoint in visible_endpoints()]
