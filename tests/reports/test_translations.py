"""Every string of the reports pages, files and messages has an English translation."""
from tests.helpers import domain_strings, english, untranslated


def test_every_reports_string_has_an_english_translation():
    found = domain_strings("reports", also=["marketplace/api/reports.py"])
    assert len(found) > 50
    assert untranslated(found, english("reports")) == []
