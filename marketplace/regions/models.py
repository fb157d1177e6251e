"""The region registry: GB/T 2260 administrative divisions."""
from marketplace.extensions import db

LEVELS = (1, 2, 3)  # province, prefecture, county


def region_prefix(code):
    """A region's prefix: its code without trailing "00" pairs (540000 → "54", 540402 → "540402")."""
    code = str(code)
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


class Region(db.Model):
    """A province (level 1), prefecture (2) or county (3), keyed by its six-digit code."""

    __tablename__ = "regions"

    code = db.Column(db.String(6), primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    name_en = db.Column(db.String(120))
    parent_code = db.Column(db.String(6), db.ForeignKey("regions.code"), index=True)
    level = db.Column(db.SmallInteger, nullable=False, default=3)
    aided = db.Column(db.Boolean, nullable=False, default=False)

    parent = db.relationship("Region", remote_side=[code], backref="children")

    @property
    def prefix(self):
        return region_prefix(self.code)

    def __repr__(self):
        return f"<Region {self.code} {self.name}>"
