"""Every string of the pairing pages, messages, forms and exports has an English translation."""
from tests.helpers import domain_strings, english, untranslated


def test_every_pairing_string_has_an_english_translation():
    found = domain_strings("pairings")
    assert len(found) > 200
    assert untranslated(found, english("pairings")) == []
