"""The one place that talks to Stripe: a StripeClient built from the app's configuration.

Keys and the API base come from the configuration on every call (STRIPE_SECRET_KEY,
STRIPE_API_BASE), so a test server such as localstripe is used simply by pointing
STRIPE_API_BASE at it. Nothing here touches the database.
"""
from flask import current_app

from marketplace.errors import DomainError

LIVE_HOST = "api.stripe.com"


class StripeUnavailable(DomainError, status=502, code="payment_provider_error"):
    """Stripe refused the request or could not be reached (502)."""


def client():
    """A StripeClient for the configured key and API base."""
    import stripe  # ~32 MB: imported on first use, not with the app

    config = current_app.config
    return stripe.StripeClient(config["STRIPE_SECRET_KEY"],
                               base_addresses={"api": config["STRIPE_API_BASE"].rstrip("/")},
                               max_network_retries=1)


def is_test_server():
    """Whether the configured Stripe server is a test server (not Stripe's own API)."""
    return LIVE_HOST not in current_app.config["STRIPE_API_BASE"]


def method_types():
    """The payment method types offered (the STRIPE_PAYMENT_METHOD_TYPES setting)."""
    configured = current_app.config["STRIPE_PAYMENT_METHOD_TYPES"]
    if isinstance(configured, str):  # set by hand as "card,alipay"
        configured = [part.strip() for part in configured.split(",") if part.strip()]
    return list(configured)


def _call(function, *args, **kwargs):
    import stripe  # on first use, as in client()

    try:
        return function(*args, **kwargs)
    except stripe.StripeError as error:
        message = getattr(error, "user_message", None) or str(error) or "Stripe error"
        raise StripeUnavailable(f"Stripe: {message}") from None


def create_payment_intent(amount_fen, metadata, idempotency_key):
    """A PaymentIntent in CNY for `amount_fen`, tagged with `metadata`."""
    params = {"amount": int(amount_fen), "currency": "cny",
              "metadata": {key: str(value) for key, value in metadata.items()},
              "payment_method_types": method_types()}
    return _call(client().v1.payment_intents.create, params=params,
                 options={"idempotency_key": idempotency_key})


def retrieve_payment_intent(intent_id):
    return _call(client().v1.payment_intents.retrieve, intent_id)


def confirm_with_test_card(intent_id, payment_method="pm_card_visa"):
    """Confirm a PaymentIntent server-side with a test card (test servers only).

    localstripe does not implement confirm(payment_method=...): attach it first, then confirm.
    """
    api = client().v1.payment_intents
    _call(api.update, intent_id, params={"payment_method": payment_method})
    return _call(api.confirm, intent_id)


def cancel_payment_intent(intent_id):
    return _call(client().v1.payment_intents.cancel, intent_id)


def create_refund(intent_id, amount_fen, metadata, idempotency_key):
    """Refund `amount_fen` of a succeeded PaymentIntent."""
    params = {"payment_intent": intent_id, "amount": int(amount_fen),
              "metadata": {key: str(value) for key, value in metadata.items()}}
    return _call(client().v1.refunds.create, params=params,
                 options={"idempotency_key": idempotency_key})


def construct_event(payload, signature):
    """Verify a webhook's signature and parse it (ValueError, SignatureVerificationError)."""
    import stripe  # on first use, as in client()

    return stripe.Webhook.construct_event(payload, signature,
                                          current_app.config["STRIPE_WEBHOOK_SECRET"])
