"""Writing to the audit trail; every domain's services call `record`."""
from flask import has_request_context, request
from flask_login import current_user

from marketplace.audit.models import AuditEntry
from marketplace.extensions import db


def record(action, obj, *, actor=None, detail=None, object_type=None, object_id=None):
    """Append one entry: `actor` did `action` (e.g. "order.ship") to `obj`.

    :param obj: a model instance (its table name and id are recorded) or None with
        `object_type`/`object_id` given explicitly.
    :param actor: the acting user; defaults to the logged-in user, None for the system.
    :param detail: a JSON-serialisable dict of what changed.
    """
    if actor is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        actor = current_user._get_current_object()
    if obj is not None:
        db.session.flush()
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    entry = AuditEntry(
        action=action,
        object_type=object_type or "system",
        object_id=str(object_id if object_id is not None else "-"),
        actor_id=getattr(actor, "id", None),
        actor_organization_id=getattr(actor, "organization_id", None),
        detail=detail or {},
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def entries_for(obj_type, obj_id):
    """The trail of one object, oldest first."""
    return (AuditEntry.query.filter_by(object_type=obj_type, object_id=str(obj_id))
            .order_by(AuditEntry.id).all())


def object_types():
    """The object types that appear in the trail, for a filter."""
    rows = db.session.query(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)
    return [row[0] for row in rows]
