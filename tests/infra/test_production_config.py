"""Production refuses public placeholder secrets; Stripe can be switched off; development says
loudly that it is development."""
import json
import logging

import pytest

from marketplace import create_app
from tests.payments.helpers import sign

REAL = {"SECRET_KEY": "k" * 64, "STRIPE_SECRET_KEY": "sk_live_abc123",
        "STRIPE_PUBLISHABLE_KEY": "pk_live_abc123", "STRIPE_WEBHOOK_SECRET": "whsec_real_0123456789"}


def production(tmp_path, **overrides):
    settings = {"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI":
                f"sqlite:///{tmp_path / 'prod.sqlite'}", "RATELIMIT_ENABLED": False, **REAL}
    settings.update(overrides)
    return create_app(settings)


@pytest.mark.parametrize("name, value", [
    ("STRIPE_WEBHOOK_SECRET", "whsec_demo"), ("STRIPE_WEBHOOK_SECRET", ""),
    ("STRIPE_WEBHOOK_SECRET", None), ("STRIPE_SECRET_KEY", "sk_test_demo"),
    ("STRIPE_PUBLISHABLE_KEY", "pk_test_demo"), ("SECRET_KEY", "dev-only-not-secret"),
    ("SECRET_KEY", None), ("SECRET_KEY", "short-key"),
])
def test_production_refuses_to_start_with_a_placeholder_or_missing_secret(tmp_path, name, value):
    with pytest.raises(RuntimeError, match=name):
        production(tmp_path, **{name: value})


def test_production_refuses_a_placeholder_mail_password(tmp_path):
    with pytest.raises(RuntimeError, match="MAIL_PASSWORD"):
        production(tmp_path, MAIL_USERNAME="mailer", MAIL_PASSWORD="changeme")


def test_production_starts_with_real_secrets_and_refuses_an_event_signed_with_the_placeholder(
        tmp_path):
    app = production(tmp_path)
    event = {"id": "evt_forged", "object": "event", "type": "payment_intent.succeeded",
             "created": 1, "data": {"object": {"id": "pi_1", "metadata": {"order_id": "1"}}}}
    payload = json.dumps(event).encode()
    response = app.test_client().post("/webhooks/stripe", data=payload, headers={
        "Stripe-Signature": sign(payload, "whsec_demo"), "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_signature"


def test_a_bank_transfer_only_platform_needs_no_stripe_keys_and_refuses_every_webhook(tmp_path):
    app = production(tmp_path, STRIPE_ENABLED=False, STRIPE_SECRET_KEY="sk_test_demo",
                     STRIPE_PUBLISHABLE_KEY=None, STRIPE_WEBHOOK_SECRET="whsec_demo")
    payload = json.dumps({"id": "evt_1", "type": "payment_intent.succeeded", "created": 1,
                          "data": {"object": {}}}).encode()
    response = app.test_client().post("/webhooks/stripe", data=payload, headers={
        "Stripe-Signature": sign(payload, "whsec_demo"), "Content-Type": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "stripe_disabled"


def test_development_mode_announces_itself_in_the_log_and_on_every_page(tmp_path, caplog):
    # Alembic's logging.config.fileConfig (run by migration tests) disables existing loggers.
    logging.getLogger("marketplace").disabled = False
    with caplog.at_level(logging.WARNING, logger="marketplace"):
        app = create_app({"ENV_NAME": "development", "SECRET_KEY": None,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dev.sqlite'}"})
    assert any("DEVELOPMENT MODE" in record.getMessage() for record in caplog.records)
    page = app.test_client().get("/login").get_data(as_text=True)
    assert 'data-testid="dev-banner"' in page and "开发模式" in page


def test_production_pages_carry_no_development_banner(tmp_path):
    page = production(tmp_path).test_client().get("/login").get_data(as_text=True)
    assert "dev-banner" not in page
