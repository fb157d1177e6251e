"""Sales statistics pages: a supplier's accepted sales, a buyer organisation's spend (by year).

Each role sees only its own organisation (a unit manager: its unit and the units below it): the
figures are looked up from the signed-in user's organisation, never by an id from the
request."""
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.reports import sales
from marketplace.reports.sales import BUYER_ROLES, SELLER_ROLES
from marketplace.reports.views import bp
from marketplace.timeutil import this_year

nav.add("reports.sales", _l("销售统计"), roles=SELLER_ROLES, order=62)
nav.add("reports.spend", _l("采购统计"), roles=BUYER_ROLES, order=62)


def _year():
    """(year, message): this year and a message when the chosen year is not one."""
    try:
        return sales.parse_year(request.args.get("year"), this_year()), None
    except sales.BadYear as bad:
        return this_year(), str(bad)


def _render(statistics, scope, seller):
    """The statistics page of the signed-in user's own organisations (`scope`); 400 with the
    message beside the year chooser when the year is not one."""
    year, year_error = _year()
    figures = statistics(scope, year)
    months = [(f"{index + 1}", fen) for index, fen in enumerate(figures["months"])]
    return render_template("reports/sales.html", figures=figures, months=months,
                           year_error=year_error, year_text=request.args.get("year", year),
                           seller=seller), 400 if year_error else 200


@bp.get("/sales", endpoint="sales")
@roles_required(*SELLER_ROLES)
def sales_page():
    return _render(sales.supplier_sales, current_user.organization_id, seller=True)


@bp.get("/spend")
@roles_required(*BUYER_ROLES)
def spend():
    return _render(sales.buyer_spend, sales.spend_scope(current_user), seller=False)
