"""Browsing: the product list with its search, filters, sorts and pages; origin and supplier
lookups for the pages; keeping the search index in step with renamed names."""
import math
from dataclasses import astuple, dataclass, field

from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import CREDIT_TIERS, Organization
from marketplace.catalog import caching, search
from marketplace.catalog.models import LABELS, Category, Product
from marketplace.catalog.search import sql as search_sql
from marketplace.catalog.services.availability import on_sale
from marketplace.catalog.services.prices import reference_prices_for
from marketplace.database import plan_for_these_values
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.regions.models import Region, region_prefix

SORTS = ("relevance", "price_asc", "price_desc", "newest", "best_selling")


@dataclass
class ProductFilters:
    """What a product list asks for; every field optional."""

    q: str = ""
    category_id: int = None
    region: str = None          # a province, prefecture or county code
    supplier_id: int = None
    min_price_fen: int = None
    max_price_fen: int = None
    in_stock: bool = False
    labels: list = field(default_factory=list)
    sort: str = "relevance"
    preferred_suppliers: tuple = ()  # ranked first in the default order (catalog.preferences)


@dataclass
class ProductPage:
    """One page of a product list."""

    items: list
    total: int
    page: int
    per_page: int
    references: dict
    capped: bool = False        # more than `total` match: only that many were counted

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def total_label(self):
        """The number of matches to show: "1000+" when the count stopped at its cap."""
        return f"{self.total}+" if self.capped else str(self.total)


def _region_range(code):
    """The [low, high) code range of everything within a region: indexable on both databases."""
    prefix = region_prefix(code)
    return prefix.ljust(6, "0"), (str(int(prefix) + 1)).ljust(6, "0")


def supplier_rank():
    """The supplier's credit tier as a number (standard 0 … diamond 3), for ranking."""
    return db.case({tier: rank for rank, tier in enumerate(CREDIT_TIERS)},
                   value=Organization.credit_tier, else_=0)


def product_query(filters, visible_only=True, read=None):
    """A query of the products matching `filters`, ordered by its sort.

    Search, category, region, label and price filters all use indexes (the search terms'
    primary key, ranges on codes and prices); nothing is loaded per product. Among products
    the sort ranks equal (as relevant, as cheap, as new, as well sold), those of suppliers of
    a higher credit tier come first.

    :param read: `search.read_query(filters.q)` when the caller has it already.
    """
    plan_for_these_values()
    # The supplier is joined for its credit tier (the ranking); what is on sale is the
    # catalog's one rule.
    query = Product.query.join(Organization, Organization.id == Product.supplier_id)
    if visible_only:
        query = query.filter(on_sale(joined_supplier=Organization))
    score = weak = None
    q = (filters.q or "").strip()
    if q:
        read = read or search.read_query(q)
        if read.empty:
            return query.filter(db.false())
        found = search_sql.found(read)
        query = query.join(found, found.c.product_id == Product.id)
        among = search_sql.among_found(found, Product.id)
        if among is not None:
            query = query.filter(among)
        score, weak = search_sql.score(read, found.c.terms), search_sql.weak(read, found.c.terms)
    if filters.category_id:
        ids = [filters.category_id] + [c.id for c in Category.query.filter_by(
            parent_id=filters.category_id).with_entities(Category.id)]
        query = query.filter(Product.category_id.in_(ids))
    if filters.region:
        low, high = _region_range(filters.region)
        query = query.filter(Product.origin_region_code >= low, Product.origin_region_code < high)
    if filters.supplier_id:
        query = query.filter(Product.supplier_id == filters.supplier_id)
    if filters.min_price_fen is not None:
        query = query.filter(Product.price_fen >= filters.min_price_fen)
    if filters.max_price_fen is not None:
        query = query.filter(Product.price_fen <= filters.max_price_fen)
    if filters.in_stock:
        query = query.filter(Product.stock > 0)
    for label in filters.labels or ():
        if label in LABELS:
            query = query.filter(("," + Product.labels + ",").contains(f",{label},"))
    tier = supplier_rank().desc()
    order = {
        "price_asc": [Product.price_fen.asc(), tier, Product.id.desc()],
        "price_desc": [Product.price_fen.desc(), tier, Product.id.desc()],
        "newest": [Product.created_at.desc(), tier, Product.id.desc()],
        "best_selling": [Product.sales_count.desc(), tier, Product.id.desc()],
    }.get(filters.sort)
    if order is None:
        # Relevance: a product carrying every word itself before one that carries a word only
        # through its supplier's name; then the buyer's preferred suppliers
        # (catalog.preferences); a listing named exactly what was asked; the score (where the
        # words were found: search.query); among equally relevant listings, the supplier's
        # credit tier, then sales.
        exact = db.case((db.func.replace(Product.name, " ", "") == q.replace(" ", ""), 0),
                        else_=1)
        order = ([weak] if score is not None and weak is not None else []) + \
            ([db.case((Product.supplier_id.in_(filters.preferred_suppliers), 0), else_=1)]
             if filters.preferred_suppliers else []) + \
            ([exact, score.desc()] if score is not None else []) + \
            [tier, Product.sales_count.desc(), Product.id.desc()]
    return query.order_by(*order)


def matching_ids(filters, page, per_page, visible_only=True, count_cap=None, read=None):
    """(ids of the page's products in order, total, capped) for `filters`.

    With `count_cap`, matches are counted only up to the cap (or up to the page after the
    current one, when further on), so a page of a large catalog does not count all of it:
    `capped` then says `total` is a lower bound that still leads to the next page. Such
    answers (the public pages') are reused for a few seconds (caching.kept_list): finding and
    ranking the matches is most of a list's database time.
    """
    def find():
        query = product_query(filters, visible_only, read)
        limit = None if count_cap is None else max(count_cap, (page + 1) * per_page)
        if (filters.q or "").strip():
            # A search ranks every match to sort them: they are counted in the same pass.
            rows = query.with_entities(Product.id, db.func.count().over()) \
                .limit(per_page).offset((page - 1) * per_page).all()
            if rows:
                total = rows[0][1]
                capped = limit is not None and total > limit
                return [row[0] for row in rows], (limit if capped else total), capped
        total, capped = _count(query, limit)
        # Ranked and sorted in SQL over the bare products: the joins the page needs are made
        # afterwards for its few products only, never for every match.
        ids = [row[0] for row in query.with_entities(Product.id)
               .limit(per_page).offset((page - 1) * per_page)]
        return ids, total, capped

    if count_cap is not None and visible_only:
        return caching.kept_list(("ids", astuple(filters), page, per_page, count_cap), find)
    return find()


def page_bounds(page, per_page):
    """(page, per_page) made safe: page ≥ 1, 1 ≤ per_page ≤ 200."""
    return max(1, int(page or 1)), max(1, min(int(per_page or 20), 200))


def list_products(filters, page=1, per_page=20, visible_only=True, count_cap=None):
    """A ProductPage of the products matching `filters` (ORM objects, for the API and the
    admin console), with their supplier, category, origin, photos and reference prices loaded
    in a fixed number of queries whatever the page size. `count_cap`: see matching_ids.
    """
    page, per_page = page_bounds(page, per_page)
    ids, total, capped = matching_ids(filters, page, per_page, visible_only, count_cap)
    items = []
    if ids:
        loaded = {product.id: product for product in Product.query.filter(Product.id.in_(ids))
                  .options(joinedload(Product.supplier), joinedload(Product.category),
                           joinedload(Product.origin), selectinload(Product.photos))}
        items = [loaded[i] for i in ids if i in loaded]
    return ProductPage(items=items, total=total, page=page, per_page=per_page,
                       references=reference_prices_for(items), capped=capped)


def _count(query, limit):
    """(matches, capped): every match when `limit` is None, else at most `limit`."""
    query = query.order_by(None)
    if limit is None:
        return query.count(), False
    matched = db.session.query(db.func.count()).select_from(
        query.with_entities(Product.id).limit(limit + 1).subquery()).scalar()
    return (limit, True) if matched > limit else (matched, False)


def featured_regions(limit=8):
    """Prefectures with the most listings on sale: [(Region, count)]."""
    prefecture = db.func.substr(Product.origin_region_code, 1, 4)
    rows = (db.session.query(prefecture, db.func.count(Product.id))
            .filter(on_sale()).group_by(prefecture)
            .order_by(db.func.count(Product.id).desc()).limit(limit).all())
    regions = {region.code: region for region in Region.query.filter(
        Region.code.in_([f"{code}00" for code, _count in rows]))}
    return [(regions[f"{code}00"], count) for code, count in rows if f"{code}00" in regions]


def origin_choices():
    """The regions with something on sale, in or under them, in tree order: a province or
    prefecture whose counties sell nothing is not offered (choosing it would find nothing)."""
    # One probe of ix_products_origin_status per region, not a DISTINCT over every product.
    selling = db.exists().where(Product.origin_region_code == Region.code, on_sale())
    codes = set(db.session.scalars(db.select(Region.code).where(selling)))
    # Their prefecture and province by the code (GB/T 2260: 540402 → 540400 → 540000).
    shown = codes | {code[:4] + "00" for code in codes} | {code[:2] + "0000" for code in codes}
    return Region.query.filter(Region.code.in_(shown)).order_by(Region.code).all()


def county_counts(prefix):
    """{county code: listings on sale} within a region."""
    low, high = _region_range(prefix)
    rows = (db.session.query(Product.origin_region_code, db.func.count(Product.id))
            .filter(on_sale(), Product.origin_region_code >= low,
                    Product.origin_region_code < high)
            .group_by(Product.origin_region_code).all())
    return dict(rows)


def get_supplier(supplier_id):
    """An active supplier organisation. :raises NotFound: otherwise."""
    supplier = db.session.get(Organization, supplier_id)
    if supplier is None or supplier.kind != "supplier":
        raise NotFound(_("供应商不存在。"))
    return supplier


def reindex_products(products=None):
    """Rewrite the search rows of `products`, or of every product and the vocabulary when None
    (`flask catalog reindex`: after a bulk edit outside the app, or an upgrade)."""
    if products is None:
        return search.rebuild_index()
    search.index_products(products)
    db.session.flush()
    return len(products)


def reindex_supplier(supplier):
    """After renaming a supplier: its products' rows hold its id, not its name, so nothing is
    rewritten; queries read the new name at once. Returns 0 rows rewritten."""
    return 0


def reindex_region(code):
    """After renaming a region: rows hold region codes, so nothing is rewritten; the new name
    (and its short form) join the vocabulary for pinyin and suggestions."""
    search.learn_catalog_names()
    return 0
