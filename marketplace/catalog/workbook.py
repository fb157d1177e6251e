"""The bulk listing file (商品批量上架模板): writing the template and a supplier's products into it,
and reading its rows back.

The first sheet holds a header row, a hint row and one product per row after them; a second
sheet lists the names a cell may take (categories, origin counties, labels), which the first
sheet's drop-down lists point at. The headers are the file's format, not page text: they stay
Chinese in every language so that a file written in one reads back in the other.
"""
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from marketplace.catalog.services.products import CODE_PATTERN
from marketplace.errors import ValidationError
from marketplace.i18n import translate as _

# (key, header, width): the columns in their order.
COLUMNS = (("code", "商品编码", 14), ("name", "名称", 24), ("category", "品类", 14),
           ("origin", "产地", 18), ("spec", "规格", 12), ("unit", "单位", 8),
           ("price", "价格（元）", 12), ("stock", "库存", 10), ("min_order_qty", "起订量", 8),
           ("labels", "标签", 16), ("shelf_life", "保质期", 10), ("storage", "储存方式", 14),
           ("description", "描述", 30))
HEADERS = {key: header for key, header, _width in COLUMNS}
REQUIRED = ("code", "name", "category", "origin", "unit", "price", "stock")
SHEET, LISTS = "商品", "可选值"
MAX_ROWS = 500


def _hints():
    return {"code": _("必填，您自己的货号；更新和照片按它对应"), "name": _("必填"),
            "category": _("必填，二级品类名称，见「可选值」表"),
            "origin": _("必填，县（区），如 林芝市巴宜区 或 巴宜区"), "spec": _("如 500g/袋"),
            "unit": _("必填，如 袋、斤、箱"), "price": _("必填，如 1,280.00"),
            "stock": _("必填，整数"), "min_order_qty": _("整数，空为 1"),
            "labels": _("绿色食品、有机产品、地理标志，用顿号分隔"), "shelf_life": _("如 12个月"),
            "storage": _("如 冷冻"), "description": _("可空")}


def write(rows, categories, origins, labels):
    """The workbook's bytes.

    :param rows: dicts by column key (the supplier's products; none for the blank template).
    :param categories, origins, labels: the names a cell may take, for the lists sheet.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    hints = _hints()
    sheet.append([header for _key, header, _width in COLUMNS])
    sheet.append([hints[key] for key, _header, _width in COLUMNS])
    for index, (key, _header, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(1, index).font = Font(bold=True, color="B91C1C" if key in REQUIRED else None)
        sheet.cell(2, index).font = Font(italic=True, color="6B7280")
        sheet.cell(2, index).fill = PatternFill("solid", fgColor="F3F4F6")
    sheet.freeze_panes = "B3"
    for row in rows:
        sheet.append([row.get(key) for key, _header, _width in COLUMNS])
    lists = book.create_sheet(LISTS)
    for index, (title, values) in enumerate(((HEADERS["category"], categories),
                                            (HEADERS["origin"], origins),
                                            (HEADERS["labels"], labels)), start=1):
        lists.cell(1, index, title).font = Font(bold=True)
        lists.column_dimensions[get_column_letter(index)].width = 22
        for offset, value in enumerate(values, start=2):
            lists.cell(offset, index, value)
        if index < 3 and values:
            # A drop-down for the category and origin columns (typing another value stays
            # possible: the upload's check names what is wrong).
            letter = get_column_letter(index)
            column = get_column_letter([key for key, _h, _w in COLUMNS].index(
                ("category", "origin")[index - 1]) + 1)
            check = DataValidation(type="list", showErrorMessage=False,
                                   formula1=f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}")
            check.add(f"{column}3:{column}{MAX_ROWS + 2}")
            sheet.add_data_validation(check)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value):
    """A cell as the text a person typed: 12 not 12.0, no float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def read(data):
    """The data rows of an uploaded file: [(Excel row number, {column key: text})], blank rows
    and the hint row left out.

    :raises ValidationError: on field "file": not an .xlsx workbook, no header row of this
        template, or more than MAX_ROWS rows.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(_("请上传用模板填写的 Excel 文件（.xlsx）。"), fields={"file": "bad_type"})
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ValidationError(_("无法读取该 Excel 文件，请用模板重新填写。"),
                              fields={"file": "unreadable"}) from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_text(value) for value in next(lines, ())]
        positions = {key: header.index(title) for key, title in HEADERS.items()
                     if title in header}
        missing = [HEADERS[key] for key in REQUIRED if key not in positions]
        if missing:
            raise ValidationError(_("第一行缺少这些列：%(columns)s。请使用平台的模板。",
                                    columns="、".join(missing)), fields={"file": "no_header"})
        rows = []
        for number, line in enumerate(lines, start=2):
            values = {key: _text(line[index]) if index < len(line) else ""
                      for key, index in positions.items()}
            # Row 2 is the hint row (in whichever language it was written), unless the
            # supplier replaced it with a product: a hint is never a valid code.
            if not any(values.values()) or (number == 2 and not CODE_PATTERN.match(
                    values["code"])):
                continue
            if len(rows) == MAX_ROWS:
                raise ValidationError(_("文件超过 %(n)s 行商品，请分成几个文件上传。", n=MAX_ROWS),
                                      fields={"file": "too_many_rows"})
            rows.append((number, values))
    finally:
        book.close()
    if not rows:
        raise ValidationError(_("文件里没有商品行。"), fields={"file": "empty"})
    return rows
