"""Payments (Stripe PaymentIntents and bank transfers), refunds, received Stripe events,
settlement statements and invoices (发票)."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow


class Payment(db.Model):
    """One attempt to pay an order: a Stripe PaymentIntent or a recorded bank transfer."""

    __tablename__ = "payments"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    method = db.Column(db.String(20), nullable=False)  # stripe | bank_transfer
    amount_fen = db.Column(db.BigInteger, nullable=False)
    # stripe: pending → succeeded | failed | canceled; bank_transfer: pending → confirmed | rejected
    status = db.Column(db.String(20), nullable=False, default="pending")
    payment_intent_id = db.Column(db.String(80), unique=True)
    client_secret = db.Column(db.String(200))
    last_event_created = db.Column(db.BigInteger)  # Stripe `created` of the last event applied
    transferred_at = db.Column(db.Date)
    payer_account = db.Column(db.String(60))
    reference = db.Column(db.String(60))
    voucher_path = db.Column(db.String(300))
    amount_mismatch = db.Column(db.Boolean, nullable=False, default=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    confirmed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    confirmed_at = db.Column(UTCDateTime)
    # One transfer for a whole settlement statement is kept as one payment per order on it.
    statement_id = db.Column(db.Integer, db.ForeignKey("settlement_statements.id"), index=True)

    order = db.relationship("Order", backref="payments")
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    confirmed_by = db.relationship("User", foreign_keys=[confirmed_by_id])

    __table_args__ = (db.CheckConstraint("amount_fen > 0", name="amount_positive"),)


class Refund(db.Model):
    """Money given back on one order line, through Stripe or recorded for a bank transfer."""

    __tablename__ = "refunds"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    line_id = db.Column(db.Integer, db.ForeignKey("order_lines.id"), nullable=False, index=True)
    payment_id = db.Column(db.Integer, db.ForeignKey("payments.id"))
    amount_fen = db.Column(db.BigInteger, nullable=False)
    reason = db.Column(db.String(500), nullable=False)
    stripe_refund_id = db.Column(db.String(80), unique=True)
    transfer_reference = db.Column(db.String(60))
    status = db.Column(db.String(20), nullable=False, default="succeeded")
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    line = db.relationship("OrderLine", backref="refunds")
    payment = db.relationship("Payment", backref="refunds")
    created_by = db.relationship("User")

    __table_args__ = (db.CheckConstraint("amount_fen > 0", name="amount_positive"),)


class StripeEvent(db.Model):
    """A Stripe webhook event, stored once under its id so repeats are applied once."""

    __tablename__ = "stripe_events"

    id = db.Column(db.String(80), primary_key=True)
    type = db.Column(db.String(80), nullable=False)
    created = db.Column(db.BigInteger, nullable=False)
    payload = db.Column(db.JSON, nullable=False)
    received_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    applied = db.Column(db.Boolean, nullable=False, default=False)


# open: made by the supplier; confirmed: the buyer agreed to its orders and amounts (a
# statement of unpaid goods-first orders is paid only once confirmed); settled: paid and closed.
STATEMENT_STATUSES = ("open", "confirmed", "settled")


class SettlementStatement(db.Model):
    """A settlement statement (结算单): a buyer's accepted orders with a supplier over a period,
    completed (paid) ones or goods-first ones still to be paid through the statement."""

    __tablename__ = "settlement_statements"

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(30), nullable=False, unique=True)
    supplier_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                            index=True)
    buyer_organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"),
                                      nullable=False, index=True)
    period_start = db.Column(db.Date, nullable=False)
    period_end = db.Column(db.Date, nullable=False)
    total_fen = db.Column(db.BigInteger, nullable=False, default=0)
    invoice_number = db.Column(db.String(40))  # 发票号
    status = db.Column(db.String(20), nullable=False, default="open")  # STATEMENT_STATUSES
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    confirmed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    confirmed_at = db.Column(UTCDateTime)
    settled_at = db.Column(UTCDateTime)

    supplier = db.relationship("Organization", foreign_keys=[supplier_id])
    buyer_organization = db.relationship("Organization", foreign_keys=[buyer_organization_id])
    confirmed_by = db.relationship("User", foreign_keys=[confirmed_by_id])
    items = db.relationship("SettlementItem", back_populates="statement",
                            cascade="all, delete-orphan", order_by="SettlementItem.id")

    __table_args__ = (db.CheckConstraint("period_end >= period_start", name="period_ordered"),)


class SettlementItem(db.Model):
    """An order on a settlement statement; an order is on at most one statement."""

    __tablename__ = "settlement_items"

    id = db.Column(db.Integer, primary_key=True)
    statement_id = db.Column(db.Integer, db.ForeignKey("settlement_statements.id"),
                             nullable=False, index=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, unique=True)
    amount_fen = db.Column(db.BigInteger, nullable=False)

    statement = db.relationship("SettlementStatement", back_populates="items")
    order = db.relationship("Order")


INVOICE_STATUSES = ("requested", "issued")


class Invoice(db.Model):
    """One order's or one settlement statement's invoice: asked (title, tax number, kind,
    e-mail), then issued (number, code, date, amount and the PDF or OFD file)."""

    __tablename__ = "invoices"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), unique=True)
    statement_id = db.Column(db.Integer, db.ForeignKey("settlement_statements.id"), unique=True)
    title = db.Column(db.String(100), nullable=False)        # 抬头
    tax_number = db.Column(db.String(20))                    # 纳税人识别号
    kind = db.Column(db.String(10), nullable=False, default="normal")
    email = db.Column(db.String(254), nullable=False)
    status = db.Column(db.String(10), nullable=False, default="requested")  # requested | issued
    requested_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    requested_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    reminded_at = db.Column(UTCDateTime)
    number = db.Column(db.String(20))                        # 发票号码
    code = db.Column(db.String(12))                          # 发票代码 (none on 数电票)
    issued_on = db.Column(db.Date)
    amount_fen = db.Column(db.BigInteger)
    file_path = db.Column(db.String(300))
    file_name = db.Column(db.String(200))
    issued_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    issued_at = db.Column(UTCDateTime)

    order = db.relationship("Order", backref=db.backref("invoice", uselist=False))
    statement = db.relationship("SettlementStatement",
                                backref=db.backref("invoice", uselist=False))
    requested_by = db.relationship("User", foreign_keys=[requested_by_id])

    __table_args__ = (
        db.CheckConstraint("kind IN ('normal', 'special')", name="invoice_kind"),
        db.CheckConstraint("status IN ('requested', 'issued')", name="invoice_status"),
        db.CheckConstraint("(order_id IS NULL) <> (statement_id IS NULL)",
                           name="invoice_of_order_or_statement"),
        db.Index("ix_invoices_status_requested", "status", "requested_at"),
    )


AFTER_SALE_KINDS = ("return", "complaint")
AFTER_SALE_STATUSES = ("open", "answered", "escalated", "agreed", "closed")


class AfterSaleCase(db.Model):
    """A return (退货) or complaint (投诉) the buyer opens on an accepted order line (售后).

    open → agreed | answered (the supplier); answered → escalated (the buyer);
    escalated → agreed | closed (the admin's arbitration)."""

    __tablename__ = "after_sale_cases"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    line_id = db.Column(db.Integer, db.ForeignKey("order_lines.id"), nullable=False, index=True)
    kind = db.Column(db.String(10), nullable=False)  # return | complaint
    quantity = db.Column(db.Integer, nullable=False)
    reason = db.Column(db.String(500), nullable=False)
    status = db.Column(db.String(12), nullable=False, default="open", index=True)
    answer = db.Column(db.String(500))  # the supplier's reason to disagree
    decision_note = db.Column(db.String(500))  # the admin's arbitration
    opened_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    opened_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    closed_at = db.Column(UTCDateTime)

    order = db.relationship("Order")
    line = db.relationship("OrderLine")
    opened_by = db.relationship("User")
    photos = db.relationship("AfterSalePhoto", order_by="AfterSalePhoto.id",
                             back_populates="case")

    __table_args__ = (db.CheckConstraint("quantity > 0", name="case_quantity_positive"),)


class AfterSalePhoto(db.Model):
    """A photo the buyer sent with an after-sale case (re-encoded, under
    UPLOAD_FOLDER/aftersales)."""

    __tablename__ = "after_sale_photos"

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.Integer, db.ForeignKey("after_sale_cases.id"), nullable=False,
                        index=True)
    file_name = db.Column(db.String(80), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    case = db.relationship("AfterSaleCase", back_populates="photos")
