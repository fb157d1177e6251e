"""Catalog: categories and suppliers' products."""
from sqlalchemy.dialects import postgresql

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
    # The supplier's own product code (货号): the key of its bulk files and photos by code.
    code = db.Column(db.String(40))
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
    # Priced more than 30% above its reference price: listed for the admin, shown to buyers.
    price_flagged = db.Column(db.Boolean, nullable=False, default=False, index=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    supplier = db.relationship("Organization")
    category = db.relationship("Category")
    origin = db.relationship("Region")
    photos = db.relationship("ProductPhoto", order_by="ProductPhoto.position",
                             cascade="all, delete-orphan", back_populates="product")

    __table_args__ = (
        db.CheckConstraint("stock >= 0", name="stock_not_negative"),
        db.CheckConstraint("price_fen > 0", name="price_positive"),
        db.CheckConstraint("min_order_qty >= 1", name="min_order_qty_positive"),
        db.Index("uq_products_supplier_code", "supplier_id", "code", unique=True),
        db.Index("ix_products_status_price", "status", "price_fen"),
        db.Index("ix_products_stock", "stock"),
        db.Index("ix_products_sales_count", "sales_count"),
        # The origin filter's "counties with something on sale": one probe per region.
        db.Index("ix_products_origin_status", "origin_region_code", "status"),
        # Counting a list filtered by category and origin (what a buyer does most) reads only
        # this index: what is on sale, with the supplier to check and the sort key.
        db.Index("ix_products_active_category_origin", "category_id", "origin_region_code",
                 postgresql_include=["supplier_id", "sales_count"],
                 postgresql_where=db.text("status = 'active'"),
                 sqlite_where=db.text("status = 'active'")),
    )

LABELS = ("green", "organic", "gi")
CERTIFICATION_STATUSES = ("pending", "approved", "rejected", "suspended")


class SupplierCertification(db.Model):
    """A supplier's certification for one origin county; its changes are kept in `events`."""

    __tablename__ = "supplier_certifications"

    id = db.Column(db.Integer, primary_key=True)
    supplier_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                            index=True)
    region_code = db.Column(db.String(6), db.ForeignKey("regions.code"), nullable=False)
    status = db.Column(db.String(20), nullable=False, default="pending", index=True)
    reason = db.Column(db.String(500))  # of the last rejection or suspension
    applied_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    decided_at = db.Column(UTCDateTime)

    supplier = db.relationship("Organization")
    region = db.relationship("Region")
    events = db.relationship("CertificationEvent", order_by="CertificationEvent.id",
                             cascade="all, delete-orphan")

    __table_args__ = (
        db.UniqueConstraint("supplier_id", "region_code", name="uq_supplier_certifications_county"),
        db.CheckConstraint("status IN ('pending','approved','rejected','suspended')",
                           name="status_known"),
    )


class CertificationEvent(db.Model):
    """One step in a certification's history: who moved it from which state to which, and why."""

    __tablename__ = "certification_events"

    id = db.Column(db.Integer, primary_key=True)
    certification_id = db.Column(db.Integer, db.ForeignKey("supplier_certifications.id"),
                                 nullable=False, index=True)
    at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    from_status = db.Column(db.String(20))
    to_status = db.Column(db.String(20), nullable=False)
    note = db.Column(db.String(500))

    actor = db.relationship("User")


class SupplierDocument(db.Model):
    """A document (business licence, certificate) a supplier uploaded with an application."""

    __tablename__ = "supplier_documents"

    id = db.Column(db.Integer, primary_key=True)
    supplier_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                            index=True)
    stored_name = db.Column(db.String(80), nullable=False, unique=True)
    original_name = db.Column(db.String(200), nullable=False)
    content_type = db.Column(db.String(60), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    uploaded_at = db.Column(UTCDateTime, nullable=False, default=utcnow)


class ProductPhoto(db.Model):
    """A re-encoded product photo and its thumbnail, stored under random names."""

    __tablename__ = "product_photos"

    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False, index=True)
    stored_name = db.Column(db.String(80), nullable=False, unique=True)
    thumb_name = db.Column(db.String(80), nullable=False, unique=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    width = db.Column(db.Integer)
    height = db.Column(db.Integer)

    product = db.relationship("Product", back_populates="photos")


class ReferencePrice(db.Model):
    """The admin's market reference price for a category and unit of sale."""

    __tablename__ = "reference_prices"

    id = db.Column(db.Integer, primary_key=True)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), nullable=False)
    unit = db.Column(db.String(20), nullable=False)
    price_fen = db.Column(db.BigInteger, nullable=False)
    note = db.Column(db.String(200))
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    category = db.relationship("Category")

    __table_args__ = (
        db.UniqueConstraint("category_id", "unit", name="uq_reference_prices_category_unit"),
        db.CheckConstraint("price_fen > 0", name="price_positive"),
    )


class Review(db.Model):
    """A buyer's stars and words about a product whose delivery its organisation accepted."""

    __tablename__ = "reviews"

    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False, index=True)
    supplier_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                            index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False)
    stars = db.Column(db.SmallInteger, nullable=False)
    text = db.Column(db.String(1000), nullable=False, default="")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    user = db.relationship("User")
    organization = db.relationship("Organization", foreign_keys=[organization_id])

    __table_args__ = (
        db.UniqueConstraint("product_id", "user_id", name="uq_reviews_product_user"),
        db.CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
        db.Index("ix_reviews_supplier_stars", "supplier_id", "stars"),
    )


class TermList(db.TypeDecorator):
    """A product's search terms: `text[]` on PostgreSQL (for its GIN index), and on SQLite one
    string " term term … " with a space around every term (matched with instr)."""

    impl = db.Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(db.Text))
        return dialect.type_descriptor(db.Text())

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name == "postgresql":
            return value
        return " " + " ".join(value) + " "

    def process_result_value(self, value, dialect):
        if value is None or dialect.name == "postgresql":
            return value
        return value.split()


class ProductSearch(db.Model):
    """What search matches a product by: the words of its name and spec (every run of one to
    three Chinese characters, Latin words, sizes) and references to what it belongs to (its
    categories, the regions of its origin chain, its supplier, labels, unit), as "#c12",
    "#r540400", "#s7". A query word matches a supplier, category or region by its current
    name, resolved to those references when the query is read, so renaming them rewrites
    nothing here. One row per product: on PostgreSQL a GIN index over the array answers
    "has any of these terms" for all products at once.
    """

    __tablename__ = "product_search"

    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="CASCADE"),
                           primary_key=True, autoincrement=False)
    terms = db.Column(TermList(), nullable=False)

    __table_args__ = (
        # SQLite has no inverted index: it reads these short rows in turn, so the index is
        # kept empty there (WHERE 0) and both databases name the same indexes.
        db.Index("ix_product_search_terms", "terms", postgresql_using="gin",
                 sqlite_where=db.text("0")),
    )


class SearchWord(db.Model):
    """A word of the catalog (from product names, categories, regions, synonyms) with its
    pinyin and initials: how a query typed in pinyin is read back into Chinese, and what
    suggestions offer while typing. `products`: how many listings carried it at the last
    full reindex (for ordering suggestions only)."""

    __tablename__ = "search_words"

    word = db.Column(db.String(40), primary_key=True)
    pinyin = db.Column(db.String(160), nullable=False, index=True)
    initials = db.Column(db.String(40), nullable=False, index=True)
    products = db.Column(db.Integer, nullable=False, default=0)


SYNONYM_KINDS = ("equal", "broader", "related")


class SearchSynonym(db.Model):
    """A synonym the admin keeps, used when a query is read: `equal` (土豆 = 马铃薯, either
    finds the other), `broader` (蘑菇 → 菌菇: the first also finds the second), `related`
    (牦牛肉 ~ 牛肉: either also finds the other, ranked after its own matches)."""

    __tablename__ = "search_synonyms"

    id = db.Column(db.Integer, primary_key=True)
    word = db.Column(db.String(20), nullable=False, index=True)
    other = db.Column(db.String(20), nullable=False, index=True)
    kind = db.Column(db.String(10), nullable=False)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        db.UniqueConstraint("word", "other", name="uq_search_synonyms_pair"),
        db.CheckConstraint("kind IN ('equal','broader','related')", name="kind_known"),
        db.CheckConstraint("word <> other", name="two_words"),
    )


class Favourite(db.Model):
    """A product a buyer marked as favourite (收藏): theirs alone, kept when the product is
    paused or removed so that their list can say so."""

    __tablename__ = "favourites"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"),
                        primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="CASCADE"),
                           primary_key=True, index=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    product = db.relationship("Product")
