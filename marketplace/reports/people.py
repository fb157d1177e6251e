"""The quota report written for people: column names, regions, canteens and statuses in the
reader's language, money with thousands separators and two decimals, ratios as percentages.

The API's rows stay what machines read (`?header=keys`); these are what a person opens in a
spreadsheet or prints. Both are digested the same way (integrity.RowDigest over the cells).
"""
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Organization
from marketplace.compliance.labels import CANTEEN_LABELS, EXCEPTION_LABELS, STATUS_LABELS
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.money import amount_text
from marketplace.regions.models import Region
from marketplace.reports.services import QUOTA_COLUMNS

QUOTA_HEADERS = {
    "unit_id": _l("单位编号"), "unit_name": _l("单位名称"), "region_code": _l("地区"),
    "canteen_status": _l("食堂情况"), "food_budget": _l("食材预算（元）"),
    "ratio": _l("预留比例"), "reserved": _l("预留金额（元）"), "completed": _l("已完成（元）"),
    "in_progress": _l("在途（元）"), "completion_rate": _l("完成率"), "status": _l("状态"),
    "exception_status": _l("比例例外"),
}
# The kinds of the people's cells (xlsx_export): "yuan" is "1,234.50", "pct" is "12.34%".
QUOTA_PEOPLE_KINDS = ("int", "name", "text", "text", "yuan", "pct", "yuan", "yuan", "yuan",
                      "pct", "text", "text")
FILTER_NAMES = {"region": _l("地区"), "parent_id": _l("上级单位"), "status": _l("状态")}


def quota_headers(header):
    """The header row: the API's keys when `header` is "keys", else the column names in the
    language `header` names (zh_Hans_CN, en)."""
    if header == "keys":
        return list(QUOTA_HEADERS)
    with force_locale(header):
        return [str(label) for label in QUOTA_HEADERS.values()]




def percent(text):
    """A decimal share ("0.4567") → "45.67%"; empty stays empty."""
    if text in (None, ""):
        return ""
    return f"{Decimal(str(text)) * 100:.2f}%"


def region_names(codes):
    """{code: "西藏自治区林芝市巴宜区"}: each region with the chain above it, in one query per
    level at most (codes are six digits: province, city, county)."""
    codes = {code for code in codes if code}
    wanted = set(codes)
    for code in codes:
        wanted.update({code[:2] + "0000", code[:4] + "00"})
    found = {region.code: region.name
             for region in db.session.query(Region).filter(Region.code.in_(wanted))}
    names = {}
    for code in codes:
        chain = []
        for part in (code[:2] + "0000", code[:4] + "00", code):
            name = found.get(part)
            if name and name not in chain:
                chain.append(name)
        names[code] = "".join(chain) or _("未知地区")
    return names


def label(labels, code):
    """The reader's name of a code ("" for none)."""
    return str(labels[code]) if code in labels else (code or "")


def quota_people_cells(api_rows, header):
    """The quota rows (the API's dicts) as lists of cells for people, in QUOTA_HEADERS order;
    with header="keys" the API's strings as they are."""
    if header == "keys":
        return [[row[column] for column in QUOTA_COLUMNS] for row in api_rows]
    names = region_names(row["region_code"] for row in api_rows)
    with force_locale(header):
        return [[row["unit_id"], row["unit_name"], names.get(row["region_code"], ""),
                 label(CANTEEN_LABELS, row["canteen_status"]), amount_text(row["food_budget"]),
                 percent(row["ratio"]), amount_text(row["reserved"]), amount_text(row["completed"]),
                 amount_text(row["in_progress"]), percent(row["completion_rate"]),
                 label(STATUS_LABELS, row["status"]),
                 label(EXCEPTION_LABELS, row["exception_status"])] for row in api_rows]


def people_totals(totals, header):
    """The totals row keyed by the header's column names (money for people unless "keys")."""
    columns = dict(zip(QUOTA_HEADERS, quota_headers(header)))
    fmt = (lambda value: value) if header == "keys" else amount_text
    return {columns[key]: fmt(value) for key, value in totals.items() if key in columns}


def filters_sentence(filters):
    """The filters of an export as a sentence: "地区为林芝市，状态为进度落后", or "无"."""
    parts = []
    for key in ("region", "parent_id", "status"):
        value = (filters or {}).get(key)
        if not value:
            continue
        if key == "region":
            code = str(value).ljust(6, "0")
            value = region_names([code]).get(code, value)
        elif key == "parent_id":
            unit = db.session.get(Organization, int(value)) if str(value).isdigit() else None
            value = unit.name if unit is not None else value
        else:
            value = label(STATUS_LABELS, value)
        parts.append(_("%(name)s为%(value)s", name=FILTER_NAMES[key], value=value))
    return _("，").join(parts) if parts else _("无（范围内全部单位）")
