"""Human names of the reasons points move (translated where shown)."""
from flask_babel import lazy_gettext as _l

REASON_LABELS = {
    "accepted_in_full": _l("订单全部验收"),
    "accepted_with_refusal": _l("订单部分拒收"),
    "cancelled_by_supplier": _l("供应商取消订单"),
    "shipped_late": _l("确认后超过 72 小时发货"),
    "good_review": _l("获得 4–5 星评价"),
    "poor_review": _l("获得 1–2 星评价"),
    "taken_down": _l("商品被平台下架"),
    "correction": _l("平台调整"),
}


def reason_label(reason):
    return REASON_LABELS.get(reason, reason)
