"""The region registry: loading GB/T 2260 divisions, reading and editing them."""
import csv
import re

from marketplace.audit.services import record
from marketplace.config import ROOT
from marketplace.errors import NotFound, ValidationError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.regions.models import Region, region_prefix
from marketplace.regions.signals import region_renamed

DEFAULT_CSV = ROOT / "data" / "regions.csv"
CODE_RE = re.compile(r"^\d{6}$")


def load_csv(path=DEFAULT_CSV):
    """Insert or update every region of a CSV (code,name,name_en,parent_code,level,aided).

    Parents are written before children, so the file's order does not matter.
    :returns: (created, updated) counts.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["level"]))
    existing = {region.code: region for region in Region.query.all()}
    created = updated = 0
    renamed = []
    for row in rows:
        values = dict(name=row["name"].strip(), name_en=(row.get("name_en") or "").strip() or None,
                      parent_code=(row.get("parent_code") or "").strip() or None,
                      level=int(row["level"]), aided=row["aided"].strip() in ("1", "true", "True"))
        region = existing.get(row["code"])
        if region is None:
            db.session.add(Region(code=row["code"], **values))
            db.session.flush()
            created += 1
        else:
            if (region.name, region.name_en) != (values["name"], values["name_en"]):
                renamed.append(region.code)
            for key, value in values.items():
                setattr(region, key, value)
            updated += 1
    db.session.flush()
    _tell_renamed(renamed)
    return created, updated


def _tell_renamed(codes):
    """Let the domains that show region names (the catalog's search) follow the new names."""
    for code in codes:
        region_renamed.send(code)


def get_region(code):
    """:raises NotFound: no region with this code."""
    region = db.session.get(Region, str(code)) if code else None
    if region is None:
        raise NotFound(_("地区不存在。"))
    return region


def within(prefix_or_code):
    """Regions whose code lies within a region (given as a code or prefix)."""
    prefix = region_prefix(prefix_or_code)
    return Region.query.filter(Region.code.like(f"{prefix}%")).order_by(Region.code).all()


def save_region(actor, code, name, parent_code=None, aided=False, name_en=None):
    """Create or edit a region (admin).

    :raises ValidationError: a malformed code, an empty name, an unknown parent or a parent
        that does not contain the code.
    """
    code = (code or "").strip()
    name = (name or "").strip()
    errors = {}
    if not CODE_RE.match(code):
        errors["code"] = "six digits"
    if not name:
        errors["name"] = "required"
    parent = None
    if parent_code:
        parent = db.session.get(Region, parent_code)
        if parent is None:
            errors["parent_code"] = "unknown"
        elif not code.startswith(region_prefix(parent.code)) or parent.code == code:
            errors["parent_code"] = "the code must lie within its parent"
    if errors:
        raise ValidationError(_("地区信息有误。"), fields=errors, summary=True)
    region = db.session.get(Region, code)
    created = region is None
    if not created and parent is None and region.parent_code and not parent_code:
        parent = region.parent  # an edit that leaves the parent out keeps it
    renamed = not created and (region.name, region.name_en) != (name, name_en or None)
    if created:
        region = Region(code=code)
        db.session.add(region)
    region.name = name
    region.name_en = name_en or None
    region.parent_code = parent.code if parent else None
    region.level = (parent.level + 1) if parent else 1
    region.aided = bool(aided)
    db.session.flush()
    record("region.create" if created else "region.update", region, actor=actor,
           object_id=code, detail={"name": name, "aided": bool(aided), "parent_code": parent_code})
    if renamed:
        _tell_renamed([code])
    return region


def path_of(region):
    """The region and its ancestors, from the province down."""
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return list(reversed(chain))
