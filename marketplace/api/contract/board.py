"""The village board (board.py): villages, needs published by cooperatives and the admin,
enterprises' answers and the conversations they open."""
from marketplace.api.contract.pairings import COUNTY
from marketplace.api.contract.shapes import (ID, PAGE_PARAMS, REGION_CODE, TIME, enum, obj,
                                             operation, page_of, path_param, query_param, ref)
from marketplace.pairings.models import NEED_KINDS, NEED_STATUSES, PROJECT_KINDS

TALKING = ("purchaser", "supplier_staff", "admin")
VILLAGE_NAME = {"type": "string", "minLength": 1, "maxLength": 100}
NULLABLE_TEXT = {"type": ["string", "null"]}

SCHEMAS = {
    "Village": obj({"id": ID, "name": {"type": "string"}, "county_code": REGION_CODE,
                    "county_name": NULLABLE_TEXT,
                    "partners": {"type": "integer", "description": "Enterprises paired with "
                                                                   "it this year."}},
                   ("id", "name", "county_code")),
    "VillageInput": obj({"name": VILLAGE_NAME, "county_code": REGION_CODE},
                        ("name", "county_code"),
                        example={"name": "扎西岗村", "county_code": "540402"}),
    "VillageNeedInput": obj({
        "village": VILLAGE_NAME,
        "county_code": {**REGION_CODE, "description": "A cooperative: one it is certified for."},
        "kind": enum(NEED_KINDS), "title": {"type": "string", "minLength": 1, "maxLength": 120},
        "description": {"type": "string", "maxLength": 2000},
        "quantity": {"type": "integer", "minimum": 1, "maximum": 100000000,
                     "description": "A product need: how much."},
        "unit": {"type": "string", "minLength": 1, "maxLength": 20},
        "season": {"type": "string", "minLength": 1, "maxLength": 60},
        "project_kind": enum(PROJECT_KINDS, description="A project need: its kind.")},
        ("village", "county_code", "kind", "title"),
        example={"village": "扎西岗村", "county_code": "540402", "kind": "product",
                 "title": "鲁朗松茸找买家", "quantity": 5000, "unit": "斤",
                 "season": "7–9 月"}),
    "VillageNeed": obj({
        "id": ID, "village_id": ID, "village": {"type": "string"}, "county_code": REGION_CODE,
        "kind": enum(NEED_KINDS), "title": {"type": "string"},
        "quantity": {"type": ["integer", "null"]}, "unit": NULLABLE_TEXT,
        "season": NULLABLE_TEXT, "project_kind": NULLABLE_TEXT,
        "status": enum(NEED_STATUSES), "publisher_id": ID, "created_at": TIME},
        ("id", "village_id", "kind", "title", "status")),
    "MessageInput": obj({"body": {"type": "string", "minLength": 1, "maxLength": 2000}},
                        ("body",), example={"body": "我司每月可采购松茸 300 斤，请联系。"}),
    "Conversation": obj({
        "id": ID, "need_id": ID, "enterprise_id": ID,
        "messages": {"type": "array", "items": obj({
            "id": ID, "author_id": ID, "body": {"type": "string"}, "created_at": TIME},
            ("id", "body"))}}, ("id", "need_id", "enterprise_id", "messages")),
    "VillagePage": page_of(ref("Village")),
    "VillageNeedPage": page_of(ref("VillageNeed")),
    "ConversationPage": page_of(ref("Conversation")),
}

NEED = [path_param("need_id")]
CONVERSATION = [path_param("conversation_id")]

OPERATIONS = [
    ("/villages", "get", operation(
        "villages", "List villages", module="board",
        params=[COUNTY, query_param("q"), *PAGE_PARAMS], answer=ref("VillagePage"))),
    ("/villages", "post", operation(
        "villages", "Register a village", module="board", roles=("admin",),
        body=ref("VillageInput"), ok=201, answer=ref("Village"), errors=(409,))),
    ("/village-needs", "get", operation(
        "village_needs", "Browse the village board", module="board",
        params=[COUNTY, query_param("kind", enum(NEED_KINDS)),
                query_param("status", enum(NEED_STATUSES)),
                query_param("village_id", {"type": "integer", "minimum": 1}), *PAGE_PARAMS],
        answer=ref("VillageNeedPage"))),
    ("/village-needs", "post", operation(
        "village_needs", "Publish a village's need", module="board",
        roles=("supplier_staff", "admin"), body=ref("VillageNeedInput"), ok=201,
        answer=ref("VillageNeed"),
        description="A cooperative for a village of a county it is certified for (else 403); "
                    "a product need names quantity, unit and season, a project its kind.")),
    ("/village-needs/{need_id}", "get", operation(
        "village_need", "Read a need", module="board", params=NEED,
        answer=ref("VillageNeed"))),
    ("/village-needs/{need_id}/close", "post", operation(
        "village_need_close", "Close a need", module="board", roles=("supplier_staff", "admin"),
        params=NEED, answer=ref("VillageNeed"), errors=(409,),
        description="Its publisher or the admin.")),
    ("/village-needs/{need_id}/answers", "post", operation(
        "village_need_answers", "Answer a need (an enterprise)", module="board",
        roles=("purchaser",), params=NEED, body=ref("MessageInput"), ok=201,
        answer=ref("Conversation"), errors=(409,),
        description="Opens (or continues) the conversation with the publisher, which the "
                    "admin can read.")),
    ("/conversations", "get", operation(
        "conversations", "Your conversations (the admin: all)", module="board", roles=TALKING,
        params=PAGE_PARAMS, answer=ref("ConversationPage"))),
    ("/conversations/{conversation_id}", "get", operation(
        "conversation", "Read a conversation", module="board", roles=TALKING,
        params=CONVERSATION, answer=ref("Conversation"))),
    ("/conversations/{conversation_id}/messages", "post", operation(
        "conversation_messages", "Write in a conversation", module="board", roles=TALKING,
        params=CONVERSATION, body=ref("MessageInput"), ok=201, answer=ref("Conversation"))),
]
