"""Checkout benchmark: many concurrent buyers ordering scarce products over the real HTTP API.

    python bench/checkout.py [--buyers 64] [--products 10] [--stock 30] [--workers 4 --threads 4]

On the benchmark database (PostgreSQL): picks `--products` active products of different
suppliers, sets their stock to `--stock`, gives `--buyers` purchasers of budget units without an
approval threshold an API token each (written straight to api_tokens), starts gunicorn
(`--workers` gthread workers × `--threads`) on 127.0.0.1, and lets every buyer, in its own
thread, POST /api/v1/orders for 1–3 units of one or two random scarce products until it has
been refused `--give-up` times in a row. Then it prints orders/s (successful checkouts over the
time to sell out), p50/p99 of every POST, the answers by status and error code, and the
oversell: for each product, units sold (order lines of the orders created during the run,
cancelled ones excluded) − initial stock, which must be 0 or less, with the stock left, which
must equal initial − sold.
"""
import argparse
import http.client
import json
import random
import secrets
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import STATE, database_url, machine, make_app  # noqa: E402
from servers import Gunicorn  # noqa: E402


def prepare(url, args):
    """Scarce products, buyers with tokens; returns ([product ids], [tokens], initial stock)."""
    import sqlalchemy as sa

    from marketplace.accounts.models import ApiToken
    from marketplace.api.core import hash_token
    from marketplace.extensions import db
    from marketplace.timeutil import utcnow

    app = make_app(url)
    rng = random.Random(args.seed)
    with app.app_context():
        rows = db.session.execute(sa.text(
            "SELECT DISTINCT ON (p.supplier_id) p.id FROM products p "
            "JOIN organizations s ON s.id = p.supplier_id AND s.status = 'active' "
            "WHERE p.status = 'active' AND p.min_order_qty = 1 "
            "ORDER BY p.supplier_id, p.id LIMIT 500")).scalars().all()
        products = sorted(rng.sample(rows, args.products))
        db.session.execute(sa.text("UPDATE products SET stock = :stock WHERE id = ANY(:ids)"),
                           {"stock": args.stock, "ids": products})
        buyers = db.session.execute(sa.text(
            "SELECT u.id FROM users u JOIN organizations o ON o.id = u.organization_id "
            "WHERE u.role = 'purchaser' AND u.active AND o.kind = 'budget_unit' "
            "AND o.status = 'active' AND o.approval_threshold_fen IS NULL "
            "ORDER BY u.id LIMIT 5000")).scalars().all()
        tokens = []
        for user_id in sorted(rng.sample(buyers, args.buyers)):
            token = secrets.token_urlsafe(32)
            db.session.add(ApiToken(user_id=user_id, token_hash=hash_token(token),
                                    expires_at=utcnow() + timedelta(hours=6)))
            tokens.append(token)
        db.session.commit()
        started_db = db.session.execute(sa.text("SELECT now()")).scalar()
    return products, tokens, started_db


def buyer(port, token, products, rng, give_up, results, lock, stop_at):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    refused_in_a_row = 0
    while refused_in_a_row < give_up and time.time() < stop_at:
        chosen = rng.sample(products, rng.choice((1, 1, 2)))
        body = json.dumps({"lines": [{"product_id": p, "quantity": rng.randint(1, 3)}
                                     for p in chosen],
                           "purpose": "canteen", "delivery_address": "拉萨市城关区 食堂库房",
                           "payment_method": "bank_transfer", "payment_terms": "goods_first"})
        start = time.perf_counter()
        try:
            connection.request("POST", "/api/v1/orders", body=body.encode(),
                               headers={"Authorization": f"Bearer {token}",
                                        "Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status, payload = 0, str(error).encode()
        elapsed = time.perf_counter() - start
        code = None
        orders = []
        try:
            data = json.loads(payload)
            code = data.get("error", {}).get("code") if status >= 400 else None
            orders = [o["id"] for o in data.get("orders", [])] if status == 201 else []
        except (ValueError, AttributeError):
            code = "not_json"
        with lock:
            results.append((time.perf_counter(), elapsed, status, code, orders))
        refused_in_a_row = refused_in_a_row + 1 if status == 409 else 0
    connection.close()


def percentile(values, fraction):
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


def main(argv=None):
    parser = argparse.ArgumentParser(description="concurrent checkouts of scarce products")
    parser.add_argument("--buyers", type=int, default=64)
    parser.add_argument("--products", type=int, default=10)
    parser.add_argument("--stock", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--give-up", type=int, default=3)
    parser.add_argument("--max-seconds", type=int, default=120)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    url = database_url()
    if "postgresql" not in url:
        print("note: the checkout benchmark is meant for PostgreSQL (row locks, concurrency)")
    print(f"checkout benchmark: {machine()}")
    products, tokens, started_db = prepare(url, args)
    print(f"  {args.buyers} buyers, {len(products)} products × {args.stock} units, gunicorn "
          f"{args.workers} workers × {args.threads} threads", flush=True)
    server = Gunicorn("wsgi:app", url, workers=args.workers, name="checkout",
                      worker_class="gthread", extra=("--threads", str(args.threads)))
    results, lock = [], threading.Lock()
    try:
        server.wait("/api/v1/openapi.json")
        rng = random.Random(args.seed)
        stop_at = time.time() + args.max_seconds
        threads = [threading.Thread(target=buyer, args=(server.port, token, products,
                                                        random.Random(rng.random()),
                                                        args.give_up, results, lock, stop_at))
                   for token in tokens]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.stop()
    report(url, args, products, started_db, results, started, wall)


def report(url, args, products, started_db, results, started, wall):
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        sold = dict(conn.execute(sa.text(
            "SELECT l.product_id, SUM(l.quantity) FROM order_lines l JOIN orders o "
            "ON o.id = l.order_id WHERE o.created_at >= :start AND l.product_id = ANY(:ids) "
            "AND o.status <> 'cancelled' GROUP BY 1"),
            {"start": started_db, "ids": products}).all())
        left = dict(conn.execute(sa.text("SELECT id, stock FROM products WHERE id = ANY(:ids)"),
                                 {"ids": products}).all())
    engine.dispose()
    statuses = Counter((status, code) for _, _, status, code, _ in results)
    wins = [r for r in results if r[2] == 201]
    orders = sum(len(r[4]) for r in wins)
    sold_out_at = (max(r[0] for r in wins) - started) if wins else wall
    latencies = [r[1] * 1000 for r in results]
    oversold = sum(max(0, sold.get(p, 0) - args.stock) for p in products)
    inconsistent = [p for p in products if left[p] != args.stock - sold.get(p, 0) or left[p] < 0]
    losers_ok = all(code == "insufficient_stock" for (status, code) in statuses
                    if status == 409)
    print(f"  requests {len(results)} in {wall:.1f} s; sold out after {sold_out_at:.1f} s")
    print(f"  answers: " + ", ".join(f"{s} {c or ''}".strip() + f" ×{n}"
                                     for (s, c), n in sorted(statuses.items(), key=str)))
    print(f"  successful checkouts {len(wins)} ({orders} orders): "
          f"{len(wins) / sold_out_at:.1f} checkouts/s, {orders / sold_out_at:.1f} orders/s")
    print(f"  POST latency p50 {percentile(latencies, .5):.1f} ms, "
          f"p99 {percentile(latencies, .99):.1f} ms, max {max(latencies, default=0):.1f} ms")
    print(f"  units sold {sum(sold.values())} of {args.stock * len(products)}; "
          f"oversold {oversold}; stock rows inconsistent {len(inconsistent)}; "
          f"every 409 is insufficient_stock: {losers_ok}")
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "checkout.json").write_text(json.dumps({
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
        "buyers": args.buyers, "products": len(products), "stock": args.stock,
        "workers": args.workers, "threads": args.threads, "requests": len(results),
        "wall_s": wall, "sold_out_s": sold_out_at, "checkouts": len(wins), "orders": orders,
        "orders_per_s": orders / sold_out_at if sold_out_at else 0,
        "p50_ms": percentile(latencies, .5), "p99_ms": percentile(latencies, .99),
        "answers": {f"{s} {c or ''}".strip(): n for (s, c), n in statuses.items()},
        "units_sold": sum(sold.values()), "oversold": oversold,
        "inconsistent_stock_rows": len(inconsistent), "losers_all_insufficient_stock": losers_ok},
        indent=1))


if __name__ == "__main__":
    main()
