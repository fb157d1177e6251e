"""万企兴万村 (pairings.py): enterprises paired with villages, their purchase progress, the lines
behind it, and the rural-revitalisation view with its exports."""
from marketplace.api.contract.shapes import (ID, MONEY, MONEY_OUT, PAGE_PARAMS, REGION_CODE,
                                             TIME, YEAR, enum, files, nullable_enum, obj,
                                             operation, page_of, path_param, query_param, ref)
from marketplace.pairings.models import PAIRING_STATUSES, PROJECT_KINDS
from marketplace.pairings.services import OVERVIEW_ROLES, PACE_STATUSES, READER_ROLES

RATE_OUT = {"type": ["string", "null"], "pattern": r"^\d+\.\d{4}$",
            "description": "purchased / target, four places, half-up."}
PACES = nullable_enum(PACE_STATUSES, description="The pace against the CST year while the "
                                                 "pairing is active.")
PROJECT = obj({"kind": enum(PROJECT_KINDS), "name": {"type": "string", "maxLength": 120},
               "households": {"type": "integer", "minimum": 0, "maximum": 1000000},
               "bases": {"type": "integer", "minimum": 0, "maximum": 1000000},
               "description": {"type": "string", "maxLength": 500}}, ("kind",))
PROJECTS = {"type": "array", "maxItems": 20, "items": PROJECT}
SUPPLIERS = {"type": "array", "minItems": 1, "maxItems": 50, "items": ID}
COUNTY = query_param("county", description="A county code or region prefix (an auditor's "
                                           "jurisdiction narrows it).")
OBJECTS = {"type": "array", "items": {"type": "object"}}

SCHEMAS = {
    "PairingInput": obj({
        "enterprise_id": {**ID, "description": "An organisation of kind `enterprise`."},
        "village": {"type": "string", "minLength": 1, "maxLength": 100,
                    "description": "The administrative village's name."},
        "county_code": {**REGION_CODE, "description": "The village's county."},
        "supplier_ids": {**SUPPLIERS, "description": "The village's cooperatives and bases: "
                                                     "suppliers certified in that county."},
        "year": YEAR, "target_amount": {**MONEY, "description": "The purchase target, > 0."},
        "projects": PROJECTS},
        ("enterprise_id", "village", "county_code", "supplier_ids", "year", "target_amount"),
        example={"enterprise_id": 7, "village": "扎西岗村", "county_code": "540402",
                 "supplier_ids": [12], "year": 2026, "target_amount": "200000.00",
                 "projects": [{"kind": "folk_tourism", "name": "鲁朗民宿", "households": 46}]}),
    "PairingRequestInput": obj({
        "village_id": ID, "supplier_ids": SUPPLIERS, "year": YEAR, "target_amount": MONEY,
        "projects": PROJECTS, "note": {"type": "string", "maxLength": 500}},
        ("village_id", "supplier_ids", "year", "target_amount"),
        example={"village_id": 3, "supplier_ids": [12], "year": 2026,
                 "target_amount": "150000.00", "note": "每月采购松茸和藏香猪"}),
    "ReasonInput": obj({"reason": {"type": "string", "minLength": 1, "maxLength": 500}},
                       ("reason",), example={"reason": "双方协商终止结对"}),
    "PairingProgress": obj({
        "purchased": {**MONEY_OUT, "description": "The enterprise's orders from the paired "
                                                  "suppliers, with the quota's rules."},
        "target": MONEY_OUT, "rate": RATE_OUT,
        "expected": {"oneOf": [MONEY_OUT, {"type": "null"}],
                     "description": "What the target asks for by now."},
        "pace": PACES}, ("purchased", "target", "rate")),
    "Pairing": obj({
        "id": ID, "enterprise_id": ID, "enterprise_name": {"type": "string"},
        "village_id": ID, "village": {"type": "string"}, "county_code": REGION_CODE,
        "supplier_ids": {"type": "array", "items": ID}, "year": {"type": "integer"},
        "target_amount": MONEY_OUT, "status": enum(PAIRING_STATUSES), "projects": OBJECTS,
        "households": {"type": "integer"}, "created_at": TIME, "ended_at": TIME,
        "progress": ref("PairingProgress")},
        ("id", "enterprise_id", "village", "county_code", "supplier_ids", "year",
         "target_amount", "status", "progress")),
    "PairingLine": obj({
        "line_id": ID, "order_id": ID, "order_number": {"type": "string"}, "supplier_id": ID,
        "product_id": {"type": ["integer", "null"]}, "product_name": {"type": "string"},
        "quantity": {"type": "integer"}, "accepted_quantity": {"type": "integer"},
        "unit_price": MONEY_OUT, "refunded": MONEY_OUT,
        "counted": {**MONEY_OUT, "description": "What this line adds to `purchased`."},
        "accepted_at": TIME}, ("line_id", "order_id", "counted")),
    "Revitalisation": obj({
        "year": {"type": "integer"}, "region": {"type": ["string", "null"]},
        "totals": obj({"target": MONEY_OUT, "purchased": MONEY_OUT, "rate": RATE_OUT}),
        "counties": OBJECTS, "pairings": OBJECTS, "enterprises_behind": OBJECTS,
        "villages_without_partner": OBJECTS},
        ("year", "totals", "counties", "pairings", "enterprises_behind",
         "villages_without_partner")),
    "PairingPage": page_of(ref("Pairing")),
    "PairingLines": page_of(ref("PairingLine"), purchased=MONEY_OUT),
}

PAIRING = [path_param("pairing_id")]
YEAR_PARAM = path_param("year", YEAR)
# action: (summary, body)
ACTIONS = {"approve": ("Approve a pairing request", None),
           "reject": ("Reject a pairing request", ref("ReasonInput")),
           "end": ("End an active pairing", ref("ReasonInput"))}

OPERATIONS = [
    ("/pairings", "post", operation(
        "pairings", "Pair an enterprise with a village", module="pairings", roles=("admin",),
        body=ref("PairingInput"), ok=201, answer=ref("Pairing"), errors=(409,),
        description="Not an enterprise, not a county, a supplier not certified in the village's "
                    "county, a target ≤ 0 → 422 and nothing is created; the same enterprise, "
                    "village and year, or a supplier already paired with the enterprise that "
                    "year → 409. Several enterprises may pair with one village.")),
    ("/pairings", "get", operation(
        "pairings", "List the pairings you may see", module="pairings", roles=READER_ROLES,
        params=[query_param("year", YEAR), COUNTY,
                query_param("enterprise_id", {"type": "integer", "minimum": 1}),
                query_param("status", enum(PAIRING_STATUSES)), *PAGE_PARAMS],
        answer=ref("PairingPage"),
        description="The admin, the enterprise, the paired suppliers, auditors in scope; each "
                    "with its progress (purchased with the quota's rules, rate four places).")),
    ("/pairings/requests", "post", operation(
        "pairing_requests", "Ask to pair with a village (an enterprise)", module="pairings",
        roles=("purchaser",), body=ref("PairingRequestInput"), ok=201, answer=ref("Pairing"),
        errors=(404, 409), description="A buyer of an enterprise; the admin approves.")),
    ("/pairings/{pairing_id}", "get", operation(
        "pairing", "Read a pairing and its progress", module="pairings", roles=READER_ROLES,
        params=PAIRING, answer=ref("Pairing"))),
    ("/pairings/{pairing_id}/lines", "get", operation(
        "pairing_lines", "The order lines behind a pairing's purchased amount",
        module="pairings", roles=READER_ROLES, params=[*PAIRING, *PAGE_PARAMS],
        answer=ref("PairingLines"))),
    *((f"/pairings/{{pairing_id}}/{action}", "post", operation(
        f"pairing_{action}", summary, module="pairings", roles=("admin",),
        params=PAIRING, body=body, answer=ref("Pairing"), errors=(409,)))
      for action, (summary, body) in ACTIONS.items()),
    ("/revitalisation/{year}", "get", operation(
        "revitalisation", "The rural-revitalisation view of a year", module="pairings",
        roles=OVERVIEW_ROLES, params=[YEAR_PARAM, COUNTY], answer=ref("Revitalisation"),
        description="Every pairing in scope by county and village, target against purchased, "
                    "the enterprises behind their pace, the villages without a partner.")),
    *((f"/revitalisation/{{year}}/report.{fmt}", "get", operation(
        f"revitalisation_report_{fmt}", f"The revitalisation view as {fmt.upper()}",
        module="pairings", roles=OVERVIEW_ROLES,
        params=[YEAR_PARAM, query_param("region"),
                query_param("header", enum(["keys"]),
                            "`keys`: the API's field names instead of Chinese headers.")],
        media=files(fmt),
        description="For people: headers and codes in the reader's language; with an "
                    "integrity digest the verify page checks."))
      for fmt in ("csv", "xlsx")),
]
