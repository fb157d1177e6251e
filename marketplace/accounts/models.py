"""Organisations, users, roles and API tokens."""
import hashlib
import hmac

from flask import current_app
from flask_login import UserMixin

from marketplace.extensions import db
from marketplace.regions.models import region_prefix
from marketplace.timeutil import UTCDateTime, utcnow

ORG_KINDS = ("budget_unit", "union", "enterprise", "supplier", "audit_office", "platform")
BUYER_KINDS = ("budget_unit", "union", "enterprise")
ROLES = ("purchaser", "unit_manager", "supplier_staff", "auditor", "admin")
# Which roles a user of each kind of organisation may hold.
ROLES_BY_KIND = {
    "budget_unit": ("purchaser", "unit_manager"),
    "union": ("purchaser",),
    "enterprise": ("purchaser",),
    "supplier": ("supplier_staff",),
    "audit_office": ("auditor",),
    "platform": ("admin",),
}
ORG_STATUSES = ("pending", "active", "rejected", "suspended")
# A supplier's credit tier (积分等级), lowest first; the credit domain decides it from points.
CREDIT_TIERS = ("standard", "silver", "gold", "diamond")


class Organization(db.Model):
    """A budget unit, union, enterprise, supplier, audit office or the platform itself.

    Budget units form a tree; `tree_path` ("/1/5/23/") makes a subtree one indexed LIKE.
    """

    __tablename__ = "organizations"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(20), nullable=False, index=True)
    status = db.Column(db.String(20), nullable=False, default="active", index=True)
    region_code = db.Column(db.String(6), db.ForeignKey("regions.code"), nullable=False, index=True)
    parent_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), index=True)
    budget_unit_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), index=True)
    tree_path = db.Column(db.String(400), index=True)
    approval_threshold_fen = db.Column(db.BigInteger)
    credit_code = db.Column(db.String(18))  # 统一社会信用代码
    contact_name = db.Column(db.String(80))
    contact_phone = db.Column(db.String(40))
    address = db.Column(db.String(300))
    settlement_bank = db.Column(db.String(120))
    settlement_account = db.Column(db.String(60))
    settlement_account_name = db.Column(db.String(200))
    review_note = db.Column(db.String(500))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    # A supplier's current credit points and tier, kept by the credit domain in step with its
    # ledger, so that the catalog shows and ranks them without knowing how they are earned.
    credit_points = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    credit_tier = db.Column(db.String(10), nullable=False, default="standard",
                            server_default="standard")

    region = db.relationship("Region")
    parent = db.relationship("Organization", remote_side=[id], foreign_keys=[parent_id],
                             backref="children")
    budget_unit = db.relationship("Organization", remote_side=[id], foreign_keys=[budget_unit_id])

    __table_args__ = (
        db.CheckConstraint(
            "kind IN ('budget_unit','union','enterprise','supplier','audit_office','platform')",
            name="kind_known",
        ),
    )

    @property
    def is_active(self):
        return self.status == "active"

    @property
    def jurisdiction_prefix(self):
        """An audit office's jurisdiction: its region's prefix."""
        return region_prefix(self.region_code)

    def __repr__(self):
        return f"<Organization {self.id} {self.kind} {self.name}>"


class User(UserMixin, db.Model):
    """A person with exactly one role in one organisation."""

    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    password_hash = db.Column(db.String(255), nullable=False)
    name = db.Column(db.String(100), nullable=False)
    role = db.Column(db.String(20), nullable=False)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                                index=True)
    active = db.Column(db.Boolean, nullable=False, default=True)
    locale = db.Column(db.String(12))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(UTCDateTime)
    # Raised to end every login of the user for good (deactivation, its organisation's
    # suspension): part of the session fingerprint, so a later reactivation revives none.
    session_generation = db.Column(db.Integer, nullable=False, default=0, server_default="0")

    organization = db.relationship("Organization", backref="users")

    __table_args__ = (
        db.CheckConstraint(
            "role IN ('purchaser','unit_manager','supplier_staff','auditor','admin')",
            name="role_known",
        ),
    )

    @property
    def is_active(self):
        """Flask-Login: a user can act only while both it and its organisation are active."""
        return bool(self.active) and self.organization is not None and \
            self.organization.status == "active"

    def has_role(self, *roles):
        return self.role in roles

    def session_fingerprint(self):
        """A short keyed digest of the password hash and the session generation (it reveals
        nothing of the hash)."""
        kept = self.__dict__.get("kept_fingerprint")
        if kept is not None and "password_hash" not in self.__dict__:
            return kept  # a user rebuilt from a kept login (accounts/kept_logins.py)
        key = current_app.config["SECRET_KEY"].encode()
        material = f"{self.password_hash}|{self.session_generation or 0}".encode()
        return hmac.new(key, material, hashlib.sha256).hexdigest()[:16]

    def get_id(self):
        """Flask-Login's id in the session and the remember-me cookie:
        "<id>:<login key>:<fingerprint>".

        The login key names this browser's LoginSession row, which logout ends on the server;
        a new password or session generation changes the fingerprint, so every login made
        before it ends as well (`marketplace.accounts.auth.load_user` refuses both).
        """
        key = getattr(self, "login_key", None) or "-"
        return f"{self.id}:{key}:{self.session_fingerprint()}"

    def __repr__(self):
        return f"<User {self.id} {self.email} {self.role}>"


class LoginSession(db.Model):
    """One browser login, named by the session and remember-me cookies through a random key
    (only its SHA-256 is stored). Ended by logging out, a new password, a deactivation or a
    suspension: a copy of an ended login's cookie then signs nobody in."""

    __tablename__ = "login_sessions"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    key_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    ended_at = db.Column(UTCDateTime)

    user = db.relationship("User")


class ApiToken(db.Model):
    """A bearer token for the JSON API, stored as a SHA-256 hash, with expiry and revocation."""

    __tablename__ = "api_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = db.Column(UTCDateTime, nullable=False)
    revoked_at = db.Column(UTCDateTime)
    last_used_at = db.Column(UTCDateTime)

    user = db.relationship("User")


class DeliveryAddress(db.Model):
    """A saved delivery address of a buyer organisation (canteen, warehouse)."""

    __tablename__ = "delivery_addresses"

    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False,
                                index=True)
    label = db.Column(db.String(60), nullable=False)
    recipient = db.Column(db.String(60), nullable=False)
    phone = db.Column(db.String(40), nullable=False)
    address = db.Column(db.String(300), nullable=False)
