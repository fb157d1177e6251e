"""English pages: the language switch, and every string of the accounts/admin pages translated."""
import glob

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from marketplace.config import ROOT
from marketplace.i18n import PACKAGE

OWN = ["accounts", "admin", "regions", "notifications"]


def test_switching_to_english_translates_pages_and_messages(client, login_as, post_form):
    login_as("unit_manager")
    client.get("/language/en")
    page = client.get("/my/organization").get_data(as_text=True)
    assert "My organisation" in page and "Log out" in page and "我的单位" not in page
    refused = post_form("/my/organization/threshold", {"approval_threshold": "abc"})
    assert "The approval threshold must be an amount in yuan." in refused.get_data(as_text=True)
    client.get("/language/zh_Hans_CN")
    assert "我的单位" in client.get("/my/organization").get_data(as_text=True)


def test_anonymous_visitor_gets_the_english_register_page(client, db):
    client.get("/language/en")
    page = client.get("/register").get_data(as_text=True)
    assert "Register an organisation" in page and "Kind of organisation" in page


def test_unknown_language_is_ignored(client, db):
    assert client.get("/language/xx").status_code == 302
    assert "注册新组织" in client.get("/register").get_data(as_text=True)


def _english():
    translations = {}
    for path in glob.glob(str(PACKAGE / "**/translations/en/LC_MESSAGES/messages.po"),
                          recursive=True):
        with open(path, "rb") as handle:
            for message in read_po(handle):
                if message.id and message.string:
                    translations[message.id] = message.string
    return translations


def _message_ids():
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
    for domain in OWN:
        for path in glob.glob(str(ROOT / "marketplace" / domain / "*.py")):
            for _line, message, _comments, _context in extract_from_file("python", path,
                                                                          keywords=keywords):
                yield path, message
        for path in glob.glob(str(ROOT / "templates" / domain / "*.html")):
            for _line, message, _comments, _context in extract_from_file(
                    "jinja2", path, keywords=keywords,
                    options={"extensions": "jinja2.ext.i18n"}):
                yield path, message


@pytest.mark.parametrize("domain", OWN)
def test_every_string_of_these_pages_has_an_english_translation(domain):
    english = _english()
    missing = [(path, message) for path, message in _message_ids()
               if f"/{domain}/" in path and message not in english]
    assert missing == []
