"""Bulk listing over the API: the template and export files, the dry run, the all-or-nothing
import with every problem by row and column, photos by code."""
import base64
import io

from openpyxl import load_workbook

from marketplace.catalog import workbook
from marketplace.catalog.models import Product
from tests import factories
from tests.catalog.helpers import certified_staff, leaf
from tests.catalog.test_bulk_listing import row, sheet
from tests.helpers import assert_error, bearer, image_bytes


def _file(data, name="products.xlsx"):
    return {"filename": name, "content": base64.b64encode(data).decode()}


def test_a_supplier_checks_imports_exports_and_adds_photos_over_the_api(client, db):
    leaf()
    staff = certified_staff()
    headers = bearer(staff)
    template = client.get("/api/v1/supplier/products/template.xlsx", headers=headers)
    assert template.status_code == 200 and template.mimetype.endswith("spreadsheetml.sheet")
    assert load_workbook(io.BytesIO(template.data))[workbook.SHEET].cell(1, 1).value == "商品编码"

    bad = _file(sheet(row(), row(code="MX-002", price="-1")))
    checked = client.post("/api/v1/supplier/products/bulk-checks", headers=headers,
                          json={"file": bad})
    assert checked.status_code == 200
    assert checked.get_json()["problems"] == [
        {"row": 4, "column": "价格（元）", "reason": "价格 须大于 0 且不超过 ¥1,000,000。"}]
    refused = client.post("/api/v1/supplier/products/bulk-imports", headers=headers,
                          json={"file": bad})
    assert_error(refused, 422)
    assert refused.get_json()["error"]["problems"][0]["row"] == 4
    assert Product.query.count() == 0

    good = _file(sheet(row(), row(code="MX-002", name="青稞")))
    imported = client.post("/api/v1/supplier/products/bulk-imports", headers=headers,
                           json={"file": good})
    assert imported.status_code == 201, imported.get_data(as_text=True)
    assert imported.get_json()["counts"] == {"new": 2, "update": 0, "same": 0, "bad": 0}
    assert {p.code for p in Product.query.all()} == {"MX-001", "MX-002"}

    exported = client.get("/api/v1/supplier/products/export.xlsx", headers=headers)
    again = client.post("/api/v1/supplier/products/bulk-checks", headers=headers,
                        json={"file": _file(exported.data)})
    assert again.get_json()["counts"] == {"new": 0, "update": 0, "same": 2, "bad": 0}

    photos = client.post("/api/v1/supplier/products/photos", headers=headers, json={
        "photos": [_file(image_bytes(), "MX-001.png"), _file(image_bytes(), "NOPE.png")]})
    items = photos.get_json()["items"]
    assert items[0]["product_id"] and items[0]["problem"] is None
    assert "NOPE" in items[1]["problem"]


def test_bad_files_and_other_roles_are_refused(client, db):
    leaf()
    headers = bearer(certified_staff())
    for body in ({"file": {"filename": "x.xlsx", "content": "%%%"}},
                 {"file": _file(b"plain text")}, {}):
        assert_error(client.post("/api/v1/supplier/products/bulk-checks", headers=headers,
                                 json=body), 422)
    buyer = bearer(factories.user("purchaser"))
    assert_error(client.get("/api/v1/supplier/products/export.xlsx", headers=buyer), 403)
