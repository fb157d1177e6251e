"""The supplier's workbench: its start page, with what waits for it across ordering and
payments. It lives here, above ordering, so it reads both domains' services without a second
rule of what "waiting" means."""
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import nav
from marketplace.accounts.auth import roles_required
from marketplace.ordering import services as ordering
from marketplace.payments import services
from marketplace.payments.services import aftersales
from marketplace.payments.views import bp

LISTED = 20  # per list; the full queues are one link away

nav.add("payments.workbench", _l("工作台"), roles=("supplier_staff",), order=19)
nav.set_start("supplier_staff", "payments.workbench")


@bp.get("/supplier/workbench")
@roles_required("supplier_staff")
def workbench():
    """Orders to confirm and to ship, bank transfers to confirm, refunds due, after-sales
    cases to answer."""
    supplier_id = current_user.organization_id
    return render_template(
        "payments/workbench.html",
        counts=ordering.queue_counts(current_user),
        to_confirm=ordering.supplier_queue(current_user, "new").limit(LISTED).all(),
        to_ship=ordering.supplier_queue(current_user, "to_ship").limit(LISTED).all(),
        transfers=services.transfers_to_confirm(supplier_id),
        refunds=services.orders_owing_refunds(supplier_id),
        after_sales=aftersales.waiting_cases(current_user).limit(LISTED).all())
