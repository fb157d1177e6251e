"""The audit trail in words: the admin's (everything) and the auditors' (what happened to the
figures they audit, see `admin.trail`), with the same filters, and its CSV and Excel export."""
from datetime import date, datetime, time, timedelta

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.admin import trail, trail_export, trail_labels, trail_view
from marketplace.admin.views import bp
from marketplace.audit import services as audit
from marketplace.i18n import format_day
from marketplace.i18n import translate as _
from marketplace.inputs import day_in_range
from marketplace.timeutil import CST
from marketplace.web import paginate

nav.add("admin.audit_trail", _l("审计日志"), roles=("auditor",), order=34)

READERS = ("admin", "auditor")


def _day(value):
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day_in_range(day) else None


def _choices():
    """The object kinds and action groups the reader's filters offer (an auditor: its part)."""
    kinds = audit.object_types()
    groups = trail_labels.ACTION_GROUPS.items()
    if current_user.role == "auditor":
        kinds = [kind for kind in kinds if kind in trail.AUDITOR_KINDS]
        groups = [(key, label) for key, label in groups if key in trail.AUDITOR_ACTIONS]
    return ([(kind, trail_labels.OBJECT_KINDS.get(kind, kind)) for kind in kinds],
            list(groups))


def _query(args):
    since_day, until_day = _day(args.get("since")), _day(args.get("until"))
    since = datetime.combine(since_day, time(), CST) if since_day else None
    until = datetime.combine(until_day + timedelta(days=1), time(), CST) if until_day else None
    return trail.search(action=(args.get("action") or "").strip() or None,
                        object_type=args.get("object_type") or None,
                        object_id=(args.get("object_id") or "").strip() or None,
                        actor_email=(args.get("actor") or "").strip() or None,
                        since=since, until=until, reader=current_user)


def _filters_sentence(args, kinds, groups):
    """The filters in words, for the export: 操作：订单；对象：退款；从 2026年1月1日 …"""
    colon, parts = _("："), []
    if args.get("action"):
        parts.append(_("操作") + colon + str(dict(groups).get(args["action"], args["action"])))
    if args.get("object_type"):
        kind = args["object_type"]
        parts.append(_("对象类型") + colon + str(dict(kinds).get(kind, kind)))
    if args.get("actor"):
        parts.append(_("操作人") + colon + args["actor"].strip())
    for key, label in (("since", _("从")), ("until", _("到"))):
        if _day(args.get(key)):
            parts.append(f"{label} {format_day(_day(args[key]))}")
    return _("；").join(parts)


@bp.get("/audit")
@roles_required(*READERS)
def audit_trail():
    """The audit trail in words, filtered by kind of action, object, person and CST dates."""
    page = paginate(_query(request.args))
    kinds, groups = _choices()
    return render_template("admin/audit.html", page=page, args=request.args,
                           object_types=kinds, lines=trail_view.describe(page.items),
                           action_groups=groups)


@bp.get("/audit.<fmt>")
@roles_required(*READERS)
def audit_trail_export(fmt):
    """The same entries (same filters) as a CSV or Excel file."""
    if fmt not in trail_export.FORMATS:
        abort(404)
    kinds, groups = _choices()
    return trail_export.trail_download(current_user, _query(request.args), fmt,
                                       _filters_sentence(request.args, kinds, groups))
