"""The quota (quota.py): policies, units' filings and their exceptions, the year's figures of the
units in scope and the order lines behind them."""
from marketplace.api.contract.shapes import (ID, MONEY, MONEY_OUT, NULLABLE_ID, PAGE_PARAMS,
                                             RATIO, RATIO_OUT, REGION_CODE, TIME, YEAR, enum,
                                             obj, operation, page_of, path_param, query_param,
                                             ref)
from marketplace.compliance.models import CANTEEN_STATUSES, EXCEPTION_STATUSES
from marketplace.compliance.services import DECISIONS, QUOTA_STATUSES

PREFIX = {"type": "string", "pattern": r"^\d{2,6}$"}
OPTIONAL_MONEY = {"oneOf": [MONEY_OUT, {"type": "null"}]}
OPTIONAL_RATIO = {"oneOf": [RATIO_OUT, {"type": "null"}]}
EXCEPTION_STATUS = {"type": ["string", "null"], "enum": [None, *EXCEPTION_STATUSES]}

SCHEMAS = {
    "QuotaPolicyInput": obj({
        "region_prefix": {**PREFIX, "example": "54"}, "year": YEAR,
        "min_ratio": {**RATIO, "default": "0.10"},
        "eligible_origin_prefixes": {"type": "array", "maxItems": 50, "items": PREFIX,
                                     "description": "Empty or left out: any aided county."},
        "count_union_purchases": {"type": "boolean", "default": True}},
        ("region_prefix", "year"),
        example={"region_prefix": "54", "year": 2026, "min_ratio": "0.10",
                 "eligible_origin_prefixes": ["54"], "count_union_purchases": True}),
    "QuotaPolicy": obj({
        "id": ID, "region_prefix": {"type": "string"}, "year": {"type": "integer"},
        "min_ratio": RATIO_OUT,
        "eligible_origin_prefixes": {"type": "array", "items": {"type": "string"}},
        "count_union_purchases": {"type": "boolean"}},
        ("region_prefix", "year", "min_ratio")),
    "FilingInput": obj({
        "canteen_status": enum(CANTEEN_STATUSES),
        "food_budget": {**MONEY, "description": "Required unless the unit has no canteen of "
                                                "its own to buy for (shared_member, none)."},
        "ratio": {**RATIO, "description": "Left out: the policy minimum."},
        "exception_ref": {"type": "string", "minLength": 1, "maxLength": 100,
                          "description": "The approving document's reference, for a ratio "
                                         "under the policy minimum: the exception is then "
                                         "`pending` until decided."},
        "representative_unit_id": {**ID, "description": "For shared_member: the unit filing "
                                                        "for the shared canteen."}},
        ("canteen_status",),
        example={"canteen_status": "own", "food_budget": "200000.00", "ratio": "0.10"}),
    "Filing": obj({"id": ID, "reserved": OPTIONAL_MONEY,
                   "budget_unit_id": ID, "year": {"type": "integer"},
                   "version": {"type": "integer", "description": "Every correction is kept."},
                   "is_current": {"type": "boolean"}, "canteen_status": {"type": "string"},
                   "food_budget": OPTIONAL_MONEY,
                   "ratio": {**OPTIONAL_RATIO, "description": "As filed."},
                   "counted_ratio": {**OPTIONAL_RATIO,
                                     "description": "The ratio that counts: the policy minimum "
                                                    "while an exception is pending or after "
                                                    "it was rejected."},
                   "minimum_ratio": OPTIONAL_RATIO,
                   "exception_ref": {"type": ["string", "null"]},
                   "exception_status": EXCEPTION_STATUS,
                   "exception_note": {"type": ["string", "null"]},
                   "exception_decided_by_id": NULLABLE_ID, "exception_decided_at": TIME,
                   "exception_document": {"type": ["string", "null"],
                                          "description": "The approving document's file name."},
                   "representative_unit_id": NULLABLE_ID, "late": {"type": "boolean"},
                   "filed_by_id": NULLABLE_ID, "filed_at": TIME,
                   "status": {"type": "string", "description": "The unit's quota status now."},
                   "versions": {"type": "array", "items": {"type": "object"},
                                "description": "Every version, newest first (GET only)."}},
                  ("reserved", "exception_status")),
    "ExceptionDecision": obj({"decision": enum(DECISIONS),
                              "note": {"type": "string", "maxLength": 500,
                                       "description": "Required to reject: the unit reads "
                                                      "it."}},
                             ("decision",),
                             example={"decision": "reject",
                                      "note": "例外文件未说明理由，请补充后重新填报"}),
    "QuotaUnit": obj({
        "unit_id": ID, "unit_name": {"type": "string"}, "region_code": REGION_CODE,
        "canteen_status": {"type": ["string", "null"]}, "food_budget": OPTIONAL_MONEY,
        "ratio": OPTIONAL_RATIO, "reserved": OPTIONAL_MONEY, "completed": MONEY_OUT,
        "in_progress": MONEY_OUT,
        "completion_rate": {"oneOf": [{"type": "string", "pattern": r"^\d+\.\d{4}$"},
                                      {"type": "null"}],
                            "description": "completed / reserved, four places; null when "
                                           "nothing is reserved."},
        "status": enum(QUOTA_STATUSES),
        "exception_status": {**EXCEPTION_STATUS,
                             "description": "A ratio under the minimum: pending (counted at "
                                            "the minimum), approved or rejected."}},
        ("unit_id", "unit_name", "region_code", "canteen_status", "food_budget", "ratio",
         "reserved", "completed", "in_progress", "completion_rate", "status")),
    "QuotaTotals": obj({"reserved": MONEY_OUT, "completed": MONEY_OUT, "in_progress": MONEY_OUT},
                       ("reserved", "completed", "in_progress")),
    "QuotaLine": obj({
        "line_id": ID, "order_id": ID, "order_number": {"type": "string"},
        "budget_unit_id": NULLABLE_ID, "credited_unit_id": NULLABLE_ID,
        "purpose": {"type": "string"}, "product_id": NULLABLE_ID,
        "product_name": {"type": "string"}, "origin_region_code": REGION_CODE,
        "quantity": {"type": "integer"}, "accepted_quantity": {"type": ["integer", "null"]},
        "unit_price": MONEY_OUT, "refunded": MONEY_OUT,
        "counted": {**MONEY_OUT, "description": "What this line adds to `completed`."},
        "accepted_at": TIME}, ("line_id", "order_id", "counted")),
    "QuotaPolicyPage": page_of(ref("QuotaPolicy")),
    "QuotaLines": page_of(ref("QuotaLine"), completed=MONEY_OUT),
}
SCHEMAS["QuotaUnits"] = {
    **page_of(ref("QuotaUnit"), totals=ref("QuotaTotals")), "required": ["items", "totals"],
    "description": "The rows matched, and totals over every row matched."}

UNIT_YEAR = [path_param("budget_unit_id"), path_param("year", YEAR)]
YEAR_PARAM = path_param("year", YEAR)

OPERATIONS = [
    ("/quota/policies", "put", operation(
        "quota_policies", "Set the quota policy of a region prefix and year",
        module="quota", roles=("admin",), body=ref("QuotaPolicyInput"),
        answer=ref("QuotaPolicy"))),
    ("/quota/policies", "get", operation(
        "quota_policies", "List quota policies", module="quota",
        roles=("admin", "auditor", "unit_manager"),
        params=[query_param("year", {"type": "integer", "minimum": 2000, "maximum": 2100}),
                *PAGE_PARAMS],
        answer=ref("QuotaPolicyPage"))),
    ("/quota/filings/{budget_unit_id}/{year}", "put", operation(
        "quota_filing", "File (or correct) a unit's reserved share for a year", module="quota",
        roles=("unit_manager", "admin"), params=UNIT_YEAR,
        body=ref("FilingInput"), answer=ref("Filing"), errors=(409,),
        description="That unit's unit manager, or an admin. A ratio under the policy minimum "
                    "without `exception_ref` → 422; with it, `exception_status` is `pending` "
                    "and `reserved` stays at the policy minimum until the exception is "
                    "approved.")),
    ("/quota/filings/{budget_unit_id}/{year}", "get", operation(
        "quota_filing", "A unit's current filing for a year, with every version",
        module="quota", roles=("unit_manager", "admin", "auditor"), params=UNIT_YEAR,
        answer=ref("Filing"), description="404 `not_filed` when the unit has not filed.")),
    ("/quota/filings/{budget_unit_id}/{year}/exception", "post", operation(
        "quota_filing_exception", "Approve or reject a filing's exception", module="quota",
        roles=("admin", "auditor"), params=UNIT_YEAR,
        body=ref("ExceptionDecision"), answer=ref("Filing"), errors=(409,),
        description="The admin, or an auditor whose jurisdiction covers the unit; never the "
                    "unit's own staff (403). `approve`: `reserved` at the filed ratio; "
                    "`reject` (with a `note`): the policy minimum stays. 409 when no "
                    "exception is pending; a new filing version starts a new decision.")),
    ("/quota/{year}/units", "get", operation(
        "quota_units", "Quota figures of the units in scope", module="quota",
        roles=("auditor", "admin", "unit_manager"),
        params=[YEAR_PARAM,
                query_param("region", description="Units within this region's prefix."),
                query_param("parent_id", {"type": "integer", "minimum": 1},
                            "All descendants of this unit."),
                query_param("status", enum(QUOTA_STATUSES)), *PAGE_PARAMS],
        answer=ref("QuotaUnits"),
        description="Auditors in their jurisdiction, admins; a unit manager sees its subtree.")),
    ("/quota/{year}/units/{unit_id}/lines", "get", operation(
        "quota_unit_lines", "The order lines behind a unit's completed amount", module="quota",
        roles=("auditor", "admin", "unit_manager"), params=[YEAR_PARAM, path_param("unit_id")],
        answer=ref("QuotaLines"))),
]
