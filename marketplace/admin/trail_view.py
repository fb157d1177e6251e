"""The audit trail for people: who (name and organisation) did what (a phrase) to which object
(named, linked to its page), with changes as "from → to" and values in words.

The stored entries stay as the services wrote them; this module reads them with the tables of
`trail_labels` and looks the named objects up once per page (one query per kind of object).
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask import url_for
from werkzeug.routing import BuildError
from markupsafe import Markup, escape

from marketplace.accounts.models import Organization, User
from marketplace.admin import trail_labels as words
from marketplace.catalog.models import Category, Product, SupplierCertification
from marketplace.compliance.models import Filing
from marketplace.extensions import db
from marketplace.i18n import format_day, local_name
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.ordering.models import Order
from marketplace.pairings.models import NeedConversation, Pairing, Village, VillageNeed
from marketplace.payments.models import Invoice, Payment, Refund, SettlementStatement
from marketplace.regions.models import Region

EMPTY = "—"


@dataclass
class Line:
    """One entry as read: `actor` did `phrase` to `kind` `name` (`url` when it has a page)."""
    entry: object
    actor: str
    actor_organization: str
    phrase: str
    kind: str
    name: str
    url: str = None
    changes: list = field(default_factory=list)  # [(field, before, after)]
    facts: list = field(default_factory=list)  # [(field, value)]

    @property
    def sentence(self):
        """"暂停了机构「名称」" with the name linked to its page (English: "suspended
        organisation “name”"); the words are escaped, the link is ours."""
        name = Markup('<a href="{}">{}</a>').format(self.url, self.name) if self.url \
            else escape(self.name)
        pattern = Markup(escape(_("%(did)s%(kind)s「%(name)s」")))
        return pattern % {"did": self.phrase, "kind": self.kind, "name": name}


# Objects named and linked: type → (model, key column, name of a row, page of a row).
def _order_name(order):
    return _("订单 %(number)s", number=order.number)


def _via_order(row):
    order = db.session.get(Order, row.order_id)
    return _order_name(order) if order else EMPTY


def _order_page(row):
    return url_for("ordering.order_detail", order_id=row.order_id)


NAMED = {
    "organizations": (Organization, Organization.id, lambda row: row.name,
                      lambda row: url_for("admin.organization", org_id=row.id)),
    "users": (User, User.id, lambda row: f"{row.name}（{row.email}）",
              lambda row: url_for("admin.organization", org_id=row.organization_id)),
    "orders": (Order, Order.id, lambda row: row.number,
               lambda row: url_for("ordering.order_detail", order_id=row.id)),
    "products": (Product, Product.id, lambda row: row.name,
                 lambda row: url_for("catalog.product_page", product_id=row.id)),
    "payments": (Payment, Payment.id, _via_order, _order_page),
    "refunds": (Refund, Refund.id, _via_order, _order_page),
    "invoices": (Invoice, Invoice.id, _via_order, _order_page),
    "supplier_certifications": (
        SupplierCertification, SupplierCertification.id,
        lambda row: f"{row.supplier.name} · {local_name(row.region)}",
        lambda row: url_for("admin.organization", org_id=row.supplier_id)),
    "filings": (Filing, Filing.id,
                lambda row: _("%(unit)s %(year)s 年度（第 %(v)s 版）", unit=row.budget_unit.name,
                              year=row.year, v=row.version),
                lambda row: url_for("compliance.unit_detail", unit_id=row.budget_unit_id)),
    "settlement_statements": (SettlementStatement, SettlementStatement.id,
                              lambda row: row.number, None),
    "categories": (Category, Category.id, local_name, None),
    "regions": (Region, Region.code, local_name, None),
    "villages": (Village, Village.id, lambda row: row.name,
                 lambda row: url_for("pairings.village", village_id=row.id)),
    "village_needs": (VillageNeed, VillageNeed.id, lambda row: row.title,
                      lambda row: url_for("pairings.need", need_id=row.id)),
    "need_conversations": (NeedConversation, NeedConversation.id,
                           lambda row: _("%(enterprise)s 关于“%(title)s”", enterprise=row.enterprise.name,
                                         title=row.need.title),
                           lambda row: url_for("pairings.conversation", conversation_id=row.id)),
    "pairings": (Pairing, Pairing.id,
                 lambda row: f"{row.enterprise.name} — {row.village.name}（{row.year}）",
                 lambda row: url_for("pairings.detail", pairing_id=row.id)),
}


class Names:
    """The names (and pages) of the objects a page of entries mentions, looked up in bulk."""

    def __init__(self, wanted):
        self._found = {}
        for kind, keys in wanted.items():
            if kind not in NAMED or not keys:
                continue
            model, column, name_of, page_of = NAMED[kind]
            keys = {key for key in keys if key is not None}
            if column.type.python_type is int:
                keys = {int(key) for key in keys if str(key).isdigit()}
            for row in model.query.filter(column.in_(keys)):
                key = str(getattr(row, column.key))
                try:
                    self._found[kind, key] = (name_of(row), page_of(row) if page_of else None)
                except (AttributeError, BuildError):
                    # The trail outlives the shape of its objects: an entry whose object can no
                    # longer be named still shows, as "第 N 号", rather than break the page.
                    continue

    def get(self, kind, key):
        """(name, url) of one object; a missing one (deleted) reads "<kind> N"."""
        found = self._found.get((kind, str(key)))
        if found:
            return found
        return (_("第 %(n)s 号", n=key) if key not in (None, "-", "") else EMPTY), None


def _wanted(entries):
    wanted = {}
    for entry in entries:
        wanted.setdefault(entry.object_type, set()).add(entry.object_id)
        for key, kind in words.REFERENCE_FIELDS.items():
            value = (entry.detail or {}).get(key)
            if value is not None:
                wanted.setdefault(kind, set()).add(str(value))
        wanted.setdefault("organizations", set()).add(str(entry.actor_organization_id))
        for region_key in words.REGION_FIELDS:
            value = (entry.detail or {}).get(region_key)
            for code in value if isinstance(value, list) else [value]:
                if code:
                    wanted.setdefault("regions", set()).add(region_key_of(code))
    return wanted


def region_key_of(code):
    """A stored region code or prefix ("54", "5401") as the registry's code ("540000")."""
    code = str(code)
    return code.ljust(6, "0") if code.isdigit() and len(code) < 6 else code


def _money(value, fen=True):
    if value in (None, ""):
        return EMPTY
    try:
        return format_yuan(int(value) if fen else int(Decimal(str(value)) * 100))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


def _ratio(value):
    try:
        return f"{Decimal(str(value)) * 100:.2f}%"
    except (InvalidOperation, ValueError):
        return EMPTY if value in (None, "") else str(value)


def _status(object_type, value):
    labels = words.STATUS_BY_OBJECT.get(object_type)
    if value in (None, ""):
        return EMPTY
    if callable(labels):
        return str(labels(value))
    return str((labels or {}).get(value, value))


def value_text(key, value, names, object_type=None):
    """A stored detail value as a person reads it (yuan, 是/否, names, dates, labels)."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key in words.FEN_FIELDS:
        return _money(value)
    if key in words.YUAN_FIELDS:
        return _money(value, fen=False)
    if key in words.RATIO_FIELDS:
        return _ratio(value)
    if key in words.REGION_FIELDS:
        codes = value if isinstance(value, list) else [value]
        return _("、").join(names.get("regions", region_key_of(code))[0] for code in codes)
    if key in words.REFERENCE_FIELDS:
        return names.get(words.REFERENCE_FIELDS[key], value)[0]
    if key == "status":
        return _status(object_type, value)
    if key in words.VALUE_LABELS:
        return str(words.VALUE_LABELS[key].get(value, value))
    if key in ("opens_on", "closes_on", "due_date") or key.endswith("_at"):
        return format_day(value)
    if key == "lines" and isinstance(value, list):
        return str(len(value))
    if key == "orders" and isinstance(value, list):
        return str(len(value))
    if isinstance(value, dict):
        colon = _("：")
        return _("；").join(f"{field_label(k)}{colon}{value_text(k, v, names)}"
                           for k, v in value.items())
    if isinstance(value, list):
        return _("、").join(str(item) for item in value)
    return str(value)


def field_label(key):
    return str(words.FIELD_LABELS.get(key, key))


def _change_field(entry):
    """What a bare "from"/"to" pair changed, by action."""
    if entry.action == "order.extend_due":
        return "due_date"
    if entry.action in ("product.reference_price", "reference_price.set"):
        return "price_fen"
    return "status"


def _implied_to(entry):
    """The state an action leads to when only "from" was stored (payment.succeeded, …)."""
    action = entry.action
    if action.startswith("payment."):
        return action.split(".", 1)[1]
    return {"product.take_down": "taken_down", "product.restore": "active"}.get(action)


def changes_and_facts(entry, names):
    detail = dict(entry.detail or {})
    changes, kind = [], entry.object_type
    if "from" in detail or "to" in detail:
        key = _change_field(entry)
        after = detail.get("to", _implied_to(entry))
        changes.append((field_label(key), value_text(key, detail.get("from"), names, kind),
                        value_text(key, after, names, kind)))
    if "from_fen" in detail:
        changes.append((field_label("from_fen"), value_text("from_fen", detail["from_fen"], names),
                        value_text("to_fen", detail.get("to_fen"), names)))
    before, after = detail.get("before"), detail.get("after")
    if isinstance(before, dict) and isinstance(after, dict):
        for key in after:
            if before.get(key) != after.get(key):
                changes.append((field_label(key), value_text(key, before.get(key), names, kind),
                                value_text(key, after.get(key), names, kind)))
    facts = []
    for key, value in detail.items():
        if key in words.HIDDEN_FIELDS or key == "from_fen":
            continue
        if isinstance(value, list) and len(value) == 2 and entry.action.endswith(".update") \
                and not isinstance(value[0], (list, dict)):
            changes.append((field_label(key), value_text(key, value[0], names, kind),
                            value_text(key, value[1], names, kind)))
            continue
        if value in (None, "") or (words.REFERENCE_FIELDS.get(key) == kind
                                   and str(value) == str(entry.object_id)):
            continue  # nothing, or the object the sentence already names
        facts.append((field_label(key), value_text(key, value, names, kind)))
    return changes, facts


def describe(entries):
    """The entries of one page as `Line`s, in the reader's language."""
    entries = list(entries)
    names = Names(_wanted(entries))
    lines = []
    for entry in entries:
        actor = entry.actor
        actor_name = f"{actor.name}（{actor.email}）" if actor else _("系统")
        organization = names.get("organizations", entry.actor_organization_id)[0] \
            if entry.actor_organization_id else ""
        phrase = words.ACTION_LABELS.get(entry.action)
        kind = words.OBJECT_KINDS.get(entry.object_type, entry.object_type)
        name, url = names.get(entry.object_type, entry.object_id)
        changes, facts = changes_and_facts(entry, names)
        lines.append(Line(entry, actor_name, organization,
                          str(phrase) if phrase else entry.action, str(kind), name, url,
                          changes, facts))
    return lines
