"""Every string of the compliance pages, messages and API has an English translation."""
from tests.helpers import domain_strings, english, untranslated


def test_every_compliance_string_has_an_english_translation():
    found = domain_strings("compliance")
    assert found
    assert untranslated(found, english("compliance")) == []
