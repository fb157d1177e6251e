"""Chinese search: two-character words over names, categories, suppliers and origins, indexed."""
import pytest
from sqlalchemy import text

from marketplace.catalog import services
from marketplace.catalog.services import ProductFilters
from tests.catalog.helpers import MEDOG, certified_staff, leaf, listed


def names(q, **filters):
    page = services.list_products(ProductFilters(q=q, **filters), per_page=50)
    return [product.name for product in page.items]


@pytest.fixture
def catalog(db):
    nyingchi = certified_staff(name="巴宜区绿源农牧合作社")
    medog = certified_staff(MEDOG, name="墨脱县雅鲁藏布合作社")
    listed(nyingchi, name="野生松茸", category=leaf("菌菇").id)
    listed(nyingchi, name="青稞挂面", category=leaf("米面", "粮油").id)
    listed(nyingchi, name="牦牛肉干", category=leaf("牛羊肉", "肉禽蛋").id)
    listed(medog, name="墨脱石锅", origin_region_code=MEDOG, category=leaf("厨具", "日用").id)
    listed(medog, name="松茸酱", origin_region_code=MEDOG,
           category=leaf("调味品", "粮油").id, description="松茸")
    return nyingchi, medog


WORDS = [("松茸", {"野生松茸", "松茸酱"}), ("青稞", {"青稞挂面"}), ("牦牛", {"牦牛肉干"}),
         ("石锅", {"墨脱石锅"}), ("松茸酱", {"松茸酱"}), ("songrong", {"野生松茸", "松茸酱"}),
         ("牛肉", {"牦牛肉干"}), ("青稞酒", set())]


def test_two_character_words_match_names(catalog):
    for q, expected in WORDS:
        assert set(names(q)) == expected, q


def test_origins_suppliers_and_categories_match(catalog):
    assert len(names("林芝")) == 5   # 墨脱县 lies in 林芝市 too
    assert set(names("巴宜")) == {"野生松茸", "青稞挂面", "牦牛肉干"}
    assert set(names("墨脱")) == {"墨脱石锅", "松茸酱"}
    assert set(names("绿源")) == {"野生松茸", "青稞挂面", "牦牛肉干"}
    assert set(names("粮油")) == {"青稞挂面", "松茸酱"}
    assert set(names("林芝 牦牛")) == {"牦牛肉干"}
    assert names("拉萨") == []


def test_name_matches_rank_before_origin_matches(catalog):
    # "墨脱" is in 墨脱石锅's name and only in 松茸酱's origin.
    assert names("墨脱")[0] == "墨脱石锅"


ODD = ["%", "_", "%%__", "'", '"', "' OR 1=1 --", "😀", "\\", "a" * 300, "松" * 500, "\x00",
       "<script>", "   ", "松茸%", "松_茸"]


def test_odd_queries_never_fail_and_match_nothing_by_accident(catalog):
    for q in ODD:
        page = services.list_products(ProductFilters(q=q))
        # "松_茸": the underscore only separates the characters 松 and 茸, both in 松茸 names.
        assert page.total == (2 if q.startswith("松") and len(q) < 10 else 0) \
            or q.strip() == "", q


def test_an_exact_name_then_listings_of_that_category_rank_first(catalog):
    staff, _ = catalog
    plain = listed(staff, name="青稞", category=leaf("米面", "粮油").id)
    black = listed(staff, name="黑青稞", category=leaf("青稞", "粮油").id)
    noodles = next(p for p in services.products_of_supplier(staff.organization)
                   if p.name == "青稞挂面")
    noodles.sales_count = 50          # the best seller, yet only named after the grain
    assert plain.sales_count == black.sales_count == 0
    assert names("青稞") == ["青稞", "黑青稞", "青稞挂面"]
    assert names("qingke")[0] == "黑青稞"     # pinyin is never an exact name


def test_supplier_name_matches_rank_after_name_matches(catalog):
    staff = certified_staff(name="鲁朗松茸合作社")
    listed(staff, name="察隅羊肚菌", category=leaf("羊肚菌").id)
    assert names("松茸")[-1] == "察隅羊肚菌" and len(names("松茸")) == 3


def test_a_single_character_matches_too(catalog):
    assert "青稞挂面" in names("稞")


def test_renaming_a_product_updates_what_finds_it(catalog):
    staff, _ = catalog
    product = next(p for p in services.products_of_supplier(staff.organization)
                   if p.name == "青稞挂面")
    services.update_product(staff, product, {"name": "糌粑"})
    assert names("青稞") == [] and names("糌粑") == ["糌粑"]


def test_paused_products_are_not_found(catalog):
    staff, _ = catalog
    product = next(p for p in services.products_of_supplier(staff.organization)
                   if p.name == "野生松茸")
    services.pause_product(staff, product)
    assert names("松茸") == ["松茸酱"]


@pytest.mark.postgres_only
def test_the_search_walks_the_gin_index_on_postgresql(catalog, db):
    from marketplace.catalog.models import ProductSearch
    from marketplace.catalog.search import read_query, sql as search_sql

    query = db.select(ProductSearch.product_id).where(search_sql.matches(read_query("林芝 松茸")))
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))
        plan = " ".join(row[0] for row in connection.execute(text("EXPLAIN " + sql)))
    assert "ix_product_search_terms" in plan and "Bitmap" in plan


def test_every_list_filter_has_an_index(db):
    from marketplace.catalog.models import Product, ProductSearch

    indexed = {tuple(column.name for column in index.columns)
               for index in Product.__table__.indexes}
    for columns in [("category_id",), ("supplier_id",), ("origin_region_code",),
                    ("status", "price_fen"), ("stock",), ("created_at",), ("sales_count",)]:
        assert columns in indexed, columns
    (gin,) = ProductSearch.__table__.indexes
    assert gin.dialect_options["postgresql"]["using"] == "gin"


def test_renaming_a_supplier_or_region_is_picked_up_after_a_reindex(catalog, db):
    nyingchi, _medog = catalog
    nyingchi.organization.name = "尼洋河合作社"
    services.reindex_supplier(nyingchi.organization)
    assert len(names("尼洋")) == 3 and names("绿源") == []
    from marketplace.regions.models import Region

    db.session.get(Region, MEDOG).name = "墨脱新县"
    services.reindex_region(MEDOG)
    assert set(names("新县")) == {"墨脱石锅", "松茸酱"}


def test_the_reindex_command_rebuilds_every_row_and_the_vocabulary(catalog, db, app):
    from marketplace.catalog.models import ProductSearch, SearchWord

    db.session.commit()
    db.session.execute(db.delete(ProductSearch))
    db.session.execute(db.delete(SearchWord))
    db.session.commit()
    assert names("松茸") == [] and names("songrong") == []
    result = app.test_cli_runner().invoke(args=["catalog", "reindex"])
    assert result.exit_code == 0 and "reindexed 5 products" in result.output
    assert set(names("松茸")) == {"野生松茸", "松茸酱"} == set(names("songrong"))
    assert ProductSearch.query.count() == 5
