"""What happens to an order, for other domains to react to without ordering knowing them.

Each signal is sent by the ordering services after the change is flushed, with the Order as
sender and `actor=` the user who acted (None for the system, e.g. a payment webhook).
"""
from blinker import Namespace

_signals = Namespace()

order_placed = _signals.signal("order-placed")
order_approved = _signals.signal("order-approved")
order_confirmed = _signals.signal("order-confirmed")
order_shipped = _signals.signal("order-shipped")
order_accepted = _signals.signal("order-accepted")
order_cancelled = _signals.signal("order-cancelled")
order_completed = _signals.signal("order-completed")
