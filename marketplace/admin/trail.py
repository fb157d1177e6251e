"""Searching the audit trail for the admin console, by action, object, person and time.

It lives above accounts (the actor is found by the e-mail of a User), where the audit domain,
which every domain writes to, may not look.
"""
from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry


def search(action=None, object_type=None, object_id=None, actor_email=None, since=None,
           until=None):
    """Entries matching the filters, newest first (a query, for paging).

    :param action: an exact action, or a prefix ending in "." ("order." for every order action).
    :param since, until: aware datetimes bounding `at` ([since, until)).
    """
    query = AuditEntry.query
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
