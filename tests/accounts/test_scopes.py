"""One rule for the units a user may see: pages, reports and the API answer alike."""
import pytest

from marketplace.accounts import scopes
from marketplace.errors import PermissionDenied
from tests import factories
from tests.helpers import bearer, login

YEAR = 2026


@pytest.fixture
def tree(db):
    """Lhasa's department with a school below it, Nyingchi's school, a Beijing school; an audit
    office for Lhasa (5401) and one for all of Tibet (54)."""
    department = factories.org("budget_unit", name="拉萨市教育局", region_code="540100")
    school = factories.org("budget_unit", name="拉萨一中", region_code="540102", parent=department)
    nyingchi = factories.org("budget_unit", name="林芝一中", region_code="540402")
    beijing = factories.org("budget_unit", name="北京某校", region_code="110108")
    union = factories.org("union", name="拉萨一中工会", region_code="540102", budget_unit=school)
    lhasa_office = factories.org("audit_office", name="拉萨市审计局", region_code="540100")
    tibet_office = factories.org("audit_office", name="自治区审计厅", region_code="540000")
    users = {
        "admin": factories.user("admin"),
        "lhasa_auditor": factories.user("auditor", organization=lhasa_office),
        "tibet_auditor": factories.user("auditor", organization=tibet_office),
        "department_manager": factories.user("unit_manager", organization=department),
        "school_manager": factories.user("unit_manager", organization=school),
        "school_purchaser": factories.user("purchaser", organization=school),
        "union_purchaser": factories.user("purchaser", organization=union),
        "supplier": factories.user("supplier_staff"),
    }
    db.session.commit()
    units = {"department": department, "school": school, "nyingchi": nyingchi,
             "beijing": beijing}
    return units, users


EXPECTED = {
    "admin": {"department", "school", "nyingchi", "beijing"},
    "lhasa_auditor": {"department", "school"},
    "tibet_auditor": {"department", "school", "nyingchi"},
    "department_manager": {"department", "school"},
    "school_manager": {"school"},
    "school_purchaser": {"school"},
    "union_purchaser": {"school"},
    "supplier": set(),
}


def test_the_query_and_the_check_agree_for_every_role(tree):
    units, users = tree
    for who, user in users.items():
        listed = {unit.id for unit in scopes.visible_units(user)}
        expected = {units[name].id for name in EXPECTED[who]}
        assert listed & {u.id for u in units.values()} == expected, who
        for name, unit in units.items():
            assert scopes.can_see_unit(user, unit) is (name in EXPECTED[who]), (who, name)


def test_a_region_wider_than_the_jurisdiction_is_narrowed_and_another_refused(tree):
    _, users = tree
    auditor = users["lhasa_auditor"]
    assert scopes.narrow_region(auditor, "54") == "5401"
    assert scopes.narrow_region(auditor, "540102") == "540102"
    with pytest.raises(PermissionDenied):
        scopes.narrow_region(auditor, "5404")
    assert scopes.narrow_region(users["admin"], "5404") == "5404"


def _names_on_overview(client, query):
    response = client.get(f"/quota/overview?year={YEAR}&{query}")
    return response.status_code, response.get_data(as_text=True)


def test_pages_api_and_reports_treat_a_wide_region_the_same(client, tree):
    """The Lhasa auditor asks for all of Tibet: every channel gives Lhasa's units only."""
    units, users = tree
    auditor = users["lhasa_auditor"]
    headers = bearer(auditor)
    api = client.get(f"/api/v1/quota/{YEAR}/units?region=540000", headers=headers)
    assert api.status_code == 200
    assert {row["unit_name"] for row in api.get_json()["items"]} == {"拉萨市教育局", "拉萨一中"}
    report = client.get(f"/api/v1/quota/{YEAR}/report.csv?region=540000&header=keys",
                        headers=headers)
    assert report.status_code == 200
    text = report.data.decode("utf-8-sig")
    assert "拉萨一中" in text and "林芝一中" not in text
    login(client, auditor)
    status, body = _names_on_overview(client, "region=540000")
    assert status == 200
    assert "拉萨一中" in body and "林芝一中" not in body and "北京某校" not in body


def refused_everywhere(client, user, api_urls, page_urls):
    """Each URL answers 403: the API ones to the user's token, the pages once signed in."""
    headers = bearer(user)
    for url in api_urls:
        assert client.get(url, headers=headers).status_code == 403, url
    login(client, user)
    for url in page_urls:
        assert client.get(url).status_code == 403, url


def test_pages_api_and_reports_refuse_a_region_outside_the_jurisdiction(client, tree):
    _, users = tree
    refused_everywhere(client, users["lhasa_auditor"],
                       [f"/api/v1/quota/{YEAR}/units?region=540400",
                        f"/api/v1/quota/{YEAR}/report.csv?region=540400"],
                       [f"/quota/overview?year={YEAR}&region=540400",
                        f"/reports/quota/{YEAR}.csv?region=540400"])


def test_a_unit_outside_the_scope_is_refused_on_pages_and_api(client, tree):
    units, users = tree
    department = units["department"].id
    refused_everywhere(client, users["school_manager"],
                       [f"/api/v1/quota/filings/{department}/{YEAR}",
                        f"/api/v1/quota/{YEAR}/units/{department}/lines",
                        f"/api/v1/quota/{YEAR}/units?parent_id={department}"],
                       [f"/quota/units/{department}"])
    assert client.get(f"/quota/units/{units['school'].id}").status_code == 200


def test_auth_module_no_longer_answers_scope_questions():
    from marketplace.accounts import auth

    for name in ("can_see_unit", "visible_units_query", "in_jurisdiction", "buyer_unit_of"):
        assert not hasattr(auth, name), name
