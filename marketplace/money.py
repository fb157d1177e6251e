"""Exact money: amounts are integer fen in the database and Decimal yuan in Python.

What people type is read the way they write it: full-width digits and punctuation
("２，６００，０００"), thousands separators ("2,600,000.50"), a leading ¥, and ratios as
percentages ("10%"). `number_text` is the one place that reads such text.
"""
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
MAX_YUAN = Decimal("9999999999.99")


# Digits grouped by threes with commas: "2,600,000" or "2,600,000.50" (never "26,00").
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def number_text(text):
    """Typed text as a plain number's text: full-width forms folded (NFKC), spaces and a
    leading ¥ dropped, thousands separators removed when they group by threes. Text that is no
    number comes back in a form Decimal refuses."""
    text = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    text = text.removeprefix("¥").removeprefix("￥")
    if "," in text and _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    return text


def to_decimal(value):
    """Parse a yuan amount ("12.5", "2,600,000.50", 12, Decimal) into a Decimal; raise
    ValueError when it is not one."""
    if isinstance(value, float):
        raise ValueError("money must not be a float")
    if isinstance(value, bool) or value is None:
        raise ValueError("not an amount")
    try:
        amount = Decimal(number_text(value))
    except (InvalidOperation, ValueError):
        raise ValueError("not an amount") from None
    if not amount.is_finite():
        raise ValueError("not an amount")
    return amount


def to_ratio(value, bare_percent=False):
    """Parse a share into a fraction Decimal: "10%" (or "10％") is 0.10 everywhere; with
    `bare_percent` (a form asking for a percentage) a bare number above 1 is a percentage too
    ("10" → 0.10), while "0.1" stays 0.1. Raise ValueError when it is not a number."""
    if not isinstance(value, str):
        return to_decimal(value)  # a number as such (a float is refused there)
    text = number_text(value)
    percent = text.endswith("%")
    ratio = to_decimal(text.removesuffix("%"))
    if percent or (bare_percent and ratio > 1):
        ratio = ratio / 100
    return ratio


def ratio_input(text):
    """A percentage typed in a form ("10%", "10", "0.1") as the fraction text the services
    read ("0.1"); text that is no number is returned as typed, for the service to refuse."""
    try:
        return str(to_ratio(text, bare_percent=True).normalize()) if text else text
    except ValueError:
        return text


def percent_str(ratio):
    """A fraction as a percentage for a form field: 0.1 → "10%", 0.125 → "12.5%"."""
    if ratio is None:
        return ""
    value = (Decimal(ratio) * 100).normalize()
    return f"{value:f}%"


def yuan_to_fen(value):
    """Convert yuan to integer fen, rounding half-up; raise ValueError for non-amounts or out of range."""
    amount = to_decimal(value)
    if abs(amount) > MAX_YUAN:
        raise ValueError("amount out of range")
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_to_yuan(fen):
    """Integer fen to a Decimal of yuan with two places."""
    if fen is None:
        return None
    return (Decimal(int(fen)) / 100).quantize(FEN)


def fen_str(fen):
    """Integer fen to the API's string form "1234.50" (None stays None)."""
    if fen is None:
        return None
    return f"{fen_to_yuan(fen):.2f}"


def amount_text(yuan):
    """An amount of yuan (Decimal, number or text such as "1234.5") for people: "1,234.50";
    None or "" is ""."""
    if yuan is None or yuan == "":
        return ""
    amount = Decimal(str(yuan).replace(",", "")).quantize(FEN, rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}"


def format_yuan(fen):
    """A human form for pages: ¥1,234.50."""
    if fen is None:
        return "—"
    return f"¥{fen_to_yuan(fen):,.2f}"


def rate_half_up(done, target):
    """done / target as a Decimal rounded half-up to four places (both in fen, or any one
    unit); None when there is no target to measure against."""
    if not target:
        return None
    return (Decimal(done) / Decimal(target)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
