"""Orders as the JSON API shows them."""
from marketplace.money import fen_str
from marketplace.timeutil import iso


def _day(value):
    return value.isoformat() if value else None


def line_json(line):
    """An order line; `amount` follows the accepted quantity once the order is accepted."""
    return {
        "id": line.id,
        "product_id": line.product_id,
        "product_name": line.product_name,
        "unit": line.unit,
        "quantity": line.quantity,
        "unit_price": fen_str(line.unit_price_fen),
        "origin_region_code": line.origin_region_code,
        "origin_aided": line.origin_aided,
        "accepted_quantity": line.accepted_quantity,
        "amount": fen_str(line.value_fen),
        "refunded_amount": fen_str(line.refunded_fen or 0),
    }


def order_json(order, figures):
    """The API's Order shape, with a few extra readable fields.

    :param figures: the payments domain's figures of the order (which sits above ordering):
        "due", what the buyer still owes for what it accepted (or ordered, before
        acceptance), and "refund_due", what was paid beyond the accepted value and not yet
        given back, in fen. Line `amount`s and `accepted_total` follow the accepted
        quantities once the order is accepted; `total` keeps what was ordered.
    """
    return {
        "id": order.id,
        "number": order.number,
        "status": order.status,
        "purpose": order.purpose,
        "buyer_organization_id": order.buyer_organization_id,
        "budget_unit_id": order.budget_unit_id,
        "checkout_id": order.checkout_id,
        "supplier_id": order.supplier_id,
        "total": fen_str(order.total_fen),
        "created_at": iso(order.created_at),
        "accepted_at": iso(order.accepted_at),
        "payment_status": order.payment_status,
        "paid_amount": fen_str(order.paid_fen or 0),
        "amount_due": fen_str(figures["due"]),
        "refund_due": fen_str(figures["refund_due"]),
        "accepted_total": fen_str(order.value_fen) if order.accepted_at else None,
        "payment_method": order.payment_method,
        "payment_terms": order.payment_terms,
        "due_date": _day(order.due_date),
        "delivery_address": order.delivery_address,
        "wished_delivery_date": _day(order.wished_delivery_date),
        "invoice_title": order.invoice_title,
        "invoice_tax_id": order.invoice_tax_id,
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "shipped_at": iso(order.shipped_at),
        "completed_at": iso(order.completed_at),
        "cancelled_at": iso(order.cancelled_at),
        "cancel_reason": order.cancel_reason,
        "lines": [line_json(line) for line in order.lines],
    }


def buy_again_json(result):
    """What buy again put in the cart (at today's prices) and what it left out, with why."""
    return {
        "added": [{"product_name": name, "quantity": quantity, "ordered_price": fen_str(then),
                   "price": fen_str(now), "repriced": then != now}
                  for name, quantity, then, now in result.added],
        "skipped": [{"product_name": name, "reason": why} for name, why in result.skipped]}


def frequent_json(item):
    """One product of the frequently bought list, at today's price."""
    product = item.product
    return {"product_id": product.id, "name": product.name, "unit": product.unit,
            "spec": product.spec, "price": fen_str(product.price_fen), "stock": product.stock,
            "min_order_qty": product.min_order_qty, "supplier_name": product.supplier.name,
            "orders": item.orders, "last_ordered_at": iso(item.last_ordered_at)}
