"""Searching the audit trail, by action, object, person and time: for the admin (everything)
and for auditors (what happened to the figures they audit, in their jurisdiction).

It lives above accounts (the actor is found by the e-mail of a User), where the audit domain,
which every domain writes to, may not look.

What an auditor reads (the entries behind the quota figures of the units it may see, by the
very rule of `accounts.scopes.units_condition`):
- the filings of those units (every version, and the decisions on their exceptions);
- the orders bound to those units, and their payments, refunds and invoices;
- the rules the figures are measured by: the quota policies of regions overlapping its
  jurisdiction, and the filing windows (national).
Nothing of other units, nor the platform's own administration (organisations, users,
products, certifications, credit, pairings, exports).
"""
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from marketplace.accounts.models import Organization, User
from marketplace.accounts.scopes import units_condition
from marketplace.audit.models import AuditEntry
from marketplace.compliance.models import Filing, QuotaPolicy
from marketplace.ordering.models import Order
from marketplace.payments.models import Invoice, Payment, Refund

# The object kinds an auditor's trail holds, and the action groups that reach them.
AUDITOR_KINDS = ("filings", "orders", "payments", "refunds", "invoices", "quota_policies",
                 "filing_windows")
AUDITOR_ACTIONS = ("order.", "payment.", "refund.", "invoice.", "filing.", "quota_policy.")


def _ids(column):
    """`column` (an integer key) as text, the type of AuditEntry.object_id."""
    return sa.cast(column, sa.String)


def auditor_condition(user):
    """SQL over AuditEntry: the entries `user` (an auditor) may read (see the module's doc)."""
    unit = aliased(Organization)
    in_scope = units_condition(user, unit)
    orders = sa.select(Order.id).join(unit, Order.budget_unit_id == unit.id).where(in_scope)
    filings = (sa.select(_ids(Filing.id)).join(unit, Filing.budget_unit_id == unit.id)
               .where(in_scope))
    prefix = user.organization.jurisdiction_prefix if user.organization else None
    policies = [str(policy.id) for policy in QuotaPolicy.query
                if prefix is not None and (policy.region_prefix.startswith(prefix)
                                           or prefix.startswith(policy.region_prefix))]

    def of(kind, keys):
        return sa.and_(AuditEntry.object_type == kind, AuditEntry.object_id.in_(keys))

    return sa.or_(
        of("orders", orders.with_only_columns(_ids(Order.id))),
        of("payments", sa.select(_ids(Payment.id)).where(Payment.order_id.in_(orders))),
        of("refunds", sa.select(_ids(Refund.id)).where(Refund.order_id.in_(orders))),
        of("invoices", sa.select(_ids(Invoice.id)).where(Invoice.order_id.in_(orders))),
        of("filings", filings),
        of("quota_policies", policies),
        AuditEntry.object_type == "filing_windows")


def search(action=None, object_type=None, object_id=None, actor_email=None, since=None,
           until=None, reader=None):
    """Entries matching the filters, newest first (a query, for paging).

    :param action: an exact action, or a prefix ending in "." ("order." for every order action).
    :param since, until: aware datetimes bounding `at` ([since, until)).
    :param reader: the user reading; an auditor reads only its part (see the module's doc).
    """
    query = AuditEntry.query
    if reader is not None and reader.role == "auditor":
        query = query.filter(auditor_condition(reader))
    if action:
        query = query.filter(AuditEntry.action.like(f"{action}%") if action.endswith(".")
                             else AuditEntry.action == action)
    if object_type:
        query = query.filter(AuditEntry.object_type == object_type)
    if object_id:
        query = query.filter(AuditEntry.object_id == str(object_id))
    if actor_email:
        # A person by e-mail or by (part of) their name: the reader knows names, not ids.
        text = actor_email.strip().lower()
        query = query.join(User, AuditEntry.actor_id == User.id).filter(
            (User.email == text) | User.name.contains(actor_email.strip()))
    if since is not None:
        query = query.filter(AuditEntry.at >= since)
    if until is not None:
        query = query.filter(AuditEntry.at < until)
    return query.order_by(AuditEntry.id.desc())
