"""Imports flow one way, from the API and consoles down to the core modules (setup.cfg's
[importlinter] contracts): a lower domain that imports a higher one fails here."""
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_domains_import_only_the_domains_below_them(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "setup.cfg"), no_cache=True) == 0
