"""Regions as the JSON API shows them."""


def region_json(region):
    return {"code": region.code, "name": region.name, "name_en": region.name_en,
            "parent_code": region.parent_code, "level": region.level, "aided": bool(region.aided),
            "prefix": region.prefix}
