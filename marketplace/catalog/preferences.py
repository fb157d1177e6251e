"""Suppliers a signed-in buyer's product lists rank first: an extension point that higher domains
fill, so the catalog never imports them.

A domain registers a source, `source(user)` → the ids of suppliers to rank first for that user,
with the short label shown on their products' cards (e.g. the village pairing registers an
enterprise's paired cooperatives). Among the matches of a list or search in its default order,
those suppliers' products come first; an explicit sort (price, newest...) is left as asked.
"""
_SOURCES = []


def add_source(source, label):
    """Register `source(user)` → iterable of supplier ids, shown with `label` (a lazy string)."""
    if all(existing is not source for existing, _label in _SOURCES):
        _SOURCES.append((source, label))


def preferred_suppliers(user):
    """{supplier id: label} of the suppliers `user`'s lists rank first (empty for visitors)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    preferred = {}
    for source, label in _SOURCES:
        for supplier_id in source(user) or ():
            preferred.setdefault(supplier_id, label)
    return preferred
