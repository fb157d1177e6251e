"""Reading a buyer's query: its words (typed with or without spaces, or in pinyin), what each
may match (the product's name, its categories, the regions of its origin, its labels, its
supplier, and the admin's synonyms of the word), and the sizes and units that only rank.

A product matches when it carries every word somewhere. Each way of carrying a word has a
weight, and a product's score is the sum over the words of the best way it carries each:

    name (and category too) 20 · name 16 · category 4 · origin 3 · label 2 · supplier 1
    a size or unit asked for +1 · a `related` synonym counts half
    the name holds a run typed without spaces whole (牦牛肉干, not 风干牦牛肉) +8

A product that carries some word only through its supplier's name is a weak match: it comes
after every product that carries all the words itself (browsing orders by that first).
"""
from dataclasses import dataclass, field

from marketplace.catalog.caching import kept_list
from marketplace.catalog.models import SearchWord
from marketplace.catalog.search import text as t
from marketplace.catalog.search.lexicon import lexicon, segmenter, supplier_refs
from marketplace.extensions import db

WEIGHTS = {"name_category": 20, "name": 16, "category": 4, "origin": 3, "label": 2,
           "supplier": 1}
SOFT_WEIGHT = 1
PHRASE_WEIGHT = 8
MAX_WORDS = 8
MAX_SPELLINGS = 5      # Chinese words a pinyin spelling may stand for


@dataclass(frozen=True)
class Way:
    """One way of carrying a word: every one of `terms` and (when given) any of `refs`."""

    source: str
    terms: tuple = ()
    refs: tuple = ()
    weight: int = 0


@dataclass
class Word:
    """A word of the query: what was typed, how it was read, and the ways to carry it."""

    typed: str
    shown: list               # Chinese (or Latin) words to highlight
    ways: list = field(default_factory=list)

    @property
    def label(self):
        """How the page names the word: "松茸", "土豆/马铃薯"."""
        return "/".join(self.shown)

    @property
    def respelled(self):
        """Typed otherwise than read (pinyin): the page says what it was read as."""
        return self.typed != self.shown[0]


@dataclass
class ReadQuery:
    """What a query asks for: required words, ranking-only terms (sizes, units), and what was
    set aside (words that carry nothing)."""

    text: str
    words: list
    soft: list
    soft_typed: list
    ignored: list
    phrases: list = field(default_factory=list)   # runs read as several words

    @property
    def highlights(self):
        found = {shown for word in self.words for shown in word.shown if shown}
        return sorted(found, key=len, reverse=True)

    @property
    def empty(self):
        return not self.words and not self.soft


def read_query(text):
    """The ReadQuery of a search string (an empty one when it holds no words); kept like the
    lists it finds (a catalog change, such as a renamed supplier, forgets it)."""
    return kept_list(("read", text or ""), lambda: _read(text))


def _read(text):
    raw = t.normalise(text)
    lex = lexicon()
    known = lex.words()
    sizes, rest = t.size_terms(raw)
    words, soft, soft_typed, ignored, phrases = [], list(sizes), [], [], []
    if sizes:
        soft_typed.extend(m.group(0) for m in t.SIZE.finditer(raw))
    for token in t.TOKEN.findall(rest):
        if t.contains_cjk(token):
            pieces = segmenter.cut(token, known)
            if len(pieces) > 1 and len(token) <= t.MAX_WORD and \
                    not any(t.quantity_unit(p) or p in t.STOP for p in pieces):
                phrases.append(token)
        else:
            pieces = [token]
        for piece in pieces:
            unit = t.quantity_unit(piece)
            if unit:
                soft.append(t.unit_term(unit))
                soft_typed.append(piece)
            elif piece in t.STOP:
                ignored.append(piece)
            elif piece.isdigit() or piece.replace(".", "").isdigit():
                soft.append(piece)
                soft_typed.append(piece)
            elif t.contains_cjk(piece):
                words.append(_chinese_word(piece[: t.MAX_WORD], lex))
            else:
                words.extend(_latin_word(piece[:40], lex))
    words = _unique(words)[:MAX_WORDS]
    return ReadQuery(text=(text or "").strip(), words=words, soft=sorted(set(soft)),
                     soft_typed=soft_typed, ignored=ignored, phrases=phrases)


def _unique(words):
    seen, kept = set(), []
    for word in words:
        key = tuple(sorted(word.shown))
        if key not in seen:
            seen.add(key)
            kept.append(word)
    return kept


def synonyms_of(word, lex):
    """[(other word, factor)] the admin's synonyms add to `word`: 1 full, 0.5 related."""
    found = []
    for left, right, kind in lex.synonyms:
        if kind == "equal" and word in (left, right):
            found.append((right if word == left else left, 1))
        elif kind == "broader" and word == left:
            found.append((right, 1))
        elif kind == "related" and word in (left, right):
            found.append((right if word == left else left, 0.5))
    return found


def _ways_of(word, lex, factor=1):
    """The ways a product carries the Chinese (or Latin) `word`."""
    def weight(source):
        return max(1, int(WEIGHTS[source] * factor))

    latin = not t.contains_cjk(word)
    folded = word.lower()
    categories = [f"#c{cid}" for cid, name, name_en, _parent in lex.categories
                  if (folded in (name_en or "").lower() if latin else word in name)]
    regions = [f"#r{code}" for code, name, short, name_en in lex.regions
               if (folded in (name_en or "").lower() if latin else word in name)]
    labels = [f"#l{key}" for key, name in lex.labels if not latin and word in name]
    name_terms = (folded,) if latin else t.word_terms(word)
    ways = []
    if categories:
        ways.append(Way("name_category", name_terms, tuple(categories),
                        weight("name_category")))
    ways.append(Way("name", name_terms, (), weight("name")))
    for source, refs in (("category", categories), ("origin", regions), ("label", labels)):
        if refs:
            ways.append(Way(source, (), tuple(refs), weight(source)))
    if not latin:
        suppliers = supplier_refs(word)
        if suppliers:
            ways.append(Way("supplier", (), tuple(suppliers), weight("supplier")))
    return ways


def _chinese_word(word, lex, typed=None):
    found = Word(typed=typed or word, shown=[word], ways=_ways_of(word, lex))
    for other, factor in synonyms_of(word, lex):
        found.shown.append(other)
        found.ways.extend(_ways_of(other, lex, factor))
    return found


def _latin_word(token, lex):
    """A Latin token: pinyin of catalog words when it spells them (full or initials), read
    back as those Chinese words (then cut into words, as if typed); else a Latin word."""
    spelled = spell(token)
    if not spelled:
        return [Word(typed=token, shown=[token], ways=_ways_of(token, lex))]
    words = []
    for choices in spelled:
        if len(choices) == 1:
            pieces = segmenter.cut(choices[0], lex.words()) if len(choices[0]) > t.GRAM \
                else choices
            words.extend(_chinese_word(piece, lex, typed=token) for piece in pieces
                         if piece not in t.STOP)
            continue
        first = _chinese_word(choices[0], lex, typed=token)
        for other in choices[1:]:
            extra = _chinese_word(other, lex)
            first.shown.extend(extra.shown)
            first.ways.extend(extra.ways)
        words.append(first)
    return words


def spell(token):
    """The catalog words `token` spells in pinyin, as a list of pieces, each a list of the
    words that piece may be ("linzhisongrong" → [["林芝"], ["松茸"]], "sr" → [["松茸", …]]),
    or None. Fewest pieces win; a piece spelled in full beats one spelled by initials. A token
    that spells no words whole may begin their initials ("srg": 松茸干片)."""
    token = token.lower()
    if not token.isalpha() or len(token) < 2 or len(token) > 40:
        return None
    pieces = {token[i:j] for i in range(len(token)) for j in range(i + 2, len(token) + 1)}
    rows = db.session.execute(db.select(SearchWord.word, SearchWord.pinyin, SearchWord.initials,
                                        SearchWord.products)
                              .where(db.or_(SearchWord.pinyin.in_(pieces),
                                            SearchWord.initials.in_(pieces)))).all()
    if not rows:
        return _spelled_by_beginning(token)
    spellings = {}
    for word, pinyin, initials, products in rows:
        for spelling, cost in ((pinyin, 1), (initials, 2)):
            if spelling in pieces:
                spellings.setdefault(spelling, []).append((cost, -(products or 0), word))
    # best[i]: (cost, pieces) of the cheapest reading of token[:i]
    best = {0: (0, [])}
    for end in range(2, len(token) + 1):
        for start in range(0, end - 1):
            if start not in best or token[start:end] not in spellings:
                continue
            choices = sorted(spellings[token[start:end]])
            cost = best[start][0] + 1 + min(c for c, _p, _w in choices)
            if end not in best or cost < best[end][0]:
                best[end] = (cost, best[start][1] + [[w for _c, _p, w in choices
                                                      ][:MAX_SPELLINGS]])
    return best.get(len(token), (0, None))[1] or _spelled_by_beginning(token)


def _spelled_by_beginning(token):
    """The catalog words whose initials (or, for four letters and more, full pinyin) begin
    with `token`, as one piece: "srg" → [["松茸干片", …]]; or None."""
    spellings = [SearchWord.initials.like(token + "%")]
    if len(token) >= 4:
        spellings.append(SearchWord.pinyin.like(token + "%"))
    words = db.session.execute(db.select(SearchWord.word).where(db.or_(*spellings))
                               .order_by(SearchWord.products.desc(),
                                         db.func.length(SearchWord.word), SearchWord.word)
                               .limit(MAX_SPELLINGS)).scalars().all()
    return [list(words)] if words else None
