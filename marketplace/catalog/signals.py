"""What happens in the catalog, for other domains to react to without the catalog knowing them.

Sent by the catalog services after the change is flushed, with `actor=` the user who acted:
`review_posted` (sender: the Review), `product_taken_down` (sender: the Product; `reason=` the
admin's reason), `product_restored` (sender: the Product).
"""
from blinker import Namespace

_signals = Namespace()

review_posted = _signals.signal("review-posted")
product_taken_down = _signals.signal("product-taken-down")
product_restored = _signals.signal("product-restored")
