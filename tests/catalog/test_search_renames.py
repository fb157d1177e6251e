"""The search index follows renames made by the admin: a supplier, a region, a category."""
import pytest

from marketplace.regions import services as regions
from tests.catalog.helpers import NYINGCHI, certified_staff, leaf, listed


@pytest.fixture
def mushrooms(db):
    """野生松茸 of 绿源合作社, from 巴宜区 (林芝市), in 农产品 / 菌菇."""
    staff = certified_staff(name="绿源合作社")
    listed(staff, name="野生松茸", category=leaf("菌菇").id)
    db.session.commit()
    return staff.organization


def found(client, q):
    """Whether the product list for `q` shows the product."""
    response = client.get("/products", query_string={"q": q})
    assert response.status_code == 200
    return "野生松茸" in response.get_data(as_text=True)


def test_renaming_a_supplier_moves_its_products_to_the_new_name(client, mushrooms, login_as,
                                                                 post_form):
    assert found(client, "绿源") and not found(client, "尼洋")
    login_as("admin")
    response = post_form(f"/admin/organizations/{mushrooms.id}/edit",
                         {"name": "尼洋河合作社", "kind": "supplier", "region_code": NYINGCHI,
                          "parent_id": "0", "budget_unit_id": "0", "approval_threshold": ""})
    assert response.status_code == 302
    assert found(client, "尼洋") and not found(client, "绿源")


def test_renaming_a_region_moves_its_products_to_the_new_name(client, mushrooms, login_as,
                                                               post_form):
    assert found(client, "巴宜") and not found(client, "工布")
    login_as("admin")
    response = post_form(f"/admin/regions/{NYINGCHI}", {"code": NYINGCHI, "name": "工布区",
                                                         "parent_code": "540400"})
    assert response.status_code == 302
    assert found(client, "工布") and not found(client, "巴宜")
    assert found(client, "林芝")        # the prefecture above it still finds it


def test_renaming_a_prefecture_reaches_the_products_of_its_counties(client, mushrooms, login_as,
                                                                    post_form):
    login_as("admin")
    response = post_form("/admin/regions/540400", {"code": "540400", "name": "尼池市",
                                                   "parent_code": "540000"})
    assert response.status_code == 302
    assert found(client, "尼池") and not found(client, "林芝")


def test_reloading_the_region_registry_with_a_new_name_reindexes(client, db, mushrooms,
                                                                 tmp_path):
    registry = tmp_path / "regions.csv"
    registry.write_text("code,name,name_en,parent_code,level,aided\n"
                        f"{NYINGCHI},工布区,Kongpo,540400,3,1\n", encoding="utf-8")
    assert regions.load_csv(registry) == (0, 1)
    db.session.commit()
    assert found(client, "工布") and found(client, "kongpo") and not found(client, "巴宜")


def test_renaming_a_category_moves_its_products_to_the_new_name(client, db, mushrooms, login_as,
                                                                 post_form):
    assert found(client, "菌菇") and not found(client, "山珍")
    login_as("admin")
    response = post_form(f"/admin/catalog/categories/{leaf('菌菇').id}",
                         {"name": "山珍", "sort_order": "0"})
    assert response.status_code == 302
    assert found(client, "山珍") and not found(client, "菌菇")
