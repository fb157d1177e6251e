"""Connection settings the app gives each database, and how PostgreSQL plans its queries."""
import pytest

from marketplace import create_app
from marketplace.catalog.services.browsing import ProductFilters, product_query


def _plan_mode(db):
    return db.session.execute(db.text("SHOW plan_cache_mode")).scalar()


@pytest.mark.postgres_only
def test_postgresql_plans_each_catalog_list_for_its_own_values(app, db, backend):
    # A lookup by id may keep one plan (planning a joined lookup costs more than running it).
    assert _plan_mode(db) == "auto"
    # A generic plan reused for every category and region picks the wrong index for most.
    product_query(ProductFilters(category_id=1, region="540000")).count()
    assert _plan_mode(db) == "force_custom_plan"
    db.session.rollback()  # only for the transaction that listed products
    assert _plan_mode(db) == "auto"


def test_the_pool_settings_hold_and_are_not_shared_between_apps():
    url = "postgresql://user@127.0.0.1:1/none"
    first = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    options = first.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    assert "pool_pre_ping" not in second.config["SQLALCHEMY_ENGINE_OPTIONS"]
