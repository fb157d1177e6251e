"""Passwords: Argon2id hashing, the strength policy, logging in, changing a password and
resetting it by e-mail."""
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.accounts.models import User
from marketplace.accounts.services.links import external_url as _url
from marketplace.accounts.services.sessions import end_logins, revoke_api_tokens
from marketplace.audit.services import record
from marketplace.errors import FieldErrors, ValidationError
from marketplace.i18n import translate as _
from marketplace.extensions import db
from marketplace.notifications.outbox import queue_mail
from marketplace.timeutil import utcnow

_HASHERS = {}
_DUMMY_HASHES = {}
MIN_PASSWORD_LENGTH = 10
# zxcvbn's score (0–4): 3 means about 10^8 guesses, out of reach of an online attack and
# costly offline against Argon2id; lower scores are common, breached or pattern passwords.
MIN_PASSWORD_SCORE = 3
# zxcvbn's run time grows with the length; what lies beyond this only adds strength.
SCORED_LENGTH = 100


def _hasher():
    """Argon2id with the library's (RFC 9106) parameters; the test suite sets
    PASSWORD_HASH_PROFILE = "fast" so thousands of logins stay quick there."""
    profile = "strong"
    if has_app_context():
        profile = current_app.config.get("PASSWORD_HASH_PROFILE", "strong")
    if profile not in _HASHERS:
        _HASHERS[profile] = PasswordHasher() if profile != "fast" else \
            PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return _HASHERS[profile]


def _dummy_hash():
    """Verified against when the e-mail is unknown, so a miss costs as long as a hit."""
    hasher = _hasher()
    if hasher not in _DUMMY_HASHES:
        _DUMMY_HASHES[hasher] = hasher.hash("not-a-real-password")
    return _DUMMY_HASHES[hasher]


def hash_password(password):
    """An Argon2id hash of the password."""
    return _hasher().hash(password)


def check_password(user, password):
    """Whether `password` is the user's; rehashes transparently when parameters changed."""
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


def normalize_email(email):
    return (email or "").strip().lower()


def validate_password(password, email=None, name=None):
    """Refuse a password anyone could guess: shorter than MIN_PASSWORD_LENGTH, one repeated
    character, the user's e-mail or name (or a word of them), or a common or breached password
    (zxcvbn's lists of leaked passwords, words, names and keyboard patterns).

    :raises ValidationError: with fields.password = too_short, repeated, personal or common.
    """
    # Imported here: zxcvbn's word lists are loaded only by a process that checks a password.
    from zxcvbn import zxcvbn

    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(_("密码至少需要 %(n)s 个字符。", n=MIN_PASSWORD_LENGTH),
                              fields={"password": "too_short"})
    if len(set(password)) == 1:
        raise ValidationError(_("密码不能由同一个字符重复组成。"), fields={"password": "repeated"})
    personal = _personal_words(email, name)
    lowered = password.lower()
    if any(word in lowered for word in personal if len(word) >= 4) or \
            any(lowered in word for word in personal):
        raise ValidationError(_("密码不能包含您的电子邮箱或姓名。"),
                              fields={"password": "personal"})
    if zxcvbn(password[:SCORED_LENGTH], user_inputs=personal)["score"] < MIN_PASSWORD_SCORE:
        raise ValidationError(_("这个密码太常见或太容易猜到，请换一个更长、更不规则的密码。"),
                              fields={"password": "common"})


def _personal_words(email, name):
    """The e-mail, its local part and the name (and their words), lower-cased."""
    words = set()
    email = normalize_email(email)
    if email:
        local = email.split("@")[0]
        words.update({email, local, *re.split(r"[._+\-]", local)})
    if name and name.strip():
        words.update({name.strip().lower(), *name.strip().lower().split()})
    return [word for word in words if word]


def authenticate(email, password):
    """The active user with this e-mail and password, or None (the same answer for every failure)."""
    user = User.query.filter_by(email=normalize_email(email)).first()
    if user is None:
        try:
            _hasher().verify(_dummy_hash(), password or "x")
        except VerificationError:
            pass
        return None
    if not check_password(user, password or "") or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def change_password(user, current_password, new_password):
    """A logged-in user replaces its password, proving it knows the current one.

    Every browser login of the user ends and its API tokens are revoked (the caller logs the
    current browser in again with a new login: see `start_login`).
    :raises ValidationError: the current password is wrong, or the new one is weak
        (`validate_password`).
    """
    errors = FieldErrors()  # a wrong current password and a weak new one, told at once
    if not check_password(user, current_password or ""):
        errors.add(_("当前密码不正确。"), "current_password", "wrong")
    errors.check(validate_password, new_password, user.email, user.name)
    errors.raise_any()
    return _replace_password(user, new_password, "user.password_change")


def request_password_reset(email):
    """E-mail a reset link to the user with this address, if there is one; silent otherwise.

    The caller shows the same message either way, so nobody learns which e-mails exist.
    """
    user = User.query.filter_by(email=normalize_email(email)).first()
    if user is None or not user.active:
        return None
    token = make_reset_token(user)
    link = _url("accounts.reset_password", token=token)
    queue_mail(user.email, "重置密码 / Reset your password",
               f"{user.name}，您好：\n\n请在一小时内打开下面的链接设置新密码：\n{link}\n\n"
               "如果不是您本人操作，请忽略本邮件。\n\n"
               f"To choose a new password, open this link within an hour:\n{link}\n")
    record("user.password_reset_requested", user, actor=user)
    return user


def _reset_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user):
    """A signed token valid for one hour and only until the password changes."""
    return _reset_serializer().dumps({"uid": user.id, "ph": user.session_fingerprint()})


def user_for_reset_token(token, max_age=3600):
    """The user a reset token was issued to, or None if it is bad, expired or already used."""
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.session_fingerprint() != data.get("ph"):
        return None
    return user


def reset_password(token, new_password):
    """Set a new password from a reset token; every session of the user ends, its API tokens
    are revoked.

    :raises ValidationError: the token is invalid or expired, or the password is weak.
    """
    user = user_for_reset_token(token)
    if user is None:
        raise ValidationError(_("重置链接无效或已过期。"), fields={"token": "invalid"})
    return _replace_password(user, new_password, "user.password_reset")


def _replace_password(user, new_password, action):
    """A new (strong) password: every login of the user ends, its API tokens are revoked.

    :raises ValidationError: the new password is weak (`validate_password`).
    """
    validate_password(new_password, user.email, user.name)
    user.password_hash = hash_password(new_password)
    end_logins([user.id])
    revoked = revoke_api_tokens(user)
    record(action, user, actor=user, detail={"api_tokens_revoked": revoked})
    return user
