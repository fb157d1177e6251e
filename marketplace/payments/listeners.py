"""How payments react to orders (connected when the application is built): terms are set when
an order is placed, and acceptance settles, completes or asks for a refund."""
from marketplace.ordering import signals
from marketplace.payments.services.owed import on_order_accepted
from marketplace.payments.services.terms import assign_terms


@signals.order_placed.connect
def _terms_when_placed(order, **_):
    assign_terms(order)


@signals.order_accepted.connect
def _money_when_accepted(order, actor=None, **_):
    on_order_accepted(order, actor)
