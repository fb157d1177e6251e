"""Exports stream: a ledger of 20,000 lines is written without holding its rows in memory."""
import inspect
import tracemalloc
import weakref

import pytest
from openpyxl import load_workbook

from marketplace.ordering.models import Order, OrderLine
from marketplace.reports import exports, services
from marketplace.reports.writers.csv_export import csv_stream
from marketplace.reports.writers.xlsx_export import write_xlsx
from tests import factories
from tests.helpers import cst
from tests.reports.helpers import YEAR, auditor_of

LINES = 20_000
PER_ORDER = 10


@pytest.fixture
def big_ledger(db):
    """20,000 accepted lines of 2,000 orders of one unit, bulk-inserted."""
    return make_ledger(db, LINES)


@pytest.fixture
def small_ledger(db):
    return make_ledger(db, 2_500)


def make_ledger(db, count):
    """An auditor over `count` accepted lines of one unit (PER_ORDER a order)."""
    office = factories.org("audit_office", region_code="540000")
    unit = factories.org("budget_unit", name="大型食堂单位", region_code="540102")
    buyer = factories.user("purchaser", organization=unit)
    item = factories.product(name="林芝松茸（特级，冷链直发，每箱五斤装）", price_fen=12_345)
    accepted_at = cst(YEAR, 5, 1)
    orders = [dict(id=number, number=f"B{number:09d}", status="accepted", purpose="canteen",
                   buyer_organization_id=unit.id, budget_unit_id=unit.id,
                   supplier_id=item.supplier_id, placed_by_id=buyer.id,
                   total_fen=PER_ORDER * item.price_fen, delivery_address="拉萨",
                   payment_method="bank_transfer", payment_terms="goods_first",
                   payment_status="unpaid", paid_fen=0, refunded_fen=0, due_extended=False,
                   created_at=accepted_at, shipped_at=accepted_at, accepted_at=accepted_at)
              for number in range(1, count // PER_ORDER + 1)]
    db.session.execute(db.insert(Order), orders)
    lines = [dict(order_id=order["id"], product_id=item.id, product_name=item.name, unit="箱",
                  unit_price_fen=item.price_fen, origin_region_code=item.origin_region_code,
                  origin_aided=True, quantity=3, accepted_quantity=3, refunded_fen=0)
             for order in orders for _ in range(PER_ORDER)]
    db.session.execute(db.insert(OrderLine), lines)
    db.session.commit()
    return auditor_of(office)


def test_the_ledger_csv_streams_in_flat_memory(big_ledger):
    scope = services.resolve_scope(big_ledger, YEAR, roles=services.LEDGER_ROLES)
    rows = services.ledger_rows(scope, batch=250)
    assert inspect.isgenerator(rows)
    finished = {}

    def finish(count, sha256):
        finished.update(count=count, sha256=sha256)
        return [("rows", count), ("sha256", sha256)]

    stream = csv_stream(services.LEDGER_COLUMNS, rows, finish, chunk_rows=250)
    assert inspect.isgenerator(stream)
    first = next(stream)  # runs the query: caches and the first batch are warm from here on
    assert first.startswith("\ufeff".encode()) and not finished  # nothing read ahead
    total, chunks = 0, 1
    tracemalloc.start()
    try:
        for chunk in stream:
            total += len(chunk)
            chunks += 1
            if chunks == 10:  # 2,500 rows in
                early_current, early_peak = tracemalloc.get_traced_memory()
        late_current, late_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert finished["count"] == LINES
    assert chunks > LINES // 250
    assert total > 4_000_000  # the file is megabytes ...
    # ... but memory stays flat: nothing accumulates while 17,500 more rows stream past.
    assert late_current - early_current < 256 * 1024, (early_current, late_current)
    assert late_peak < early_peak * 1.5 + 256 * 1024, (early_peak, late_peak)
    assert late_peak < total / 2, (late_peak, total)


class _Row(list):
    """A row that can be watched with a weak reference."""


def test_the_ledger_excel_never_holds_the_rows_it_has_written(small_ledger, tmp_path):
    # XlsxWriter's constant_memory mode flushes each row to a temporary file; prove the writer
    # keeps no row once written (a weak reference dies) on 2,500 lines (tracemalloc makes the
    # writer far too slow for the whole 20,000; the CSV test above measures memory itself).
    scope = services.resolve_scope(small_ledger, YEAR, roles=services.LEDGER_ROLES)
    watched, alive = [], []

    def rows():
        for number, row in enumerate(services.ledger_rows(scope), 1):
            row = _Row(row)
            if number % 500 == 1:
                watched.append(weakref.ref(row))
            if number % 500 == 0:
                alive.append(sum(ref() is not None for ref in watched))
            yield row

    target = tmp_path / "ledger.xlsx"
    count, _digest = write_xlsx(
        str(target), columns=list(services.LEDGER_COLUMNS), kinds=exports.LEDGER_KINDS,
        rows=rows(), title_lines=["ledger"], finish=lambda count, sha256: [("rows", count)],
        sheet_title="ledger", rows_per_sheet=2_000)
    assert count == 2_500
    assert alive == [0, 0, 0, 0, 0]  # each watched row was released 499 rows later
    workbook = load_workbook(target, read_only=True)
    assert workbook.sheetnames == ["ledger", "ledger (2)", "export_info"]
    second = list(workbook["ledger (2)"].iter_rows(values_only=True))
    assert second[2] == tuple(services.LEDGER_COLUMNS)  # the header is repeated
    assert len(second) == 3 + 500
    workbook.close()
