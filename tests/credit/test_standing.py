"""The standing kept on the supplier's organisation: what the catalog shows, kept fresh."""
from marketplace.credit import services
from tests.credit.helpers import trade


def test_a_change_of_tier_empties_the_visitors_kept_catalog_pages(app, client, db):
    """Points move with a plain UPDATE, which the ORM does not see; the catalog is told all
    the same when the tier (badge, rank) changes."""
    world = trade()
    services.correct(world.admin, world.supplier, 25, "迁移原平台记录")
    db.session.commit()
    app.config.update(PUBLIC_PAGE_CACHE_SECONDS=60, CATALOG_LIST_CACHE_SECONDS=60)
    try:
        url = f"/stores/{world.supplier.id}"
        assert "银卡" in client.get(url).get_data(as_text=True)
        assert client.get(url).headers.get("X-Page-Cache") == "hit"
        services.correct(world.admin, world.supplier, 30, "补录线下履约")  # 55: gold
        db.session.commit()
        page = client.get(url)
        assert page.headers.get("X-Page-Cache") != "hit" and "金卡" in page.get_data(as_text=True)
    finally:
        app.config.update(PUBLIC_PAGE_CACHE_SECONDS=0, CATALOG_LIST_CACHE_SECONDS=0)
