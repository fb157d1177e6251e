"""The search index at full size: what it costs on disk, how long it takes to rebuild, and how
long the search statements take, on the benchmark database (PostgreSQL).

    python bench/search_index.py [--rebuilds 1] [--repeat 20]

Prints the load average, the size of the products table and of the search rows (heap, TOAST,
primary key, GIN index) and vocabulary, their ratio, then rebuilds every row the way
`flask catalog reindex` does (same function, GIN index in place) and times it; then times the
search page's service (`search_page`: the ranked page, the count, the counts per category and
origin, the cards) for buyers' query kinds (origin + product, with and without a
space, pinyin, a size) in one process, best and median of --repeat runs after a warm-up.
Saves the figures in instance/bench/search_index.json.
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import STATE, database_url, machine, make_app  # noqa: E402

QUERIES = ["松茸", "林芝松茸", "西藏牦牛肉", "那曲牦牛", "西藏 牦牛肉", "牛肉", "青稞 5kg",
           "songrong", "srg", "土豆", "拉萨 酥油 1kg", "那曲松茸"]
SIZES = """
SELECT c.relname, pg_relation_size(c.oid), pg_total_relation_size(c.oid),
       pg_indexes_size(c.oid), COALESCE(pg_total_relation_size(c.reltoastrelid), 0)
FROM pg_class c WHERE c.relname IN ('products', 'product_search', 'search_words') ORDER BY 1
"""


def mb(value):
    return value / 1024 / 1024


def sizes(db):
    import sqlalchemy as sa

    with db.engine.connect() as conn:
        return {name: {"heap": heap, "total": total, "indexes": indexes, "toast": toast}
                for name, heap, total, indexes, toast in conn.execute(sa.text(SIZES))}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuilds", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    import sqlalchemy as sa

    from marketplace.catalog import search, services
    from marketplace.catalog.services import ProductFilters
    from marketplace.extensions import db

    app = make_app(database_url(), CATALOG_LIST_CACHE_SECONDS=0)
    figures = {"machine_before": machine()}
    print(f"search index: {machine()}")
    with app.app_context():
        rows = db.session.execute(sa.text("SELECT count(*) FROM product_search")).scalar()
        terms = db.session.execute(sa.text(
            "SELECT sum(cardinality(terms)) FROM product_search")).scalar()
        words = db.session.execute(sa.text("SELECT count(*) FROM search_words")).scalar()
        found = sizes(db)
        products = found["products"]["total"]
        print(f"  products table: {mb(found['products']['heap']):.1f} MB heap, "
              f"{mb(products):.1f} MB with its indexes and TOAST")
        index = found["product_search"]["total"] + found["search_words"]["total"]
        for name in ("product_search", "search_words"):
            part = found[name]
            print(f"  {name}: {mb(part['heap']):.1f} MB heap, {mb(part['toast']):.1f} MB TOAST, "
                  f"{mb(part['indexes']):.1f} MB indexes, {mb(part['total']):.1f} MB in all")
        print(f"  rows {rows:,}, terms {terms or 0:,} ({(terms or 0) / max(rows, 1):.1f} a "
              f"product), vocabulary {words:,} words")
        print(f"  index in all: {mb(index):.1f} MB = {index / found['products']['heap']:.2f}x "
              f"the products heap, {index / products:.2f}x the products table with its indexes")
        figures.update(rows=rows, terms=terms, words=words, sizes=found)
        rebuilds = []
        for _ in range(args.rebuilds):
            started = time.perf_counter()
            count = search.rebuild_index()
            db.session.commit()
            rebuilds.append(time.perf_counter() - started)
            print(f"  rebuild (flask catalog reindex's function): {count:,} products in "
                  f"{rebuilds[-1]:.1f} s ({machine()})", flush=True)
        figures["rebuild_seconds"] = rebuilds
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                sa.text("VACUUM ANALYZE product_search"))
        after = sizes(db)
        figures["sizes_after_rebuild"] = after
        total = after["product_search"]["total"] + after["search_words"]["total"]
        print(f"  after the rebuild and VACUUM: {mb(total):.1f} MB = "
              f"{total / after['products']['heap']:.2f}x the products heap")
        timings = {}
        for query in QUERIES:
            filters = ProductFilters(q=query)
            times = []
            for run in range(args.repeat + 2):
                started = time.perf_counter()
                page = services.search_page(filters, per_page=20).result
                elapsed = (time.perf_counter() - started) * 1000
                db.session.rollback()
                if run >= 2:
                    times.append(elapsed)
            timings[query] = {"best": min(times), "median": statistics.median(times),
                              "total": page.total_label,
                              "first": [card.name for card in page.items[:3]]}
            print(f"  {query:<12} {page.total_label:>6} matches  best {min(times):6.1f} ms  "
                  f"median {statistics.median(times):6.1f} ms  first: "
                  f"{'、'.join(card.name for card in page.items[:3])}", flush=True)
        figures["queries"] = timings
    figures["machine_after"] = machine()
    print(f"  done: {machine()}")
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "search_index.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1,
                                                         default=str))


if __name__ == "__main__":
    main()
