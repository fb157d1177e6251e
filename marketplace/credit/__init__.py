"""Suppliers' credit (积分): points from the trade record, a tier, and the statement's facts.

Importing the package connects its listeners to the ordering and catalog signals (the factory
imports every domain), so points follow the marketplace without those domains knowing credit.
"""
from marketplace.credit import listeners  # noqa: F401
