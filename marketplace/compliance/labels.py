"""The names people read for the quota domain's codes (statuses, canteens, exceptions)."""
from flask_babel import lazy_gettext as _l

EXCEPTION_LABELS = {"pending": _l("例外待审批"), "approved": _l("例外已批准"),
                    "rejected": _l("例外未批准")}
STATUS_LABELS = {"exempt": _l("免于考核"), "not_filed": _l("未填报"), "met": _l("已完成"),
                 "on_track": _l("进度正常"), "behind": _l("进度落后"), "not_met": _l("未完成")}
CANTEEN_LABELS = {"own": _l("自办食堂"), "outsourced": _l("外包食堂"),
                  "shared_representative": _l("共享食堂代表单位"),
                  "shared_member": _l("共享食堂成员"), "none": _l("无食堂")}
