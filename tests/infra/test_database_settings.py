"""Connection settings the app gives each database."""
import pytest

from marketplace import create_app


@pytest.mark.postgres_only
def test_postgresql_plans_each_catalog_query_for_its_own_values(app, db, backend):
    # A generic plan reused for every category and region picks the wrong index for most.
    assert db.session.execute(db.text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"


def test_the_plan_setting_keeps_the_pool_settings_and_is_not_shared_between_apps():
    url = "postgresql://user@127.0.0.1:1/none"
    first = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    options = first.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True
    assert options["connect_args"]["options"] == "-c plan_cache_mode=force_custom_plan"
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    assert "options" not in second.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
