"""万企兴万村: administrative villages, enterprises paired with them (with the village's cooperatives
and their projects), and the village board where needs are published and answered."""
from marketplace.extensions import db
from marketplace.timeutil import UTCDateTime, utcnow

PAIRING_STATUSES = ("requested", "active", "rejected", "ended")
# The "enterprise + farmers + base" projects of Lhasa's action plan.
PROJECT_KINDS = ("efficient_farming", "special_breeding", "folk_tourism", "processing_trade",
                 "modern_logistics", "other")
NEED_KINDS = ("product", "project")
NEED_STATUSES = ("open", "closed")


class Village(db.Model):
    """An administrative village (行政村), named within its county."""

    __tablename__ = "villages"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    county_code = db.Column(db.String(6), db.ForeignKey("regions.code"), nullable=False,
                            index=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    county = db.relationship("Region")

    __table_args__ = (
        db.UniqueConstraint("county_code", "name", name="uq_villages_county_name"),
    )


class Pairing(db.Model):
    """An enterprise paired with a village for a year, with a purchase target (fen).

    Created active by the admin, or `requested` by the enterprise and then approved (or
    rejected); the admin ends it. Purchases count toward it from its suppliers only, so a
    supplier takes part in at most one pairing of an enterprise and year (no line counts twice).
    """

    __tablename__ = "pairings"

    id = db.Column(db.Integer, primary_key=True)
    enterprise_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                              index=True)
    village_id = db.Column(db.Integer, db.ForeignKey("villages.id"), nullable=False, index=True)
    year = db.Column(db.Integer, nullable=False, index=True)
    target_fen = db.Column(db.BigInteger, nullable=False)
    status = db.Column(db.String(20), nullable=False, default="active", index=True)
    note = db.Column(db.String(500))  # the enterprise's words with its request
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    decided_at = db.Column(UTCDateTime)
    decision_note = db.Column(db.String(500))  # why a request was rejected
    ended_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    ended_at = db.Column(UTCDateTime)
    end_reason = db.Column(db.String(500))

    enterprise = db.relationship("Organization")
    village = db.relationship("Village", backref="pairings")
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    decided_by = db.relationship("User", foreign_keys=[decided_by_id])
    ended_by = db.relationship("User", foreign_keys=[ended_by_id])
    suppliers = db.relationship("Organization", secondary="pairing_suppliers",
                                order_by="Organization.id", viewonly=True)
    supplier_links = db.relationship("PairingSupplier", cascade="all, delete-orphan")
    projects = db.relationship("PairingProject", order_by="PairingProject.id",
                               cascade="all, delete-orphan")

    __table_args__ = (
        db.UniqueConstraint("enterprise_id", "village_id", "year",
                            name="uq_pairings_enterprise_village_year"),
        db.CheckConstraint("target_fen > 0", name="target_positive"),
        db.CheckConstraint("status IN ('requested','active','rejected','ended')",
                           name="pairing_status_known"),
    )

    @property
    def supplier_ids(self):
        return sorted(link.supplier_id for link in self.supplier_links)


class PairingSupplier(db.Model):
    """One of the village's cooperatives or bases in a pairing."""

    __tablename__ = "pairing_suppliers"

    pairing_id = db.Column(db.Integer, db.ForeignKey("pairings.id"), primary_key=True)
    supplier_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), primary_key=True,
                            index=True)


class PairingProject(db.Model):
    """An "enterprise + farmers + base" project of a pairing and whom it reaches."""

    __tablename__ = "pairing_projects"

    id = db.Column(db.Integer, primary_key=True)
    pairing_id = db.Column(db.Integer, db.ForeignKey("pairings.id"), nullable=False, index=True)
    kind = db.Column(db.String(30), nullable=False)
    name = db.Column(db.String(120))
    households = db.Column(db.Integer)  # farm households reached
    bases = db.Column(db.Integer)  # production bases reached
    description = db.Column(db.String(500))

    __table_args__ = (
        db.CheckConstraint("households IS NULL OR households >= 0", name="households_positive"),
        db.CheckConstraint("bases IS NULL OR bases >= 0", name="bases_positive"),
    )


class VillageNeed(db.Model):
    """A village's need on the board: a product looking for buyers (quantity, season) or a
    project looking for a partner; published by one of the county's cooperatives or the admin."""

    __tablename__ = "village_needs"

    id = db.Column(db.Integer, primary_key=True)
    village_id = db.Column(db.Integer, db.ForeignKey("villages.id"), nullable=False, index=True)
    kind = db.Column(db.String(20), nullable=False)
    title = db.Column(db.String(120), nullable=False)
    description = db.Column(db.String(2000), nullable=False, default="")
    quantity = db.Column(db.Integer)
    unit = db.Column(db.String(20))
    season = db.Column(db.String(60))
    project_kind = db.Column(db.String(30))
    status = db.Column(db.String(20), nullable=False, default="open", index=True)
    publisher_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                             index=True)
    published_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    closed_at = db.Column(UTCDateTime)

    village = db.relationship("Village", backref="needs")
    publisher = db.relationship("Organization")
    published_by = db.relationship("User")
    conversations = db.relationship("NeedConversation", order_by="NeedConversation.id",
                                    back_populates="need")

    __table_args__ = (
        db.CheckConstraint("kind IN ('product','project')", name="need_kind_known"),
        db.CheckConstraint("status IN ('open','closed')", name="need_status_known"),
        db.CheckConstraint("quantity IS NULL OR quantity > 0", name="quantity_positive"),
    )


class NeedConversation(db.Model):
    """What an enterprise's answer to a need opens: its messages with the need's publisher,
    which the admin can read too. One per need and enterprise."""

    __tablename__ = "need_conversations"

    id = db.Column(db.Integer, primary_key=True)
    need_id = db.Column(db.Integer, db.ForeignKey("village_needs.id"), nullable=False, index=True)
    enterprise_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                              index=True)
    started_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_message_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)

    need = db.relationship("VillageNeed", back_populates="conversations")
    enterprise = db.relationship("Organization")
    messages = db.relationship("NeedMessage", order_by="NeedMessage.id",
                               cascade="all, delete-orphan")

    __table_args__ = (
        db.UniqueConstraint("need_id", "enterprise_id",
                            name="uq_need_conversations_need_enterprise"),
    )


class NeedMessage(db.Model):
    """One message of a conversation."""

    __tablename__ = "need_messages"

    id = db.Column(db.Integer, primary_key=True)
    conversation_id = db.Column(db.Integer, db.ForeignKey("need_conversations.id"),
                                nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    body = db.Column(db.String(2000), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    author = db.relationship("User")
