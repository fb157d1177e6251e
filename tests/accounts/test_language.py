"""English pages: the language switch, and every string of the accounts/admin pages translated."""
import glob

import pytest

from marketplace.config import ROOT
from tests.helpers import english, translatable_strings, untranslated

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


def _strings_of(domain):
    """The domain's top-level modules and its templates."""
    return translatable_strings(glob.glob(str(ROOT / "marketplace" / domain / "*.py")),
                                glob.glob(str(ROOT / "templates" / domain / "*.html")))


@pytest.mark.parametrize("domain", OWN)
def test_every_string_of_these_pages_has_an_english_translation(domain):
    assert untranslated(_strings_of(domain), english()) == []
