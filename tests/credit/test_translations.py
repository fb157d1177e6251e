"""Every string of the credit pages and messages, and the tier names, has an English translation."""
from marketplace.config import ROOT
from tests.helpers import domain_strings, english, translatable_strings, untranslated


def test_every_credit_string_has_an_english_translation():
    found = domain_strings("credit", also=["marketplace/api/credit.py"])
    assert len(found) > 60
    assert untranslated(found, english("credit")) == []


def test_the_tier_names_and_the_catalogs_credit_texts_read_in_english():
    labels = translatable_strings([str(ROOT / "marketplace/accounts/labels.py")])
    known = english("accounts")
    assert {"普通", "银卡", "金卡", "钻石卡"} <= {message for _path, message in labels}
    assert [message for _path, message in labels if message not in known] == []
    catalog = english("catalog")
    for path in ("templates/catalog/store.html", "templates/catalog/_macros.html"):
        texts = [message for _p, message in translatable_strings(templates=[str(ROOT / path)])]
        assert [text for text in texts if text not in catalog] == [], path
