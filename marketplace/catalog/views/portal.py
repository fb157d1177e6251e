"""Supplier portal: my products (new, edit, pause, resume, archive) and my certifications."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.catalog import services
from marketplace.catalog.forms import CertificationForm, ProductForm, choices
from marketplace.catalog.views import CATALOG_FIELDS, bp
from marketplace.errors import NotFound
from marketplace.forms import ActionForm
from marketplace.i18n import translate as _
from marketplace.money import fen_str
from marketplace.regions.models import Region
from marketplace.web import run_button, run_form

nav.add("catalog.supplier_products", _l("我的商品"), roles=("supplier_staff",), order=20)
nav.add("catalog.supplier_certifications", _l("产地认证"), roles=("supplier_staff",), order=21)

STATUS_NAMES = {"active": _l("在售"), "paused": lazy_pgettext("product", "已暂停"), "archived": _l("已归档"),
                "taken_down": _l("已被平台下架"), "pending": _l("待审核"), "approved": _l("已认证"),
                "rejected": _l("已驳回"), "suspended": _l("已暂停")}


@bp.app_context_processor
def status_names():
    return {"status_names": STATUS_NAMES}


def _own_product(product_id):
    product = services.get_product(product_id)
    if product.supplier_id != current_user.organization_id:
        raise NotFound(_("商品不存在。"))
    return product


def _category_choices():
    options = [("", _("请选择"))]
    for top, children in services.category_tree():
        options.extend((str(child.id), f"{top.name} / {child.name}") for child in children)
    return options


def _product_form(product=None):
    form = ProductForm(obj=None)
    form.category.choices = choices(_category_choices())
    counties = services.certified_counties(current_user.organization)
    origins = [("", _("请选择"))] + [
        (region.code, f"{region.parent.name if region.parent else ''} {region.name}")
        for region in counties]
    if product is not None and product.origin_region_code not in {r.code for r in counties}:
        # Its origin stays selectable (unchanged) even when the certification lapsed.
        origins.append((product.origin_region_code, product.origin.name))
    form.origin_region_code.choices = choices(origins)
    if product is not None and request.method == "GET":
        form.name.data = product.name
        form.category.data = str(product.category_id)
        form.spec.data = product.spec
        form.unit.data = product.unit
        form.price.data = fen_str(product.price_fen)
        form.stock.data = str(product.stock)
        form.min_order_qty.data = str(product.min_order_qty)
        form.origin_region_code.data = product.origin_region_code
        form.shelf_life.data = product.shelf_life
        form.storage.data = product.storage
        form.description.data = product.description
        form.labels.data = [label for label in (product.labels or "").split(",") if label]
    return form, counties


@bp.get("/supplier/products")
@roles_required("supplier_staff")
def supplier_products():
    show_archived = request.args.get("archived") == "1"
    products = services.products_of_supplier(current_user.organization, show_archived)
    return render_template("catalog/supplier_products.html", products=products,
                           references=services.reference_prices_for(products),
                           action_form=ActionForm(), show_archived=show_archived)


@bp.route("/supplier/products/new", methods=["GET", "POST"])
@roles_required("supplier_staff")
def new_product():
    form, counties = _product_form()
    done, result = run_form(form, lambda: services.create_product(
        current_user, form.service_data(), request.files.getlist("photos")), CATALOG_FIELDS)
    if done:
        flash(_("商品「%(name)s」已上架。", name=result.name), "success")
        return redirect(url_for("catalog.product_page", product_id=result.id))
    status = 422 if request.method == "POST" else 200
    return render_template("catalog/product_form.html", form=form, product=None,
                           counties=counties), status


@bp.route("/supplier/products/<int:product_id>/edit", methods=["GET", "POST"])
@roles_required("supplier_staff")
def edit_product(product_id):
    product = _own_product(product_id)
    form, counties = _product_form(product)
    done, status = run_form(form, lambda: services.update_product(
        current_user, product, form.service_data(), request.files.getlist("photos"),
        request.form.getlist("remove_photo")), CATALOG_FIELDS)
    if done:
        flash(_("已保存。"), "success")
        return redirect(url_for("catalog.supplier_products"))
    if status != 200:
        product = _own_product(product_id)  # read again after the rollback
    status = 422 if request.method == "POST" else 200
    return render_template("catalog/product_form.html", form=form, product=product,
                           counties=counties), status


def _status_action(product_id, service, message):
    product = _own_product(product_id)
    return run_button(ActionForm(), lambda: service(current_user, product),
                      url_for("catalog.supplier_products"), message % {"name": product.name})


@bp.post("/supplier/products/<int:product_id>/pause")
@roles_required("supplier_staff")
def pause_product(product_id):
    return _status_action(product_id, services.pause_product, _("「%(name)s」已暂停销售。"))


@bp.post("/supplier/products/<int:product_id>/resume")
@roles_required("supplier_staff")
def resume_product(product_id):
    return _status_action(product_id, services.resume_product, _("「%(name)s」已恢复销售。"))


@bp.post("/supplier/products/<int:product_id>/archive")
@roles_required("supplier_staff")
def archive_product(product_id):
    return _status_action(product_id, services.archive_product, _("「%(name)s」已归档。"))


@bp.route("/supplier/certifications", methods=["GET", "POST"])
@roles_required("supplier_staff")
def supplier_certifications():
    supplier = current_user.organization
    form = CertificationForm()
    counties = (Region.query.filter(Region.level == 3, Region.code.like("54%"))
                .order_by(Region.code).all())
    form.region_codes.choices = choices((r.code, f"{r.parent.name if r.parent else ''} {r.name}")
                                        for r in counties)
    done, status = run_form(form, lambda: services.apply_for_certification(
        current_user, form.region_codes.data, request.files.getlist("documents")),
        CATALOG_FIELDS)
    if done:
        flash(_("申请已提交，请等待平台审核。"), "success")
        return redirect(url_for("catalog.supplier_certifications"))
    status = 422 if request.method == "POST" else 200
    return render_template("catalog/supplier_certifications.html", form=form,
                           certifications=services.certifications_of(supplier),
                           documents=services.documents_of(supplier)), status
