"""Exact money: amounts are integer fen in the database and Decimal yuan in Python."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
MAX_YUAN = Decimal("9999999999.99")


def to_decimal(value):
    """Parse a yuan amount ("12.5", 12, Decimal) into a Decimal; raise ValueError when it is not one."""
    if isinstance(value, float):
        raise ValueError("money must not be a float")
    if isinstance(value, bool) or value is None:
        raise ValueError("not an amount")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError("not an amount") from None
    if not amount.is_finite():
        raise ValueError("not an amount")
    return amount


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
