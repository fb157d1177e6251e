"""Ordering rules: the cart, checkout into one order per supplier, approvals and fulfilment.

Every function here flushes and never commits (one commit per request). Callers use the package
as one module (`from marketplace.ordering import services; services.place_orders(...)`); the
submodules group the rules:

- `common`: life-cycle tables, permission checks and notices shared by the others;
- `cart`, `addresses`: what a purchaser prepares before checking out;
- `stock`: atomic reservation and release of stock;
- `checkout`: `place_orders`, one order per supplier, once per checkout key;
- `invoice_request`: what an invoice request holds (asked at checkout or later);
- `lifecycle`: approval, confirmation, shipping, cancellation, completion (`record_transition`);
- `acceptance`: acceptance (验收) with partial quantities and a photo;
- `restock`: the supplier puts quantities refused at acceptance back in stock, once;
- `progress`: the progress stepper and whose turn it is;
- `queries`: who may read which order, listings, the supplier queue, pending approvals.
"""
from marketplace.ordering.services.acceptance import (accept_delivery, acceptance_note,
                                                      photo_folder, save_acceptance_photo)
from marketplace.ordering.services.addresses import (add_delivery_address, delivery_addresses,
                                                     format_address, get_delivery_address)
from marketplace.ordering.services.cart import (add_to_cart, cart_by_supplier, cart_count,
                                                cart_count_column, cart_items, remove_from_cart,
                                                update_cart_item)
from marketplace.ordering.services.checkout import (new_order_number, orders_for_checkout_key,
                                                    place_orders)
from marketplace.ordering.services.common import (BUYER_ROLES, CANCELLABLE, MAX_QUANTITY,
                                                  SETTLED_PAYMENT_STATUSES, STATUS_LABELS,
                                                  SUPPLIER_HIDDEN, TRANSITIONS, PaymentRequired,
                                                  approvers_of, approving_unit_id, status_label,
                                                  supplier_staff_of)
from marketplace.ordering.services.lifecycle import (approve_order, can_approve, cancel_order,
                                                     checkout_orders, complete_order,
                                                     confirm_order, may_ship, record_transition,
                                                     reject_order, ship_order)
from marketplace.ordering.services.progress import progress_steps, waiting_on
from marketplace.ordering.services.queries import (SUPPLIER_TABS, can_view, filter_orders,
                                                   get_order, pending_approvals,
                                                   pending_checkouts, queue_counts,
                                                   readable_order_ids, supplier_queue,
                                                   visible_condition, visible_orders)
from marketplace.ordering.services.frequent import Frequent, frequently_bought
from marketplace.ordering.services.invoice_request import check_invoice_request
from marketplace.ordering.services.reorder import BuyAgain, buy_again
from marketplace.ordering.services.restock import (can_restock, refused_quantities,
                                                   restock_refused, restocked_event)
from marketplace.ordering.services.seen_prices import PriceChanged, seen_prices_of

__all__ = [
    # cart and addresses
    "add_to_cart", "cart_by_supplier", "cart_count", "cart_count_column", "cart_items",
    "remove_from_cart", "update_cart_item",
    "add_delivery_address", "delivery_addresses", "format_address", "get_delivery_address",
    "BuyAgain", "buy_again", "Frequent", "frequently_bought",
    # checkout
    "new_order_number", "orders_for_checkout_key", "place_orders", "PriceChanged", "seen_prices_of",
    "check_invoice_request",
    # life cycle and acceptance
    "accept_delivery", "approve_order", "can_approve", "cancel_order", "checkout_orders",
    "complete_order", "confirm_order", "may_ship", "photo_folder", "record_transition",
    "acceptance_note", "reject_order", "save_acceptance_photo", "ship_order",
    "can_restock", "refused_quantities", "restock_refused", "restocked_event",
    # reading
    "can_view", "filter_orders", "get_order", "pending_approvals", "pending_checkouts",
    "queue_counts", "progress_steps", "waiting_on",
    "status_label", "supplier_queue", "visible_condition", "visible_orders", "readable_order_ids",
    "approvers_of", "approving_unit_id", "supplier_staff_of",
    # tables
    "BUYER_ROLES", "CANCELLABLE", "MAX_QUANTITY", "PaymentRequired", "SETTLED_PAYMENT_STATUSES",
    "STATUS_LABELS", "SUPPLIER_HIDDEN", "SUPPLIER_TABS", "TRANSITIONS",
]
