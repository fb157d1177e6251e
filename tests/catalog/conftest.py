"""Catalog test setup."""
from marketplace.i18n import compile_catalogues

# .mo files are not in git: compile them before any test loads a catalogue.
compile_catalogues()
