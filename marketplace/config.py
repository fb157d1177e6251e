"""Configuration read from the environment (see README: Configuration)."""
import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"



def _list(name, default):
    """A comma-separated environment variable as a list (blank items dropped)."""
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings for development and production; every value can come from the environment."""

    ENV_NAME = os.environ.get("MARKETPLACE_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE / 'marketplace.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {}
    # A pooled PostgreSQL connection idle this long is pinged before use (marketplace.database
    # _check_before_use); one the server has ended is noticed at once, without a ping.
    DATABASE_PING_AFTER_IDLE_SECONDS = float(os.environ.get("DATABASE_PING_AFTER_IDLE_SECONDS",
                                                            1.0))
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE / "uploads"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024))
    MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 8 * 1024 * 1024))

    # Mail: with no MAIL_SERVER, messages go to MAIL_FILE_DIR (one .eml per message) and the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "noreply@marketplace.local")
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(INSTANCE / "mail"))
    # Where users reach the platform: every link in an e-mail starts with it (never with the
    # Host a request happened to send, which a client chooses).
    BASE_URL = os.environ.get("BASE_URL", "http://localhost:5000")

    # STRIPE_ENABLED=false: a bank-transfer-only platform (no Stripe option, webhook refused).
    STRIPE_ENABLED = _bool("STRIPE_ENABLED", True)
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_demo")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "pk_test_demo")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_demo")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
    # The payment method types offered on a PaymentIntent (card, Alipay, WeChat Pay).
    STRIPE_PAYMENT_METHOD_TYPES = _list("STRIPE_PAYMENT_METHOD_TYPES", "card,alipay,wechat_pay")

    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {"zh_Hans_CN": "中文", "en": "English"}

    # Redis shared by every worker and server (production): the catalog's kept pages, lists
    # and choices, and (unless RATELIMIT_STORAGE_URI says otherwise) the rate-limit counters.
    # Unset: each process keeps its own, which is right for one development server only.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Where jobs run (marketplace.jobs): "rq" (on REDIS_URL, run by `flask jobs worker`) or
    # "inprocess" (at once, in the process that asks: development and the demo).
    JOBS_BACKEND = os.environ.get("JOBS_BACKEND") or ("rq" if REDIS_URL else "inprocess")
    # A job running longer than this is stopped by its worker (and retried where it may be).
    JOBS_TIMEOUT_SECONDS = int(os.environ.get("JOBS_TIMEOUT_SECONDS", 3600))
    # Waits between attempts to send an e-mail the mail server refused (about 2 hours in all;
    # the scheduler's mail-send then keeps trying every 5 minutes).
    MAIL_RETRY_SECONDS = tuple(int(part) for part in os.environ.get(
        "MAIL_RETRY_SECONDS", "10,30,60,120,300,600,1200,1800,3600").split(","))
    # memory:// (the default without REDIS_URL) keeps one counter per process: development
    # only. With several workers or servers the limits hold only with a shared store.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", REDIS_URL or "memory://")
    RATELIMIT_HEADERS_ENABLED = True  # X-RateLimit-* on limited routes, Retry-After on a 429
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "5 per minute")
    # Checks of uploaded files and typed codes on the public verify page, per client address.
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "20 per minute")
    API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", 24 * 30))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", ENV_NAME == "production")
    # A browser login (session or remember-me cookie) lasts at most this long.
    LOGIN_SESSION_DAYS = int(os.environ.get("LOGIN_SESSION_DAYS", 30))
    REMEMBER_COOKIE_DURATION = timedelta(days=LOGIN_SESSION_DAYS)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None

    # How many reverse proxies (nginx, a load balancer) stand in front of the app and add
    # X-Forwarded-For/-Proto/-Host; 0: none, the headers are ignored.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))

    PER_PAGE_DEFAULT = 20
    # The API's quota rows of one scope are reused this long while the data is unchanged
    # (0: computed on every request).
    QUOTA_ROWS_CACHE_SECONDS = int(os.environ.get("QUOTA_ROWS_CACHE_SECONDS", 60))
    # The catalog's category tree and origin choices are kept this long (in Redis with
    # REDIS_URL, else per process); an admin edit forgets them everywhere at once (0: never).
    CATALOG_CHOICES_CACHE_SECONDS = int(os.environ.get("CATALOG_CHOICES_CACHE_SECONDS", 60))
    # Catalog pages rendered for visitors (not signed in) are served again for this long
    # (0: never); see marketplace/catalog/caching.py.
    PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", 30))
    # Which products a public list or search shows (ids in order, and the count) are reused
    # this long; the products are read afresh on every page (0: never reused).
    CATALOG_LIST_CACHE_SECONDS = int(os.environ.get("CATALOG_LIST_CACHE_SECONDS", 60))
    # The part of a list, search or product page that every user of a role sees alike is reused
    # this long (signed-in buyers' pages: header and forms are rendered per request); any
    # catalog change forgets it at once (0: rendered on every request).
    CATALOG_PART_CACHE_SECONDS = int(os.environ.get("CATALOG_PART_CACHE_SECONDS", 600))
    # Without REDIS_URL, the worker processes of one server agree on the catalog version through
    # this file's modification time (each bump touches it), so a change made through one worker
    # is seen by the others on their next request.
    CATALOG_VERSION_FILE = os.environ.get("CATALOG_VERSION_FILE",
                                          str(INSTANCE / "catalog-version"))
    # Without REDIS_URL, other counters the workers of one server share live here, one file
    # each (marketplace/shared_store.py).
    SHARED_COUNTERS_FOLDER = os.environ.get("SHARED_COUNTERS_FOLDER", str(INSTANCE / "counters"))
    # A signed-in user's login, organisation and header numbers are reused this long between
    # their requests (in Redis with REDIS_URL, else per process), so that a page that only
    # reads sends no query for them; any change to them forgets them at once, on every server
    # (marketplace/accounts/kept_logins.py; 0: read on every request).
    SIGNED_IN_CACHE_SECONDS = int(os.environ.get("SIGNED_IN_CACHE_SECONDS", 60))

    # PDF reports embed this CJK font (face REPORTS_CJK_FONT_INDEX of a .ttc collection);
    # Excel exports are assembled in REPORTS_TMPDIR (None: the system's) before streaming.
    REPORTS_CJK_FONT = os.environ.get("REPORTS_CJK_FONT",
                                      "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    REPORTS_CJK_FONT_INDEX = int(os.environ.get("REPORTS_CJK_FONT_INDEX", 2))
    REPORTS_TMPDIR = os.environ.get("REPORTS_TMPDIR") or None
    # Exports of more than EXPORTS_QUEUE_ROWS rows are written by a job into EXPORTS_DIR (shared
    # by the app servers and the workers) and kept EXPORTS_KEEP_DAYS days; smaller ones download
    # at once.
    EXPORTS_DIR = os.environ.get("EXPORTS_DIR", str(INSTANCE / "exports"))
    EXPORTS_KEEP_DAYS = int(os.environ.get("EXPORTS_KEEP_DAYS", 7))
    # A buyer may open an after-sale case (售后) this many days after acceptance.
    AFTER_SALES_DAYS = int(os.environ.get("AFTER_SALES_DAYS", 7))
    EXPORTS_QUEUE_ROWS = int(os.environ.get("EXPORTS_QUEUE_ROWS", 20_000))
    # Waits before the queue writes an export again from its first row after an attempt died
    # (its worker killed or restarted, the database away); then it is marked failed.
    EXPORTS_RETRY_SECONDS = tuple(int(part) for part in os.environ.get(
        "EXPORTS_RETRY_SECONDS", "10,60,300").split(","))


# Values that are public (in this repository) and so sign or verify nothing in production.
PLACEHOLDER_SECRETS = {"dev-only-not-secret", "test-secret-key", "sk_test_demo", "pk_test_demo",
                       "whsec_demo", "change-me", "changeme", "secret"}
MIN_SECRET_KEY_LENGTH = 32


def missing_production_secrets(config):
    """The settings that production refuses to start without, each with why (empty: fine).

    SECRET_KEY must be real and long; with Stripe on, its keys and webhook secret must be real
    ones (a placeholder webhook secret would let anyone sign a "payment succeeded" event).
    """
    problems = []
    secret = config.get("SECRET_KEY") or ""
    if secret in PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY (a random value of at least {MIN_SECRET_KEY_LENGTH} "
                        "characters)")
    if stripe_enabled(config):
        for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
            value = (config.get(name) or "").strip()
            if not value or value in PLACEHOLDER_SECRETS:
                problems.append(f"{name} (or STRIPE_ENABLED=false for bank transfers only)")
    if config.get("MAIL_USERNAME") and (config.get("MAIL_PASSWORD") or "") in \
            PLACEHOLDER_SECRETS | {""}:
        problems.append("MAIL_PASSWORD")
    return problems


def stripe_enabled(config):
    """Whether the platform takes Stripe payments (STRIPE_ENABLED, on by default)."""
    return bool(config.get("STRIPE_ENABLED", True))


class TestConfig(Config):
    """Settings for the test suite; the database URL is set by the fixtures."""

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = True
    PASSWORD_HASH_PROFILE = "fast"  # cheap Argon2 parameters: logins in tests cost ~1 ms
    STRIPE_API_BASE = "http://127.0.0.1:8420"
    BASE_URL = "https://market.example.cn"
    QUOTA_ROWS_CACHE_SECONDS = 0  # tests reuse ids across cleaned databases: no cache
    CATALOG_CHOICES_CACHE_SECONDS = 0
    PUBLIC_PAGE_CACHE_SECONDS = 0
    CATALOG_LIST_CACHE_SECONDS = 0
    CATALOG_PART_CACHE_SECONDS = 0
