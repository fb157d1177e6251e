"""What happens in the catalog, for other domains to react to without the catalog knowing them.

Sent by the catalog services after the change is flushed, with `actor=` the user who acted:
`review_posted` (sender: the Review), `product_taken_down` (sender: the Product; `reason=` the
admin's reason), `product_restored` (sender: the Product).

`delivery_asked` is a question rather than news: sent before a review with the product's id as
sender, `organization_id=` the reviewer's organisation and `statuses=` the order statuses that
count as received; a receiver (the ordering domain) answers True when that organisation received
the product. No receiver, or none answering True, means no review.
"""
from blinker import Namespace

_signals = Namespace()

review_posted = _signals.signal("review-posted")
product_taken_down = _signals.signal("product-taken-down")
product_restored = _signals.signal("product-restored")
delivery_asked = _signals.signal("delivery-asked")
