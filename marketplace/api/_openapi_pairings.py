"""The OpenAPI description of the 万企兴万村 operations (pairings.py, board.py), added to the spec
that openapi.py serves: its schemas join SCHEMAS, its paths are added by `add_paths`."""
from marketplace.api.openapi import (ID, MONEY, MONEY_OUT, PAGE_PARAMS, REGION_CODE, SCHEMAS,
                                     TIME, XLSX, YEAR, obj, operation, page_of, path_param,
                                     query_param, ref)

PROJECT_KINDS = ["efficient_farming", "special_breeding", "folk_tourism", "processing_trade",
                 "modern_logistics", "other"]
RATE_OUT = {"type": ["string", "null"], "pattern": r"^\d+\.\d{4}$",
            "description": "purchased / target, four places, half-up."}
PACES = {"type": ["string", "null"], "enum": ["met", "on_track", "behind", "not_met", None],
         "description": "The pace against the CST year while the pairing is active."}
PROJECT = obj({"kind": {"type": "string", "enum": PROJECT_KINDS},
               "name": {"type": "string", "maxLength": 120},
               "households": {"type": "integer", "minimum": 0, "maximum": 1000000},
               "bases": {"type": "integer", "minimum": 0, "maximum": 1000000},
               "description": {"type": "string", "maxLength": 500}}, ("kind",))
TEXT_500 = {"type": "string", "minLength": 1, "maxLength": 500}
COUNTY = query_param("county", description="A county code or region prefix (an auditor's "
                                           "jurisdiction narrows it).")

PAIRING_SCHEMAS = {
    "PairingInput": obj({
        "enterprise_id": {**ID, "description": "An organisation of kind `enterprise`."},
        "village": {"type": "string", "minLength": 1, "maxLength": 100,
                    "description": "The administrative village's name."},
        "county_code": {**REGION_CODE, "description": "The village's county."},
        "supplier_ids": {"type": "array", "minItems": 1, "maxItems": 50, "items": ID,
                         "description": "The village's cooperatives and bases: suppliers "
                                        "certified in that county."},
        "year": YEAR, "target_amount": {**MONEY, "description": "The purchase target, > 0."},
        "projects": {"type": "array", "maxItems": 20, "items": PROJECT}},
        ("enterprise_id", "village", "county_code", "supplier_ids", "year", "target_amount")),
    "PairingRequestInput": obj({
        "village_id": ID, "supplier_ids": {"type": "array", "minItems": 1, "maxItems": 50,
                                           "items": ID},
        "year": YEAR, "target_amount": MONEY,
        "projects": {"type": "array", "maxItems": 20, "items": PROJECT},
        "note": {"type": "string", "maxLength": 500}},
        ("village_id", "supplier_ids", "year", "target_amount")),
    "ReasonInput": obj({"reason": TEXT_500}, ("reason",)),
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
        "target_amount": MONEY_OUT,
        "status": {"type": "string", "enum": ["requested", "active", "rejected", "ended"]},
        "projects": {"type": "array", "items": {"type": "object"}},
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
    "Village": obj({"id": ID, "name": {"type": "string"}, "county_code": REGION_CODE,
                    "county_name": {"type": ["string", "null"]},
                    "partners": {"type": "integer", "description": "Enterprises paired with "
                                                                   "it this year."}},
                   ("id", "name", "county_code")),
    "VillageInput": obj({"name": {"type": "string", "minLength": 1, "maxLength": 100},
                         "county_code": REGION_CODE}, ("name", "county_code")),
    "VillageNeedInput": obj({
        "village": {"type": "string", "minLength": 1, "maxLength": 100},
        "county_code": {**REGION_CODE, "description": "A cooperative: one it is certified for."},
        "kind": {"type": "string", "enum": ["product", "project"]},
        "title": {"type": "string", "minLength": 1, "maxLength": 120},
        "description": {"type": "string", "maxLength": 2000},
        "quantity": {"type": "integer", "minimum": 1, "maximum": 100000000,
                     "description": "A product need: how much."},
        "unit": {"type": "string", "minLength": 1, "maxLength": 20},
        "season": {"type": "string", "minLength": 1, "maxLength": 60},
        "project_kind": {"type": "string", "enum": PROJECT_KINDS,
                         "description": "A project need: its kind."}},
        ("village", "county_code", "kind", "title")),
    "VillageNeed": obj({
        "id": ID, "village_id": ID, "village": {"type": "string"}, "county_code": REGION_CODE,
        "kind": {"type": "string", "enum": ["product", "project"]}, "title": {"type": "string"},
        "quantity": {"type": ["integer", "null"]}, "unit": {"type": ["string", "null"]},
        "season": {"type": ["string", "null"]}, "project_kind": {"type": ["string", "null"]},
        "status": {"type": "string", "enum": ["open", "closed"]}, "publisher_id": ID,
        "created_at": TIME}, ("id", "village_id", "kind", "title", "status")),
    "MessageInput": obj({"body": {"type": "string", "minLength": 1, "maxLength": 2000}},
                        ("body",)),
    "Conversation": obj({
        "id": ID, "need_id": ID, "enterprise_id": ID,
        "messages": {"type": "array", "items": obj({
            "id": ID, "author_id": ID, "body": {"type": "string"}, "created_at": TIME},
            ("id", "body"))}}, ("id", "need_id", "enterprise_id", "messages")),
    "Revitalisation": obj({
        "year": {"type": "integer"}, "region": {"type": ["string", "null"]},
        "totals": obj({"target": MONEY_OUT, "purchased": MONEY_OUT, "rate": RATE_OUT}),
        "counties": {"type": "array", "items": {"type": "object"}},
        "pairings": {"type": "array", "items": {"type": "object"}},
        "enterprises_behind": {"type": "array", "items": {"type": "object"}},
        "villages_without_partner": {"type": "array", "items": {"type": "object"}}},
        ("year", "totals", "counties", "pairings", "enterprises_behind",
         "villages_without_partner")),
}
PAIRING_SCHEMAS["PairingInput"]["example"] = {
    "enterprise_id": 7, "village": "扎西岗村", "county_code": "540402", "supplier_ids": [12],
    "year": 2026, "target_amount": "200000.00",
    "projects": [{"kind": "folk_tourism", "name": "鲁朗民宿", "households": 46}]}
PAIRING_SCHEMAS["PairingRequestInput"]["example"] = {
    "village_id": 3, "supplier_ids": [12], "year": 2026, "target_amount": "150000.00",
    "note": "每月采购松茸和藏香猪"}
PAIRING_SCHEMAS["VillageNeedInput"]["example"] = {
    "village": "扎西岗村", "county_code": "540402", "kind": "product", "title": "鲁朗松茸找买家",
    "quantity": 5000, "unit": "斤", "season": "7–9 月"}
PAIRING_SCHEMAS["ReasonInput"]["example"] = {"reason": "双方协商终止结对"}
PAIRING_SCHEMAS["VillageInput"]["example"] = {"name": "扎西岗村", "county_code": "540402"}
PAIRING_SCHEMAS["MessageInput"]["example"] = {"body": "我司每月可采购松茸 300 斤，请联系。"}
PAIRING_SCHEMAS["PairingPage"] = page_of(ref("Pairing"))
PAIRING_SCHEMAS["PairingLines"] = page_of(ref("PairingLine"))
PAIRING_SCHEMAS["PairingLines"]["properties"]["purchased"] = MONEY_OUT
PAIRING_SCHEMAS["VillagePage"] = page_of(ref("Village"))
PAIRING_SCHEMAS["VillageNeedPage"] = page_of(ref("VillageNeed"))
PAIRING_SCHEMAS["ConversationPage"] = page_of(ref("Conversation"))
SCHEMAS.update(PAIRING_SCHEMAS)

READERS = ("admin", "auditor", "purchaser", "supplier_staff")
TALKING = ("purchaser", "supplier_staff", "admin")


def add_paths(add):
    """Add the pairing and board operations with openapi.build_paths's `add`."""
    pairing_id = [path_param("pairing_id")]
    add("/pairings", "post", operation(
        "pairings", "Pair an enterprise with a village", module="pairings", roles=("admin",),
        body=ref("PairingInput"), ok=201, answer=ref("Pairing"), errors=(409,),
        description="Not an enterprise, not a county, a supplier not certified in the village's "
                    "county, a target ≤ 0 → 422 and nothing is created; the same enterprise, "
                    "village and year, or a supplier already paired with the enterprise that "
                    "year → 409. Several enterprises may pair with one village."))
    add("/pairings", "get", operation(
        "pairings", "List the pairings you may see", module="pairings", roles=READERS,
        params=[query_param("year", YEAR), COUNTY,
                query_param("enterprise_id", {"type": "integer", "minimum": 1}),
                query_param("status", {"type": "string", "enum": [
                    "requested", "active", "rejected", "ended"]}), *PAGE_PARAMS],
        answer=ref("PairingPage"),
        description="The admin, the enterprise, the paired suppliers, auditors in scope; each "
                    "with its progress (purchased with the quota's rules, rate four places)."))
    add("/pairings/requests", "post", operation(
        "pairing_requests", "Ask to pair with a village (an enterprise)", module="pairings",
        roles=("purchaser",), body=ref("PairingRequestInput"), ok=201, answer=ref("Pairing"),
        errors=(404, 409), description="A buyer of an enterprise; the admin approves."))
    add("/pairings/{pairing_id}", "get", operation(
        "pairing", "Read a pairing and its progress", module="pairings", roles=READERS,
        params=pairing_id, answer=ref("Pairing")))
    add("/pairings/{pairing_id}/lines", "get", operation(
        "pairing_lines", "The order lines behind a pairing's purchased amount",
        module="pairings", roles=READERS, params=[*pairing_id, *PAGE_PARAMS],
        answer=ref("PairingLines")))
    for action, summary, body in (("approve", "Approve a pairing request", None),
                                  ("reject", "Reject a pairing request", ref("ReasonInput")),
                                  ("end", "End an active pairing", ref("ReasonInput"))):
        add(f"/pairings/{{pairing_id}}/{action}", "post", operation(
            f"pairing_{action}", summary, module="pairings", roles=("admin",),
            params=pairing_id, body=body, answer=ref("Pairing"), errors=(409,)))
    year = path_param("year", YEAR)
    add("/revitalisation/{year}", "get", operation(
        "revitalisation", "The rural-revitalisation view of a year", module="pairings",
        roles=("admin", "auditor"), params=[year, COUNTY], answer=ref("Revitalisation"),
        description="Every pairing in scope by county and village, target against purchased, "
                    "the enterprises behind their pace, the villages without a partner."))
    for fmt, mime in (("csv", "text/csv"), ("xlsx", XLSX)):
        add(f"/revitalisation/{{year}}/report.{fmt}", "get", operation(
            f"revitalisation_report_{fmt}", f"The revitalisation view as {fmt.upper()}",
            module="pairings", roles=("admin", "auditor"),
            params=[year, query_param("region"),
                    query_param("header", {"type": "string", "enum": ["keys"]},
                                "`keys`: the API's field names instead of Chinese headers.")],
            media={mime: {"schema": {"type": "string", "format": "binary"}}},
            description="For people: headers and codes in the reader's language; with an "
                        "integrity digest the verify page checks."))
    _board_paths(add)


def _board_paths(add):
    need_id = [path_param("need_id")]
    conversation_id = [path_param("conversation_id")]
    add("/villages", "get", operation(
        "villages", "List villages", module="board",
        params=[COUNTY, query_param("q"), *PAGE_PARAMS], answer=ref("VillagePage")))
    add("/villages", "post", operation(
        "villages", "Register a village", module="board", roles=("admin",),
        body=ref("VillageInput"), ok=201, answer=ref("Village"), errors=(409,)))
    add("/village-needs", "get", operation(
        "village_needs", "Browse the village board", module="board",
        params=[COUNTY, query_param("kind", {"type": "string", "enum": ["product", "project"]}),
                query_param("status", {"type": "string", "enum": ["open", "closed"]}),
                query_param("village_id", {"type": "integer", "minimum": 1}), *PAGE_PARAMS],
        answer=ref("VillageNeedPage")))
    add("/village-needs", "post", operation(
        "village_needs", "Publish a village's need", module="board",
        roles=("supplier_staff", "admin"), body=ref("VillageNeedInput"), ok=201,
        answer=ref("VillageNeed"),
        description="A cooperative for a village of a county it is certified for (else 403); "
                    "a product need names quantity, unit and season, a project its kind."))
    add("/village-needs/{need_id}", "get", operation(
        "village_need", "Read a need", module="board", params=need_id,
        answer=ref("VillageNeed")))
    add("/village-needs/{need_id}/close", "post", operation(
        "village_need_close", "Close a need", module="board", roles=("supplier_staff", "admin"),
        params=need_id, answer=ref("VillageNeed"), errors=(409,),
        description="Its publisher or the admin."))
    add("/village-needs/{need_id}/answers", "post", operation(
        "village_need_answers", "Answer a need (an enterprise)", module="board",
        roles=("purchaser",), params=need_id, body=ref("MessageInput"), ok=201,
        answer=ref("Conversation"), errors=(409,),
        description="Opens (or continues) the conversation with the publisher, which the "
                    "admin can read."))
    add("/conversations", "get", operation(
        "conversations", "Your conversations (the admin: all)", module="board", roles=TALKING,
        params=PAGE_PARAMS, answer=ref("ConversationPage")))
    add("/conversations/{conversation_id}", "get", operation(
        "conversation", "Read a conversation", module="board", roles=TALKING,
        params=conversation_id, answer=ref("Conversation")))
    add("/conversations/{conversation_id}/messages", "post", operation(
        "conversation_messages", "Write in a conversation", module="board", roles=TALKING,
        params=conversation_id, body=ref("MessageInput"), ok=201, answer=ref("Conversation")))
