"""What waits for the platform's admin, across the domains: the admin's start page lists it, each
queue with how many wait and a link to where it is decided."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Organization
from marketplace.catalog import services as catalog
from marketplace.catalog.models import SupplierCertification
from marketplace.compliance import services as compliance
from marketplace.extensions import db
from marketplace.pairings.models import Pairing
from marketplace.payments.services import aftersales


@dataclass(frozen=True)
class Queue:
    """One kind of decision waiting: `count` of them, decided at `endpoint` (with `args`)."""

    key: str
    label: object
    count: int
    endpoint: str
    args: dict


def _count(model, *conditions):
    return db.session.query(db.func.count(model.id)).filter(*conditions).scalar()


def queues_for(admin):
    """Every queue the admin decides, in the order they are usually worked through; empty
    queues too (a zero says there is nothing to do). Counted in the database: the rows are
    read on the pages the links open."""
    return [
        Queue("registrations", _l("待审核的注册"),
              _count(Organization, Organization.status == "pending"),
              "admin.organizations", {"status": "pending"}),
        Queue("certifications", _l("产地认证申请"),
              _count(SupplierCertification, SupplierCertification.status == "pending"),
              "catalog.admin_certifications", {"status": "pending"}),
        Queue("prices", _l("价格偏高的商品"), catalog.flagged_query().count(),
              "catalog.admin_products", {"flagged": "1"}),
        Queue("exceptions", _l("预留比例例外申请"), len(compliance.pending_exceptions(admin)),
              "compliance.exceptions", {}),
        Queue("after_sales", _l("待仲裁的售后"), aftersales.waiting_cases(admin).count(),
              "payments.after_sales", {}),
        Queue("pairings", _l("待审核的结对申请"), _count(Pairing, Pairing.status == "requested"),
              "pairings.index", {"status": "requested"}),
    ]
