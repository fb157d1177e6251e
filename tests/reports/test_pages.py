"""The reports pages: filters with charts and downloads, export history, navigation."""
import pytest

from marketplace.reports.models import ReportExport
from tests import factories
from tests.helpers import csrf_token, login
from tests.reports.helpers import YEAR, auditor_of, build_world, csv_sections


@pytest.fixture
def world(db):
    return build_world()


def test_the_auditor_sees_summary_charts_and_download_buttons(client, world):
    login(client, auditor_of(world.tibet_office))
    response = client.get(f"/reports/?year={YEAR}&parent_id={world.root.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('role="img"') == 2  # completion distribution and status counts
    assert 'data-testid="unit-count">3<' in page
    # Reserved over the subtree, in yuan as people write it; nothing of the API on the page.
    assert 'data-testid="total-reserved">13,000.00<' in page and "/api/v1" not in page
    assert f"/reports/quota/{YEAR}.pdf?parent_id={world.root.id}" in page
    # CSV and Excel are asked for with the page's filters; small ones download at once.
    assert f'<input type="hidden" name="parent_id" value="{world.root.id}">' in page
    for kind, fmt in (("quota", "csv"), ("quota", "xlsx"), ("ledger", "csv")):
        answer = client.post("/reports/exports", data={
            "kind": kind, "format": fmt, "year": YEAR, "parent_id": world.root.id,
            "csrf_token": csrf_token(client)})
        assert answer.location.endswith(f"/reports/{kind}/{YEAR}.{fmt}?parent_id={world.root.id}")
    assert "北京某学校食堂" not in page
    # The region filter offers names, not codes.
    region_select = page.split('name="region"')[1].split("</select>")[0]
    assert "拉萨市" in region_select and "(54" not in region_select


def test_a_filter_outside_the_jurisdiction_is_refused_on_the_page(client, world):
    login(client, auditor_of(world.nyingchi_office))
    assert client.get(f"/reports/?year={YEAR}&parent_id={world.root.id}").status_code == 403
    assert client.get(f"/reports/quota/{YEAR}.csv?region=540100").status_code == 403
    assert ReportExport.query.count() == 0


def test_an_unknown_status_or_region_explains_itself(client, world):
    login(client, auditor_of(world.tibet_office))
    response = client.get(f"/reports/?year={YEAR}&region=999999")
    assert response.status_code == 422
    assert "999999" in response.get_data(as_text=True)


def test_a_supplier_is_offered_its_ledger_only(client, db, world):
    staff = factories.user("supplier_staff", organization=world.supplier)
    db.session.commit()
    login(client, staff)
    page = client.get("/reports/").get_data(as_text=True)
    assert "download-ledger-csv" in page and "download-quota-csv" not in page
    assert client.get(f"/reports/quota/{YEAR}.csv").status_code == 403


def test_purchasers_have_no_reports(client, db, world):
    login(client, factories.user("purchaser", organization=world.root))
    db.session.commit()
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/reports/ledger/{YEAR}.csv").status_code == 403


def test_history_lists_the_offices_exports_only(app, client, world):
    auditor = auditor_of(world.tibet_office)
    login(client, auditor)
    _, _, trailer = csv_sections(client.get(f"/reports/quota/{YEAR}.csv?status=behind").data)
    assert client.get(f"/reports/quota/{YEAR}.xlsx").status_code == 200
    page = client.get("/reports/history").get_data(as_text=True)
    assert page.count("<tr>") == 3  # header and two exports
    assert trailer["sha256"][:16] in page and "status=behind" in page
    # Another office, on its own client (`g` of the shared app context caches the login).
    other = login(app.test_client(), auditor_of(world.beijing_office))
    page = other.get("/reports/history").get_data(as_text=True)
    assert "还没有导出记录" in page


def test_the_menu_leads_auditors_to_reports_and_verification(client, world):
    login(client, auditor_of(world.tibet_office))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/reports/"' in page and 'href="/reports/verify"' in page


def test_the_reports_page_speaks_english(client, world):
    login(client, auditor_of(world.tibet_office))
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get(f"/reports/?year={YEAR}").get_data(as_text=True)
    assert "Download CSV" in page and "Completion distribution" in page
    assert "Scope: Tibet" in page        # the region's English name
