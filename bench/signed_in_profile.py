"""What a signed-in buyer's catalog page costs in one process, against a visitor's and the floor.

    python bench/signed_in_profile.py [--url sqlite:///instance/demo.sqlite] [--email ...]
                                      [--password ...] [--requests 200] [--rounds 3]
                                      [--profile "buyer: list"]

No HTTP and no gunicorn: the Flask test client, one request after another, so that what the
app does per request shows without the noise of a shared machine's network and scheduler.
Each target runs `--rounds` times, alternating, `--requests` requests each after 20 to warm
up; the best round's milliseconds per request are printed, wall-clock and CPU (this process's:
on SQLite, in-process, that is all the work, and unlike the wall clock it hardly moves when the
machine is shared), with the ratio of the floor app's (bench/floor_app.py, the same database)
CPU time to it, as bench/catalog.py's ratio reads. The load average is printed too.
`--profile TARGET` prints the cProfile of that target's requests instead.
"""
import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, make_app  # noqa: E402

DEMO_PASSWORD = "xizang-demo-2026"


def login(client, email, password):
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    answer = client.post("/login", data={"csrf_token": token, "email": email,
                                         "password": password})
    if answer.status_code != 302:
        raise SystemExit(f"login as {email} refused ({answer.status_code})")


def targets(app):
    """The URLs measured: real ids and filter values of the database."""
    import sqlalchemy as sa

    from marketplace.extensions import db

    with app.app_context():
        product = db.session.execute(sa.text(
            "SELECT id FROM products WHERE status = 'active' ORDER BY id LIMIT 1")).scalar()
        category, region = db.session.execute(sa.text(
            "SELECT category_id, substr(origin_region_code, 1, 4) || '00' FROM products "
            "WHERE status = 'active' GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1")).one()
    return {"list": "/products", "filtered list": f"/products?category={category}&region={region}",
            "search": "/products?q=%E7%89%A6%E7%89%9B",  # 牦牛
            "product page": f"/products/{product}"}


def per_request_ms(client, url, count):
    """(wall-clock, CPU) milliseconds per request of `url`, after 20 to warm up."""
    for _ in range(20):
        client.get(url)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        answer = client.get(url)
        if answer.status_code != 200:
            raise SystemExit(f"{url}: {answer.status_code}")
    return ((time.perf_counter() - start) * 1000 / count,
            (time.process_time() - cpu) * 1000 / count)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL")
                        or f"sqlite:///{ROOT / 'instance' / 'marketplace.sqlite'}")
    parser.add_argument("--email", default="purchaser@demo.cn")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help='a target to profile, e.g. "buyer: list"')
    args = parser.parse_args()

    url = args.url.replace("postgresql://", "postgresql+psycopg://", 1)
    os.environ["DATABASE_URL"] = url
    import floor_app

    app = make_app(url)
    urls = targets(app)
    with app.app_context():
        visitor, buyer = app.test_client(), app.test_client()
        login(buyer, args.email, args.password)
        clients = {"floor": (floor_app.app.test_client(), "/")}
        clients.update({f"visitor: {name}": (visitor, path) for name, path in urls.items()})
        clients.update({f"buyer: {name}": (buyer, path) for name, path in urls.items()})
        if args.profile:
            client, path = clients[args.profile]
            per_request_ms(client, path, 20)
            profile = cProfile.Profile()
            profile.enable()
            per_request_ms(client, path, args.requests)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return
        wall, cpu = {}, {}
        for _ in range(args.rounds):
            for name, (client, path) in clients.items():
                ms, cpu_ms = per_request_ms(client, path, args.requests)
                wall[name] = min(ms, wall.get(name, ms))
                cpu[name] = min(cpu_ms, cpu.get(name, cpu_ms))
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{args.requests} requests × {args.rounds} rounds, best round; {url.split('://')[0]}")
    print(f"  {'':<24} {'wall':>8}  {'CPU':>8}  CPU ratio to the floor's")
    for name in wall:
        print(f"  {name:<24} {wall[name]:5.2f} ms  {cpu[name]:5.2f} ms  {cpu['floor'] / cpu[name]:5.2f}")


if __name__ == "__main__":
    main()
