"""Catalog benchmark: the real app under gunicorn against the floor, with wrk, at 16 connections.

    python bench/catalog.py [--duration 20] [--connections 16] [--workers 2] [--threads 1]
                            [--servers 2] [--redis] [--slices 5]

Starts `gunicorn -w 2 wsgi:app` and `gunicorn -w 2 floor_app:app` on 127.0.0.1 against the
benchmark database (DATABASE_URL or bench/pgcluster.py's), then runs wrk --latency, one target
at a time, each after a short warm-up: the floor (20 rows of products, one query), the product
list, a filtered list (category + origin region, random among real values), a two-character
search (random among real product words), a search of several words as buyers type them
(origin + product with and without a space, pinyin, a size: PHRASES) and a product page (random among 2,000 active
products). Visitors' catalog pages are served again for a few seconds (PUBLIC_PAGE_CACHE_SECONDS,
catalog/caching.py), so the list, filtered list and search run twice: as a visitor, and as a
signed-in buyer (wrk sends a purchaser's session cookie), whose pages are always rendered.
Prints requests/s, p50, p99 and the ratio to the floor; saves them as JSON in
instance/bench/catalog.json.

`--servers 2` runs two app servers (the workers shared between them: `-w 1` each by default)
behind haproxy on loopback, with the caches in a throwaway Redis (REDIS_URL), as production
runs several servers; it then checks that they agree: a product renamed through server 1's API
must show on server 2's page, and the time it took is printed. `--redis` uses Redis with one
server (to tell the cost of the shared store from the cost of two servers).
`--slices N` measures each target in N turns with the floor (duration/N seconds each) and takes
its ratio to the floor's turns: on a machine whose speed drifts from minute to minute, both
are then measured over the same stretch of time.
"""
import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PASSWORD, ROOT, STATE, database_url, machine  # noqa: E402
from servers import Gunicorn, LoadBalancer, Redis, lua_paths, wrk  # noqa: E402

WORDS = ["松茸", "青稞", "牦牛", "酥油", "糌粑", "苹果", "鸡蛋", "核桃", "蜂蜜", "藏鸡", "花椒", "土豆"]
# What buyers type beyond one word: origin + product with and without a space, pinyin, a size.
PHRASES = ["林芝松茸", "西藏牦牛肉", "那曲牦牛", "西藏 牦牛肉", "拉萨酥油", "日喀则青稞", "songrong",
           "qingke", "青稞 5kg", "牦牛肉干 250g", "米林野生松茸", "昌都核桃"]
# The catalog's pages (catalog branch): the list takes q, category and region.
LIST = "/products"
PAGE = "/products/{id}"


def sample(url, seed):
    """Real ids and filter values from the benchmark database."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    rng = random.Random(seed)
    with engine.connect() as conn:
        ids = [row[0] for row in conn.execute(sa.text(
            "SELECT id FROM products WHERE status = 'active' ORDER BY id"))]
        filters = conn.execute(sa.text(
            "SELECT c.id, substr(p.origin_region_code, 1, 4) || '00', count(*) FROM products p "
            "JOIN categories c ON c.id = p.category_id WHERE p.status = 'active' "
            "GROUP BY 1, 2 HAVING count(*) >= 20 ORDER BY 1, 2")).all()
        buyer = conn.execute(sa.text(
            "SELECT u.email FROM users u JOIN organizations o ON o.id = u.organization_id "
            "WHERE u.role = 'purchaser' AND u.active AND o.status = 'active' "
            "ORDER BY u.id LIMIT 1")).scalar()
    engine.dispose()
    return rng.sample(ids, min(2000, len(ids))), [(c, r) for c, r, _ in filters], buyer


# The browser wrk plays: the same User-Agent at login and on every request, as a real browser
# sends. (Flask-Login ties a session to its client; a session seen from another client is marked
# not fresh, and the cookie rewritten, on every request of a client that ignores Set-Cookie.)
USER_AGENT = "Mozilla/5.0 (bench; wrk)"


def session_cookie(base, email):
    """A signed-in buyer's headers for wrk ("Cookie:", "User-Agent:"), through the real login
    form."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    form = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "email": email,
                                   "password": PASSWORD}).encode()
    opener.open(base + "/login", data)
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookies or "/login" in opener.open(base + "/cart").geturl():
        raise RuntimeError(f"could not sign in as {email}")
    return ["Cookie: " + cookies, "User-Agent: " + USER_AGENT]


def targets(ids, filters, folder):
    rng = random.Random(7)
    filtered = [f"{LIST}?category={c}&region={r}" for c, r in filters]
    searches = [f"{LIST}?q={quote(word)}" for word in WORDS]
    phrases = [f"{LIST}?q={quote(phrase)}" for phrase in PHRASES]
    pages = [PAGE.format(id=i) for i in ids]
    filtered_script = lua_paths(folder / "filtered.lua", rng.sample(filtered, min(200, len(
        filtered))))
    search_script = lua_paths(folder / "search.lua", searches)
    phrase_script = lua_paths(folder / "phrases.lua", phrases)
    # (name, path, wrk script, signed in)
    return [
        ("list", LIST, None, False),
        ("filtered list", filtered[0], filtered_script, False),
        ("search (2 chars)", searches[0], search_script, False),
        ("search (words)", phrases[0], phrase_script, False),
        ("product page", pages[0], lua_paths(folder / "page.lua", pages), False),
        ("buyer: list", LIST, None, True),
        ("buyer: filtered list", filtered[0], filtered_script, True),
        ("buyer: search", searches[0], search_script, True),
        ("buyer: search (words)", phrases[0], phrase_script, True),
        ("buyer: product page", pages[0], lua_paths(folder / "page.lua", pages), True),
    ]


def start_apps(url, args):
    """The app server(s) and the base URL wrk talks to: one gunicorn, or several behind haproxy
    sharing a Redis. Returns (servers, base, stop)."""
    threaded = {"worker_class": "gthread", "extra": ["--threads", str(args.threads)]} \
        if args.threads > 1 else {}
    redis = Redis() if (args.servers > 1 or args.redis) else None
    env = {"REDIS_URL": redis.url} if redis else {}
    per_server = max(1, args.workers // args.servers)
    apps = [Gunicorn("wsgi:app", url, workers=per_server, name=f"catalog{i or ''}", env=env,
                     **threaded) for i in range(args.servers)]
    balancer = LoadBalancer([a.base for a in apps]) if args.servers > 1 else None

    def stop():
        for part in (balancer, *apps, redis):
            if part is not None:
                part.stop()
    try:
        for app in apps:
            app.wait(LIST)
        base = balancer.base if balancer else apps[0].base
        wait_for(base + LIST)
    except BaseException:
        stop()
        raise
    return apps, base, stop


def wait_for(address, timeout=30):
    import urllib.request

    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(address, timeout=10):
                return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def agreement(apps, url, ids):
    """Rename a product through the first server's API; how long until the last server's page
    (as a visitor, whose pages are kept) shows it. Renamed back afterwards."""
    import sqlalchemy as sa
    import urllib.request

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        product_id, name, supplier = conn.execute(sa.text(
            "SELECT id, name, supplier_id FROM products WHERE id = :id"), {"id": ids[0]}).one()
    engine.dispose()

    def call(method, path, body=None, token=None):
        request = urllib.request.Request(apps[0].base + path, method=method,
                                         data=json.dumps(body).encode() if body else None,
                                         headers={"Content-Type": "application/json",
                                                  **({"Authorization": f"Bearer {token}"}
                                                     if token else {})})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def page():
        with urllib.request.urlopen(f"{apps[-1].base}/products/{product_id}") as response:
            return response.read().decode()

    token = call("POST", "/api/v1/auth/token", {"email": f"s{supplier}@bench.example.com",
                                                "password": PASSWORD})["token"]
    assert name in page()
    renamed = name + "（新）"
    started = time.perf_counter()
    call("PATCH", f"/api/v1/products/{product_id}", {"name": renamed}, token)
    while renamed not in page():
        if time.perf_counter() - started > 60:
            return None
        time.sleep(0.01)
    took = time.perf_counter() - started
    call("PATCH", f"/api/v1/products/{product_id}", {"name": name}, token)
    return took


def merged(turns):
    """One wrk result from several turns: requests per second over their whole time, the
    median turn's p50, the worst turn's p99."""
    seconds = sum(t["requests"] / t["rps"] for t in turns if t["rps"])
    requests = sum(t["requests"] for t in turns)
    return {"rps": requests / seconds if seconds else 0.0,
            "p50": sorted(t["p50"] for t in turns)[len(turns) // 2],
            "p99": max(t["p99"] for t in turns), "requests": requests,
            "errors": sum(t["errors"] for t in turns), "non2xx": sum(t["non2xx"] for t in turns)}


def main(argv=None):
    parser = argparse.ArgumentParser(description="catalog pages vs the floor, with wrk")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per app worker (> 1: gunicorn's gthread workers)")
    parser.add_argument("--only", help="comma-separated target names (floor always runs)")
    parser.add_argument("--slices", type=int, default=1,
                        help="measure each target in this many turns with the floor (default "
                             "1: the floor before and after each target)")
    parser.add_argument("--servers", type=int, default=1,
                        help="app servers behind haproxy, sharing a Redis (default 1)")
    parser.add_argument("--redis", action="store_true",
                        help="keep the caches in Redis even with one server")
    args = parser.parse_args(argv)
    url = database_url()
    print(f"catalog benchmark: {machine()}")
    print(f"  database {url.split('@')[-1]}, {args.connections} connections, "
          f"{args.workers} gunicorn workers on {args.servers} server(s)"
          f"{' behind haproxy' if args.servers > 1 else ''}"
          f"{', caches in Redis' if args.servers > 1 or args.redis else ''}, "
          f"{args.duration} s per target")
    ids, filters, buyer = sample(url, 1)
    folder = Path(tempfile.mkdtemp(prefix="bench-wrk-"))
    apps, base, stop_apps = start_apps(url, args)
    floor = Gunicorn("floor_app:app", url, workers=args.workers, chdir=ROOT / "bench",
                     name="floor")
    results, floors, agreed = {}, [], None
    try:
        floor.wait("/")
        buyer_headers = session_cookie(base, buyer)
        plan = targets(ids, filters, folder)
        if args.only:
            keep = set(args.only.split(","))
            plan = [p for p in plan if p[0] in keep]

        def run(target, script, headers, duration):
            result = wrk(target, duration=duration, connections=args.connections,
                         script=script, headers=headers)
            result.pop("raw")
            return result

        def show(name, result):
            print(f"  {name:18} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
                  f"p99 {result['p99']:7.1f} ms  non-2xx {result['non2xx']}  "
                  f"errors {result['errors']}", flush=True)
            return result

        def warmed(target, script, signed_in):
            """The target's headers, after a short warm-up run."""
            headers = buyer_headers if signed_in else []
            run(target, script, headers, args.warmup)
            return headers

        def measure(name, target, script, signed_in=False):
            headers = warmed(target, script, signed_in)
            return show(name, run(target, script, headers, args.duration))

        def interleaved(name, target, script, signed_in):
            """The target and the floor in turns of duration/slices each: both are measured
            over the same stretch of time, however the machine's speed drifts in it."""
            headers = warmed(target, script, signed_in)
            turn = max(1, round(args.duration / args.slices))
            mine, floor_turns = [], []
            for _ in range(args.slices):
                mine.append(run(target, script, headers, turn))
                floor_turns.append(run(floor.base + "/", None, [], turn))
            result, floor_result = merged(mine), merged(floor_turns)
            floors.append(floor_result)
            result.update(floor_rps=floor_result["rps"],
                          ratio=result["rps"] / floor_result["rps"] if floor_result["rps"] else 0)
            show(name, result)
            print(f"  {'  floor, its turns':18} {floor_result['rps']:8.1f} req/s  "
                  f"(ratio {result['ratio']:.2f}; turns " + " ".join(
                      f"{m['rps'] / f['rps']:.2f}" for m, f in zip(mine, floor_turns)) + ")",
                  flush=True)
            return result

        floors.append(measure("floor", floor.base + "/", None))
        if args.slices > 1:
            # The floor and each target take turns (--slices), and each target's ratio is to
            # the floor's turns between its own.
            for name, path, script, signed_in in plan:
                results[name] = interleaved(name, base + path, script, signed_in)
        else:
            # The machine is shared: the floor runs before and after every target, and each
            # target's ratio is to the mean of the two floor runs around it.
            for name, path, script, signed_in in plan:
                results[name] = measure(name, base + path, script, signed_in)
                floors.append(measure("floor", floor.base + "/", None))
                around = (floors[-2]["rps"] + floors[-1]["rps"]) / 2
                results[name]["floor_rps"] = around
                results[name]["ratio"] = results[name]["rps"] / around if around else 0
        if len(apps) > 1:
            agreed = agreement(apps, url, ids)
            print(f"\n  servers agree: a rename through server 1 showed on server {len(apps)} "
                  + (f"after {agreed * 1000:.0f} ms" if agreed is not None else "NEVER (60 s)"))
    finally:
        stop_apps()
        floor.stop()
    floor_mean = sum(f["rps"] for f in floors) / len(floors)
    results = {"floor": dict(floors[0], rps=floor_mean, ratio=1.0, runs=[f["rps"] for f in floors],
                             p50=sorted(f["p50"] for f in floors)[len(floors) // 2],
                             p99=max(f["p99"] for f in floors)), **results}
    print("\n| target | req/s | p50 ms | p99 ms | floor req/s (around) | ratio to floor "
          "| target met |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, result in results.items():
        # Visitors: ≥ 60% of the floor; signed-in buyers: ≥ 50%; p99 < 100 ms for both.
        share = 0.5 if name.startswith("buyer:") else 0.6
        met = result["ratio"] >= share and result["p99"] < 100 and not result["non2xx"]
        met = "—" if name in ("floor", "product page") else ("yes" if met else "no")
        print(f"| {name} | {result['rps']:.1f} | {result['p50']:.1f} | {result['p99']:.1f} | "
              f"{result.get('floor_rps', result['rps']):.1f} | {result['ratio']:.2f} | {met} |")
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "catalog.json").write_text(json.dumps(
        {"at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
         "connections": args.connections, "servers": args.servers,
         "redis": args.servers > 1 or args.redis, "agreement_seconds": agreed,
         "results": results}, indent=1))


if __name__ == "__main__":
    main()
