"""The admin's search synonyms: kept on a page and through the API, used by the next search."""
import pytest

from marketplace.audit.models import AuditEntry
from marketplace.catalog import services
from marketplace.catalog.models import SearchSynonym
from marketplace.errors import Conflict, PermissionDenied, ValidationError
from tests import factories
from tests.catalog import relevance_set
from tests.catalog.helpers import certified_staff, leaf
from tests.helpers import assert_error, bearer


def names(q):
    return relevance_set.first_names(q, 10)


@pytest.fixture
def potatoes(db):
    staff = certified_staff()
    services.create_product(staff, {"name": "马铃薯", "category": leaf("蔬菜", "果蔬").id,
                                    "unit": "袋", "price": "30.00", "stock": "5",
                                    "origin_region_code": "540402"})
    db.session.commit()


def test_each_kind_of_synonym_finds_what_it_says(potatoes, db):
    admin = factories.user("admin")
    assert names("土豆") == []
    services.add_synonym(admin, "土豆", "马铃薯", "equal")
    assert names("土豆") == ["马铃薯"]
    services.add_synonym(admin, "洋芋", "马铃薯", "broader")
    assert names("洋芋") == ["马铃薯"]
    services.add_synonym(admin, "薯类", "马铃薯", "related")
    assert names("薯类") == ["马铃薯"]
    services.delete_synonym(admin, SearchSynonym.query.filter_by(word="土豆").one())
    assert names("土豆") == []


def test_synonyms_are_checked(db):
    admin = factories.user("admin")
    services.add_synonym(admin, "土豆", "马铃薯", "equal")
    with pytest.raises(Conflict):
        services.add_synonym(admin, "马铃薯", "土豆", "related")
    for word, other, kind in [("", "x", "equal"), ("土豆", "土豆", "equal"),
                              ("土 豆", "洋芋", "equal"), ("土豆", "洋芋", "same"),
                              ("土" * 21, "洋芋", "equal"), ("土豆", "<b>", "equal")]:
        with pytest.raises(ValidationError):
            services.add_synonym(admin, word, other, kind)
    with pytest.raises(PermissionDenied):
        services.add_synonym(factories.user("purchaser"), "番茄", "西红柿", "equal")
    assert AuditEntry.query.filter_by(action="search_synonym.create").count() == 1


def test_the_admin_keeps_synonyms_on_a_page(client, potatoes, login_as, post_form):
    login_as("admin")
    page = client.get("/admin/catalog/synonyms")
    assert page.status_code == 200 and "搜索同义词" in page.get_data(as_text=True)
    response = post_form("/admin/catalog/synonyms",
                         {"word": "土豆", "other": "马铃薯", "kind": "equal"})
    assert response.status_code == 302
    assert "马铃薯" in client.get("/products?q=土豆").get_data(as_text=True)
    again = post_form("/admin/catalog/synonyms", {"word": "马铃薯", "other": "土豆",
                                                  "kind": "equal"})
    assert again.status_code == 409 and "已是同义词" in again.get_data(as_text=True)
    bad = post_form("/admin/catalog/synonyms", {"word": "土豆", "other": "", "kind": "equal"})
    assert bad.status_code == 422
    synonym = SearchSynonym.query.one()
    assert post_form(f"/admin/catalog/synonyms/{synonym.id}/delete").status_code == 302
    assert SearchSynonym.query.count() == 0


def test_only_the_admin_reaches_the_synonyms_page(client, login_as):
    login_as("purchaser")
    assert client.get("/admin/catalog/synonyms").status_code in (302, 403)


def test_the_admin_keeps_synonyms_through_the_api(client, potatoes):
    admin = factories.user("admin")
    headers = bearer(admin)
    created = client.post("/api/v1/search/synonyms", headers=headers,
                          json={"word": "土豆", "other": "马铃薯", "kind": "equal"})
    assert created.status_code == 201 and created.get_json()["kind"] == "equal"
    listed = client.get("/api/v1/search/synonyms", headers=headers).get_json()
    assert listed["total"] == 1 and listed["items"][0]["word"] == "土豆"
    assert_error(client.post("/api/v1/search/synonyms", headers=headers,
                             json={"word": "马铃薯", "other": "土豆", "kind": "related"}), 409)
    assert_error(client.post("/api/v1/search/synonyms", headers=headers,
                             json={"word": "土豆", "other": "洋芋", "kind": "same"}), 422)
    buyer = factories.user("purchaser")
    assert_error(client.get("/api/v1/search/synonyms", headers=bearer(buyer)), 403)
    found = client.get("/api/v1/products?q=土豆", headers=bearer(buyer)).get_json()
    assert [item["name"] for item in found["items"]] == ["马铃薯"]
    synonym_id = created.get_json()["id"]
    assert client.delete(f"/api/v1/search/synonyms/{synonym_id}",
                         headers=headers).status_code == 204
    assert_error(client.delete(f"/api/v1/search/synonyms/{synonym_id}", headers=headers), 404)
