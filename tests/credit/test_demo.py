"""The demo has suppliers in every tier, and every point comes from a demo event."""
from collections import Counter

from marketplace.accounts.models import Organization
from marketplace.credit import services
from marketplace.credit.models import CreditEvent
from marketplace.ordering.models import Order
from marketplace.timeutil import to_cst, utcnow


def test_the_demo_has_suppliers_in_every_tier_from_real_events(demo):
    suppliers = Organization.query.filter_by(kind="supplier").all()
    assert {supplier.credit_tier for supplier in suppliers} == \
        {"standard", "silver", "gold", "diamond"}
    # No typed numbers: no correction, and the ledger is exactly what the records give.
    assert CreditEvent.query.filter_by(reason="correction").count() == 0
    for supplier in suppliers:
        assert supplier.credit_points == services.ledger_points(supplier.id)
        check = services.recompute_supplier(supplier.id, apply=False)
        assert not check.differs, (supplier.name, check)
    reasons = Counter(event.reason for event in CreditEvent.query)
    assert set(reasons) == {"accepted_in_full", "accepted_with_refusal", "cancelled_by_supplier",
                            "shipped_late", "good_review", "poor_review", "taken_down"}
    # The demo login supplier@demo.cn has a record worth showing, with a year of sales.
    main = Organization.query.filter_by(name="林芝市巴宜区鲁朗松茸种植专业合作社").one()
    assert main.credit_tier == "gold"
    months = services.monthly_sales(main.id)
    assert sum(1 for month in months if month.amount_fen) >= 10
    # Every event is dated like what it comes from, over the last year.
    oldest = min(event.at for event in CreditEvent.query)
    assert (utcnow() - oldest).days > 300
    for order in Order.query.filter(Order.accepted_at.isnot(None)):
        assert order.number.startswith(to_cst(order.created_at).strftime("%y%m"))
        if (utcnow() - order.accepted_at).days > 30:
            assert order.status == "completed"  # the year of trade was paid, nothing overdue
