"""Keeping `product_search` and `search_words` in step with the catalog.

A product's row is rewritten by every service that changes what it shows (name, spec, unit,
labels, category, origin); renaming a supplier, category or region rewrites nothing, since
rows hold their ids and queries resolve names when they are read. `rebuild_index` rewrites
every row from plain columns in batches (`flask catalog reindex`).
"""
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from marketplace.catalog.models import Category, Product, ProductSearch, SearchWord
from marketplace.catalog.search import text as t
from marketplace.catalog.search.lexicon import lexicon, load_lexicon, segmenter
from marketplace.extensions import db
from marketplace.regions.models import Region

BATCH = 5000


def document(name, spec, unit, labels, category_ids, region_codes, supplier_id):
    """The sorted terms of a product's row (see ProductSearch)."""
    terms = t.name_terms(name, spec)
    if unit:
        terms.add(t.unit_term(t.normalise(unit, 20).strip()))
    terms.update(f"#c{cid}" for cid in category_ids if cid)
    terms.update(f"#r{code}" for code in region_codes)
    terms.add(f"#s{supplier_id}")
    terms.update(f"#l{label}" for label in (labels or "").split(",") if label)
    return sorted(term for term in terms if 0 < len(term) <= 64)


def _chain(code, parents):
    codes = []
    while code and code not in codes:
        codes.append(code)
        code = parents.get(code)
    return codes


def _maps():
    parents = dict(db.session.execute(sa.select(Region.code, Region.parent_code)).all())
    tops = dict(db.session.execute(sa.select(Category.id, Category.parent_id)).all())
    return parents, tops


def name_words(name, known):
    """The catalog words of a product name: jieba's words and the words inside them (two
    characters or more), and each whole Chinese run (for initials such as "lzsr")."""
    found = set()
    for run in t.CJK_RUN.findall(t.normalise(name, 500)):
        if 1 < len(run) <= 12:
            found.add(run)
        found.update(word for word in segmenter.cut_for_search(run, known)
                     if 1 < len(word) <= 12)
    return found


def index_product(product):
    """Rewrite the product's row (called by every service that changes what it shows)."""
    index_products([product])


def index_products(products):
    """Rewrite the rows of a few products (ORM objects) and learn their words."""
    db.session.flush()
    if not products:
        return
    parents, tops = _maps()
    ids = [product.id for product in products]
    db.session.execute(sa.delete(ProductSearch).where(ProductSearch.product_id.in_(ids)))
    rows = []
    for product in products:
        rows.append({"product_id": product.id, "terms": document(
            product.name, product.spec, product.unit, product.labels,
            (product.category_id, tops.get(product.category_id)),
            _chain(product.origin_region_code, parents), product.supplier_id)})
        product.search_text = " ".join(filter(None, [product.name, product.spec]))
    db.session.execute(sa.insert(ProductSearch), rows)
    known = lexicon().words()
    learn_words(set().union(*(name_words(product.name, known) for product in products)))


def learn_words(words, counts=None):
    """Add `words` the vocabulary does not hold yet (with their pinyin); `counts` sets how many
    listings carry each (a full rebuild), else a new word counts one."""
    words = {word for word in words if word and len(word) <= 40}
    if not words:
        return
    existing = set()
    for start in range(0, len(words), 500):
        chunk = sorted(words)[start:start + 500]
        existing.update(db.session.execute(sa.select(SearchWord.word).where(
            SearchWord.word.in_(chunk))).scalars())
    rows = []
    for word in sorted(words - existing):
        pinyin, initials = t.pinyin_of(word)
        if pinyin:
            rows.append({"word": word, "pinyin": pinyin, "initials": initials,
                         "products": (counts or {}).get(word, 1)})
    if rows:
        dialect = db.session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(SearchWord)
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert.on_conflict_do_nothing(), rows[start:start + BATCH])


def learn_catalog_names():
    """Add the catalog's own names (categories, regions and their short names, labels,
    synonyms) to the vocabulary, after one of them was added or renamed."""
    learn_words(set(load_lexicon().words()))


def rebuild_index():
    """Rewrite every product's row and the vocabulary from the catalog; returns the number of
    products. Reads plain columns in batches: no ORM object per product."""
    parents, tops = _maps()
    known = lexicon().words()
    connection = db.session.connection()
    postgresql_ = connection.dialect.name == "postgresql"
    if postgresql_:
        # Emptied and filled without its GIN index, which is built once at the end (far
        # faster than growing it row by row), in this transaction: searches wait for the
        # commit and then see the new rows, never a half-built index; no dead rows are left.
        connection.execute(sa.text("TRUNCATE product_search"))
        for index in ProductSearch.__table__.indexes:
            index.drop(connection, checkfirst=True)
    else:
        db.session.execute(sa.delete(ProductSearch))
    counts, runs = Counter(), {}
    columns = (Product.id, Product.name, Product.spec, Product.unit, Product.labels,
               Product.category_id, Product.origin_region_code, Product.supplier_id)
    last, total = 0, 0
    while True:
        batch = db.session.execute(sa.select(*columns).where(Product.id > last)
                                   .order_by(Product.id).limit(BATCH)).all()
        if not batch:
            break
        rows = []
        for pid, name, spec, unit, labels, category_id, origin, supplier_id in batch:
            rows.append({"product_id": pid, "terms": document(
                name, spec, unit, labels, (category_id, tops.get(category_id)),
                _chain(origin, parents), supplier_id)})
            if name not in runs:
                runs[name] = name_words(name, known)
            counts.update(runs[name])
        db.session.execute(sa.insert(ProductSearch), rows)
        last, total = batch[-1][0], total + len(batch)
    if postgresql_:
        for index in ProductSearch.__table__.indexes:
            index.create(connection, checkfirst=True)
    db.session.execute(sa.delete(SearchWord))
    learn_words(set(counts) | set(known), counts)
    db.session.flush()
    return total
