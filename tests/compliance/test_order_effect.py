"""What approving a checkout does to the unit's share: the quota's own figures before, the
checkout's counted lines after (compliance.services.order_effect, shown on the approvals card)."""
from datetime import timedelta
from decimal import Decimal

from marketplace.compliance import services
from marketplace.timeutil import this_year, utcnow
from tests import factories
from tests.compliance.helpers import BEIJING, filing, product, purchaser, unit
from tests.ordering.helpers import checkout


def test_the_share_before_and_after_approval_against_the_reserved_share(db):
    school = unit("拉萨某中学")
    school.approval_threshold_fen = 100
    filing(school, year=this_year(), budget_fen=100_000_000, ratio="0.10")
    buyer = purchaser(school)
    factories.accepted_order(buyer, [(product(price_fen=820_000), 10)],
                             at=utcnow() - timedelta(minutes=5))
    orders = checkout(buyer, [(product(price_fen=90_000), 10), (product(BEIJING, 50_000), 1)])
    assert {order.status for order in orders} == {"pending_approval"}
    effect = services.order_effect(orders)
    # ¥82,000 done of a ¥1,000,000 budget; the aided ¥9,000 counts, Beijing's ¥500 does not.
    assert effect["counted"] == 900_000
    assert effect["share_before"] == Decimal("0.0820")
    assert effect["share_after"] == Decimal("0.0910")
    assert effect["ratio"] == Decimal("0.10") and effect["reserved"] == 10_000_000
    assert effect["rate_before"] == Decimal("0.8200") and effect["rate_after"] == Decimal("0.9100")


def test_orders_bound_to_no_unit_have_no_effect(db):
    enterprise_buyer = factories.user("purchaser", organization=factories.org("enterprise"))
    orders = checkout(enterprise_buyer, [(product(), 1)], purpose="other")
    assert services.order_effect(orders) is None
