"""Catalog rules: supplier certification, listings, fair prices, reviews, browsing and search.

Plain functions; they flush and never commit (the request commits once). Every change is
written to the audit trail. The rules live in submodules by subject; this package re-exports
their public names, so callers write `from marketplace.catalog import services` and
`services.create_product(...)`.
"""
from marketplace.catalog.services.availability import (
    ProductUnavailable, on_sale, reason_text, require_on_sale, unavailable_reason)
from marketplace.catalog.services.browsing import (
    SORTS, ProductFilters, ProductPage, county_counts, featured_regions, get_supplier,
    list_products, matching_ids, origin_choices, product_query, reindex_products,
    reindex_region, reindex_supplier)
from marketplace.catalog.services.cards import ProductCard, cards_of, list_cards
from marketplace.catalog.services.categories import (category_tree, save_category,
                                                     standard_leaves)
from marketplace.catalog.services.choices import (
    cached_category_tree, cached_origin_choices)
from marketplace.catalog.services.certification import (
    MAX_DOCUMENTS, apply_for_certification, approve_certification, certification_queue,
    certifications_of, certified_counties, certify_supplier, document_for, documents_of,
    get_certification, is_certified, reject_certification, suspend_certification)
from marketplace.catalog.services.favourites import (
    FAVOURITE_ROLES, add_favourite, can_favourite, favourite_ids, favourites_count_column,
    favourites_of, is_favourite,
    remove_favourite)
from marketplace.catalog.services.common import (MAX_PRICE_FEN, filter_category, find_category,
                                                 parse_price)
from marketplace.catalog.services.prices import (
    FLAG_RATIO_TENTHS, delete_reference_price, flagged_products, flagged_query, is_overpriced,
    reference_price_of, reference_prices, reference_prices_for, refresh_price_flag,
    set_product_reference_price, set_reference_price)
from marketplace.catalog.services.products import (
    MAX_MIN_ORDER_QTY, MAX_PHOTOS, MAX_STOCK, PRODUCT_FIELDS, archive_product, can_view,
    check_product_data,
    create_product, get_product, pause_product, prepare_product, product_for_page,
    products_of_supplier,
    restore_product, resume_product, set_product_active, take_down_product, update_product,
    visible_product)
from marketplace.catalog.services.searching import (SearchPage, close_categories, facets,
                                                    looser_searches, search_page, suggestions)
from marketplace.catalog.services.synonyms import (add_synonym, delete_synonym, get_synonym,
                                                   synonyms)
from marketplace.catalog.services.reviews import (
    REVIEWABLE_ORDER_STATUSES, REVIEWER_ROLES, add_review, can_review, rating_of_product,
    reviews_of, supplier_rating)

__all__ = [
    "FAVOURITE_ROLES", "add_favourite", "can_favourite", "favourite_ids", "favourites_count_column",
    "favourites_of",
    "is_favourite",
    "remove_favourite",
    "SearchPage", "add_synonym", "close_categories", "delete_synonym", "facets", "get_synonym",
    "looser_searches", "search_page", "suggestions", "synonyms",
    "FLAG_RATIO_TENTHS", "MAX_DOCUMENTS", "MAX_MIN_ORDER_QTY", "MAX_PHOTOS", "MAX_PRICE_FEN",
    "MAX_STOCK", "PRODUCT_FIELDS", "REVIEWABLE_ORDER_STATUSES", "REVIEWER_ROLES", "SORTS",
    "ProductCard",
    "ProductUnavailable", "on_sale", "reason_text", "require_on_sale", "unavailable_reason",
    "ProductFilters", "ProductPage", "add_review", "apply_for_certification",
    "approve_certification", "archive_product", "cached_category_tree", "cached_origin_choices",
    "can_review", "can_view", "check_product_data", "cards_of", "category_tree", "certification_queue",
    "certifications_of", "certified_counties", "certify_supplier", "county_counts",
    "create_product", "delete_reference_price", "document_for", "documents_of",
    "featured_regions", "filter_category", "find_category", "flagged_products", "flagged_query",
    "get_certification", "get_product",
    "get_supplier", "is_certified", "is_overpriced", "list_cards", "list_products", "matching_ids",
    "origin_choices", "parse_price", "pause_product", "prepare_product", "product_for_page",
    "product_query",
    "products_of_supplier", "rating_of_product", "reference_price_of", "reference_prices",
    "reference_prices_for", "refresh_price_flag", "reindex_products", "reindex_region",
    "reindex_supplier", "reject_certification", "restore_product", "resume_product", "reviews_of",
    "save_category", "set_product_active", "standard_leaves", "set_product_reference_price", "set_reference_price",
    "supplier_rating", "suspend_certification", "take_down_product", "update_product",
    "visible_product",
]
