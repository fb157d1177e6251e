"""Region registry pages (admin): the tree, and a form to create or edit a region."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace.accounts.auth import roles_required

from marketplace.i18n import translate as _
from marketplace.regions import services
from marketplace.regions.forms import RegionForm
from marketplace.regions.models import Region
from marketplace.regions.names import region_name
from marketplace.regions.views import bp
from marketplace.web import run_form


@bp.get("/")
@roles_required("admin")
def admin_list():
    """Every region as a tree: provinces, their prefectures, their counties."""
    regions = Region.query.order_by(Region.code).all()
    children = {}
    for region in regions:
        children.setdefault(region.parent_code, []).append(region)
    return render_template("regions/list.html", children=children, roots=children.get(None, []),
                           count=len(regions))


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def new():
    form = RegionForm()
    if request.method == "GET" and request.args.get("parent_code"):
        form.parent_code.data = request.args["parent_code"]
    return _save(form, None)


@bp.route("/<code>", methods=["GET", "POST"])
@roles_required("admin")
def edit(code):
    region = services.get_region(code)
    form = RegionForm(obj=region)
    return _save(form, region)


def _save(form, region):
    if region is not None:
        form.code.data = region.code  # the code is the key: it cannot change
    done, result = run_form(form, lambda: services.save_region(
        current_user, form.code.data, form.name.data, parent_code=form.parent_code.data or None,
        aided=form.aided.data, name_en=form.name_en.data))
    if done:
        flash(_("地区 %(name)s 已保存。", name=result.name), "success")
        return redirect(url_for("regions.admin_list") + f"#r{result.code}")
    return render_template("regions/edit.html", form=form, region=region), result


@bp.app_template_filter("region_name")
def region_name_filter(code, chain=True):
    """Templates show regions by name: {{ line.origin_region_code | region_name }}."""
    return region_name(code, chain)
