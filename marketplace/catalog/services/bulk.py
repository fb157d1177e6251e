"""Bulk listing: a supplier lists and edits many products from one Excel file, and adds photos
named by product code.

Every row goes through the listing rules of the product form (`check_product_data`, then
`create_product` or `update_product`), so a rule holds alike for one product and for five
hundred. A file is checked whole first (the dry run); it is imported only when no row has a
problem, all rows in the request's one transaction.
"""
import io
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from flask import current_app
from werkzeug.datastructures import FileStorage

from marketplace.catalog import workbook
from marketplace.catalog.models import LABELS, Category, Product
from marketplace.catalog.services.certification import certified_counties
from marketplace.catalog.services.common import require_supplier_staff
from marketplace.catalog.services.products import (
    CODE_PATTERN, _require_listing_supplier, check_product_data, create_product,
    products_of_supplier, update_product)
from marketplace.errors import DomainError, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import fen_str
from marketplace.regions.models import Region

LABEL_NAMES = {"green": "绿色食品", "organic": "有机产品", "gi": "地理标志"}
# A service's field → the column of the file that holds it.
FIELD_COLUMNS = {"origin_region_code": "origin", "category_id": "category"}
MAX_PHOTO_FILES = 100
# A listing made before codes existed is exported as "P<id>": read back, that names it without
# giving it the code, so the export of an older catalogue changes nothing either.
PROVISIONAL = re.compile(r"^P(\d{1,9})$")
PHOTO_SUFFIX = re.compile(r"^(?P<code>.+?)(?:[ _-]\(?\d{1,2}\)?)?$")


@dataclass
class Row:
    """One product row: its Excel row number, what it does ("new", "update", "same") and the
    problems found, as (column header, reason)."""

    number: int
    code: str
    name: str
    kind: str = "same"
    changes: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    data: dict = field(default_factory=dict, repr=False)
    product: Product = field(default=None, repr=False)


@dataclass
class Report:
    """What a file would do (the dry run) or did (an import)."""

    rows: list
    imported: bool = False

    @property
    def problems(self):
        """[(row number, column header, reason)] of every row."""
        return [(row.number, column, reason) for row in self.rows
                for column, reason in row.problems]

    @property
    def counts(self):
        counted = Counter(row.kind for row in self.rows if not row.problems)
        return {"new": counted["new"], "update": counted["update"], "same": counted["same"],
                "bad": sum(1 for row in self.rows if row.problems)}


def _counties():
    """Tibet's counties by the names a supplier may write: "巴宜区" and "林芝市巴宜区"."""
    by_name = {}
    for county in (Region.query.filter(Region.level == 3, Region.code.like("54%"))
                   .order_by(Region.code)):
        names = {county.name}
        if county.parent is not None:
            names |= {county.parent.name + county.name, f"{county.parent.name} {county.name}"}
        for name in names:
            by_name.setdefault(name, []).append(county)
    return by_name


def _origin(text, counties):
    """The county code a cell names. :raises ValidationError: unknown or ambiguous."""
    if text.isdigit():
        return text
    found = counties.get(re.sub(r"\s+", "", text)) or counties.get(text) or []
    if len(found) == 1:
        return found[0].code
    if found:
        raise ValidationError(_("有几个县（区）都叫“%(name)s”，请写上所属的市，如 %(example)s。",
                                name=text, example=found[0].parent.name + found[0].name),
                              fields={"origin_region_code": "ambiguous"})
    raise ValidationError(_("没有这个县（区）：“%(name)s”，请按「可选值」表填写。", name=text[:40]),
                          fields={"origin_region_code": "unknown_county"})


def _labels(text):
    keys = {name: key for key, name in LABEL_NAMES.items()} | {key: key for key in LABELS}
    items = [item for item in re.split(r"[、,，;；/\s]+", text) if item]
    unknown = [item for item in items if item not in keys]
    if unknown:
        raise ValidationError(_("不认识的标签：%(labels)s。可用：绿色食品、有机产品、地理标志。",
                                labels="、".join(unknown)), fields={"labels": "unknown"})
    return [keys[item] for item in items]


def _number(text):
    """Digits as people write them: "1,280.00", "¥ 12", "12元"."""
    return re.sub(r"[,，\s¥￥元]", "", text)


def _service_data(values, counties):
    """The product service's input from one row's cells; cells that cannot even be read
    (origin, labels) come back as problems by field."""
    data = {key: values.get(key, "") for key in (
        "code", "name", "category", "spec", "unit", "shelf_life", "storage", "description")
        if key in values}
    data["price"] = _number(values.get("price", ""))
    data["stock"] = _number(values.get("stock", ""))
    if "min_order_qty" in values:
        data["min_order_qty"] = _number(values["min_order_qty"])
    problems = {}
    for key, read in (("origin", lambda text: _origin(text, counties)), ("labels", _labels)):
        if key not in values:
            continue
        target = "origin_region_code" if key == "origin" else key
        try:
            data[target] = read(values[key]) if values[key] or key == "labels" else ""
        except ValidationError as error:
            problems[target] = error.message
    return data, problems


def _column(field_name):
    key = FIELD_COLUMNS.get(field_name, field_name)
    return workbook.HEADERS.get(key, key)


def _products_by_code(supplier, codes):
    """The supplier's products these codes name, by code (provisional "P<id>" codes included)."""
    codes = [code for code in codes if code]
    found = {product.code: product for product in Product.query.filter(
        Product.supplier_id == supplier.id, Product.code.in_(codes))}
    provisional = {int(match.group(1)): code for code in codes if code not in found
                   for match in [PROVISIONAL.match(code)] if match}
    for product in Product.query.filter(Product.supplier_id == supplier.id,
                                        Product.code.is_(None),
                                        Product.id.in_(list(provisional))):
        found[provisional[product.id]] = product
    return found


def code_of(product):
    """The code a product is named by in files: its own, else its provisional "P<id>"."""
    return product.code or f"P{product.id}"


def dry_run(user, data):
    """Check a bulk file of `user`'s supplier, changing nothing.

    :param data: the bytes of the uploaded .xlsx.
    :returns: a Report: every row with what it would do or its problems.
    :raises PermissionDenied: not staff of an active supplier.
    :raises ValidationError: on "file": not a workbook of the template, or too many rows.
    """
    supplier = _require_listing_supplier(user)
    lines = workbook.read(data)
    counties = _counties()
    existing = _products_by_code(supplier, [values.get("code", "") for _n, values in lines])
    first_row, rows = {}, []
    for number, values in lines:
        data, problems = _service_data(values, counties)
        code = data.get("code", "")
        row = Row(number=number, code=code, name=values.get("name", ""), data=data,
                  product=existing.get(code))
        if row.product is not None and row.product.code is None:
            del data["code"]   # named by its provisional code: it stays without one
        if not code:
            problems["code"] = _("请填写商品编码：更新和照片都按它对应。")
        elif code in first_row:
            problems["code"] = _("商品编码与第 %(n)s 行重复。", n=first_row[code])
        else:
            first_row[code] = number
        checked = {key: value for key, value in data.items() if key not in problems}
        found, changes = check_product_data(supplier, checked, row.product)
        problems.update(found)
        if row.product is not None and changes and \
                row.product.status in ("archived", "taken_down"):
            problems["code"] = _("该编码的商品已归档或已被平台下架，不能修改。")
        row.problems = [(_column(name), message) for name, message in problems.items()]
        if not problems:
            row.changes = changes
            row.kind = "new" if row.product is None else ("update" if changes else "same")
        rows.append(row)
    return Report(rows=rows)


def import_file(user, data):
    """Import a bulk file of `user`'s supplier when no row has a problem: new codes become
    listings, known codes update theirs, unchanged rows are left alone. Nothing is imported
    when any row is bad (the report says which).

    :returns: the Report, `imported` True when the rows were written.
    :raises: as dry_run.
    """
    report = dry_run(user, data)
    if report.problems:
        return report
    for row in report.rows:
        if row.kind == "new":
            row.product = create_product(user, row.data)
        elif row.kind == "update":
            update_product(user, row.product, row.data)
    report.imported = True
    return report


def _category_names():
    leaves = (Category.query.filter(Category.parent_id.isnot(None))
              .order_by(Category.parent_id, Category.sort_order, Category.id).all())
    repeated = Counter(leaf.name for leaf in leaves)
    # A name two leaves share is written as the id, which reads back to the same leaf.
    return {leaf.id: leaf.name if repeated[leaf.name] == 1 else str(leaf.id) for leaf in leaves}


def workbook_of(user, with_products):
    """The bulk file for `user`'s supplier: blank (the template) or with its products (every
    listing but the archived), which reads back as "no change".

    :raises PermissionDenied: not supplier staff.
    """
    supplier = require_supplier_staff(user)
    categories = _category_names()
    counties = certified_counties(supplier)
    origins = [(county.parent.name if county.parent else "") + county.name
               for county in counties]
    rows = []
    for product in products_of_supplier(supplier) if with_products else ():
        origin = product.origin
        rows.append({
            "code": code_of(product), "name": product.name,
            "category": categories.get(product.category_id, str(product.category_id)),
            "origin": ((origin.parent.name if origin.parent else "") + origin.name),
            "spec": product.spec, "unit": product.unit, "price": fen_str(product.price_fen),
            "stock": product.stock, "min_order_qty": product.min_order_qty,
            "labels": "、".join(LABEL_NAMES[key] for key in (product.labels or "").split(",")
                               if key in LABEL_NAMES),
            "shelf_life": product.shelf_life, "storage": product.storage,
            "description": product.description})
    return workbook.write(rows, list(categories.values()), origins, list(LABEL_NAMES.values()))


@dataclass
class PhotoResult:
    filename: str
    product: Product = None
    problem: str = None


def _photo_files(uploads):
    """The images among the uploads, a zip's entries unpacked (at most MAX_PHOTO_FILES)."""
    files, limit, unpacked = [], current_app.config["MAX_UPLOAD_BYTES"], 0
    for upload in uploads:
        if not upload or not getattr(upload, "filename", ""):
            continue
        head = upload.stream.read(4)
        upload.stream.seek(0)
        if head != b"PK\x03\x04":
            files.append(upload)
            continue
        try:
            archive = zipfile.ZipFile(upload.stream)
            entries = [entry for entry in archive.infolist() if not entry.is_dir()
                       and not os.path.basename(entry.filename).startswith(".")]
        except zipfile.BadZipFile:
            raise ValidationError(_("压缩包已损坏。"), fields={"photos": "bad_zip"}) from None
        for entry in entries[:MAX_PHOTO_FILES + 1]:
            # Read at most the upload limit + 1 byte (the photo check refuses a larger one),
            # and no more than 8 such in all: a small zip must not unpack into gigabytes.
            with archive.open(entry) as handle:
                data = handle.read(limit + 1)
            unpacked += len(data)
            if unpacked > 8 * limit:
                raise ValidationError(_("压缩包解开后过大，请分几次上传。"),
                                      fields={"photos": "too_large"})
            files.append(FileStorage(io.BytesIO(data), filename=os.path.basename(entry.filename)))
    if len(files) > MAX_PHOTO_FILES:
        raise ValidationError(_("一次最多上传 %(n)s 张照片。", n=MAX_PHOTO_FILES),
                              fields={"photos": "too_many"})
    if not files:
        raise ValidationError(_("请选择照片或压缩包。"), fields={"photos": "required"})
    return files


def add_photos_by_code(user, uploads):
    """Add photos to the supplier's products, each file named by a product code ("MX-001.jpg",
    "MX-001_2.jpg"): re-encoded like every product photo. A file that fails is reported and
    skipped; the others are kept.

    :returns: [PhotoResult] in upload order.
    :raises ValidationError: on "photos": nothing uploaded, too many files, a broken zip.
    """
    supplier = _require_listing_supplier(user)
    products = {code_of(product): product for product in products_of_supplier(supplier)}
    results = []
    for upload in _photo_files(uploads):
        result = PhotoResult(filename=upload.filename)
        stem = os.path.splitext(os.path.basename(upload.filename.replace("\\", "/")))[0]
        match = PHOTO_SUFFIX.match(stem)
        product = products.get(stem) or (products.get(match.group("code")) if match else None)
        if product is None:
            result.problem = _("没有编码为“%(code)s”的商品。", code=stem[:40]) \
                if CODE_PATTERN.match(stem.split(" ")[0] or "-") \
                else _("文件名须是商品编码，如 MX-001.jpg。")
        else:
            try:
                with db.session.begin_nested():
                    update_product(user, product, {}, photos=[upload])
                result.product = product
            except DomainError as error:
                result.problem = error.message
        results.append(result)
    return results
