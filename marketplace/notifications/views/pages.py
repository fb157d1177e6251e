"""Notifications pages: the user's in-app messages."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace import nav
from marketplace.i18n import translate as _
from marketplace.notifications import services
from marketplace.notifications.views import bp

nav.add("notifications.index", _l("消息"), roles=(), order=85)
nav.add_count("notifications.index", services.unread_count,
              column=services.unread_count_column)


@bp.get("/")
@login_required
def index():
    """The user's notifications, newest first; unread ones are marked."""
    return render_template("notifications/index.html",
                           notifications=services.unread_for(current_user, limit=100))


@bp.post("/read")
@login_required
def mark_read():
    """Mark one notification (id=...) or all of the user's notifications read."""
    raw = request.form.get("id")
    notification_id = int(raw) if raw and raw.isdigit() and len(raw) < 10 else None
    if raw and notification_id is None:
        abort(400)
    services.mark_read(current_user, notification_id)
    if notification_id is None:
        flash(_("已全部标记为已读。"), "success")
    return redirect(url_for("notifications.index"))
