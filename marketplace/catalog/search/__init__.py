"""Chinese product search: buyers' queries read into words, matched against one row of terms
per product.

- `text`: normalising what is typed, Chinese substrings, Latin words, sizes, pinyin.
- `lexicon`: the catalog's names (categories, regions, labels, synonyms) and the jieba
  segmenter that knows them.
- `query`: a query read into words, each with the ways a product may carry it and their weights.
- `sql`: those words as SQL over `product_search` (PostgreSQL: arrays and a GIN index).
- `documents`: writing the rows and the vocabulary (`search_words`) behind pinyin and
  suggestions.
"""
from marketplace.catalog.search.documents import (index_product, index_products,
                                                  learn_catalog_names, rebuild_index)
from marketplace.catalog.search.query import ReadQuery, Word, read_query

__all__ = ["ReadQuery", "Word", "index_product", "index_products", "learn_catalog_names",
           "read_query", "rebuild_index"]
