"""The rural-revitalisation view (admin, auditors in scope) and its exports: every pairing by
county and village, target against purchased, enterprises behind, villages without a partner;
CSV and Excel for people with Chinese headers and an integrity digest the verify page checks."""
import csv
import hashlib
import io
import re

import pytest
from openpyxl import load_workbook

from marketplace.errors import PermissionDenied, ValidationError
from marketplace.pairings import services
from marketplace.reports.models import ReportExport
from tests import factories
from tests.factories import accepted_order
from tests.helpers import cst, login
from tests.pairings.helpers import DAGZE, pair, world

YEAR = 2026
NOW = cst(2026, 11, 1)


@pytest.fixture
def scene(db):
    """Two pairings in 巴宜区 (one behind, one met), one in 达孜区, a village without a partner."""
    w = world()
    other = factories.org("enterprise", name="林芝雅江农业开发有限公司")
    other_buyer = factories.user("purchaser", organization=other)
    w.behind = pair(w, target="100000.00")
    w.met = pair(w, enterprise=other, suppliers=[w.coop2], target="100.00")
    w.dagze_pairing = pair(w, village="唐嘎村", county=DAGZE, suppliers=[w.dagze],
                           target="280.00")
    accepted_order(w.buyer, [(w.matsutake, 10)], cst(2026, 5, 1))      # ¥1,280.00 of ¥100,000
    accepted_order(other_buyer, [(w.pork, 2)], cst(2026, 6, 1))        # ¥177.00 of ¥100
    accepted_order(w.buyer, [(w.barley, 20)], cst(2026, 7, 1))         # ¥250.00 of ¥280: on track
    services.add_village(w.admin, "易贡村", "540424")
    w.lhasa_auditor = factories.user("auditor", organization=factories.org(
        "audit_office", name="拉萨市审计局", region_code="540100"))
    w.tibet_auditor = factories.user("auditor", name="赵审计")
    db.session.commit()
    return w


def test_the_view_by_county_and_village(scene):
    view = services.overview(scene.admin, YEAR, now=NOW)
    assert [(p.village.name, p.enterprise.name) for p, _state in view.rows] == [
        ("唐嘎村", "拉萨净土农牧产品贸易有限公司"), ("扎西岗村", "拉萨净土农牧产品贸易有限公司"),
        ("扎西岗村", "林芝雅江农业开发有限公司")]
    by_county = {c.name: c for c in view.counties}
    assert set(by_county) == {"达孜区", "巴宜区", "波密县"}
    nyingchi = by_county["巴宜区"]
    assert (nyingchi.pairings, nyingchi.target, nyingchi.purchased, nyingchi.behind) == \
        (2, 10_010_000, 145_700, 1)
    assert str(nyingchi.rate) == "0.0146"  # 145700 / 10010000 = 0.014555..., half-up
    assert (view.target, view.purchased) == (10_038_000, 170_700)
    assert [p.id for p, _state in view.behind] == [scene.behind.id]
    assert [v.name for v in view.unpartnered] == ["易贡村"]


def test_an_ended_pairing_leaves_its_village_without_a_partner(scene):
    services.end_pairing(scene.admin, scene.dagze_pairing, "终止")
    view = services.overview(scene.admin, YEAR, now=NOW)
    assert "唐嘎村" in [v.name for v in view.unpartnered]
    assert scene.dagze_pairing.id in [p.id for p, _s in view.rows]  # its figures stay


def test_auditors_see_their_jurisdiction_only(scene):
    lhasa = services.overview(scene.lhasa_auditor, YEAR, now=NOW)
    assert [p.village.name for p, _s in lhasa.rows] == ["唐嘎村"]
    assert lhasa.unpartnered == [] and lhasa.region == "5401"
    with pytest.raises(PermissionDenied):
        services.overview(scene.lhasa_auditor, YEAR, region="540402")
    # A wider region is narrowed to the jurisdiction.
    assert services.overview(scene.lhasa_auditor, YEAR, region="54").region == "5401"
    tibet = services.overview(scene.tibet_auditor, YEAR, region="5404", now=NOW)
    assert {p.village.name for p, _s in tibet.rows} == {"扎西岗村"}


def test_others_do_not_see_the_view_and_bad_input_is_clear(scene):
    for user in (scene.buyer, scene.staff, factories.user("unit_manager")):
        with pytest.raises(PermissionDenied):
            services.overview(user, YEAR)
    with pytest.raises(ValidationError):
        services.overview(scene.admin, 1800)
    with pytest.raises(ValidationError):
        services.overview(scene.admin, YEAR, region="54x")


def csv_parts(data):
    text = data.decode("utf-8-sig")
    body, trailer = text.split("\r\n\r\n", 1)
    rows = list(csv.reader(io.StringIO(body + "\r\n")))
    meta = {row[0][1:]: row[1] for row in csv.reader(io.StringIO(trailer)) if row}
    return rows[0], rows[1:], meta, body + "\r\n"


def test_the_csv_for_people_has_chinese_headers_and_a_digest(client, scene):
    login(client, scene.tibet_auditor)
    response = client.get(f"/reports/pairings/{YEAR}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, rows, meta, signed = csv_parts(response.data)
    assert header[:4] == ["县级代码", "县（区）", "行政村编号", "行政村"]
    assert "采购目标（元）" in header and "已采购（元）" in header and "进度" in header
    by_village = {(row[3], row[6]): row for row in rows}
    row = by_village[("扎西岗村", "拉萨净土农牧产品贸易有限公司")]
    assert row[7] == "进行中" and row[8] == "鲁朗松茸合作社" and row[9] == "46"
    assert row[10:13] == ["100000.00", "1280.00", "0.0128"]
    assert row[13] in ("进度落后", "未完成")  # behind until the year is over, then not met
    assert by_village[("易贡村", "")][7] == "无结对企业"
    assert meta["sha256"] == hashlib.sha256(signed.encode()).hexdigest()
    assert meta["rows"] == str(len(rows)) == "4"
    assert meta["total_target"] == "100380.00" and meta["total_purchased"] == "1707.00"
    export = ReportExport.query.one()
    assert (export.kind, export.sha256, export.row_count) == ("pairing", meta["sha256"], 4)


def test_machines_get_the_api_keys_and_english_readers_english(client, scene):
    login(client, scene.admin)
    header, rows, _meta, _signed = csv_parts(
        client.get(f"/reports/pairings/{YEAR}.csv?header=keys").data)
    assert header == list(services.REPORT_COLUMNS)
    assert {row[7] for row in rows} == {"active", "no_partner"}
    client.get("/language/en")
    header, rows, _meta, _signed = csv_parts(client.get(f"/reports/pairings/{YEAR}.csv").data)
    assert "Purchase target (yuan)" in header
    assert {"Behind", "Not met"} & {row[13] for row in rows}


def test_the_exports_pass_the_verify_page_and_a_changed_figure_does_not(
        client, post_form, scene):
    login(client, scene.admin)
    for fmt in ("csv", "xlsx"):
        data = client.get(f"/reports/pairings/{YEAR}.{fmt}").data
        page = post_form("/reports/verify", {"file": (io.BytesIO(data), f"r.{fmt}")},
                         content_type="multipart/form-data").get_data(as_text=True)
        assert "文件未被改动" in page, fmt
    text = client.get(f"/reports/pairings/{YEAR}.csv").data.decode("utf-8-sig")
    tampered = text.replace("1280.00", "9280.00", 1)
    page = post_form("/reports/verify", {"file": (io.BytesIO(tampered.encode()), "r.csv")},
                     content_type="multipart/form-data").get_data(as_text=True)
    assert "文件已被改动" in page


def test_the_excel_file_for_people(client, scene):
    login(client, scene.admin)
    response = client.get(f"/reports/pairings/{YEAR}.xlsx?region=5404")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["pairings"]
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert "2026 年度万企兴万村结对采购情况" in values[0][0]
    title = " ".join(str(row[0]) for row in values[:4])
    assert "筛选条件：地区为西藏自治区林芝市" in title and "region=" not in title
    assert re.search(r"生成时间：\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", title)
    header_index = next(i for i, row in enumerate(values) if row[0] == "县级代码")
    body = values[header_index + 1:]
    assert [row[3] for row in body[:-1]] == ["扎西岗村", "扎西岗村", "易贡村"]
    assert body[0][10] == 100000 and body[0][11] == 1280 and body[0][13] in ("进度落后", "未完成")
    assert body[-1][0] == "合计 Total" and body[-1][10] == 100100
    info = {row[0]: row[1] for row in book["export_info"].iter_rows(values_only=True)}
    assert info["report"] == "pairing" and info["header"] == "zh_Hans_CN" and info["sha256"]


def test_only_the_admin_and_auditors_download(client, scene):
    login(client, scene.buyer)
    assert client.get(f"/reports/pairings/{YEAR}.csv").status_code == 403
    login(client, scene.lhasa_auditor)
    assert client.get(f"/reports/pairings/{YEAR}.csv?region=540402").status_code == 403
    assert client.get(f"/reports/pairings/{YEAR}.pdf").status_code == 404
