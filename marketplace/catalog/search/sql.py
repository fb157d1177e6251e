"""A ReadQuery as SQL over `product_search`: which products match, their score, and whether
they are weak matches (some word carried only by the supplier's name).

The same questions on both databases, asked of a row's set of terms: "holds any of these",
"holds all of these". PostgreSQL answers them with array operators (&&, @>) that its GIN
index serves for all products at once; SQLite, without an inverted index, reads each row's
" term term … " string with instr over the terms passed as one JSON array (json_each), so a
word that names two thousand suppliers is still one parameter.
"""
import json

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from marketplace.catalog.models import ProductSearch
from marketplace.catalog.search.query import PHRASE_WEIGHT, SOFT_WEIGHT
from marketplace.catalog.search.text import word_terms
from marketplace.extensions import db

TERMS = ProductSearch.terms


def _postgresql():
    return db.session.get_bind().dialect.name == "postgresql"


def _array(terms):
    return sa.bindparam(None, list(terms), type_=postgresql.ARRAY(sa.Text))


def _each(terms):
    return sa.func.json_each(json.dumps(list(terms), ensure_ascii=False)).table_valued("value")


def has_any(terms, column=TERMS):
    """The row (its `column` of terms) holds at least one of `terms`."""
    if _postgresql():
        return column.op("&&", is_comparison=True)(_array(terms))
    each = _each(terms)
    return sa.exists(sa.select(1).select_from(each).where(
        sa.func.instr(column, " " + each.c.value + " ") > 0))


def has_all(terms, column=TERMS):
    """The row (its `column` of terms) holds every one of `terms`."""
    if _postgresql():
        return column.op("@>", is_comparison=True)(_array(terms))
    each = _each(terms)
    return ~sa.exists(sa.select(1).select_from(each).where(
        sa.func.instr(column, " " + each.c.value + " ") == 0))


def way_holds(way, column=TERMS):
    parts = []
    if way.terms:
        parts.append(has_all(way.terms, column) if len(way.terms) > 1
                     else has_any(way.terms, column))
    if way.refs:
        parts.append(has_any(way.refs, column))
    return sa.and_(*parts)


def found(read):
    """The products matching `read` with their terms, found first and on their own (a
    MATERIALIZED common table expression): on PostgreSQL the GIN index answers it for the whole
    catalogue, and only these rows are then joined to products, ranked and sorted. Without the
    fence the planner may walk every listing on sale and probe its row instead."""
    return (sa.select(ProductSearch.product_id, ProductSearch.terms).where(matches(read))
            .cte("search_found").prefix_with("MATERIALIZED"))


def among_found(found_rows, product_id):
    """On PostgreSQL, `product_id = ANY(ARRAY(SELECT product_id FROM found))`: the planner
    then reads only the found listings by primary key, instead of scanning every listing to
    join them (it cannot know how few were found); elsewhere nothing (None)."""
    if not _postgresql():
        return None
    return product_id == sa.any_(sa.func.ARRAY(sa.select(found_rows.c.product_id)
                                               .scalar_subquery()))


def word_matches(word):
    """The row carries `word` in at least one way: one "any" over every single term and
    reference (one GIN probe), or'ed with the words that need several terms together."""
    singles, multiples = set(), []
    for way in word.ways:
        if way.terms and way.refs:
            continue        # name_category: implied by its name way
        if len(way.terms) > 1:
            multiples.append(way)
        else:
            singles.update(way.terms)
            singles.update(way.refs)
    parts = ([has_any(sorted(singles))] if singles else []) + [way_holds(w) for w in multiples]
    return sa.or_(*parts) if parts else sa.false()


def matches(read):
    """The row carries every word of the query (or, with sizes and units alone, one of them)."""
    if read.words:
        return sa.and_(*[word_matches(word) for word in read.words])
    return has_any(read.soft) if read.soft else sa.false()


def score(read, column=TERMS):
    """The sum over the words of the best way each is carried, plus the sizes and units and
    the runs the name holds whole."""
    parts = [sa.case(*[(way_holds(way, column), way.weight)
                       for way in sorted(word.ways, key=lambda way: -way.weight)], else_=0)
             for word in read.words]
    parts += [sa.case((has_any([term], column), SOFT_WEIGHT), else_=0) for term in read.soft]
    parts += [sa.case((has_all(word_terms(run), column), PHRASE_WEIGHT), else_=0)
              for run in read.phrases]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def weak(read, column=TERMS):
    """1 when some word is carried only through the supplier's name, else 0; None when no
    word of the query names a supplier (every match is then a full one)."""
    lone = []
    for word in read.words:
        own = [way_holds(way, column) for way in word.ways if way.source != "supplier"]
        if len(own) < len(word.ways):
            lone.append(sa.not_(sa.or_(*own)) if own else sa.true())
    return sa.case((sa.or_(*lone), 1), else_=0) if lone else None
