"""The consumption-assistance procurement marketplace: the application factory."""
import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from marketplace import cli, csrf_tokens, database, i18n, web
from marketplace.accounts import auth  # noqa: F401  (registers the user loader)
from marketplace.config import INSTANCE, ROOT, Config, missing_production_secrets
from marketplace.database import MAX_ID
from marketplace.domains import DOMAINS, domain_modules
from marketplace.extensions import csrf, db, limiter, login_manager, migrate
from marketplace.notifications import outbox
from marketplace.reports import kept

log = logging.getLogger(__name__)


def create_app(config=None):
    """Build the application; `config` is a Config class or a mapping of overrides."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), instance_path=str(INSTANCE))
    load_config(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_signal_listeners()
    register_request_hooks(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    trust_proxies(app, app.config.get("TRUSTED_PROXY_COUNT", 0))
    return app


def trust_proxies(app, count):
    """Behind `count` reverse proxies, take the client's address, scheme and host from their
    X-Forwarded-* headers: rate limits and the audit trail then see each client, not the
    proxy. Never trusted by default (a client could claim any address)."""
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def load_config(app, config):
    """Apply Config, then the given class or overrides; refuse production with a missing or
    placeholder secret, and say loudly when this is development."""
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    if app.config.get("ENV_NAME") == "production":
        problems = missing_production_secrets(app.config)
        if problems:
            raise RuntimeError("production refuses to start without real values for: "
                               + "; ".join(problems))
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = "dev-only-not-secret"
    if app.config.get("ENV_NAME") == "production" and \
            str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        log.warning("RATELIMIT_STORAGE_URI is memory://: each worker counts login attempts on "
                    "its own, so the limits do not hold across workers; use redis://.")
    if app.config.get("ENV_NAME") == "development":
        log.warning("DEVELOPMENT MODE (MARKETPLACE_ENV=development): public placeholder secrets "
                    "sign sessions and Stripe webhooks. Never take real orders or payments "
                    "like this: set MARKETPLACE_ENV=production and the secrets.")
    if app.config.get("ENV_NAME") == "production" and "SESSION_COOKIE_SECURE" not in os.environ:
        # HTTPS only, whatever class or mapping configured the app (the environment may still
        # say otherwise, e.g. behind a proxy that speaks plain HTTP to a private network).
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://"):]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite"):
        INSTANCE.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}


def register_extensions(app):
    """Bind the extensions to this app."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    csrf_tokens.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    import_models()
    database.init_app(app)


def import_models():
    """Import every domain's models so the metadata (and Alembic) knows every table."""
    domain_modules("models", DOMAINS + ("audit", "jobs"))


def register_blueprints(app):
    """Each domain's pages; the JSON API lives under /api/v1."""
    class IdConverter(IntegerConverter):
        """`<int:id>` beyond PostgreSQL's integer range becomes 0, an id no row has.

        The route still matches, so the view answers 404 whatever the method, instead of the
        database raising (a 500) or the router falling through to a 405.
        """

        def to_python(self, value):
            number = super().to_python(value)
            return number if number <= MAX_ID else 0

    app.url_map.converters["int"] = IdConverter

    for module in domain_modules("views"):
        app.register_blueprint(module.bp)


def register_signal_listeners():
    """Connect each domain's reactions to other domains' signals (its `listeners` module)."""
    domain_modules("listeners")


def register_request_hooks(app):
    """One commit per request, security headers, e-mail and exports handed to the job queue
    once the request committed."""
    web.init_app(app)
    outbox.init_app(app)
    kept.init_app(app)


def register_error_handlers(app):
    """Domain errors and HTTP errors become pages or the API's JSON error shape."""
    web.register_error_handlers(app)


def register_template_helpers(app):
    """Filters and globals for templates (money, CST times, navigation)."""
    web.register_template_helpers(app)


def register_commands(app):
    """CLI commands: create-admin, regions, demo, and each domain's own."""
    cli.init_app(app)
