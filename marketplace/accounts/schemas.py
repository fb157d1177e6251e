"""Organisations and users as the JSON API shows them."""
from marketplace.money import fen_str
from marketplace.timeutil import iso


def organization_json(org):
    """An organisation; an audit office's jurisdiction is its region's prefix."""
    return {"id": org.id, "name": org.name, "kind": org.kind, "status": org.status,
            "region_code": org.region_code, "parent_id": org.parent_id,
            "budget_unit_id": org.budget_unit_id,
            "approval_threshold": fen_str(org.approval_threshold_fen),
            "jurisdiction_prefix": org.jurisdiction_prefix if org.kind == "audit_office" else None,
            "review_note": org.review_note, "created_at": iso(org.created_at)}


def user_json(user):
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
            "organization_id": user.organization_id, "active": bool(user.active),
            "created_at": iso(user.created_at)}
