"""Bulk listing pages of the supplier portal: the template and export downloads, the upload
with its dry run and confirmation, photos by product code."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace.accounts.auth import roles_required
from marketplace.catalog import uploads
from marketplace.catalog.forms import BulkConfirmForm, BulkPhotosForm, BulkUploadForm
from marketplace.catalog.services import bulk
from marketplace.catalog.views import bp
from marketplace.errors import ValidationError
from marketplace.i18n import translate as _
from marketplace.inputs import read_upload
from marketplace.web import run_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(status=200, **context):
    context.setdefault("upload_form", BulkUploadForm(formdata=None))
    context.setdefault("photos_form", BulkPhotosForm(formdata=None))
    return render_template("catalog/supplier_bulk.html", **context), status


def _xlsx(data, filename):
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename={filename}",
        "Cache-Control": "private, no-store"})


@bp.get("/supplier/products/bulk")
@roles_required("supplier_staff")
def supplier_bulk():
    return _page()


@bp.get("/supplier/products/bulk/template.xlsx")
@roles_required("supplier_staff")
def bulk_template():
    return _xlsx(bulk.workbook_of(current_user, with_products=False), "products-template.xlsx")


@bp.get("/supplier/products/bulk/export.xlsx")
@roles_required("supplier_staff")
def bulk_export():
    return _xlsx(bulk.workbook_of(current_user, with_products=True), "my-products.xlsx")


def _check_upload(form):
    data = read_upload(form.file.data, "file", _("文件为空。"), _("文件过大（最大 %(mb)s MB）。"))
    return data, bulk.dry_run(current_user, data)


@bp.post("/supplier/products/bulk")
@roles_required("supplier_staff")
def bulk_upload():
    form = BulkUploadForm()
    done, result = run_form(form, lambda: _check_upload(form))
    if not done:
        return _page(result, upload_form=form)
    data, report = result
    token = None if report.problems else uploads.keep_sheet(current_user.id, data)
    return _page(422 if report.problems else 200, report=report, upload_form=form,
                 confirm_form=BulkConfirmForm(formdata=None, token=token))


@bp.post("/supplier/products/bulk/confirm")
@roles_required("supplier_staff")
def bulk_confirm():
    form = BulkConfirmForm()

    def run():
        data = uploads.kept_sheet(current_user.id, form.token.data)
        if data is None:
            raise ValidationError(_("检查过的文件已过期（保留 1 小时），请重新上传。"),
                                  fields={"token": "expired"})
        return bulk.import_file(current_user, data)

    done, result = run_form(form, run)
    if not done:
        flash(next(iter(form.token.errors), _("请重新上传文件。")), "error")
        return redirect(url_for("catalog.supplier_bulk"))
    if not result.imported:  # the products changed since the dry run: show what is wrong now
        return _page(422, report=result)
    uploads.drop_sheet(current_user.id)
    counts = result.counts
    flash(_("已导入：新增 %(new)s 个，更新 %(update)s 个，未变 %(same)s 个。", **counts), "success")
    return redirect(url_for("catalog.supplier_products"))


@bp.post("/supplier/products/bulk/photos")
@roles_required("supplier_staff")
def bulk_photos():
    form = BulkPhotosForm()
    done, result = run_form(form, lambda: bulk.add_photos_by_code(
        current_user, request.files.getlist("photos")))
    if not done:
        return _page(result, photos_form=form)
    return _page(photo_results=result)

