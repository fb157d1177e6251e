"""The search results page beyond the list itself: how the query was read, counts by category
and origin to narrow down, help when nothing matched (a looser search that finds something,
the categories that come close), and suggestions while typing."""
from collections import Counter
from dataclasses import astuple, dataclass, field, replace

from marketplace.catalog import caching, search
from marketplace.catalog.models import Category, Product, SearchWord
from marketplace.catalog.services.browsing import (ProductFilters, ProductPage, page_bounds,
                                                   product_query)
from marketplace.catalog.services.cards import cards_of
from marketplace.extensions import db
from marketplace.i18n import local_name

FACET_LIMIT = 12
LOOSER_LIMIT = 3
CLOSE_LIMIT = 6
SUGGESTION_LIMIT = 8


@dataclass
class SearchPage:
    """A page of search results with what helps the buyer go on."""

    result: object                    # ProductPage of ProductCards
    read: object                      # search.ReadQuery
    categories: list = field(default_factory=list)   # [(id, name, count)]
    origins: list = field(default_factory=list)      # [(code, name, count)]
    looser: list = field(default_factory=list)       # [(query text, count)]
    close: list = field(default_factory=list)        # [(category id, name, count)]


def search_page(filters, page=1, per_page=20, count_cap=1000):
    """The page of `filters` (with a query): its cards, the counts by category and origin
    among every match, and, when nothing matched, looser searches and close categories.

    Every match is ranked once, in one statement that returns each one's category and origin
    with it: the page, the count and the counts by category and origin all come from that
    pass (kept like the lists: `caching.kept_list`); the cards are read live.
    """
    read = search.read_query(filters.q)
    page, per_page = page_bounds(page, per_page)

    def rank():
        rows = product_query(filters, read=read).with_entities(
            Product.id, Product.category_id, Product.origin_region_code).all()
        limit = max(count_cap, (page + 1) * per_page)
        ids = [row[0] for row in rows[(page - 1) * per_page: page * per_page]]
        total, capped = (limit, True) if len(rows) > limit else (len(rows), False)
        return ids, total, capped, _facets(rows)

    ids, total, capped, counts = caching.kept_list(
        ("search", astuple(filters), page, per_page, count_cap), rank)
    by_category, by_origin = _named(counts)
    cards = cards_of(ids)
    items = [cards[i] for i in ids if i in cards]
    result = ProductPage(items=items, total=total, page=page, per_page=per_page,
                         references={card.id: card.reference_fen for card in items},
                         capped=capped)
    found = SearchPage(result=result, read=read, categories=by_category, origins=by_origin)
    if not total:
        found.looser = looser_searches(filters, read)
        found.close = close_categories(read)
    return found


def facets(filters, read=None):
    """([(category id, name, count)], [(prefecture code, name, count)]) among the matches,
    largest first."""
    rows = product_query(replace(filters, sort="newest"), read=read).order_by(None) \
        .with_entities(Product.id, Product.category_id, Product.origin_region_code).all()
    return _named(_facets(rows))


def _facets(rows):
    """The counts of `_named`, without names (kept lists serve both languages)."""
    by_category, by_prefecture = Counter(), Counter()
    for _id, category_id, origin in rows:
        by_category[category_id] += 1
        by_prefecture[f"{origin[:4]}00"] += 1
    return _largest(by_category), _largest(by_prefecture)


def _named(counts):
    """([(category id, name, count)], [(prefecture code, name, count)]) in the page's
    language, from `_facets`' counts."""
    by_category, by_prefecture = counts
    lex = search.lexicon.lexicon()
    categories = {cid: local_name(name, en) for cid, name, en, _parent in lex.categories}
    regions = {code: local_name(name, en) for code, name, _short, en in lex.regions}
    return ([(cid, categories[cid], n) for cid, n in by_category if cid in categories],
            [(code, regions[code], n) for code, n in by_prefecture if code in regions])


def _largest(counter):
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]


def _matches(filters, cap=1000):
    query = product_query(filters).order_by(None).with_entities(Product.id).limit(cap + 1)
    return db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar()


def looser_searches(filters, read):
    """Queries with fewer words that do find something: [(text, count)], most found first.
    Each word left out in turn; for a single word, the shorter words inside it."""
    words = [word.shown[0] for word in read.words]
    candidates = []
    if len(words) > 1:
        for index in range(len(words)):
            candidates.append(" ".join(words[:index] + words[index + 1:]))
    elif words and len(words[0]) > 2:
        inner = search.lexicon.segmenter.cut_for_search(words[0], search.lexicon.lexicon().words())
        candidates.extend(piece for piece in inner if 1 < len(piece) < len(words[0]))
    found = []
    for text in dict.fromkeys(candidates):
        count = _matches(replace(filters, q=text))
        if count:
            found.append((text, count))
    return sorted(found, key=lambda item: -item[1])[:LOOSER_LIMIT]


def close_categories(read):
    """Leaf categories whose name shares a character with a word of the query, with how many
    products are on sale in each: [(id, name, count)], closest first."""
    characters = {char for word in read.words for shown in word.shown for char in shown}
    if not characters:
        return []
    leaves = db.session.execute(db.select(Category.id, Category.name, Category.name_en)
                                .where(Category.parent_id.is_not(None))).all()
    close = sorted(((-len(characters & set(name)), cid, local_name(name, en))
                    for cid, name, en in leaves if characters & set(name)))[:CLOSE_LIMIT * 2]
    if not close:
        return []
    counts = dict(product_query(ProductFilters()).order_by(None)
                  .with_entities(Product.category_id, db.func.count())
                  .filter(Product.category_id.in_([cid for _s, cid, _n in close]))
                  .group_by(Product.category_id).all())
    return [(cid, name, counts.get(cid, 0)) for _s, cid, name in close
            if counts.get(cid)][:CLOSE_LIMIT]


def suggestions(text, limit=SUGGESTION_LIMIT):
    """Catalog words that begin with what is typed (in characters, pinyin or initials), the
    most listed first: ["松茸", "松茸干片", …]."""
    typed = search.text.normalise(text, 40).strip()
    if not typed or "%" in typed or "_" in typed or "\\" in typed:
        return []
    pattern = typed + "%"
    rows = db.session.execute(
        db.select(SearchWord.word).where(db.or_(SearchWord.word.like(pattern),
                                                SearchWord.pinyin.like(pattern),
                                                SearchWord.initials.like(pattern)))
        .order_by(SearchWord.products.desc(), db.func.length(SearchWord.word), SearchWord.word)
        .limit(limit)).scalars()
    return list(rows)
