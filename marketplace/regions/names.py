"""Regions as people read them: a code or prefix ("54", "540402") → its name with the chain
above it ("西藏自治区林芝市巴宜区"), in the reader's language where the registry has one."""
from flask import g, has_request_context
from flask_babel import get_locale

from marketplace.extensions import db
from marketplace.regions.models import Region


def _levels(code):
    """The six-digit codes of the province, prefecture and county a code or prefix names."""
    code = str(code).strip()
    full = code.ljust(6, "0")
    levels = [full[:2] + "0000"]
    if len(code) > 2 and full[2:4] != "00":
        levels.append(full[:4] + "00")
    if len(code) > 4 and full[4:] != "00":
        levels.append(full)
    return levels


def region_name(code, chain=True):
    """The name of the region a code or prefix names (with its province and prefecture when
    `chain`); the code itself when the registry does not know it; "" for none. Names are kept
    for the request (a page lists many units of few regions)."""
    if not code:
        return ""
    english = str(get_locale() or "").startswith("en")
    cache = g.setdefault("_region_names", {}) if has_request_context() else {}
    key = (str(code), chain, english)
    if key not in cache:
        levels = _levels(code)
        found = {region.code: (region.name_en if english and region.name_en else region.name)
                 for region in db.session.query(Region).filter(Region.code.in_(levels))}
        names = [found[level] for level in (levels if chain else levels[-1:]) if level in found]
        cache[key] = (" " if english else "").join(names) or str(code)
    return cache[key]


def region_choices(prefix=None):
    """{code: name} of the regions a filter offers within `prefix` (None: the whole country):
    provinces and prefectures, and the counties too once the scope is a province or smaller."""
    query = db.session.query(Region).order_by(Region.code)
    if prefix:
        query = query.filter(Region.code.like(f"{prefix}%"))
    else:
        query = query.filter(Region.level <= 2)
    return {region.code: region_name(region.code) for region in query}
