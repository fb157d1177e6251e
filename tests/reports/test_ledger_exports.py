"""The ledger: every counted and in-progress line in scope, traceable to the quota figures."""
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from marketplace.accounts.scopes import visible_units
from marketplace.compliance import services as compliance
from marketplace.reports.models import ReportExport
from marketplace.reports.services import LEDGER_COLUMNS
from tests import factories
from tests.helpers import bearer, login
from tests.reports.helpers import YEAR, auditor_of, build_world, csv_sections, manager_of


@pytest.fixture
def world(db):
    return build_world()


def ledger(client, user, query=""):
    response = client.get(f"/api/v1/quota/{YEAR}/ledger.csv{query}",
                          headers=bearer(user))
    assert response.status_code == 200, response.get_data(as_text=True)
    return csv_sections(response.data)


def test_ledger_lines_add_up_to_each_units_completed_and_in_progress(client, world):
    auditor = auditor_of(world.tibet_office)
    header, lines, trailer = ledger(client, auditor)
    assert header == list(LEDGER_COLUMNS)
    counted, progress = defaultdict(Decimal), defaultdict(Decimal)
    for line in lines:
        counted[int(line["credited_unit_id"])] += Decimal(line["counted_amount"])
        progress[int(line["credited_unit_id"])] += Decimal(line["in_progress_amount"])
    rows = compliance.quota_rows(YEAR, visible_units(auditor))
    assert rows
    for row in rows:
        assert counted[row["unit_id"]] == row["completed"], row["unit_name"]
        assert progress[row["unit_id"]] == row["in_progress"], row["unit_name"]
    assert {line["unit_name"] for line in lines} <= {"自治区农业农村厅", "拉萨农业技术推广站"}
    assert trailer["rows"] == str(len(lines))
    assert Decimal(trailer["total_counted_amount"]) == sum(counted.values())


def test_ledger_shows_snapshot_details_refunds_and_china_time(client, world):
    auditor = auditor_of(world.tibet_office)
    _, lines, _ = ledger(client, auditor)
    states = {line["state"] for line in lines}
    assert states == {"counted", "in_progress"}
    honey = next(line for line in lines if line["product_name"] == "林芝蜂蜜")
    assert (honey["unit_price"], honey["accepted_amount"], honey["refunded_amount"],
            honey["counted_amount"]) == ("50.00", "500.00", "50.00", "450.00")
    assert honey["origin_region_code"] == "540402" and honey["origin_county"]
    assert honey["supplier_name"] == "林芝松茸合作社" and honey["purpose"] == "canteen"
    new_year = next(line for line in lines if line["unit_name"] == "拉萨农业技术推广站"
                    and line["product_name"] == "林芝松茸")
    assert new_year["accepted_at"] == f"{YEAR}-01-01T00:30:00+08:00"
    partial = next(line for line in lines if line["product_name"] == "青稞面"
                   and line["state"] == "counted")
    assert (partial["quantity"], partial["accepted_quantity"]) == ("40", "36")
    shipped = next(line for line in lines if line["state"] == "in_progress")
    assert shipped["accepted_at"] == "" and shipped["in_progress_amount"] == "200.00"


def test_a_supplier_exports_only_its_own_sales(client, world):
    staff = factories.user("supplier_staff", organization=world.supplier)
    _, lines, _ = ledger(client, staff)
    assert lines and {line["supplier_name"] for line in lines} == {"林芝松茸合作社"}
    assert "北京某学校食堂" in {line["unit_name"] for line in lines}


def test_a_unit_manager_exports_its_subtree_and_an_auditor_its_jurisdiction(client, world):
    manager = manager_of(world.lhasa_child)
    _, lines, _ = ledger(client, manager)
    assert lines and {line["unit_name"] for line in lines} == {"拉萨农业技术推广站"}
    _, lines, _ = ledger(client, auditor_of(world.nyingchi_office))
    assert lines == []
    response = client.get(f"/api/v1/quota/{YEAR}/ledger.csv?parent_id={world.root.id}",
                          headers=bearer(auditor_of(world.beijing_office)))
    assert response.status_code == 403


def test_purchasers_may_not_export_the_ledger(client, world):
    buyer = factories.user("purchaser", organization=world.root)
    response = client.get(f"/api/v1/quota/{YEAR}/ledger.csv", headers=bearer(buyer))
    assert response.status_code == 403
    assert ReportExport.query.count() == 0


def test_the_ledger_is_not_offered_as_pdf(client, world):
    auditor = auditor_of(world.tibet_office)
    response = client.get(f"/api/v1/quota/{YEAR}/ledger.pdf", headers=bearer(auditor))
    assert response.status_code == 404
    assert ReportExport.query.count() == 0


def test_ledger_excel_has_the_same_lines_and_digest(client, world):
    auditor = auditor_of(world.tibet_office)
    _, lines, trailer = ledger(client, auditor)
    response = client.get(f"/api/v1/quota/{YEAR}/ledger.xlsx", headers=bearer(auditor))
    workbook = load_workbook(io.BytesIO(response.data))
    values = list(workbook["ledger"].iter_rows(values_only=True))
    header_at = values.index(tuple(LEDGER_COLUMNS))
    data = values[header_at + 1: header_at + 1 + len(lines)]
    assert [row[0] for row in data] == [line["order_number"] for line in lines]
    counted = LEDGER_COLUMNS.index("counted_amount")
    assert [f"{row[counted]:.2f}" for row in data] == [line["counted_amount"] for line in lines]
    assert "合计" in values[header_at + 1 + len(lines)][0]
    info = dict(workbook["export_info"].iter_rows(values_only=True))
    assert info["sha256"] == trailer["sha256"] and info["rows"] == trailer["rows"]


def test_ledger_downloads_from_the_reports_page_for_a_logged_in_auditor(client, world):
    auditor = auditor_of(world.tibet_office)
    login(client, auditor)
    response = client.get(f"/reports/ledger/{YEAR}.csv")
    assert response.status_code == 200
    _, lines, trailer = csv_sections(response.data)
    assert len(lines) == int(trailer["rows"]) > 0
    export = ReportExport.query.filter_by(token=trailer["export_id"]).one()
    assert export.kind == "ledger" and export.user_id == auditor.id


def test_a_real_server_streams_the_ledger_and_logs_its_digest(live_server, world):
    """Over HTTP the body outlives the request's session; the end of the stream logs anyway."""
    import json
    import urllib.request

    from marketplace.extensions import db

    auditor = auditor_of(world.tibet_office)
    token_request = urllib.request.Request(
        f"{live_server.url}/api/v1/auth/token", method="POST",
        data=json.dumps({"email": auditor.email, "password": factories.PASSWORD}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(token_request, timeout=30) as response:
        token = json.load(response)["token"]
    request = urllib.request.Request(f"{live_server.url}/api/v1/quota/{YEAR}/ledger.csv",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        data = response.read()
    _, lines, trailer = csv_sections(data)
    assert len(lines) == int(trailer["rows"]) > 0
    db.session.rollback()  # see what the server committed
    export = ReportExport.query.filter_by(token=trailer["export_id"]).one()
    assert export.sha256 == trailer["sha256"] and export.completed_at is not None
