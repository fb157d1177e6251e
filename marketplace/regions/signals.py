"""What happens to the region registry, for higher domains to react to without regions
knowing them.

Sent by the regions services after the change is flushed: `region_renamed` (sender: the
region's code, a string), once per region whose Chinese or English name changed.
"""
from blinker import Namespace

_signals = Namespace()

region_renamed = _signals.signal("region-renamed")
