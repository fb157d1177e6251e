"""The region registry (admin.py): provinces, prefectures and counties by GB/T 2260 code."""
from marketplace.api.contract.shapes import (PAGE_PARAMS, REGION_CODE, obj, operation, page_of,
                                             path_param, query_param, ref)
from marketplace.regions.models import LEVELS

NAME = {"type": "string", "minLength": 1, "maxLength": 80}
NAME_EN = {"type": "string", "maxLength": 120}

SCHEMAS = {
    "Region": obj({"code": REGION_CODE, "name": {"type": "string"},
                   "name_en": {"type": ["string", "null"]},
                   "parent_code": {"type": ["string", "null"]},
                   "level": {"type": "integer", "enum": list(LEVELS)},
                   "aided": {"type": "boolean"},
                   "prefix": {"type": "string", "example": "5404"}},
                  ("code", "name", "parent_code", "level", "aided")),
    "RegionInput": obj({"code": REGION_CODE, "name": NAME, "parent_code": REGION_CODE,
                        "aided": {"type": "boolean", "default": False}, "name_en": NAME_EN},
                       ("code", "name"),
                       example={"code": "540400", "name": "林芝市", "parent_code": "540000",
                                "aided": False}),
    "RegionUpdate": obj({"name": NAME, "parent_code": REGION_CODE, "aided": {"type": "boolean"},
                         "name_en": NAME_EN}, ("name",),
                        example={"name": "巴宜区", "parent_code": "540400", "aided": True}),
}
SCHEMAS["RegionPage"] = page_of(ref("Region"))

OPERATIONS = [
    ("/regions", "post", operation(
        "regions", "Add a region to the registry", module="admin", roles=("admin",),
        body=ref("RegionInput"), ok=201, answer=ref("Region"), errors=(409,),
        description="The code must lie within its parent's prefix; an existing code → 409.")),
    ("/regions", "get", operation(
        "regions", "List regions under a parent (provinces without one)", module="admin",
        params=[query_param("parent_code", description="A region code; empty: provinces."),
                *PAGE_PARAMS],
        answer=ref("RegionPage"), errors=(404,))),
    ("/regions/{code}", "put", operation(
        "region", "Edit a region", module="admin", roles=("admin",),
        params=[path_param("code", {"type": "string"})], body=ref("RegionUpdate"),
        answer=ref("Region"))),
]
