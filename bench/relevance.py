"""Relevance of the catalog search: precision at 3 over the relevance test set.

    python bench/relevance.py [--backend sqlite] [--backend postgresql]

Builds the fixed catalog of tests/catalog/relevance_set.py (40 listings, 10 cooperatives, the
synonyms) through the services in a throwaway database of each backend (SQLite in a temporary
file; PostgreSQL in a throwaway cluster, tests/pg.py), runs every buyer query of the set and
prints, per query, the first three products and their precision (expected products among the
first min(3, expected) places), then the mean. Saves the figures in instance/bench/relevance.json.
"""
import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import STATE, machine, make_app  # noqa: E402


def run(url):
    from marketplace.extensions import db
    from tests import factories
    from tests.catalog import relevance_set

    app = make_app(url, CATALOG_CHOICES_CACHE_SECONDS=0, CATALOG_LIST_CACHE_SECONDS=0,
                   PUBLIC_PAGE_CACHE_SECONDS=0)
    rows = []
    with app.app_context():
        db.drop_all()
        db.create_all()
        factories.load_regions()
        relevance_set.build()
        db.session.commit()
        for query, expected in relevance_set.QUERIES:
            started = time.perf_counter()
            shown = relevance_set.first_names(query, 3)
            elapsed = (time.perf_counter() - started) * 1000
            wanted = min(3, len(expected))
            precision = sum(1 for name in shown[:wanted] if name in expected) / wanted
            rows.append({"query": query, "expected": expected, "shown": shown,
                         "precision": precision, "ms": round(elapsed, 1)})
        db.session.remove()
        db.engine.dispose()
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    backends = args.backend or ["sqlite", "postgresql"]
    print(f"relevance: {machine()}")
    results = {}
    for backend in backends:
        if backend == "sqlite":
            folder = tempfile.mkdtemp(prefix="bench-relevance-")
            results[backend] = run(f"sqlite:///{folder}/relevance.sqlite")
        else:
            from tests.pg import ThrowawayPostgres

            server = ThrowawayPostgres().start()
            try:
                results[backend] = run(server.create_database("relevance"))
            finally:
                server.stop()
    for backend, rows in results.items():
        print(f"\n{backend}: {len(rows)} queries")
        for row in rows:
            mark = "" if row["precision"] == 1 else "   <-- expected " + "、".join(row["expected"])
            print(f"  {row['precision']:.2f}  {row['query']:<16} {'、'.join(row['shown'])}{mark}")
        mean = sum(row["precision"] for row in rows) / len(rows)
        print(f"{backend}: mean precision at 3 = {mean:.3f} over {len(rows)} queries "
              f"({sum(1 for row in rows if row['precision'] == 1)} perfect)")
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "relevance.json").write_text(json.dumps(
        {"at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
         "results": results}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
