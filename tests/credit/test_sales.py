"""Twelve months of accepted sales: accepted value less refunds, in the month (China Standard
Time) of acceptance, the way the quota figures count a purchase."""
from datetime import datetime, timezone

from marketplace.credit import services
from tests import factories

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)


def accepted(product, quantity, accepted_quantity, at, status="completed", refunded_fen=0):
    return factories.order(lines=[(product, quantity)], status=status, accepted_at=at,
                           accepted={0: accepted_quantity}, refunded={0: refunded_fen})


def test_months_run_from_a_year_ago_to_this_month_in_beijing_time(db):
    months = services.twelve_months(NOW)
    assert [month.label for month in months][:2] == ["2026-01", "2026-02"]
    assert months[-1].label == "2026-12" and len(months) == 12
    # 2025-12-31 20:00 UTC is already January 2026 in Beijing.
    january = services.twelve_months(datetime(2025, 12, 31, 20, 0, tzinfo=timezone.utc))
    assert january[-1].label == "2026-01" and january[0].label == "2025-02"


def test_sales_count_what_was_accepted_less_refunds_in_the_month_of_acceptance(db):
    product = factories.product(price_fen=10000)
    other = factories.product(price_fen=99900)  # another supplier's: not counted
    supplier = product.supplier
    # 30 Nov 17:00 UTC = 1 Dec 01:00 in Beijing: December.
    accepted(product, 5, 4, datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc), refunded_fen=5000)
    accepted(product, 2, 2, datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc), status="accepted")
    accepted(product, 1, 1, datetime(2026, 3, 10, tzinfo=timezone.utc), refunded_fen=20000)
    accepted(product, 3, 3, datetime(2025, 12, 31, 15, 59, tzinfo=timezone.utc))  # 2025-12-31 23:59 CST
    accepted(other, 1, 1, datetime(2026, 6, 1, tzinfo=timezone.utc))
    factories.order(lines=[(product, 9)], status="shipped")
    months = {month.label: month for month in services.monthly_sales(supplier.id, NOW)}
    assert (months["2026-12"].amount_fen, months["2026-12"].orders) == (4 * 10000 - 5000, 1)
    assert (months["2026-11"].amount_fen, months["2026-11"].orders) == (2 * 10000, 1)
    assert months["2026-03"].amount_fen == 0  # refunded beyond its value: never below zero
    assert months["2026-03"].orders == 1
    assert "2025-12" not in months and sum(m.amount_fen for m in months.values()) == 55000
