"""How payments react to orders (connected when the application is built): terms are set when
an order is placed, with the invoice asked at checkout, and acceptance settles, completes or
asks for a refund."""
from marketplace.ordering import signals
from marketplace.payments.services.invoices import invoice_asked_at_checkout
from marketplace.payments.services.owed import on_order_accepted
from marketplace.payments.services.terms import assign_terms


@signals.order_placed.connect
def _terms_when_placed(order, **_):
    assign_terms(order)
    invoice_asked_at_checkout(order)


@signals.order_accepted.connect
def _money_when_accepted(order, actor=None, **_):
    on_order_accepted(order, actor)
