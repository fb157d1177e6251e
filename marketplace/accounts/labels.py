"""Human names of roles, organisation kinds and statuses (translated where shown)."""
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "purchaser": _l("采购人"),
    "unit_manager": _l("单位管理员"),
    "supplier_staff": _l("供应商员工"),
    "auditor": _l("审计人员"),
    "admin": _l("平台管理员"),
}
KIND_LABELS = {
    "budget_unit": _l("预算单位"),
    "union": _l("工会"),
    "enterprise": _l("企业"),
    "supplier": _l("供应商"),
    "audit_office": _l("审计机关"),
    "platform": _l("平台"),
}
STATUS_LABELS = {
    "pending": _l("待审核"),
    "active": _l("正常"),
    "rejected": _l("未通过"),
    "suspended": _l("已暂停"),
}

CREDIT_TIER_LABELS = {
    "standard": _l("普通"),
    "silver": _l("银卡"),
    "gold": _l("金卡"),
    "diamond": _l("钻石卡"),
}


def role_label(role):
    return ROLE_LABELS.get(role, role)


def kind_label(kind):
    return KIND_LABELS.get(kind, kind)


def status_label(status):
    return STATUS_LABELS.get(status, status)


def credit_tier_label(tier):
    return CREDIT_TIER_LABELS.get(tier, tier)
