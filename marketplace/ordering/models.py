"""Ordering: carts, orders with snapshot lines, and their timelines.

The saved delivery addresses are the organisation's (`accounts.models.DeliveryAddress`).
"""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow

ORDER_STATUSES = ("pending_approval", "placed", "confirmed", "shipped", "accepted",
                  "completed", "cancelled", "rejected")
PURPOSES = ("canteen", "union_welfare", "other")
PAYMENT_METHODS = ("bank_transfer", "stripe")
PAYMENT_TERMS = ("pay_first", "goods_first")
PAYMENT_STATUSES = ("unpaid", "pending", "paid", "partially_refunded", "refunded")


class CartItem(db.Model):
    """A product in a user's cart; kept across logins."""

    __tablename__ = "cart_items"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    added_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    product = db.relationship("Product")

    __table_args__ = (
        db.UniqueConstraint("user_id", "product_id", name="uq_cart_items_user_product"),
        db.CheckConstraint("quantity > 0", name="quantity_positive"),
    )


INVOICE_KINDS = ("normal", "special")          # 增值税普通发票 | 增值税专用发票


class Order(db.Model):
    """One supplier's part of a checkout, bound to the buyer organisation and its budget unit."""

    __tablename__ = "orders"

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(20), nullable=False, unique=True)
    status = db.Column(db.String(20), nullable=False, index=True)
    purpose = db.Column(db.String(20), nullable=False)
    buyer_organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"),
                                      nullable=False, index=True)
    budget_unit_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), index=True)
    supplier_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                            index=True)
    placed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    checkout_key = db.Column(db.String(64), index=True)  # one checkout submission, for retries
    # Every order one checkout made shares it: the approval threshold applies to their sum,
    # and they wait for (and are approved or rejected by) the unit manager together.
    checkout_id = db.Column(db.String(32), index=True)
    total_fen = db.Column(db.BigInteger, nullable=False)
    delivery_address = db.Column(db.String(400), nullable=False)
    wished_delivery_date = db.Column(db.Date)
    invoice_title = db.Column(db.String(200))
    invoice_tax_id = db.Column(db.String(30))
    # An invoice asked at checkout (INVOICE_KINDS, and the e-mail it goes to); the payments module
    # turns it into the order's invoice request when the order is placed.
    invoice_kind = db.Column(db.String(10))
    invoice_email = db.Column(db.String(254))
    payment_method = db.Column(db.String(20), nullable=False)
    payment_terms = db.Column(db.String(20), nullable=False)
    payment_status = db.Column(db.String(20), nullable=False, default="unpaid")
    paid_fen = db.Column(db.BigInteger, nullable=False, default=0)
    refunded_fen = db.Column(db.BigInteger, nullable=False, default=0)
    payment_reference = db.Column(db.String(40), unique=True)  # quoted on bank transfers
    due_date = db.Column(db.Date)
    due_extended = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    approved_at = db.Column(UTCDateTime)
    confirmed_at = db.Column(UTCDateTime)
    shipped_at = db.Column(UTCDateTime, index=True)
    carrier = db.Column(db.String(60))
    tracking_number = db.Column(db.String(60))
    accepted_at = db.Column(UTCDateTime, index=True)
    acceptance_note = db.Column(db.String(1000))
    acceptance_photo = db.Column(db.String(80))  # file name under UPLOAD_FOLDER/acceptance
    completed_at = db.Column(UTCDateTime)
    cancelled_at = db.Column(UTCDateTime)
    cancel_reason = db.Column(db.String(500))

    buyer_organization = db.relationship("Organization", foreign_keys=[buyer_organization_id])
    budget_unit = db.relationship("Organization", foreign_keys=[budget_unit_id])
    supplier = db.relationship("Organization", foreign_keys=[supplier_id])
    placed_by = db.relationship("User")
    lines = db.relationship("OrderLine", back_populates="order", order_by="OrderLine.id",
                            cascade="all, delete-orphan")
    events = db.relationship("OrderEvent", order_by="OrderEvent.id", cascade="all, delete-orphan")

    __table_args__ = (
        db.CheckConstraint("total_fen >= 0", name="total_not_negative"),
        db.CheckConstraint("paid_fen >= 0", name="paid_not_negative"),
        db.Index("ix_orders_unit_status", "budget_unit_id", "status"),
        # One checkout submission makes one order per supplier, even when it arrives twice at
        # once (double click, retry); orders without a key (NULL) are never compared.
        db.UniqueConstraint("placed_by_id", "checkout_key", "supplier_id",
                            name="uq_orders_checkout_key"),
    )

    @property
    def value_fen(self):
        """What the order is worth: the sum of its lines' values (accepted quantities once
        accepted); `total_fen` keeps what was ordered."""
        return sum(line.value_fen for line in self.lines)


class OrderLine(db.Model):
    """A product in an order, with a snapshot taken at ordering time.

    Quota figures read only the snapshot (name, price, origin, aided flag), so later edits to
    products or regions never rewrite the past.
    """

    __tablename__ = "order_lines"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False, index=True)
    product_name = db.Column(db.String(120), nullable=False)
    unit = db.Column(db.String(20), nullable=False)
    unit_price_fen = db.Column(db.BigInteger, nullable=False)
    origin_region_code = db.Column(db.String(6), nullable=False, index=True)
    origin_aided = db.Column(db.Boolean, nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    accepted_quantity = db.Column(db.Integer)
    refunded_fen = db.Column(db.BigInteger, nullable=False, default=0)

    order = db.relationship("Order", back_populates="lines")
    product = db.relationship("Product")

    __table_args__ = (
        db.CheckConstraint("quantity > 0", name="quantity_positive"),
        db.CheckConstraint("accepted_quantity IS NULL OR (accepted_quantity >= 0 AND "
                           "accepted_quantity <= quantity)", name="accepted_within_quantity"),
        db.CheckConstraint("refunded_fen >= 0", name="refunded_not_negative"),
    )

    @property
    def line_total_fen(self):
        """The ordered value: quantity × unit price."""
        return self.quantity * self.unit_price_fen

    @property
    def accepted_value_fen(self):
        if self.accepted_quantity is None:
            return None
        return self.accepted_quantity * self.unit_price_fen

    @property
    def value_fen(self):
        """What the line is worth: its accepted value once accepted (验收), its ordered value
        before. The amount people read, and what payments and refunds are measured against."""
        if self.accepted_quantity is not None:
            return self.accepted_quantity * self.unit_price_fen
        return self.line_total_fen

    @property
    def net_value_fen(self):
        """What the line finally counts for: its value less every refund on it, never below
        zero — what an invoice must match and what yearly figures and sales statistics add up
        (`ordering.services.counting.counted_expr` is the same rule in SQL)."""
        return max(0, self.value_fen - (self.refunded_fen or 0))


class OrderEvent(db.Model):
    """A transition in an order's life: from which status to which, by whom, when, why."""

    __tablename__ = "order_events"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    from_status = db.Column(db.String(20))
    to_status = db.Column(db.String(20), nullable=False)
    note = db.Column(db.String(1000))

    actor = db.relationship("User")
