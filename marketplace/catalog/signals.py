"""What happens in the catalog, for other domains to react to without the catalog knowing them.

Sent by the catalog services after the change is flushed, with `actor=` the user who acted:
`review_posted` (sender: the Review), `product_taken_down` (sender: the Product; `reason=` the
admin's reason), `product_restored` (sender: the Product).

`deliveries_asked` is a question rather than news: sent with an organisation's id as sender and
`statuses=` the order statuses that count as received; a receiver (the ordering domain) answers
with the ids of the products that organisation received. No receiver means nothing received,
so no review. The answer is kept (catalog/caching.py `kept_received`); whoever changes it calls
`caching.note_delivery`.
"""
from blinker import Namespace

_signals = Namespace()

review_posted = _signals.signal("review-posted")
product_taken_down = _signals.signal("product-taken-down")
product_restored = _signals.signal("product-restored")
deliveries_asked = _signals.signal("deliveries-asked")
