"""Payments fixtures: Stripe's signed webhook events posted to the app (localstripe itself, the
paying parties and their orders come from tests/conftest.py and tests/factories.py)."""
import json

import pytest

from tests.payments.helpers import sign


@pytest.fixture
def post_event(client, app):
    """post_event(event_dict, secret=None, timestamp=None) → the webhook's response."""

    def _post(event, secret=None, timestamp=None, signature=None):
        payload = json.dumps(event).encode()
        header = signature or sign(payload, secret or app.config["STRIPE_WEBHOOK_SECRET"],
                                   timestamp)
        return client.post("/webhooks/stripe", data=payload,
                           headers={"Stripe-Signature": header,
                                    "Content-Type": "application/json"})

    return _post
