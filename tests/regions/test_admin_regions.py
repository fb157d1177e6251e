"""Admin pages of the region registry."""
from marketplace.regions.models import Region


def test_region_tree_shows_tibet_and_its_prefectures(client, db, login_as):
    login_as("admin")
    body = client.get("/admin/regions/").get_data(as_text=True)
    assert "西藏自治区" in body and "林芝市" in body and "巴宜区" in body


def test_admin_creates_a_county_and_flags_it_aided(client, db, login_as, post_form):
    login_as("admin")
    response = post_form("/admin/regions/new", {"code": "540499", "name": "测试县",
                                                "parent_code": "540400", "aided": "y"})
    assert response.status_code == 302
    region = db.session.get(Region, "540499")
    assert region.aided and region.level == 3 and region.parent_code == "540400"


def test_admin_edits_name_and_aided_flag_keeping_the_code_and_parent(client, db, login_as,
                                                                      post_form):
    login_as("admin")
    response = post_form("/admin/regions/540402", {"code": "999999", "name": "巴宜区（新）",
                                                   "parent_code": "540400"})
    assert response.status_code == 302
    db.session.expire_all()
    region = db.session.get(Region, "540402")
    assert region.name == "巴宜区（新）" and region.aided is False
    assert region.parent_code == "540400"
    assert db.session.get(Region, "999999") is None


def test_a_code_outside_its_parent_is_refused(client, db, login_as, post_form):
    login_as("admin")
    response = post_form("/admin/regions/new", {"code": "110199", "name": "错地区",
                                                "parent_code": "540400"})
    assert response.status_code == 422
    assert db.session.get(Region, "110199") is None


def test_malformed_code_is_refused(client, db, login_as, post_form):
    login_as("admin")
    assert post_form("/admin/regions/new", {"code": "54a", "name": "x"}).status_code == 422


def test_unknown_region_is_404(client, db, login_as):
    login_as("admin")
    assert client.get("/admin/regions/000001").status_code == 404
