"""The category tree over the API, and the one rule naming a product's category (API and pages)."""
import pytest

from marketplace.audit.models import AuditEntry
from marketplace.catalog import services
from marketplace.catalog.models import Category, Product
from tests import factories
from tests.catalog.helpers import NYINGCHI, certified_staff, leaf
from tests.helpers import assert_error, bearer

BODY = {"name": "林芝松茸", "unit": "斤", "price": "128.00", "stock": 50,
        "origin_region_code": NYINGCHI}


@pytest.fixture
def tree(db):
    """The standard tree, as `db upgrade` leaves it in a new database."""
    leaves = services.standard_leaves()
    db.session.commit()
    return leaves


def test_anyone_signed_in_reads_the_whole_tree_tops_before_their_leaves(client, tree):
    for role in ("purchaser", "supplier_staff", "auditor", "unit_manager", "admin"):
        response = client.get("/api/v1/categories", headers=bearer(factories.user(role)))
        assert response.status_code == 200
    items = response.get_json()["items"]
    assert len(items) == Category.query.count() == response.get_json()["total"]
    assert items[0] == {"id": items[0]["id"], "name": "粮油米面", "name_en": "Grain, oil & flour",
                        "parent_id": None, "sort_order": 0}
    seen = set()
    for item in items:  # every leaf comes after its parent
        assert item["parent_id"] is None or item["parent_id"] in seen
        seen.add(item["id"])
    matsutake = next(item for item in items if item["name"] == "松茸")
    assert matsutake["name_en"] == "Matsutake"
    assert client.get("/api/v1/categories").status_code == 401


def test_the_admin_adds_a_leaf_and_a_top_and_a_duplicate_is_409(client, tree, db):
    admin = factories.user("admin")
    headers = bearer(admin)
    mushrooms = tree["松茸"].parent
    response = client.post("/api/v1/categories", headers=headers,
                           json={"name": "竹荪", "parent_id": mushrooms.id, "name_en": "Bamboo fungus"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["parent_id"] == mushrooms.id and body["name_en"] == "Bamboo fungus"
    assert AuditEntry.query.filter_by(action="category.create", object_id=str(body["id"])).one()
    top = client.post("/api/v1/categories", headers=headers, json={"name": "农资"})
    assert top.status_code == 201 and top.get_json()["parent_id"] is None
    again = client.post("/api/v1/categories", headers=headers,
                        json={"name": "竹荪", "parent_id": mushrooms.id})
    assert_error(again, 409, "duplicate")["fields"] == {"name": "taken"}
    assert_error(client.post("/api/v1/categories", headers=headers, json={"name": "菌菇"}), 409)
    # The same name under another parent is another category.
    other = client.post("/api/v1/categories", headers=headers,
                        json={"name": "竹荪", "parent_id": tree["蜂蜜"].parent_id})
    assert other.status_code == 201
    assert Category.query.filter_by(name="竹荪").count() == 2


@pytest.mark.parametrize("body, field", [
    ({"name": ""}, "name"), ({"name": "x" * 61}, "name"), ({"parent_id": 1}, "name"),
    ({"name": "竹荪", "parent_id": 999999}, "parent_id"), ({"name": 5}, "name"),
    ({"name": "竹荪", "name_en": "x" * 81}, "name_en"),
    ({"name": "竹荪", "sort_order": 5000}, "sort_order"),
])
def test_bad_category_bodies_are_422_and_add_nothing(client, tree, body, field):
    count = Category.query.count()
    response = client.post("/api/v1/categories", headers=bearer(factories.user("admin")), json=body)
    assert field in assert_error(response, 422)["fields"]
    assert Category.query.count() == count


def test_a_leaf_cannot_be_a_parent(client, tree):
    response = client.post("/api/v1/categories", headers=bearer(factories.user("admin")),
                           json={"name": "特级松茸", "parent_id": tree["松茸"].id})
    assert assert_error(response, 422)["fields"] == {"parent_id": "invalid"}


@pytest.mark.parametrize("role", ["purchaser", "supplier_staff", "auditor", "unit_manager"])
def test_only_the_admin_adds_categories(client, tree, role):
    response = client.post("/api/v1/categories", headers=bearer(factories.user(role)),
                           json={"name": "竹荪"})
    assert_error(response, 403, "forbidden")
    assert Category.query.filter_by(name="竹荪").count() == 0


def test_a_product_names_its_leaf_by_name_or_id(client, tree, db):
    staff = certified_staff()
    db.session.commit()
    by_name = client.post("/api/v1/products", headers=bearer(staff),
                          json=dict(BODY, category="松茸"))
    assert by_name.status_code == 201
    assert by_name.get_json()["category_id"] == tree["松茸"].id
    by_id = client.post("/api/v1/products", headers=bearer(staff),
                        json=dict(BODY, name="察隅羊肚菌", category=tree["羊肚菌"].id))
    assert by_id.status_code == 201 and by_id.get_json()["category"] == "羊肚菌"
    moved = client.patch(f"/api/v1/products/{by_id.get_json()['id']}", headers=bearer(staff),
                         json={"category": str(tree["香菇"].id)})
    assert moved.status_code == 200 and moved.get_json()["category"] == "香菇"


def test_a_top_level_category_is_422_naming_its_leaves(client, tree, db):
    staff = certified_staff()
    db.session.commit()
    for value in ("菌菇", tree["松茸"].parent_id):
        response = client.post("/api/v1/products", headers=bearer(staff),
                               json=dict(BODY, category=value))
        error = assert_error(response, 422)
        assert error["fields"] == {"category": "top_level"}
        assert "菌菇" in error["message"]
        assert all(name in error["message"] for name in ("松茸", "羊肚菌", "香菇", "木耳"))
        assert "牦牛肉" not in error["message"]
    assert Product.query.count() == 0


def test_an_unknown_category_is_422_listing_the_leaves(client, tree, db):
    staff = certified_staff()
    db.session.commit()
    for value in ("没有的品类", 999999):
        response = client.post("/api/v1/products", headers=bearer(staff),
                               json=dict(BODY, category=value))
        error = assert_error(response, 422)
        assert error["fields"] == {"category": "unknown"}
        assert all(name in error["message"] for name in ("松茸", "牦牛肉", "酥油", "藏香"))
    assert Product.query.count() == 0


def test_an_ambiguous_name_is_422_and_the_id_decides(client, tree, db):
    staff = certified_staff()
    wild = leaf("松茸", top="山珍")
    db.session.commit()
    response = client.post("/api/v1/products", headers=bearer(staff),
                           json=dict(BODY, category="松茸"))
    error = assert_error(response, 422)
    assert error["fields"] == {"category": "ambiguous"}
    assert f"菌菇 › 松茸 (id {tree['松茸'].id})" in error["message"]
    assert f"山珍 › 松茸 (id {wild.id})" in error["message"]
    chosen = client.post("/api/v1/products", headers=bearer(staff),
                         json=dict(BODY, category=wild.id))
    assert chosen.status_code == 201 and chosen.get_json()["category_id"] == wild.id


def test_the_message_is_in_the_readers_language(client, tree, db):
    staff = certified_staff()
    db.session.commit()
    response = client.post("/api/v1/products", json=dict(BODY, category="菌菇"),
                           headers={**bearer(staff), "Accept-Language": "en"})
    assert "is a top-level category" in assert_error(response, 422)["message"]


def test_the_product_list_filters_by_a_top_or_a_leaf_name(client, tree, db):
    staff = certified_staff()
    db.session.commit()
    client.post("/api/v1/products", headers=bearer(staff), json=dict(BODY, category="松茸"))
    buyer = bearer(factories.user("purchaser"))
    for value in ("菌菇", "松茸", str(tree["松茸"].id)):
        listed = client.get("/api/v1/products", query_string={"category": value}, headers=buyer)
        assert listed.get_json()["total"] == 1, value
    assert client.get("/api/v1/products", query_string={"category": "羊肚菌"},
                      headers=buyer).get_json()["total"] == 0
    assert client.get("/api/v1/products", query_string={"category": "没有"},
                      headers=buyer).get_json()["total"] == 0


def test_the_product_page_offers_the_same_leaves(client, tree, login_as, post_form, db):
    staff = certified_staff()
    db.session.commit()
    login_as(staff)
    page = client.get("/supplier/products/new").get_data(as_text=True)
    assert "菌菇 / 松茸" in page and "特产工艺品 / 藏香" in page
    assert f'value="{tree["松茸"].parent_id}"' not in page  # a top-level one is no choice
    response = post_form("/supplier/products/new", {
        "name": "林芝松茸", "category": str(tree["松茸"].id), "unit": "斤", "price": "128.00",
        "stock": "50", "min_order_qty": "1", "origin_region_code": NYINGCHI})
    assert response.status_code == 302
    assert Product.query.one().category_id == tree["松茸"].id


def test_the_console_refuses_a_duplicate_name_next_to_the_field(client, tree, login_as, post_form):
    login_as("admin")
    response = post_form("/admin/catalog/categories", {
        "name": "松茸", "parent_id": str(tree["松茸"].parent_id), "sort_order": "0"})
    assert response.status_code == 409
    assert "下已有同名的品类" in response.get_data(as_text=True)
    assert Category.query.filter_by(name="松茸").count() == 1
