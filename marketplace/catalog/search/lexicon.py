"""What the catalog calls things, for reading queries: its categories, the regions of origin
(with their short names: 林芝 for 林芝市), label names and the admin's synonyms, kept per
process like the list pages' choices; and the word segmenter that knows them.

Segmentation is jieba's (a dictionary of ~350,000 words and a maximum-probability path over
them), with the catalog's own names added to its dictionary, so "西藏牦牛肉" reads as 西藏 +
牦牛肉 and "林芝市巴宜区" as 林芝市 + 巴宜区. The catalog's names change (an admin adds a
category or a synonym): the segmenter is kept in step with exactly the current names, so the
same query reads the same in every process.
"""
import logging
import threading
from typing import NamedTuple

from marketplace.accounts.models import Organization
from marketplace.catalog.caching import kept
from marketplace.catalog.models import Category, SearchSynonym
from marketplace.extensions import db
from marketplace.regions.models import Region

# Region suffixes dropped for the short name people say ("那曲" for 那曲市).
_SUFFIXES = ("藏族羌族自治州", "藏族自治州", "彝族自治州", "自治州", "自治区", "自治县", "地区", "新区",
             "市", "县", "区", "州", "盟", "旗")
# The words buyers use for each label (catalog.models.LABELS), its full name first.
LABEL_WORDS = {"green": ("绿色食品", "绿色"), "organic": ("有机产品", "有机"),
               "gi": ("地理标志", "地标", "地理标志产品")}
# jieba's frequency for the catalog's names: high enough that they stay whole.
_CATALOG_FREQUENCY = 200_000


class Lexicon(NamedTuple):
    categories: tuple   # (id, name, name_en, parent_id)
    regions: tuple      # (code, name, short name, name_en)
    labels: tuple       # (key, Chinese name)
    synonyms: tuple     # (word, other, kind)

    def words(self):
        """The names jieba must keep whole."""
        found = {name for _id, name, _en, _parent in self.categories}
        for _code, name, short, _en in self.regions:
            found.update((name, short))
        found.update(name for _key, name in self.labels)
        for word, other, _kind in self.synonyms:
            found.update((word, other))
        return frozenset(word for word in found if word and len(word) > 1)


def short_name(name):
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def load_lexicon():
    """The Lexicon read now from the database."""
    categories = tuple(db.session.execute(db.select(
        Category.id, Category.name, Category.name_en, Category.parent_id)).all())
    regions = tuple((code, name, short_name(name), name_en) for code, name, name_en in
                    db.session.execute(db.select(Region.code, Region.name, Region.name_en)))
    labels = tuple((key, name) for key, names in LABEL_WORDS.items() for name in names)
    synonyms = tuple(db.session.execute(db.select(
        SearchSynonym.word, SearchSynonym.other, SearchSynonym.kind)
        .order_by(SearchSynonym.id)).all())
    return Lexicon(tuple(map(tuple, categories)), regions, labels, tuple(map(tuple, synonyms)))


def lexicon():
    """The current Lexicon, kept up to CATALOG_CHOICES_CACHE_SECONDS (an edit clears it)."""
    return kept("catalog_choices", "CATALOG_CHOICES_CACHE_SECONDS", "search-lexicon",
                load_lexicon)


def supplier_refs(word, limit=5000):
    """["#s<id>", …] of the suppliers whose name holds `word` (read live: there are many)."""
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    ids = db.session.execute(db.select(Organization.id).where(
        Organization.kind == "supplier", Organization.name.like(pattern, escape="\\"))
        .order_by(Organization.id).limit(limit)).scalars()
    return [f"#s{supplier_id}" for supplier_id in ids]


class _Segmenter:
    """One jieba tokenizer per process, holding exactly the catalog's current names."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokenizer = None
        self._base = {}        # word → its frequency before the catalog's name was added

    def _ready(self):
        if self._tokenizer is None:
            # Imported here: its dictionary costs ~60 MB and a second to load, which only
            # processes that read queries pay.
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            self._tokenizer = tokenizer
        return self._tokenizer

    def _sync(self, words):
        tokenizer = self._ready()
        freq = tokenizer.FREQ
        for word in [w for w in self._base if w not in words]:
            freq[word] = self._base.pop(word)
        for word in words:
            if word not in self._base:
                self._base[word] = freq.get(word, 0)
                freq[word] = max(freq.get(word, 0), _CATALOG_FREQUENCY)
                for end in range(1, len(word)):
                    freq.setdefault(word[:end], 0)   # prefixes let jieba walk to the word

    def cut(self, text, words):
        """jieba's words of `text` (no guessing of unknown words: they stay characters)."""
        with self._lock:
            self._sync(words)
            return [piece for piece in self._ready().cut(text, HMM=False) if piece.strip()]

    def cut_for_search(self, text, words):
        """The words of `text` and the shorter words inside them (牦牛肉 → 牦牛, 牛肉, 牦牛肉)."""
        with self._lock:
            self._sync(words)
            return [piece for piece in self._ready().cut_for_search(text, HMM=False)
                    if piece.strip()]


segmenter = _Segmenter()
