"""API: exports written by a job (a year's quota report or ledger as a kept file): ask for one,
poll its progress, download it. The same services as the reports pages."""
from flask import jsonify, send_file, url_for

from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, require_auth
from marketplace.api import bp
from marketplace.reports import kept, services


def _status(item):
    body = kept.status_of(item)
    body["download_url"] = url_for("api.export_file_download", file_id=item.id) \
        if item.state == "ready" else None
    return body


@bp.post("/reports/exports")
@require_auth(*services.LEDGER_ROLES)
def export_request():
    """Queue an export (whatever its size); 201 with its status, to poll."""
    body = read_body()
    options = {key: str(body[key]) for key in kept.OPTION_KEYS if body.get(key, "") != ""}
    item = kept.request_export(api_user(), body["kind"], body["year"], body["format"], options,
                               force=True)
    response = jsonify(_status(item))
    response.status_code = 201
    response.headers["Location"] = url_for("api.export_file_status", file_id=item.id)
    return response


@bp.get("/reports/exports")
@require_auth(*services.LEDGER_ROLES)
def export_files():
    """The caller's export files, newest first (their states and progress)."""
    return jsonify({"items": [_status(item) for item in kept.visible_files(api_user()).limit(100)]})


@bp.get("/reports/exports/<int:file_id>")
@require_auth(*services.LEDGER_ROLES)
def export_file_status(file_id):
    return jsonify(_status(kept.file_for(api_user(), file_id)))


@bp.get("/reports/exports/<int:file_id>/file")
@require_auth(*services.LEDGER_ROLES)
def export_file_download(file_id):
    item, path = kept.ready_file(api_user(), file_id)
    return send_file(path, as_attachment=True, download_name=item.filename,
                     mimetype=kept.MIMETYPES[item.format])
