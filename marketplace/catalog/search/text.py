"""The characters of search: normalising what buyers type, Chinese runs and their short
substrings, Latin words, sizes and units of sale, pinyin."""
import re
import unicodedata

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK}]+")
# A token of a query or a name: a Chinese run, or letters and digits (with a decimal point).
TOKEN = re.compile(f"[{CJK}]+|[a-z0-9]+(?:\\.[0-9]+)?[a-z]*")
LATIN = re.compile(r"[a-z0-9]+")
# Substrings of up to this many characters of every Chinese run of a name are indexed; a longer
# query word matches a name holding all of its substrings of this length.
GRAM = 3
MAX_WORD = 20

# Sizes: a number and a unit of weight or volume, in grams or millilitres ("2.5kg" → 2500g).
SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(千克|公斤|kg|克|g|斤|毫升|ml|升|l)(?![a-z])")
_GRAMS = {"千克": 1000, "公斤": 1000, "kg": 1000, "克": 1, "g": 1, "斤": 500,
          "毫升": 1, "ml": 1, "升": 1000, "l": 1000}
_MILLILITRES = {"毫升", "ml", "升", "l"}
# Units of sale buyers type alone ("斤", "箱"): they rank, never filter.
UNITS = frozenset({"斤", "公斤", "千克", "克", "袋", "箱", "盒", "瓶", "罐", "桶", "包", "件", "只",
                   "块", "个", "份", "kg", "g", "ml", "l"})
CHINESE_NUMBERS = frozenset("一二两三四五六七八九十百半几")
# Words that carry nothing of what is looked for ("我要买一箱的苹果").
STOP = frozenset({"的", "和", "与", "及", "或", "等", "一", "个", "些", "买", "要", "我", "想",
                  "购买", "采购", "请", "求", "有没有", "哪里", "什么"})


def normalise(text, limit=200):
    """Full-width letters and digits made ASCII, lower case, at most `limit` characters."""
    return unicodedata.normalize("NFKC", (text or "")[:limit]).lower()


def size_terms(text):
    """("#z500g", …) of the sizes in `text`, and `text` without them."""
    found = []

    def take(match):
        amount, unit = float(match.group(1)), match.group(2)
        value = amount * _GRAMS[unit]
        if value <= 0 or value > 10**7:
            return " "
        suffix = "ml" if unit in _MILLILITRES else "g"
        found.append(f"#z{value:g}{suffix}")
        if unit == "斤":
            found.append("#u斤")
        return " "

    rest = SIZE.sub(take, text)
    return found, rest


def quantity_unit(piece):
    """The unit of sale a piece names ("斤", "一箱" → "箱"), or None."""
    if piece in UNITS:
        return piece
    if len(piece) > 1 and piece[0] in CHINESE_NUMBERS and piece.lstrip("".join(
            CHINESE_NUMBERS)) in UNITS:
        return piece.lstrip("".join(CHINESE_NUMBERS))
    return None


def unit_term(unit):
    return f"#u{unit}"


def grams(run):
    """Every substring of one to GRAM characters of a Chinese run."""
    return {run[i:i + n] for n in range(1, GRAM + 1) for i in range(len(run) - n + 1)}


def word_terms(word):
    """The terms a name must hold to carry `word`: itself, or its GRAM-long pieces."""
    if len(word) <= GRAM:
        return (word,)
    return tuple(sorted({word[i:i + GRAM] for i in range(len(word) - GRAM + 1)}))


def name_terms(*texts):
    """The name-side terms of a listing: substrings of its Chinese runs, its Latin words and
    its sizes (and the units named in its spec)."""
    terms = set()
    for text in texts:
        text = normalise(text, 500)
        sizes, rest = size_terms(text)
        terms.update(sizes)
        for run in CJK_RUN.findall(rest):
            terms |= grams(run)
            if run in UNITS:
                terms.add(unit_term(run))
        terms.update(word for word in LATIN.findall(rest) if len(word) <= 40)
    return terms


def contains_cjk(text):
    return bool(CJK_RUN.search(text or ""))


def pinyin_of(word):
    """(full pinyin, initials) of a Chinese word, without tones: ("songrong", "sr")."""
    # Imported here: pypinyin's dictionaries cost ~57 MB in every process that imports it, and
    # only indexing and the vocabulary need it.
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(word, errors="ignore"))
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore"))
    return full[:160], initials[:40]
