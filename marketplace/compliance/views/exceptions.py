"""Quota exception pages: the deciders' list (the admin, auditors for their jurisdiction) with
approve and reject, and the approving documents. Registered on the compliance blueprint."""
from flask import abort, render_template, send_file, url_for
from flask_login import current_user, login_required

from marketplace.accounts.auth import roles_required
from marketplace.catalog import uploads
from marketplace.compliance import services
from marketplace.compliance.forms import ExceptionDecisionForm
from marketplace.compliance.views import bp, unit_or_404
from marketplace.i18n import translate as _
from marketplace.web import run_button


@bp.get("/exceptions")
@roles_required("auditor", "admin")
def exceptions():
    """Exceptions waiting for the current user's decision, and the latest ones decided."""
    return render_template("compliance/exceptions.html",
                           pending=services.pending_exceptions(current_user),
                           decided=services.decided_exceptions(current_user),
                           form=ExceptionDecisionForm())


@bp.post("/exceptions/<int:unit_id>/<int:year>")
@roles_required("auditor", "admin")
def decide(unit_id, year):
    """Approve or reject the exception of a unit's current filing for a year."""
    unit = unit_or_404(unit_id)
    form = ExceptionDecisionForm()
    # A bad post (no decision, a note too long) is told above the list, like a refusal.
    return run_button(form, lambda: services.decide_exception(
        current_user, unit, year, form.decision.data, form.note.data),
        url_for("compliance.exceptions"), lambda filing: _(
            "已批准 %(unit)s 的例外申请，按 %(ratio)s 计算预留金额。", unit=unit.name,
            ratio=services.ratio_str(filing.ratio)) if filing.exception_status == "approved"
        else _("已驳回 %(unit)s 的例外申请，已通知该单位。", unit=unit.name))


@bp.get("/filings/<int:filing_id>/document")
@login_required
def exception_document(filing_id):
    """The approving document of a filing's exception (deciders, the unit and those above)."""
    filing = services.exception_document_for(current_user, filing_id)
    try:
        path = uploads.path_of(filing.exception_document)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    mimetype = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}[
        filing.exception_document.rsplit(".", 1)[1]]
    response = send_file(path, mimetype=mimetype, as_attachment=True,
                         download_name=filing.exception_document_name or path.name)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

