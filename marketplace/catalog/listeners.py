"""The catalog's search follows the names it shows: suppliers and regions renamed below it."""
from marketplace.accounts.signals import organization_renamed
from marketplace.catalog.services import reindex_region, reindex_supplier
from marketplace.regions.signals import region_renamed


@organization_renamed.connect
def _reindex_renamed_supplier(org, **_):
    if org.kind == "supplier":
        reindex_supplier(org)  # search finds its products under the new name


@region_renamed.connect
def _reindex_renamed_region(code, **_):
    reindex_region(code)
