"""Bulk listing: the template, the dry run's problems by row and column, all-or-nothing imports,
the export read back unchanged, updates and photos by product code."""
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from marketplace.catalog import services, workbook
from marketplace.catalog.models import Product
from marketplace.catalog.services import bulk
from marketplace.errors import PermissionDenied, ValidationError
from tests import factories
from tests.catalog.helpers import certified_staff, leaf, product_data
from tests.helpers import english, image_bytes, translatable_strings, untranslated, upload

HEADER = [header for _key, header, _width in workbook.COLUMNS]


def sheet(*rows, hint=True):
    """An .xlsx like a supplier fills the template: header, hint row, then `rows` (lists)."""
    book = Workbook()
    page = book.active
    page.title = workbook.SHEET
    page.append(HEADER)
    if hint:
        page.append(["必填，您自己的货号；更新和照片按它对应"] + [""] * (len(HEADER) - 1))
    for row in rows:
        page.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(code="MX-001", name="林芝松茸", category="菌菇", origin="林芝市巴宜区", price="1,280.00",
        stock=50, labels="有机产品、地理标志", unit="斤"):
    return [code, name, category, origin, "500g/袋", unit, price, stock, 1, labels, "", "", ""]


@pytest.fixture
def staff(db):
    leaf()
    return certified_staff()


def test_the_template_has_chinese_headers_a_hint_row_and_the_lists(staff):
    book = load_workbook(io.BytesIO(bulk.workbook_of(staff, with_products=False)))
    page = book[workbook.SHEET]
    assert [cell.value for cell in page[1]] == HEADER
    assert page.cell(2, 4).value.startswith("必填，县（区）")
    lists = book[workbook.LISTS]
    assert [cell.value for cell in lists["A"] if cell.value] == ["品类", "菌菇"]
    assert [cell.value for cell in lists["B"] if cell.value] == ["产地", "林芝市巴宜区"]
    assert page.data_validations.dataValidation  # drop-downs for category and origin
    # The blank template reads back as "no product rows", a clear refusal.
    with pytest.raises(ValidationError) as error:
        bulk.dry_run(staff, bulk.workbook_of(staff, with_products=False))
    assert error.value.fields == {"file": "empty"}


def test_the_dry_run_lists_every_problem_by_row_and_column_and_imports_nothing(staff):
    data = sheet(row(), row(code="MX-002", price="abc", stock=-3),
                 row(code="MX-003", category="火星菜", origin="纽约"),
                 row(code="MX-001", name=""), row(code="", labels="清真"))
    report = bulk.import_file(staff, data)
    assert not report.imported and Product.query.count() == 0
    problems = {(number, column): reason for number, column, reason in report.problems}
    assert set(problems) == {(4, "价格（元）"), (4, "库存"), (5, "品类"), (5, "产地"),
                             (6, "商品编码"), (6, "名称"), (7, "商品编码"), (7, "标签")}
    assert "必须是金额" in problems[(4, "价格（元）")]
    assert "火星菜" in problems[(5, "品类")] and "纽约" in problems[(5, "产地")]
    assert "第 3 行重复" in problems[(6, "商品编码")]
    assert "清真" in problems[(7, "标签")]
    assert report.counts == {"new": 1, "update": 0, "same": 0, "bad": 4}


def test_a_clean_file_imports_every_row_through_the_listing_rules(staff):
    report = bulk.import_file(staff, sheet(row(), row(code="MX-002", name="青稞", origin="巴宜区",
                                                      price="12", labels="")))
    assert report.imported and report.counts["new"] == 2
    products = {p.code: p for p in Product.query.all()}
    assert products["MX-001"].price_fen == 128000 and products["MX-001"].labels == "organic,gi"
    assert products["MX-002"].origin_region_code == "540402" and products["MX-002"].stock == 50
    assert {card.name for card in services.list_products(services.ProductFilters()).items} \
        == {"林芝松茸", "青稞"}


def test_the_export_reads_back_unchanged_and_an_edited_row_updates_by_code(staff):
    services.create_product(staff, product_data(code="A1", labels=["gi"], shelf_life="12个月"))
    services.create_product(staff, product_data(code="A2", name="牦牛肉干"))
    exported = bulk.workbook_of(staff, with_products=True)
    report = bulk.import_file(staff, exported)
    assert report.counts == {"new": 0, "update": 0, "same": 2, "bad": 0}
    book = load_workbook(io.BytesIO(exported))
    book[workbook.SHEET].cell(3, 7).value = "99.5"   # the price of the first exported row
    out = io.BytesIO()
    book.save(out)
    report = bulk.import_file(staff, out.getvalue())
    assert report.counts == {"new": 0, "update": 1, "same": 1, "bad": 0}
    changed = next(row for row in report.rows if row.kind == "update")
    assert Product.query.filter_by(code=changed.code).one().price_fen == 9950


def test_listings_without_a_code_are_named_p_and_their_id(staff):
    older = services.create_product(staff, product_data(name="老商品"))
    exported = bulk.workbook_of(staff, with_products=True)
    assert load_workbook(io.BytesIO(exported))[workbook.SHEET].cell(3, 1).value == f"P{older.id}"
    report = bulk.import_file(staff, exported)
    assert report.counts["same"] == 1 and older.code is None
    results = bulk.add_photos_by_code(staff, [upload(image_bytes(), f"P{older.id}.png")])
    assert results[0].product is older and len(older.photos) == 1


def test_codes_are_the_suppliers_own(staff):
    other = certified_staff()
    theirs = services.create_product(other, product_data(code="MX-001", name="别家的松茸"))
    report = bulk.import_file(staff, sheet(row()))
    assert report.counts["new"] == 1            # the same code is a new product of this supplier
    assert theirs.name == "别家的松茸" and theirs.supplier_id == other.organization_id
    results = bulk.add_photos_by_code(other, [upload(image_bytes(), "MX-009.png")])
    assert results[0].problem and "MX-009" in results[0].problem
    with pytest.raises(PermissionDenied):
        bulk.dry_run(factories.user("purchaser"), sheet(row()))


def test_photos_follow_by_code_one_by_one_or_in_a_zip(staff):
    product = services.create_product(staff, product_data(code="MX-001"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("MX-001_2.jpg", image_bytes("JPEG"))
        packed.writestr("说明.txt", b"not a photo")
    results = bulk.add_photos_by_code(staff, [
        upload(image_bytes(), "MX-001.png"), upload(b"GIF89a nonsense", "MX-001_3.gif"),
        upload(archive.getvalue(), "photos.zip", "application/zip")])
    assert [r.filename for r in results] == ["MX-001.png", "MX-001_3.gif", "MX-001_2.jpg", "说明.txt"]
    assert [bool(r.problem) for r in results] == [False, True, False, True]
    assert len(product.photos) == 2


@pytest.mark.parametrize("data,code", [(b"not a workbook", "bad_type"),
                                       (sheet(["x", "y"], hint=False)[:200], "bad_type")])
def test_a_file_that_is_not_the_template_is_refused_clearly(staff, data, code):
    with pytest.raises(ValidationError) as error:
        bulk.dry_run(staff, data)
    assert error.value.fields == {"file": code}


def test_a_file_without_the_header_or_with_too_many_rows_is_refused(staff, monkeypatch):
    book = Workbook()
    book.active.append(["名字", "价钱"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as error:
        bulk.dry_run(staff, out.getvalue())
    assert "商品编码" in error.value.message
    monkeypatch.setattr(workbook, "MAX_ROWS", 2)
    with pytest.raises(ValidationError) as error:
        bulk.dry_run(staff, sheet(row(), row(code="B"), row(code="C")))
    assert error.value.fields == {"file": "too_many_rows"} and "2 行" in error.value.message


# The pages ----------------------------------------------------------------------------------

def test_the_page_checks_a_file_shows_its_problems_then_imports_the_fixed_one(
        client, staff, login_as, post_form):
    login_as(staff)
    assert "批量上架" in client.get("/supplier/products").get_data(as_text=True)
    template = client.get("/supplier/products/bulk/template.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"
    bad = post_form("/supplier/products/bulk", {
        "file": (io.BytesIO(sheet(row(), row(code="MX-002", origin="纽约"))), "p.xlsx")})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "第 4 行" in page and "纽约" in page
    assert "bulk-confirm" not in page and Product.query.count() == 0
    good = post_form("/supplier/products/bulk", {
        "file": (io.BytesIO(sheet(row(), row(code="MX-002"))), "p.xlsx")})
    page = good.get_data(as_text=True)
    assert good.status_code == 200 and "新增 2 个" in page and Product.query.count() == 0
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    done = post_form("/supplier/products/bulk/confirm", {"token": token},
                     follow_redirects=True)
    assert "新增 2 个" in done.get_data(as_text=True) and Product.query.count() == 2
    # The kept file is gone once imported; another user's token never reads it.
    again = post_form("/supplier/products/bulk/confirm", {"token": token},
                      follow_redirects=True)
    assert "已过期" in again.get_data(as_text=True) and Product.query.count() == 2


def test_bad_uploads_get_a_message_next_to_the_field(client, staff, login_as, post_form):
    login_as(staff)
    empty = post_form("/supplier/products/bulk", {})
    assert empty.status_code == 422 and "请选择文件" in empty.get_data(as_text=True)
    text = post_form("/supplier/products/bulk", {"file": (io.BytesIO(b"abc"), "p.xlsx")})
    assert text.status_code == 422 and ".xlsx" in text.get_data(as_text=True)
    photos = post_form("/supplier/products/bulk/photos", {
        "photos": (io.BytesIO(image_bytes()), "NOPE.png")})
    assert "没有编码为“NOPE”的商品" in photos.get_data(as_text=True)


def test_only_supplier_staff_reach_the_bulk_pages(client, db, login_as):
    login_as("purchaser")
    for url in ("/supplier/products/bulk", "/supplier/products/bulk/export.xlsx"):
        assert client.get(url).status_code == 403


def test_every_bulk_listing_text_has_its_english():
    found = translatable_strings(
        ["marketplace/catalog/services/bulk.py", "marketplace/catalog/workbook.py",
         "marketplace/catalog/views/bulk.py", "marketplace/api/bulk_listing.py"],
        ["templates/catalog/supplier_bulk.html"])
    assert found and untranslated(found, english("catalog")) == []
