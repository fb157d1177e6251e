"""Translated messages that also work outside a request (CLI, demo seeding, tests of services)."""
from flask import has_request_context
from flask_babel import gettext


def _(text, **variables):
    """gettext in a request; outside one, the Chinese message id formatted as gettext would."""
    if has_request_context():
        return gettext(text, **variables)
    return text % variables if variables else text
