"""Admin catalog console: certification queue, categories, reference prices, take-downs."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.catalog import services
from marketplace.catalog.forms import (
    SYNONYM_KIND_NAMES,
    CategoryForm,
    ProductReferenceForm,
    ReferencePriceForm,
    SynonymForm,
    choices,
)
from marketplace.catalog.models import Category, ReferencePrice
from marketplace.catalog.services import ProductFilters
from marketplace.catalog.views import CATALOG_FIELDS, bp
from marketplace.database import get_or_not_found
from marketplace.errors import NotFound
from marketplace.forms import ActionForm, ReasonForm
from marketplace.i18n import translate as _
from marketplace.inputs import int_arg
from marketplace.web import back_url, run_button, run_form

nav.add("catalog.admin_certifications", _l("认证审核"), roles=("admin",), order=30)
nav.add("catalog.admin_products", _l("商品管理"), roles=("admin",), order=31)


@bp.get("/admin/catalog/certifications")
@roles_required("admin")
def admin_certifications():
    status = request.args.get("status", "pending")
    if status not in ("pending", "approved", "rejected", "suspended", ""):
        status = "pending"
    queue = services.certification_queue(status or None)
    documents = {cert.supplier_id: services.documents_of(cert.supplier) for cert in queue}
    return render_template("catalog/admin_certifications.html", queue=queue, status=status,
                           documents=documents, reason_form=ReasonForm(), action_form=ActionForm())


@bp.post("/admin/catalog/certifications/<int:cert_id>/<action>")
@roles_required("admin")
def decide_certification(cert_id, action):
    cert = services.get_certification(cert_id)
    back = url_for("catalog.admin_certifications", status=request.args.get("status"))
    if action == "approve":
        return run_button(ActionForm(), lambda: services.approve_certification(current_user, cert),
                          back, _("已批准 %(supplier)s 在 %(county)s 的认证。",
                                  supplier=cert.supplier.name, county=cert.region.name))
    if action in ("reject", "suspend"):
        form = ReasonForm()
        service = services.reject_certification if action == "reject" \
            else services.suspend_certification
        return run_button(form, lambda: service(current_user, cert, form.reason.data), back,
                          _("已处理。"))
    raise NotFound(_("页面不存在。"))


@bp.route("/admin/catalog/categories", methods=["GET", "POST"])
@roles_required("admin")
def admin_categories():
    tree = services.category_tree()
    form = CategoryForm()
    form.parent_id.choices = choices([("", _("（一级品类）"))] + [
        (str(top.id), top.name) for top, _children in tree])
    done, status = run_form(form, lambda: services.save_category(  # a duplicate name: 409
        current_user, form.name.data, form.parent_id.data, form.name_en.data,
        form.sort_order.data), CATALOG_FIELDS)
    if done:
        flash(_("品类已保存。"), "success")
        return redirect(url_for("catalog.admin_categories"))
    return render_template("catalog/admin_categories.html", tree=tree, form=form), status


@bp.post("/admin/catalog/categories/<int:category_id>")
@roles_required("admin")
def rename_category(category_id):
    form = CategoryForm()
    form.parent_id.choices = choices([("", "")])
    category = get_or_not_found(Category, category_id, _("品类不存在。"))
    return _button(form, lambda: services.save_category(
        current_user, form.name.data, category.parent_id, form.name_en.data,
        category.sort_order, category=category), "catalog.admin_categories", _("品类已保存。"))


@bp.route("/admin/catalog/reference-prices", methods=["GET", "POST"])
@roles_required("admin")
def admin_reference_prices():
    form = ReferencePriceForm()
    form.category.choices = choices([("", _("请选择"))] + [
        (str(child.id), f"{top.name} / {child.name}")
        for top, children in services.category_tree() for child in children])
    done, status = run_form(form, lambda: services.set_reference_price(
        current_user, form.category.data, form.unit.data, form.price.data, form.note.data),
        CATALOG_FIELDS)
    if done:
        flash(_("参考价已保存。"), "success")
        return redirect(url_for("catalog.admin_reference_prices"))
    return render_template("catalog/admin_reference_prices.html", form=form,
                           prices=services.reference_prices(), action_form=ActionForm()), status


@bp.post("/admin/catalog/reference-prices/<int:ref_id>/delete")
@roles_required("admin")
def delete_reference_price(ref_id):
    ref = get_or_not_found(ReferencePrice, ref_id, _("参考价不存在。"))
    return _button(ActionForm(), lambda: services.delete_reference_price(current_user, ref),
                   "catalog.admin_reference_prices", _("参考价已删除。"))


@bp.route("/admin/catalog/synonyms", methods=["GET", "POST"])
@roles_required("admin")
def admin_synonyms():
    form = SynonymForm()
    done, status = run_form(form, lambda: services.add_synonym(
        current_user, form.word.data, form.other.data, form.kind.data), CATALOG_FIELDS)
    if done:
        flash(_("同义词已保存，搜索即时生效。"), "success")
        return redirect(url_for("catalog.admin_synonyms"))
    return render_template("catalog/admin_synonyms.html", form=form, kinds=SYNONYM_KIND_NAMES,
                           synonyms=services.synonyms(), action_form=ActionForm()), status


@bp.post("/admin/catalog/synonyms/<int:synonym_id>/delete")
@roles_required("admin")
def delete_synonym(synonym_id):
    synonym = services.get_synonym(synonym_id)
    return _button(ActionForm(), lambda: services.delete_synonym(current_user, synonym),
                   "catalog.admin_synonyms",
                   _("同义词「%(a)s」和「%(b)s」已删除。", a=synonym.word, b=synonym.other))


@bp.get("/admin/catalog/products")
@roles_required("admin")
def admin_products():
    flagged_only = request.args.get("flagged") == "1"
    if flagged_only:
        products, references = services.flagged_products()
        result = None
    else:
        filters = ProductFilters(q=(request.args.get("q") or "")[:100], sort="newest")
        result = services.list_products(filters, page=int_arg("page", 1), per_page=50,
                                        visible_only=False)
        products, references = result.items, result.references
    return render_template("catalog/admin_products.html", products=products, result=result,
                           references=references, flagged_only=flagged_only,
                           reason_form=ReasonForm(), reference_form=ProductReferenceForm(),
                           action_form=ActionForm())


@bp.post("/admin/catalog/products/<int:product_id>/take-down")
@roles_required("admin")
def take_down(product_id):
    return _on_product(product_id, ReasonForm(), lambda product, form: services.take_down_product(
        current_user, product, form.reason.data), lambda product: _("「%(name)s」已下架。",
                                                                   name=product.name))


@bp.post("/admin/catalog/products/<int:product_id>/restore")
@roles_required("admin")
def restore(product_id):
    return _on_product(product_id, ActionForm(), lambda product, _form: services.restore_product(
        current_user, product), lambda product: _("「%(name)s」已恢复（暂停状态，由供应商重新上架）。",
                                                  name=product.name))


@bp.post("/admin/catalog/products/<int:product_id>/reference-price")
@roles_required("admin")
def product_reference_price(product_id):
    return _on_product(product_id, ProductReferenceForm(), lambda product, form: (
        services.set_product_reference_price(current_user, product, form.reference_price.data)),
        lambda _product: _("参考价已保存。"))


def _on_product(product_id, form, act, message):
    """A button on one product of the listings console: `act(product, form)`; done,
    `message(product)` is flashed; then back to where the admin was."""
    product = services.get_product(product_id)
    return run_button(form, lambda: act(product, form), _back(), message(product))


def _button(form, action, endpoint, message):
    """A console button: done, to the console page `endpoint`; refused, back where it was."""
    return run_button(form, action, back_url(url_for(endpoint)), message, then=url_for(endpoint))


def _back():
    """The page the admin came from when it is on this site, else the listings console."""
    return back_url(url_for("catalog.admin_products"))
