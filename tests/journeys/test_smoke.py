"""The smallest journey: a visitor opens the home page and logs in, in Chromium."""
import pytest

from tests import factories
from tests.journeys.helpers import log_in, log_out

pytestmark = pytest.mark.browser


def test_purchaser_logs_in_and_out(page, db):
    user = factories.user("purchaser")
    db.session.commit()
    log_in(page, user)
    log_out(page)
