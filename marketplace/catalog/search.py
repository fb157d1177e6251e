"""Chinese product search over an indexed table of terms (characters, bigrams, words, pinyin).

SQLite's FTS5 trigram tokenizer cannot match two-character words (松茸, 青稞) and PostgreSQL's
full-text search does not segment Chinese, so each product keeps its own terms in
`product_search_terms`: every CJK character and character bigram of its name, category,
supplier and origin, Latin words (lower-cased), and the pinyin of its name and category. A
query is cut into terms the same way and matches the products having all of them, through
the (term, product_id) primary key: one indexed IN ... GROUP BY ... HAVING on both databases.
"""
import re

from marketplace.catalog.models import ProductSearchTerm
from marketplace.extensions import db

# Weights: a name match outranks a category match, which outranks supplier and origin.
WEIGHTS = {"name": 16, "category": 4, "supplier": 2, "origin": 2, "label": 1}
MAX_QUERY_TERMS = 24
MAX_TERM_LENGTH = 64

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD = re.compile(r"[a-z0-9]+")


def _cjk_terms(text):
    """Characters and bigrams of every run of Chinese characters in `text`."""
    terms = set()
    for run in _CJK_RUN.findall(text or ""):
        terms.update(run)
        terms.update(run[i:i + 2] for i in range(len(run) - 1))
    return terms


def _words(text):
    return {word for word in _WORD.findall((text or "").lower()) if len(word) <= MAX_TERM_LENGTH}


def _pinyin_terms(text):
    """Pinyin of each Chinese run: syllables, two-syllable words ("songrong"), the whole run
    ("yeshengsongrong") and its initials ("yssr")."""
    # Imported here: pypinyin's dictionaries cost ~57 MB in every process that imports it.
    from pypinyin import Style, lazy_pinyin

    terms = set()
    for run in _CJK_RUN.findall(text or ""):
        syllables = lazy_pinyin(run, errors="ignore")
        if syllables:
            terms.add("".join(syllables)[:MAX_TERM_LENGTH])
            terms.update(syllables)
            terms.update(a + b for a, b in zip(syllables, syllables[1:]))
            if len(syllables) > 1:
                terms.add("".join(lazy_pinyin(run, style=Style.FIRST_LETTER, errors="ignore")))
    return terms


def product_terms(product):
    """{term: weight} for a product: the highest weight of the fields each term comes from
    (a term of both the name and the leaf category counts for both)."""
    fields = {
        "name": [product.name, product.spec],
        "category": [product.category.name if product.category else "",
                     product.category.name_en if product.category else "",
                     product.category.parent.name if product.category and product.category.parent
                     else ""],
        "supplier": [product.supplier.name if product.supplier else ""],
        "origin": _origin_names(product),
    }
    terms = {}
    for field, texts in fields.items():
        weight = WEIGHTS[field]
        for text in texts:
            found = _cjk_terms(text) | _words(text)
            if field in ("name", "category"):
                found |= _pinyin_terms(text)
            for term in found:
                terms[term] = max(terms.get(term, 0), weight)
    # A word in both the name and the category (黑青稞 in 青稞) is what the listing is about:
    # it outranks a name that merely mentions the word (青稞啤酒 among drinks).
    category_terms = {term for text in fields["category"][:1]
                      for term in _cjk_terms(text) | _words(text) | _pinyin_terms(text)}
    for term in category_terms:
        if terms.get(term) == WEIGHTS["name"]:
            terms[term] = WEIGHTS["name"] + WEIGHTS["category"]
    for label in filter(None, (product.labels or "").split(",")):
        terms[f"label:{label}"] = WEIGHTS["label"]
    return terms


def _origin_names(product):
    names = []
    region = product.origin
    while region is not None:
        names.extend([region.name, region.name_en or ""])
        region = region.parent
    return names


def index_product(product):
    """Rewrite the product's search terms (called by every service that changes what it shows)."""
    index_products([product])


def index_products(products):
    """Rewrite the search terms of many products with one delete and one insert."""
    db.session.flush()
    ids = [product.id for product in products]
    for start in range(0, len(ids), 500):
        ProductSearchTerm.query.filter(ProductSearchTerm.product_id.in_(ids[start:start + 500])) \
            .delete(synchronize_session=False)
    rows = []
    for product in products:
        rows.extend({"term": term, "product_id": product.id, "weight": weight}
                    for term, weight in product_terms(product).items())
        product.search_text = " ".join(filter(None, [product.name, product.spec]))
    for start in range(0, len(rows), 5000):
        db.session.execute(db.insert(ProductSearchTerm), rows[start:start + 5000])


def query_terms(query):
    """The terms a search string asks for, or an empty set when it holds none.

    Chinese runs give their bigrams (a lone character gives itself); Latin letters and digits
    give words. Everything else (punctuation, %, _, quotes, emoji) only separates terms.
    """
    terms = set()
    text = (query or "")[:200]
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            terms.add(run)
        else:
            terms.update(run[i:i + 2] for i in range(len(run) - 1))
    terms |= _words(text)
    return set(sorted(terms)[:MAX_QUERY_TERMS])


def matching_products(terms):
    """A subquery (product_id, score) of the products that have every one of `terms`."""
    score = db.func.sum(ProductSearchTerm.weight).label("score")
    return (db.select(ProductSearchTerm.product_id.label("product_id"), score)
            .where(ProductSearchTerm.term.in_(sorted(terms)))
            .group_by(ProductSearchTerm.product_id)
            .having(db.func.count(ProductSearchTerm.term) == len(terms))
            .subquery("search_match"))
