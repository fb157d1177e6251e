"""What happens to organisations, for higher domains to react to without accounts knowing them.

Sent by the accounts services after the change is flushed, with `actor=` the user who acted:
`organization_renamed` (sender: the Organization; `old_name=` its name before).
"""
from blinker import Namespace

_signals = Namespace()

organization_renamed = _signals.signal("organization-renamed")
