"""The navigation menu: each domain's views register their own entries here; this module says
how they are grouped in the header and where each role starts after logging in.

Two kinds of thing live here and are kept apart on purpose:
- the menu as data (entries, groups, start pages): the same for every user of a role and
  language, so a rendered header can be kept and reused;
- per-user numbers (a cart count, unread messages): `add_count`/`count_for`, read per request
  and never part of what a kept header holds. A number registered with a `column` comes with
  the user: the user loader's one statement selects every such column beside the user
  (`count_columns`, `load_counts`), so a signed-in page runs no query of its own for them.
"""
from dataclasses import dataclass

from flask import has_request_context, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string
    roles: tuple  # empty: everyone logged in; ("anonymous",): only logged-out visitors
    order: int = 50
    when: object = None  # optional when(user) → bool, for a rule finer than the role


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: object  # shown on the group's button
    items: list  # [(url, label, endpoint)], in menu order


# The header's groups, in order: each opens a short list. An entry in none of them stands on
# its own in the bar (the cart and messages, with their counts; login and register). A group
# that holds one entry for a user is shown as that entry, not as a list of one. An entry named
# by several groups joins, for each user, the one holding most of that user's entries.
GROUPS = (
    ("buy", _l("采购"), ("catalog.product_list", "catalog.favourites", "ordering.orders",
                       "ordering.approvals", "payments.after_sales", "pairings.index",
                       "reports.spend")),
    ("sell", _l("销售"), ("payments.workbench", "ordering.supplier_queue", "payments.after_sales",
                        "catalog.supplier_products", "catalog.supplier_certifications",
                        "reports.sales")),
    ("quota", _l("份额"), ("compliance.dashboard", "compliance.overview",
                         "compliance.exceptions", "compliance.policies", "pairings.overview")),
    ("money", _l("账款"), ("payments.accounts", "payments.overdue",
                         "payments.missing_invoices", "credit.index")),
    ("review", _l("审核"), ("admin.home", "catalog.admin_certifications",
                          "catalog.admin_products", "payments.after_sales")),
    ("reports", _l("报表"), ("reports.index", "reports.verify")),
    ("account", _l("我的"), ("accounts.my_organization", "api.docs_page")),
)

_ITEMS = []
_COUNTS = {}
_COLUMNS = {}
_START = {}
_COUNTED = "marketplace.nav_counts"  # on the request's environ: {endpoint: number}


def add(endpoint, label, roles=(), order=50, when=None):
    """Register a menu entry shown to the given roles (empty: every logged-in user), and only
    to users for whom `when(user)` holds when it is given."""
    if not any(item.endpoint == endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, tuple(roles), order, when))
        _ITEMS.sort(key=lambda entry: entry.order)  # kept in menu order (stable: ties as added)


_VISIBLE = "marketplace.nav_visible"  # on the request's environ: (user, its endpoints)


def visible_endpoints():
    """The endpoints of the entries the current user may see, in menu order (a tuple: what
    the kept page frames are keyed by, `marketplace.frame`); worked out once per request and
    user (the header and the phone's menu count both ask)."""
    user = current_user._get_current_object()  # once: each proxy lookup costs (per request)
    if has_request_context():
        seen = request.environ.get(_VISIBLE)
        if seen is not None and seen[0] is user:
            return seen[1]
        visible = _visible_to(user)
        request.environ[_VISIBLE] = (user, visible)
        return visible
    return _visible_to(user)


def _visible_to(user):
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


def add_count(endpoint, count, column=None):
    """Show `count(user)` (a number; 0 shows nothing) beside the entry `endpoint`. Read once
    per request that draws the header, so it must be cheap: one small query.

    `column(user_id)`, when given, is the same number as a scalar subquery correlated to the
    users' id column `user_id`: the user loader then selects it with the user, and `count` is
    only asked when the loader did not run (an API token) or the request wrote something."""
    _COUNTS[endpoint] = count
    if column is not None:
        _COLUMNS[endpoint] = column


def add_user_number(name, column):
    """Select `column(user_id)` (a scalar subquery correlated to the users' id column) with
    the user, like a count's column, for a number no menu entry shows (how many favourites a
    buyer keeps: a page skips asking which of its products are marked when there are none)."""
    _COLUMNS[name] = column


def loaded_number(name):
    """The number `name` selected with this request's user; None when it was not (an API
    token, no signed-in user) or the request has written since."""
    if not has_request_context():
        return None
    return request.environ.get(_COUNTED, {}).get(name)


def count_columns():
    """{endpoint: column(user_id)} of the numbers a user loader may select with the user."""
    return dict(_COLUMNS)


def load_counts(counts):
    """Take {endpoint: number} selected with the current user as this request's numbers."""
    request.environ[_COUNTED] = dict(counts)


def forget_counts():
    """Count again when next shown: the request changed something a number may count."""
    request.environ.pop(_COUNTED, None)


def count_for(endpoint):
    """The current user's number beside the entry `endpoint` (0 when it has none)."""
    count = _COUNTS.get(endpoint)
    if count is None or not current_user.is_authenticated:
        return 0
    # Once per request: the bar and the phone's button both show it (on the request, not on
    # `g`, which a test's app context keeps across requests).
    counted = request.environ.setdefault(_COUNTED, {})
    if endpoint not in counted:
        counted[endpoint] = count(current_user)
    return counted[endpoint]


def counts_total():
    """The sum of the current user's numbers on the entries they see (the phone's menu
    button shows it, since the entries themselves are folded away there)."""
    return sum(count_for(endpoint) for endpoint in visible_endpoints() if endpoint in _COUNTS)


def set_start(role, endpoint):
    """Where a user of `role` lands after logging in (without an explicit `next`)."""
    _START[role] = endpoint


def start_url(user):
    """The start page of the user's role: the catalog's home unless a domain set another."""
    return url_for(_START.get(user.role, "catalog.home"))


def items_for_current_user():
    """The (url, label, endpoint) entries the current user may see, in menu order."""
    items = {item.endpoint: item for item in _ITEMS}
    return [(url_for(endpoint), items[endpoint].label, endpoint)
            for endpoint in visible_endpoints()]


def menu_for_current_user():
    """The header's bar for the current user: a list of NavGroup (a group of one entry comes
    as a group whose label is that entry's), then the entries in no group, in menu order."""
    items = items_for_current_user()
    by_endpoint = {item[2]: item for item in items}
    seen = [(key, label, [endpoint for endpoint in endpoints if endpoint in by_endpoint])
            for key, label, endpoints in GROUPS]
    # An entry some groups share (after-sales: selling for a supplier, reviewing for the
    # admin, buying for a buyer) joins the one holding most of the user's other entries.
    sizes = {key: len(endpoints) for key, _label, endpoints in seen}
    home = {}
    for key, _label, endpoints in seen:
        for endpoint in endpoints:
            if endpoint not in home or sizes[key] > sizes[home[endpoint]]:
                home[endpoint] = key
    bar = []
    for key, label, endpoints in seen:
        members = [by_endpoint[endpoint] for endpoint in endpoints if home[endpoint] == key]
        if members:
            bar.append(NavGroup(key, members[0][1] if len(members) == 1 else label, members))
    grouped = set(home)
    loose = [NavGroup(item[2], item[1], [item]) for item in items if item[2] not in grouped]
    return bar + loose
