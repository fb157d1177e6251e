"""Every shipped region has an English name, so English pages never fall back to Chinese for a
county (the registry once stopped at prefecture level)."""
import importlib.util
from pathlib import Path

from flask_babel import force_locale

from marketplace.regions.names import region_name
from tests import factories

MIGRATION = Path(__file__).parents[2] / "migrations/versions/b3d5f7a9c1e2_county_english_names.py"


def test_every_shipped_region_has_an_english_name():
    missing = [(code, name) for code, name, english, *_ in factories.shipped_regions()
               if not english]
    assert not missing


def test_english_pages_name_a_county_in_english_with_its_chain(app, db):
    with app.test_request_context():
        with force_locale("en"):
            assert region_name("540402") == "Tibet Nyingchi Bayi District"
            assert region_name("540402", chain=False) == "Bayi District"
    with app.test_request_context():
        assert region_name("540402") == "西藏自治区林芝市巴宜区"


def test_the_migration_gives_existing_databases_the_shipped_names():
    spec = importlib.util.spec_from_file_location("county_names", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = {code: english for code, _name, english, _p, level, _a in factories.shipped_regions()
               if str(level) == "3"}
    assert module.NAMES == {code: shipped[code] for code in module.NAMES}
    assert len(module.NAMES) == 101
