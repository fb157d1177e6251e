"""What a signed-in buyer's catalog page costs in CPU, against a visitor's and the floor.

    python bench/signed_in_profile.py [--url sqlite:///instance/demo.sqlite] [--email ...]
                                      [--password ...] [--requests 200] [--rounds 3]
                                      [--profile "buyer: list" [--sort tottime] [--lines 40]]

No HTTP and no gunicorn: the Flask test client, one request after another, so that what the
app does per request shows without the noise of a shared machine's network and scheduler.
Each target runs `--rounds` times, alternating, `--requests` requests each after 20 to warm
up; the best round's milliseconds per request are printed: wall-clock, this process's CPU
(Python) and, on PostgreSQL, the CPU of the database backend serving the connection (read from
/proc/<pg_backend_pid()>/stat: the cluster runs on this machine), and their sum; then the ratio
of the floor app's sum (bench/floor_app.py, the same database) to it, as bench/catalog.py's
ratio reads. Unlike the wall clock, CPU time hardly moves when the machine is shared. Each app
gets a pool of one connection, so the backend read is the one that served the requests (checked
before and after each round). The load average is printed too. On SQLite the database runs
in-process: its work is in the Python column.
`--profile TARGET` prints the cProfile of that target's requests instead (`--sort tottime`: by
the time spent in each function itself; `--lines`: how many rows).
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
    """The URLs measured: real ids and filter values of the database. The "each new" targets
    ask for another URL each request (as bench/catalog.py spreads the filtered list and the
    product page over 200 and 2,000 URLs), so their kept parts are missed: lists of URLs."""
    import sqlalchemy as sa

    from marketplace.extensions import db

    with app.app_context():
        product = db.session.execute(sa.text(
            "SELECT id FROM products WHERE status = 'active' ORDER BY id LIMIT 1")).scalar()
        category, region = db.session.execute(sa.text(
            "SELECT category_id, substr(origin_region_code, 1, 4) || '00' FROM products "
            "WHERE status = 'active' GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1")).one()
        ids = db.session.execute(sa.text(
            "SELECT id FROM products WHERE status = 'active' ORDER BY random() LIMIT 5000"
        )).scalars().all()
        filters = db.session.execute(sa.text(
            "SELECT category_id, substr(origin_region_code, 1, 4) || '00' FROM products "
            "WHERE status = 'active' GROUP BY 1, 2 HAVING count(*) >= 20 ORDER BY random()"
        )).all()
    return {"list": "/products", "filtered list": f"/products?category={category}&region={region}",
            "search": "/products?q=%E7%89%A6%E7%89%9B",  # 牦牛
            "product page": f"/products/{product}",
            "filtered list, each new": [f"/products?category={c}&region={r}&page={page}"
                                        for page in (1, 2, 3, 4) for c, r in filters],
            "product page, each new": [f"/products/{i}" for i in ids]}


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def backend_cpu_ms(pid):
    """utime + stime of a local process, in milliseconds (0 without one: SQLite)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # fields 14 and 15 of stat(5)


def per_request_ms(client, url, count, backend=lambda: None):
    """(wall-clock, Python CPU, database CPU) milliseconds per request of `url`, after 20 to
    warm up; `backend()` names the database process serving the client's one connection."""
    urls = url if not isinstance(url, str) else None
    for _ in range(20):
        client.get(next(urls) if urls else url)
    pid = backend()
    start, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu_ms(pid)
    for _ in range(count):
        answer = client.get(next(urls) if urls else url)
        if answer.status_code != 200:
            raise SystemExit(f"{url}: {answer.status_code}")
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    db_cpu = backend_cpu_ms(pid) - db_cpu
    if backend() != pid:
        raise SystemExit(f"{url}: the database connection changed during the round")
    return wall * 1000 / count, cpu * 1000 / count, db_cpu / count


def backend_pid(execute):
    """A function giving the PostgreSQL backend pid that `execute(sql)` reaches (None on
    SQLite)."""
    def pid():
        try:
            return execute("SELECT pg_backend_pid()")
        except Exception:  # SQLite has no such function: its work is in-process
            return None
    return pid


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL")
                        or f"sqlite:///{ROOT / 'instance' / 'marketplace.sqlite'}")
    parser.add_argument("--email", default="purchaser@demo.cn")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help='a target to profile, e.g. "buyer: list"')
    parser.add_argument("--sort", default="cumulative",
                        help="the profile's order: cumulative, or tottime (where the time is spent)")
    parser.add_argument("--lines", type=int, default=40, help="how many rows of the profile")
    args = parser.parse_args()

    url = args.url.replace("postgresql://", "postgresql+psycopg://", 1)
    os.environ["DATABASE_URL"] = url
    import sqlalchemy as sa

    import floor_app
    from marketplace.extensions import db

    # One connection each: the backend whose CPU is read is the one that served the requests.
    # The floor pings its connection before each use, as floor_app does; the app checks its
    # own (marketplace.database._check_before_use).
    one = {"pool_size": 1, "max_overflow": 0}
    postgres = url.startswith("postgresql")
    if postgres:
        floor_app.engine = sa.create_engine(url, pool_pre_ping=True, **one)
    app = make_app(url, **({"SQLALCHEMY_ENGINE_OPTIONS": one} if postgres else {}))
    urls = targets(app)

    def floor_execute(sql):
        with floor_app.engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar()

    def app_execute(sql):
        try:
            return db.session.execute(sa.text(sql)).scalar()
        finally:
            db.session.rollback()  # hands the one connection back to the pool

    with app.app_context():
        visitor, buyer = app.test_client(), app.test_client()
        login(buyer, args.email, args.password)
        floor_pid, app_pid = backend_pid(floor_execute), backend_pid(app_execute)
        clients = {"floor": (floor_app.app.test_client(), "/", floor_pid)}
        # An "each new" target's URLs are shared by its rounds, each URL asked once: the
        # visitor's from the first, the buyer's from the last (a list's kept ids serve both).
        clients.update({f"visitor: {name}": (visitor, path if isinstance(path, str) else
                                             iter(path), app_pid) for name, path in urls.items()})
        clients.update({f"buyer: {name}": (buyer, path if isinstance(path, str) else
                                           reversed(path), app_pid) for name, path in urls.items()})
        if args.profile:
            client, path, _ = clients[args.profile]
            per_request_ms(client, path, 20)
            profile = cProfile.Profile()
            profile.enable()
            per_request_ms(client, path, args.requests)
            profile.disable()
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)
            return
        best = {}  # name → (wall, Python CPU, database CPU) of the round with the least CPU
        for _ in range(args.rounds):
            for name, (client, path, pid) in clients.items():
                figures = per_request_ms(client, path, args.requests, pid)
                if name not in best or sum(figures[1:]) < sum(best[name][1:]):
                    best[name] = figures
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{args.requests} requests × {args.rounds} rounds, best round; {url.split('://')[0]}")
    print(f"  {'':<33} {'wall':>8}  {'Python':>8}  {'database':>8}  {'CPU sum':>8}  "
          "sum's ratio to the floor's")
    floor = sum(best["floor"][1:])
    for name, (wall, cpu, db_cpu) in best.items():
        print(f"  {name:<33} {wall:5.2f} ms  {cpu:5.2f} ms  {db_cpu:5.2f} ms  "
              f"{cpu + db_cpu:5.2f} ms  {floor / (cpu + db_cpu):5.2f}")


if __name__ == "__main__":
    main()
