"""The ordering demo seed runs through the services and leaves orders in several states."""
from marketplace.ordering import demo
from marketplace.ordering.models import Order
from tests import factories


def test_demo_seed_makes_orders_in_several_states(db):
    unit = factories.org("budget_unit", approval_threshold_fen=2_000_000)
    union = factories.org("union", budget_unit=unit)
    supplier, other_supplier = factories.org("supplier"), factories.org("supplier")
    staff = factories.user("supplier_staff", organization=supplier)
    factories.user("supplier_staff", organization=other_supplier)
    products = [factories.product(supplier=supplier, price_fen=1000 + n, stock=100)
                for n in range(3)]
    products.append(factories.product(supplier=other_supplier, price_fen=300000, stock=50))
    ctx = {"users": {"purchaser": factories.user("purchaser", organization=unit),
                     "unit_manager": factories.user("unit_manager", organization=unit),
                     "union_purchaser": factories.user("purchaser", organization=union),
                     "supplier_staff": staff},
           "products": products}
    demo.seed(ctx)
    statuses = {order.status for order in Order.query}
    assert {"placed", "confirmed", "shipped", "accepted", "cancelled",
            "pending_approval"} <= statuses
    assert any(line.accepted_quantity is not None and line.accepted_quantity < line.quantity
               for order in Order.query for line in order.lines)
