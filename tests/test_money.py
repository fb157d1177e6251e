"""Money as people read and write it, exact to the fen: typed amounts and shares, the API's
strings, the pages' figures."""
from decimal import Decimal

import pytest

from marketplace.money import (amount_text, fen_str, fen_to_yuan, format_yuan, percent_str,
                               rate_half_up, to_decimal, yuan_to_fen)


@pytest.mark.parametrize("typed, fen", [("12.5", 1250), ("2,600,000.50", 260000050),
                                        ("２，６００", 260000), ("¥ 1,280.00", 128000),
                                        ("0.005", 1), ("0.004", 0), (12, 1200)])
def test_typed_amounts_become_fen_rounded_half_up(typed, fen):
    assert yuan_to_fen(typed) == fen


@pytest.mark.parametrize("typed", ["26,00", "十二元", "", None, True, 1.5, "1e3x",
                                   "99999999999", "NaN"])
def test_what_is_no_amount_is_refused(typed):
    with pytest.raises(ValueError):
        yuan_to_fen(typed)


def test_the_api_and_pages_write_the_same_fen_their_own_way():
    assert fen_to_yuan(123450) == Decimal("1234.50") and fen_str(123450) == "1234.50"
    assert format_yuan(123450) == "¥1,234.50" and format_yuan(None) == "—"
    assert fen_str(None) is None


@pytest.mark.parametrize("yuan, shown", [(Decimal("1130000"), "1,130,000.00"),
                                         ("1234.5", "1,234.50"), ("5,446.00", "5,446.00"),
                                         (Decimal("0.005"), "0.01"), (0, "0.00"),
                                         (None, ""), ("", "")])
def test_amounts_in_yuan_read_with_separators_and_two_decimals(yuan, shown):
    assert amount_text(yuan) == shown


def test_shares_and_rates():
    assert percent_str(Decimal("0.1")) == "10%" and percent_str(Decimal("0.125")) == "12.5%"
    assert percent_str(None) == ""
    assert rate_half_up(1, 3) == Decimal("0.3333") and rate_half_up(2, 3) == Decimal("0.6667")
    assert rate_half_up(5, 0) is None
    assert to_decimal("１２.５") == Decimal("12.5")
