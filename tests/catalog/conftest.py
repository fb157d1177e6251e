"""Catalog test fixtures."""
import pytest
from flask import g
from flask.testing import FlaskClient

from marketplace.i18n import compile_catalogues

# .mo files are not in git: compile them before any test loads a catalogue.
compile_catalogues()


class FreshClient(FlaskClient):
    """A test client whose every request starts with a clean `g`.

    The test's app context is shared by the test client's requests, so without this
    Flask-Login's cached `g._login_user` and web.py's `g.request_failed` of an earlier request
    (a 404, say) would leak into the next one (and stop its commit).
    """

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        g.pop("request_failed", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app, db):
    return FreshClient(app, app.response_class, use_cookies=True)
