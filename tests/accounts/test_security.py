"""Rate limits on the credential routes, security headers on every response, cookie flags."""
import pytest

from marketplace import create_app
from marketplace.config import TestConfig
from tests import factories
from tests.helpers import csrf_token

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def assert_security_headers(response):
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.status_code, name)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


@pytest.mark.parametrize("url, limit", [("/register", "LOGIN_RATE_LIMIT"),
                                        ("/password/reset/not-a-token", "RESET_RATE_LIMIT")])
def test_registration_and_new_password_forms_are_rate_limited(app, client, db, url, limit):
    allowed = int(app.config[limit].split()[0])
    answers = [client.post(url, data={"csrf_token": csrf_token(client)})
               for _ in range(allowed + 1)]
    assert 429 not in [answer.status_code for answer in answers[:allowed]]
    assert answers[-1].status_code == 429
    assert "操作过于频繁" in answers[-1].get_data(as_text=True)
    assert_security_headers(answers[-1])


def test_api_token_requests_are_rate_limited(app, client, db):
    user = factories.user("purchaser")
    db.session.commit()
    allowed = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(allowed):
        wrong = client.post("/api/v1/auth/token", json={"email": user.email, "password": "nope"})
        assert wrong.status_code == 401
    # Even the right password waits: guessing cannot go on at full speed.
    right = client.post("/api/v1/auth/token",
                        json={"email": user.email, "password": factories.PASSWORD})
    assert right.status_code == 429
    assert right.get_json()["error"]["code"] == "rate_limited"
    assert_security_headers(right)


def test_changing_the_password_is_rate_limited(app, client, login_as):
    login_as("purchaser")
    allowed = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    data = {"current_password": "not-the-password", "password": "whatever-123",
            "confirm": "whatever-123"}
    for _ in range(allowed):
        assert client.post("/my/password", data={**data, "csrf_token": csrf_token(client)}
                           ).status_code == 422
    assert client.post("/my/password", data={**data, "csrf_token": csrf_token(client)}
                       ).status_code == 429


def test_every_kind_of_response_carries_the_security_headers(client, db):
    responses = {
        "page": client.get("/login"),
        "redirect": client.get("/my/organization"),
        "not found": client.get("/no-such-page"),
        "method not allowed": client.get("/logout"),
        "csrf refused": client.post("/login", data={"email": "a@b.cn", "password": "x"}),
        "api error": client.get("/api/v1/orders"),
        "static file": client.get("/static/css/app.css"),
    }
    expected = {"page": 200, "redirect": 302, "not found": 404, "method not allowed": 405,
                "csrf refused": 400, "api error": 401, "static file": 200}
    assert {kind: r.status_code for kind, r in responses.items()} == expected
    for response in responses.values():
        assert_security_headers(response)
        response.close()
    assert "Strict-Transport-Security" not in responses["page"].headers  # plain HTTP in tests


def test_the_session_cookie_is_http_only_and_same_site_lax(client, db, post_form):
    user = factories.user("purchaser")
    db.session.commit()
    response = post_form("/login", {"email": user.email, "password": factories.PASSWORD,
                                    "remember": "y"})
    assert response.status_code == 302
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        flags = [part.strip().lower() for part in cookies[name].split(";")]
        assert "httponly" in flags and "samesite=lax" in flags
        assert "secure" not in flags  # tests run over plain HTTP


def production_app(tmp_path, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)

    class Production(TestConfig):
        ENV_NAME = "production"
        SECRET_KEY = "production-secret-" + "x" * 32
        STRIPE_ENABLED = False  # bank transfers only: no Stripe keys needed
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'production.sqlite'}"
        MAIL_FILE_DIR = str(tmp_path / "mail")

    app = create_app(Production)

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    return app


def test_production_cookies_are_secure_and_errors_keep_the_headers(tmp_path, monkeypatch):
    app = production_app(tmp_path, monkeypatch)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.test_client() as client:
        page = client.get("/login")  # the form's CSRF token starts a session
        flags = [part.strip().lower() for part in page.headers["Set-Cookie"].split(";")]
        assert {"secure", "httponly", "samesite=lax"} <= set(flags)
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        crash = client.get("/boom")
        assert crash.status_code == 500
        assert_security_headers(crash)


def _audited_ip(client, db, forwarded_for):
    from marketplace.audit.models import AuditEntry

    user = factories.user("purchaser")
    db.session.commit()
    answer = client.post("/password/forgot", data={"email": user.email,
                                                   "csrf_token": csrf_token(client)},
                         headers={"X-Forwarded-For": forwarded_for})
    assert answer.status_code in (200, 302)
    return AuditEntry.query.filter_by(action="user.password_reset_requested").one().ip


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted(app, client, db):
    assert not hasattr(app.wsgi_app, "x_for")          # TRUSTED_PROXY_COUNT defaults to 0
    assert _audited_ip(client, db, "203.0.113.7") == "127.0.0.1"


def test_behind_a_trusted_proxy_each_client_has_its_own_address_and_limits(app, client, db,
                                                                          monkeypatch):
    from marketplace import trust_proxies

    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)
    trust_proxies(app, 1)
    assert _audited_ip(client, db, "198.51.100.1, 203.0.113.7") == "203.0.113.7"
    allowed = int(app.config["LOGIN_RATE_LIMIT"].split()[0])

    def attempt(address):
        return client.post("/api/v1/auth/token", json={"email": "x@example.com", "password": "x"},
                           headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.8") for _ in range(allowed + 1)][-1] == 429
    assert attempt("203.0.113.9") == 401                 # another client is not held back


def test_the_setting_wraps_the_app_in_proxy_fix():
    from werkzeug.middleware.proxy_fix import ProxyFix

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TRUSTED_PROXY_COUNT": 2})
    assert isinstance(app.wsgi_app, ProxyFix) and app.wsgi_app.x_for == 2
