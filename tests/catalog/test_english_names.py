"""English pages name categories and regions by their stored English names, and by the
Chinese ones where none is stored."""
from marketplace.regions.models import Region
from tests.catalog.helpers import leaf, listed


def _english_mushrooms(db):
    product = listed(name="林芝松茸", category=leaf("菌菇", "农产品").id)
    product.category.name_en = "Mushrooms"          # the top category keeps no English name
    db.session.commit()
    return product


def test_english_pages_use_the_stored_english_names(client, db):
    product = _english_mushrooms(db)
    client.get("/language/en")
    home = client.get("/").get_data(as_text=True)
    assert "Mushrooms" in home and "Nyingchi" in home and "农产品" in home
    assert "菌菇" not in home and "林芝市" not in home
    listing = client.get("/products").get_data(as_text=True)
    assert ">　Mushrooms</option>" in listing and ">　菌菇</option>" not in listing
    assert "Nyingchi</option>" in listing
    page = client.get(f"/products/{product.id}").get_data(as_text=True)
    assert "Mushrooms</a>" in page and "Nyingchi</a>" in page and "Bayi District</a>" in page
    assert "巴宜区" not in page
    origin = client.get("/origins/540400").get_data(as_text=True)
    assert "<h1>Nyingchi" in origin


def test_search_counts_are_named_in_each_readers_language(client, db):
    _english_mushrooms(db)
    chinese = client.get("/products?q=松茸").get_data(as_text=True)
    assert "菌菇 <small>" in chinese and "林芝市 <small>" in chinese
    client.get("/language/en")
    english = client.get("/products?q=松茸").get_data(as_text=True)
    assert "Mushrooms <small>" in english and "Nyingchi <small>" in english


def test_chinese_pages_keep_the_chinese_names(client, db):
    _english_mushrooms(db)
    home = client.get("/").get_data(as_text=True)
    assert "菌菇" in home and "林芝市" in home and "Mushrooms" not in home
    assert db.session.get(Region, "540400").name_en == "Nyingchi"
