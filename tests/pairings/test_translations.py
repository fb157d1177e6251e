"""Every string of the pairing pages, messages, forms and exports has an English translation."""
import glob

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from marketplace.config import ROOT

CATALOGUE = ROOT / "marketplace/pairings/translations/en/LC_MESSAGES/messages.po"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def test_every_pairing_string_has_an_english_translation():
    with open(CATALOGUE, "rb") as handle:
        english = {m.id: m.string for m in read_po(handle) if m.id and m.string}
    found = []
    for path in glob.glob(str(ROOT / "marketplace/pairings/**/*.py"), recursive=True):
        found += [(path, m) for _, m, _, _ in extract_from_file("python", path, keywords=KEYWORDS)]
    for path in glob.glob(str(ROOT / "templates/pairings/*.html")):
        found += [(path, m) for _, m, _, _ in extract_from_file(
            "jinja2", path, keywords=KEYWORDS, options={"extensions": "jinja2.ext.i18n"})]
    assert len(found) > 200
    assert [(path, message) for path, message in found if message not in english] == []
