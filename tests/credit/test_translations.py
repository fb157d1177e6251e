"""Every string of the credit pages and messages, and the tier names, has an English translation."""
import glob

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from marketplace.config import ROOT

KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def english(domain):
    path = ROOT / f"marketplace/{domain}/translations/en/LC_MESSAGES/messages.po"
    with open(path, "rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and m.string}


def strings(python=(), templates=()):
    found = []
    for path in python:
        found += [(path, m) for _, m, _, _ in extract_from_file("python", path, keywords=KEYWORDS)]
    for path in templates:
        found += [(path, m) for _, m, _, _ in extract_from_file(
            "jinja2", path, keywords=KEYWORDS, options={"extensions": "jinja2.ext.i18n"})]
    return found


def test_every_credit_string_has_an_english_translation():
    found = strings(glob.glob(str(ROOT / "marketplace/credit/**/*.py"), recursive=True) +
                    [str(ROOT / "marketplace/api/credit.py")],
                    glob.glob(str(ROOT / "templates/credit/*.html")))
    assert len(found) > 60
    known = english("credit")
    assert [(path, message) for path, message in found if message not in known] == []


def test_the_tier_names_and_the_catalogs_credit_texts_read_in_english():
    labels = strings([str(ROOT / "marketplace/accounts/labels.py")])
    known = english("accounts")
    assert {"普通", "银卡", "金卡", "钻石卡"} <= {message for _path, message in labels}
    assert [message for _path, message in labels if message not in known] == []
    catalog = english("catalog")
    for path in ("templates/catalog/store.html", "templates/catalog/_macros.html"):
        texts = [message for _p, message in strings(templates=[str(ROOT / path)])]
        assert [text for text in texts if text not in catalog] == [], path
