"""Quota benchmark: the year's figures for every unit, three ways, and the year's exports.

    python bench/quota.py [--year 2026] [--repeat 3] [--skip-api] [--skip-exports]

1. compliance.services.quota_rows(year) for every budget unit (in-process, app context);
2. GET /api/v1/quota/{year}/units as an admin, over HTTP against gunicorn (every page);
3. ONE hand-written SQL aggregate (HAND_SQL below, PostgreSQL), written from DESIGN.md's rules,
   computing the same figures (reserved, completed, in_progress, completion rate, status) on
   the same database — the numbers of all three are checked to agree, unit by unit;
then the CSV and Excel exports of the whole year (reports), each in a subprocess whose peak RSS
is read from the kernel (wait4 → ru_maxrss). Best of --repeat runs each; the ratio is
service (or API) time / hand-written SQL time.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import STATE, database_url, machine, make_app  # noqa: E402

# The quota figures of every budget unit for one year, in one statement (PostgreSQL).
# Rules (DESIGN.md): the unit's current filing; the policy of the year with the longest prefix
# of the unit's region (else 0.10 / any aided county / unions counted); lines of orders bound
# to the unit (or to a shared member naming it as representative), purpose canteen or
# union_welfare (when the policy counts unions), snapshot origin aided and within the policy's
# prefixes; completed = accepted quantity × unit price − refunds, floored at 0 per line, in the
# CST year of acceptance, never for cancelled/rejected orders; in_progress = quantity × unit
# price of shipped, not yet accepted orders, in the CST year of shipping; a shared member's own
# row shows 0; the status from reserved, completed and the elapsed fraction of the year.
HAND_SQL = """
WITH unit AS (
    SELECT id, name, region_code FROM organizations WHERE kind = 'budget_unit'
), filing AS (
    SELECT budget_unit_id, canteen_status, food_budget_fen, ratio, reserved_fen,
           representative_unit_id
    FROM filings WHERE year = :year AND is_current
), policy AS (
    -- the governing policy: the year's longest matching prefix, else the national default;
    -- its eligible origins as LIKE patterns (an empty array: any aided county)
    SELECT DISTINCT ON (u.id) u.id AS unit_id,
           COALESCE(ARRAY(SELECT e || '%' FROM json_array_elements_text(
               p.eligible_origin_prefixes) AS e), '{}') AS patterns,
           COALESCE(p.count_union_purchases, true) AS unions
    FROM unit u LEFT JOIN quota_policies p
      ON p.year = :year AND u.region_code LIKE p.region_prefix || '%'
    ORDER BY u.id, length(p.region_prefix) DESC NULLS LAST
), credit AS (
    -- whose figures an order bound to a unit counts for: a shared member's go to its
    -- representative
    SELECT f.budget_unit_id AS bound_id, f.representative_unit_id AS unit_id
    FROM filing f WHERE f.canteen_status = 'shared_member' AND f.representative_unit_id IS NOT NULL
), counted AS (
    SELECT COALESCE(c.unit_id, o.budget_unit_id) AS unit_id,
           SUM(CASE WHEN o.accepted_at >= :start AND o.accepted_at < :end
                         AND o.status NOT IN ('cancelled', 'rejected')
                    THEN GREATEST(COALESCE(l.accepted_quantity, l.quantity) * l.unit_price_fen
                                  - l.refunded_fen, 0) ELSE 0 END) AS completed,
           SUM(CASE WHEN o.status = 'shipped' AND o.accepted_at IS NULL
                         AND o.shipped_at >= :start AND o.shipped_at < :end
                    THEN l.quantity * l.unit_price_fen ELSE 0 END) AS in_progress
    FROM orders o
    JOIN order_lines l ON l.order_id = o.id
    LEFT JOIN credit c ON c.bound_id = o.budget_unit_id
    JOIN policy p ON p.unit_id = COALESCE(c.unit_id, o.budget_unit_id)
    WHERE o.purpose IN ('canteen', 'union_welfare') AND l.origin_aided
      AND (o.purpose = 'canteen' OR p.unions)
      AND (cardinality(p.patterns) = 0 OR l.origin_region_code LIKE ANY (p.patterns))
      AND ((o.accepted_at >= :start AND o.accepted_at < :end)
           OR (o.status = 'shipped' AND o.shipped_at >= :start AND o.shipped_at < :end))
    GROUP BY 1
), figures AS (
    SELECT u.id AS unit_id, u.name AS unit_name, u.region_code, f.canteen_status,
           f.food_budget_fen, f.ratio, f.reserved_fen,
           CASE WHEN f.canteen_status = 'shared_member' THEN 0
                ELSE COALESCE(c.completed, 0) END AS completed_fen,
           CASE WHEN f.canteen_status = 'shared_member' THEN 0
                ELSE COALESCE(c.in_progress, 0) END AS in_progress_fen
    FROM unit u LEFT JOIN filing f ON f.budget_unit_id = u.id
    LEFT JOIN counted c ON c.unit_id = u.id
)
SELECT unit_id, unit_name, region_code, canteen_status, food_budget_fen, ratio, reserved_fen,
       completed_fen, in_progress_fen,
       CASE WHEN reserved_fen > 0 THEN round(completed_fen::numeric / reserved_fen, 4) END
           AS completion_rate,
       CASE WHEN canteen_status IN ('none', 'shared_member') THEN 'exempt'
            WHEN canteen_status IS NULL OR reserved_fen IS NULL THEN 'not_filed'
            WHEN completed_fen >= reserved_fen THEN 'met'
            WHEN :elapsed >= :total THEN 'not_met'
            WHEN completed_fen::numeric * :total >= reserved_fen::numeric * :elapsed
                THEN 'on_track'
            ELSE 'behind' END AS status
FROM figures ORDER BY unit_id
"""


def fen(value):
    return None if value is None else int((Decimal(value) * 100).to_integral_value(ROUND_HALF_UP))


def hand_rows(session, year, now):
    import sqlalchemy as sa

    from marketplace.compliance.services import year_fraction_elapsed
    from marketplace.timeutil import year_bounds_utc

    start, end = year_bounds_utc(year)
    elapsed, total = year_fraction_elapsed(year, now)
    result = session.execute(sa.text(HAND_SQL), dict(year=year, start=start, end=end,
                                                     elapsed=elapsed, total=total))
    return {row.unit_id: dict(reserved=row.reserved_fen, completed=row.completed_fen,
                              in_progress=row.in_progress_fen, status=row.status,
                              rate=row.completion_rate, canteen_status=row.canteen_status)
            for row in result}


def normalise_service(rows):
    return {row["unit_id"]: dict(reserved=fen(row["reserved"]), completed=fen(row["completed"]),
                                 in_progress=fen(row["in_progress"]), status=row["status"],
                                 rate=row["completion_rate"],
                                 canteen_status=row["canteen_status"]) for row in rows}


def normalise_api(items):
    return {row["unit_id"]: dict(reserved=fen(row["reserved"]), completed=fen(row["completed"]),
                                 in_progress=fen(row["in_progress"]), status=row["status"],
                                 rate=None if row["completion_rate"] is None
                                 else Decimal(row["completion_rate"]),
                                 canteen_status=row["canteen_status"]) for row in items}


def compare(name, got, expected):
    """The count of units whose figures differ, with the first few printed."""
    differ = []
    for unit_id in sorted(set(got) | set(expected)):
        a, b = got.get(unit_id), expected.get(unit_id)
        if a is None or b is None or any(
                (a[k] != b[k]) if k != "rate" else
                ((a[k] is None) != (b[k] is None)
                 or (a[k] is not None and Decimal(a[k]) != Decimal(b[k])))
                for k in ("reserved", "completed", "in_progress", "status", "rate",
                          "canteen_status")):
            differ.append((unit_id, a, b))
    print(f"  {name} vs hand-written SQL: {len(got)} rows vs {len(expected)}, "
          f"{len(differ)} units differ", flush=True)
    for unit_id, a, b in differ[:5]:
        print(f"    unit {unit_id}: {name} {a}\n               sql {b}")
    return len(differ)


def best_of(repeat, function):
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return min(times), times, value


def api_all_pages(port, token, year, max_pages=None):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    items, page, first = [], 1, None
    while True:
        start = time.perf_counter()
        connection.request("GET", f"/api/v1/quota/{year}/units?per_page=200&page={page}",
                           headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        body = response.read()
        if first is None:
            first = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"GET quota page {page}: {response.status} {body[:300]!r}")
        data = json.loads(body)
        items += data["items"]
        total = data.get("total", len(items))
        if len(items) >= total or not data["items"] or (max_pages and page >= max_pages):
            break
        page += 1
    connection.close()
    return items, page, first, total


def admin_token(app):
    from datetime import timedelta

    import secrets

    from marketplace.accounts.models import ApiToken, User
    from marketplace.api.core import hash_token
    from marketplace.extensions import db
    from marketplace.timeutil import utcnow

    with app.app_context():
        admin = User.query.filter_by(role="admin").order_by(User.id).first()
        token = secrets.token_urlsafe(32)
        db.session.add(ApiToken(user_id=admin.id, token_hash=hash_token(token),
                                expires_at=utcnow() + timedelta(hours=2)))
        db.session.commit()
    return token


EXPORTS = {"ledger.csv": "/api/v1/quota/{year}/ledger.csv",
           "ledger.xlsx": "/api/v1/quota/{year}/ledger.xlsx",
           "report.csv": "/api/v1/quota/{year}/report.csv",
           "report.xlsx": "/api/v1/quota/{year}/report.xlsx",
           "baseline": "/api/v1/openapi.json"}


def run_export(kind, year, token):
    """One export in a grandchild process: (seconds, peak RSS MB, bytes written, exit, output).

    Linux carries a process's peak RSS across fork and exec, so a child of this (large)
    process would report at least our own size: the export runs under a small launcher
    (`--export-launcher`, standard library only), which reads its child's ru_maxrss with
    wait4 and prints it; the export itself also prints its VmHWM as a cross-check.
    """
    out = STATE / f"{year}-{kind}"
    STATE.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--export-launcher", kind,
                             "--year", str(year), "--out", str(out)],
                            capture_output=True, env=dict(os.environ, BENCH_TOKEN=token,
                                                          DATABASE_URL=database_url()))
    elapsed = time.perf_counter() - start
    output = result.stdout.decode(errors="replace") + result.stderr.decode(errors="replace")
    rss = code = None
    for line in output.splitlines():
        if line.startswith("LAUNCHER "):
            data = json.loads(line[len("LAUNCHER "):])
            rss, code = data["ru_maxrss_mb"], data["exit"]
    size = out.stat().st_size if out.exists() else 0
    return elapsed, rss, size, code, output


def export_launcher(kind, year, out):
    """Run the export child and report its peak RSS (wait4 → ru_maxrss) as one JSON line."""
    process = subprocess.Popen([sys.executable, __file__, "--export-child", kind,
                                "--year", str(year), "--out", out])
    _, status, usage = os.wait4(process.pid, 0)
    print("LAUNCHER " + json.dumps({"ru_maxrss_mb": round(usage.ru_maxrss / 1024, 1),
                                    "exit": os.waitstatus_to_exitcode(status)}), flush=True)


def vm_hwm_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def export_child(kind, year, out):
    """GET the export through the app's own API route, in this process, streaming it to `out`
    (the test client, unbuffered: the same view code as over HTTP, without a server)."""
    app = make_app()
    client = app.test_client()
    start = time.perf_counter()
    response = client.get(EXPORTS[kind].format(year=year), buffered=False,
                          headers={"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"})
    written = 0
    with open(out, "wb") as handle:
        for chunk in response.response:
            handle.write(chunk)
            written += len(chunk)
    response.close()
    print(f"{kind}: HTTP {response.status_code}, {written:,} bytes in "
          f"{time.perf_counter() - start:.2f} s (in the child), VmHWM {vm_hwm_mb():.0f} MB",
          flush=True)
    if response.status_code != 200:
        print(open(out, "rb").read(500).decode(errors="replace"))
        sys.exit(1)


def main(argv=None):
    parser = argparse.ArgumentParser(description="quota figures: service, API, hand SQL; exports")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--api-pages", type=int, default=0,
                        help="fetch at most this many pages of 200 (0: all) and extrapolate")
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--exports",
                        default="baseline,report.csv,report.xlsx,ledger.csv,ledger.xlsx",
                        help="which exports to run (comma-separated)")
    parser.add_argument("--export-child")
    parser.add_argument("--export-launcher")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    if args.export_launcher:
        return export_launcher(args.export_launcher, args.year, args.out)
    if args.export_child:
        return export_child(args.export_child, args.year, args.out)
    url = database_url()
    if "postgresql" not in url:
        sys.exit("bench/quota.py needs PostgreSQL: its hand-written aggregate is PostgreSQL SQL.")
    print(f"quota benchmark, year {args.year}: {machine()}", flush=True)
    from marketplace.compliance.services import quota_rows
    from marketplace.extensions import db
    from marketplace.timeutil import utcnow

    app = make_app(url)
    figures = {"year": args.year, "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "machine": machine()}
    now = utcnow()
    with app.app_context():
        units = db.session.execute(db.text(
            "SELECT count(*) FROM organizations WHERE kind = 'budget_unit'")).scalar()
        lines = db.session.execute(db.text("SELECT count(*) FROM order_lines")).scalar()
        print(f"  {units:,} budget units, {lines:,} order lines", flush=True)
        hand_time, hand_times, hand = best_of(
            args.repeat, lambda: hand_rows(db.session, args.year, now))
        db.session.rollback()
        print(f"  hand-written SQL: best {hand_time:.2f} s of {[round(t, 2) for t in hand_times]}",
              flush=True)
        service_time, service_times, rows = best_of(
            args.repeat, lambda: quota_rows(args.year, now=now))
        db.session.rollback()
        print(f"  quota_rows (service): best {service_time:.2f} s of "
              f"{[round(t, 2) for t in service_times]}; ratio {service_time / hand_time:.2f}",
              flush=True)
        figures.update(units=units, lines=lines, hand_s=hand_time, service_s=service_time,
                       service_ratio=service_time / hand_time,
                       service_differ=compare("service", normalise_service(rows), hand))
        save(figures)
    if not args.skip_api:
        from servers import Gunicorn

        token = admin_token(app)
        server = Gunicorn("wsgi:app", url, workers=1, name="quota")
        try:
            server.wait("/api/v1/openapi.json")
            api_time, api_times, (items, pages, first, total) = best_of(
                args.repeat, lambda: api_all_pages(server.port, token, args.year,
                                                   args.api_pages or None))
        finally:
            server.stop()
        all_pages = -(-total // 200)
        estimate = api_time / pages * all_pages
        print(f"  API ({pages} of {all_pages} pages of 200): best {api_time:.2f} s of "
              f"{[round(t, 2) for t in api_times]}; first page {first:.2f} s; all pages "
              f"{'measured' if pages == all_pages else 'estimated'} {estimate:.1f} s; "
              f"ratio {estimate / hand_time:.2f}", flush=True)
        fetched = {row["unit_id"] for row in items}
        figures.update(api_s=estimate, api_pages_fetched=pages, api_pages=all_pages,
                       api_first_page_s=first, api_ratio=estimate / hand_time,
                       api_first_page_ratio=first / hand_time,
                       api_differ=compare("API", normalise_api(items),
                                          {k: v for k, v in hand.items() if k in fetched}))
        save(figures)
    if not args.skip_exports:
        token = admin_token(app)
        for kind in args.exports.split(","):
            elapsed, rss, size, code, output = run_export(kind, args.year, token)
            detail = [line for line in output.splitlines() if line.startswith(kind)]
            print(f"  export {kind}: {elapsed:.2f} s, peak RSS {rss} MB, {size:,} bytes, "
                  f"exit {code}; {detail[-1] if detail else output.strip()[-300:]}", flush=True)
            figures[f"export_{kind}"] = dict(seconds=elapsed, peak_rss_mb=rss, bytes=size,
                                             exit=code, output=output[-2000:])
            save(figures)
    save(figures)


def save(figures):
    """Merge this run's figures into instance/bench/quota.json (kept across partial runs)."""
    STATE.mkdir(parents=True, exist_ok=True)
    path = STATE / "quota.json"
    saved = json.loads(path.read_text()) if path.exists() else {}
    saved.update(figures)
    path.write_text(json.dumps(saved, indent=1, default=str))


if __name__ == "__main__":
    main()
