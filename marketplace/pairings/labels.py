"""The names people read for the pairing domain's codes (projects, statuses, paces, needs)."""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

PROJECT_LABELS = {
    "efficient_farming": _l("高效种养"),
    "special_breeding": _l("特色养殖"),
    "folk_tourism": _l("民俗旅游"),
    "processing_trade": _l("农产品加工贸易"),
    "modern_logistics": _l("现代物流"),
    "other": _l("其他"),
}
PAIRING_STATUS_LABELS = {
    "requested": _l("申请中"),
    "active": _l("进行中"),
    "rejected": _l("未通过"),
    "ended": _l("已结束"),
    "no_partner": _l("无结对企业"),
}
PACE_LABELS = {
    "met": _l("已达标"),
    "on_track": _l("进度正常"),
    "behind": _l("进度落后"),
    "not_met": _l("未完成"),
}
NEED_KIND_LABELS = {"product": _l("农产品找买家"), "project": _l("项目找合作")}
NEED_STATUS_LABELS = {"open": _l("征集中"), "closed": _l("已关闭")}
# The revitalisation export's column names for people (services.overview.REPORT_COLUMNS).
REPORT_HEADERS = {
    "county_code": _l("县级代码"), "county_name": _l("县（区）"), "village_id": _l("行政村编号"),
    "village": _l("行政村"), "pairing_id": _l("结对编号"), "enterprise_id": _l("企业编号"),
    "enterprise_name": _l("企业"), "status": _l("结对状态"), "suppliers": _l("结对合作社和基地"),
    "households": _l("带动农户（户）"), "target": _l("采购目标（元）"),
    "purchased": _l("已采购（元）"), "rate": _l("完成率"), "pace": _l("进度"),
}


def report_headers(header):
    """The export's header row: the API's keys when `header` is "keys", else the column names
    in the language `header` names (a locale such as zh_Hans_CN or en)."""
    if header == "keys":
        return list(REPORT_HEADERS)
    with force_locale(header):
        return [str(label) for label in REPORT_HEADERS.values()]
