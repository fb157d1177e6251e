"""Reports pages for exports written by a job: ask for one, watch its progress, download it.

The status page refreshes itself (a meta refresh, so it works without JavaScript) while the
export is queued or running; `static/js/export-progress.js` polls the small JSON status instead
and moves the bar without reloading.
"""
from flask import jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from marketplace.accounts.auth import roles_required
from marketplace.reports import kept, services
from marketplace.reports.views import bp

REFRESH_SECONDS = 3


@bp.post("/exports")
@roles_required(*services.LEDGER_ROLES)
def export_request():
    """Queue a large export (its page shows the progress); a small one downloads at once."""
    kind, fmt = request.form.get("kind", ""), request.form.get("format", "")
    year = request.form.get("year", "")
    item = kept.request_export(current_user, kind, year, fmt, request.form)
    if item is None:
        endpoint = "reports.ledger_download" if kind == "ledger" else "reports.quota_download"
        return redirect(url_for(endpoint, year=int(year), fmt=fmt, **kept.options_of(request.form)))
    return redirect(url_for("reports.export_status", file_id=item.id))


@bp.get("/exports/<int:file_id>")
@roles_required(*services.LEDGER_ROLES)
def export_status(file_id):
    """One export file: queued, a progress bar while it is written, then its download link."""
    item = kept.file_for(current_user, file_id)
    return render_template("reports/export_status.html", item=item,
                           refresh=REFRESH_SECONDS if item.state in ("queued", "running") else None)


@bp.get("/exports/<int:file_id>/status.json")
@roles_required(*services.LEDGER_ROLES)
def export_status_json(file_id):
    """The same state as JSON, for the page's script."""
    return jsonify(kept.status_of(kept.file_for(current_user, file_id)))


@bp.get("/exports/<int:file_id>/download")
@roles_required(*services.LEDGER_ROLES)
def export_download(file_id):
    item, path = kept.ready_file(current_user, file_id)
    response = send_file(path, as_attachment=True, download_name=item.filename,
                         mimetype=kept.MIMETYPES[item.format])
    response.headers["X-Export-Id"] = item.export.token
    response.headers["Cache-Control"] = "no-store"
    return response
