"""Catalog: categories and suppliers' products."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow

PRODUCT_STATUSES = ("active", "paused", "archived", "taken_down")


class Category(db.Model):
    """A node of the two-level category tree kept by the admin."""

    __tablename__ = "categories"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(60), nullable=False)
    name_en = db.Column(db.String(80))
    parent_id = db.Column(db.Integer, db.ForeignKey("categories.id"), index=True)
    sort_order = db.Column(db.Integer, nullable=False, default=0)

    parent = db.relationship("Category", remote_side=[id], backref="children")


class Product(db.Model):
    """A supplier's listing. Money in integer fen; stock can never go below zero."""

    __tablename__ = "products"

    id = db.Column(db.Integer, primary_key=True)
    supplier_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                            index=True)
    name = db.Column(db.String(120), nullable=False)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), nullable=False, index=True)
    spec = db.Column(db.String(60))  # 规格, e.g. 500g/袋
    unit = db.Column(db.String(20), nullable=False)  # unit of sale, e.g. 袋, 斤, 箱
    price_fen = db.Column(db.BigInteger, nullable=False)
    reference_price_fen = db.Column(db.BigInteger)  # per-product market reference, if set
    stock = db.Column(db.Integer, nullable=False, default=0)
    min_order_qty = db.Column(db.Integer, nullable=False, default=1)
    origin_region_code = db.Column(db.String(6), db.ForeignKey("regions.code"), nullable=False,
                                   index=True)
    shelf_life = db.Column(db.String(60))
    storage = db.Column(db.String(120))
    description = db.Column(db.Text)
    labels = db.Column(db.String(120), nullable=False, default="")  # comma-separated label keys
    status = db.Column(db.String(20), nullable=False, default="active", index=True)
    takedown_reason = db.Column(db.String(500))
    sales_count = db.Column(db.Integer, nullable=False, default=0)
    search_text = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    supplier = db.relationship("Organization")
    category = db.relationship("Category")
    origin = db.relationship("Region")

    __table_args__ = (
        db.CheckConstraint("stock >= 0", name="stock_not_negative"),
        db.CheckConstraint("price_fen > 0", name="price_positive"),
        db.CheckConstraint("min_order_qty >= 1", name="min_order_qty_positive"),
        db.Index("ix_products_status_price", "status", "price_fen"),
    )
