"""Bulk listing over the API, on the services of the supplier portal's bulk page: the template
and export files, a file's dry run and import (the .xlsx base64 in JSON), photos by code."""
from flask import Response, jsonify

from marketplace.api import bp
from marketplace.api.bodies import read_body
from marketplace.api.core import api_user, require_auth, uploaded_file
from marketplace.catalog.services import bulk
from marketplace.i18n import translate as _
from marketplace.inputs import read_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet():
    upload = uploaded_file(read_body()["file"], "file")
    return read_upload(upload, "file", _("文件为空。"), _("文件过大（最大 %(mb)s MB）。"))


def report_json(report):
    """A dry run's or an import's report: every row's action, every problem by row and column."""
    return {
        "imported": report.imported, "counts": report.counts,
        "rows": [{"row": row.number, "code": row.code, "name": row.name,
                  "action": None if row.problems else row.kind,
                  "changed_fields": sorted(row.changes) if row.kind == "update" else [],
                  "product_id": row.product.id if row.product is not None else None}
                 for row in report.rows],
        "problems": [{"row": number, "column": column, "reason": reason}
                     for number, column, reason in report.problems]}


def _xlsx(data, filename):
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/supplier/products/template.xlsx")
@require_auth("supplier_staff")
def bulk_template_endpoint():
    return _xlsx(bulk.workbook_of(api_user(), with_products=False), "products-template.xlsx")


@bp.get("/supplier/products/export.xlsx")
@require_auth("supplier_staff")
def bulk_export_endpoint():
    return _xlsx(bulk.workbook_of(api_user(), with_products=True), "my-products.xlsx")


@bp.post("/supplier/products/bulk-checks")
@require_auth("supplier_staff")
def bulk_check_endpoint():
    """The dry run: what the file would do, changing nothing."""
    return jsonify(report_json(bulk.dry_run(api_user(), _sheet()))), 200


@bp.post("/supplier/products/bulk-imports")
@require_auth("supplier_staff")
def bulk_import_endpoint():
    """The import: all rows or, when any row is bad, none (422 listing the problems)."""
    report = bulk.import_file(api_user(), _sheet())
    if not report.imported:
        return jsonify({"error": {
            "code": "validation_error", "fields": {"file": "bad_rows"},
            "message": _("文件有 %(n)s 处问题，没有导入任何商品。", n=len(report.problems)),
            "problems": report_json(report)["problems"]}}), 422
    return jsonify(report_json(report)), 201


@bp.post("/supplier/products/photos")
@require_auth("supplier_staff")
def bulk_photos_endpoint():
    """Photos named by product code; each file's result."""
    photos = read_body()["photos"]
    uploads = [uploaded_file(item, f"photos[{index}]") for index, item in enumerate(photos)]
    results = bulk.add_photos_by_code(api_user(), uploads)
    return jsonify({"items": [
        {"filename": result.filename, "problem": result.problem,
         "product_id": result.product.id if result.product is not None else None}
        for result in results], "total": len(results)}), 200
