"""万企兴万村: enterprises paired with administrative villages, the village board, progress.

The catalog ranks an enterprise's paired cooperatives first when it shops: this domain fills the
catalog's extension point (catalog.preferences) instead of the catalog importing it.
"""
from flask_babel import lazy_gettext as _l

from marketplace.catalog import preferences
from marketplace.pairings.services import current_pairings_of, is_enterprise_buyer


def paired_suppliers(user):
    """The suppliers of the user's enterprise's active pairings this year."""
    if not is_enterprise_buyer(user):
        return ()
    return {s for pairing in current_pairings_of(user.organization_id)
            for s in pairing.supplier_ids}


preferences.add_source(paired_suppliers, _l("结对村合作社"))
