"""Organisations and users, as the admin creates and reviews them (admin.py)."""
from marketplace.accounts.models import ORG_KINDS, ORG_STATUSES, ROLES
from marketplace.accounts.services import ADMIN_KINDS, REVIEW_ACTIONS
from marketplace.api.contract.shapes import (ID, MONEY, MONEY_OUT, NULLABLE_ID, REGION_CODE,
                                             TEXT, TIME, enum, obj, operation, path_param, ref)

# The statuses an admin may move an organisation to (each review action's result).
STATUS_TARGETS = tuple(dict.fromkeys(target for _allowed, target in REVIEW_ACTIONS.values()))

SCHEMAS = {
    "Organization": obj({
        "id": ID, "name": {"type": "string"}, "kind": enum(ORG_KINDS),
        "status": enum(ORG_STATUSES),
        "region_code": REGION_CODE, "parent_id": NULLABLE_ID, "budget_unit_id": NULLABLE_ID,
        "approval_threshold": {"oneOf": [MONEY_OUT, {"type": "null"}]},
        "jurisdiction_prefix": {"type": ["string", "null"],
                                "description": "An audit office's jurisdiction: its region's "
                                               "prefix (540000 → \"54\")."},
        "review_note": {"type": ["string", "null"],
                        "description": "The reason of the last review decision."},
        "created_at": TIME}, ("id", "name", "kind", "region_code")),
    "OrganizationStatusInput": obj({
        "status": enum(STATUS_TARGETS,
                       description="active: approve a registration or reactivate; suspended: "
                                   "suspend; rejected: reject a registration."),
        "reason": {"type": "string", "maxLength": 500,
                   "description": "Required to suspend or reject; the members read it."}},
        ("status",), example={"status": "suspended", "reason": "资质证书过期，待补充材料"}),
    "OrganizationInput": obj({
        "name": TEXT, "kind": enum(ADMIN_KINDS), "region_code": REGION_CODE,
        "parent_id": {**ID, "description": "The parent budget unit (budget units only)."},
        "budget_unit_id": {**ID, "description": "The budget unit a union belongs to "
                                                "(required for a union)."},
        "approval_threshold": {**MONEY, "description": "Budget units only: orders with a larger "
                                                       "total wait for a unit manager."},
        "credit_code": {"type": "string", "maxLength": 18},
        "contact_name": {"type": "string", "maxLength": 80},
        "contact_phone": {"type": "string", "maxLength": 40},
        "address": {"type": "string", "maxLength": 300}}, ("name", "kind", "region_code"),
        example={"name": "林芝市第一中学", "kind": "budget_unit", "region_code": "540402",
                 "parent_id": 2, "approval_threshold": "5000.00"}),
    "User": obj({"id": ID, "email": {"type": "string"}, "name": {"type": "string"},
                 "role": enum(ROLES), "organization_id": ID, "active": {"type": "boolean"},
                 "created_at": TIME},
                ("id", "email", "name", "role", "organization_id")),
    "UserInput": obj({"email": {"type": "string", "format": "email", "maxLength": 254},
                      "password": {"type": "string", "minLength": 10, "maxLength": 1024,
                                   "description": "At least 10 characters; a common or "
                                                  "breached password, the e-mail or name, or "
                                                  "one repeated character → 422."},
                      "name": {"type": "string", "minLength": 1, "maxLength": 100},
                      "organization_id": ID,
                      "role": enum(ROLES, description="Must fit the organisation's kind.")},
                     ("email", "password", "name", "organization_id", "role"),
                     example={"email": "buyer@school.example", "password": "correct-horse-42",
                              "name": "卓玛", "organization_id": 3, "role": "purchaser"}),
}

OPERATIONS = [
    ("/organizations", "post", operation(
        "organizations", "Create an organisation", module="admin", roles=("admin",),
        body=ref("OrganizationInput"), ok=201, answer=ref("Organization"),
        description="A union needs `budget_unit_id`; `parent_id` is the parent budget unit; an "
                    "audit office's jurisdiction is its region's prefix.")),
    ("/organizations/{organization_id}", "get", operation(
        "organization", "Read an organisation", module="admin", roles=("admin",),
        params=[path_param("organization_id")], answer=ref("Organization"))),
    ("/organizations/{organization_id}", "patch", operation(
        "organization", "Suspend or reactivate an organisation", module="admin",
        roles=("admin",), params=[path_param("organization_id")],
        body=ref("OrganizationStatusInput"), answer=ref("Organization"), errors=(409,),
        description="As the console does: a suspension ends its members' sessions and tokens "
                    "and takes a supplier's goods off sale; its members are told, with the "
                    "reason. A change its status does not allow → 409.")),
    ("/users", "post", operation(
        "users", "Create a user", module="admin", roles=("admin",), body=ref("UserInput"),
        ok=201, answer=ref("User"), errors=(409,),
        description="A taken e-mail → 409; a role the organisation's kind cannot hold → 422.")),
]
