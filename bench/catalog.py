"""Catalog benchmark: the real app under gunicorn against the floor, with wrk, at 16 connections.

    python bench/catalog.py [--duration 20] [--connections 16] [--workers 2] [--threads 1]

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
from servers import Gunicorn, lua_paths, wrk  # noqa: E402

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


def session_cookie(base, email):
    """A signed-in buyer's "Cookie:" header, through the real login form."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "email": email,
                                   "password": PASSWORD}).encode()
    opener.open(base + "/login", data)
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookies or "/login" in opener.open(base + "/cart").geturl():
        raise RuntimeError(f"could not sign in as {email}")
    return "Cookie: " + cookies


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
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description="catalog pages vs the floor, with wrk")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per app worker (> 1: gunicorn's gthread workers)")
    parser.add_argument("--only", help="comma-separated target names (floor always runs)")
    args = parser.parse_args(argv)
    url = database_url()
    print(f"catalog benchmark: {machine()}")
    print(f"  database {url.split('@')[-1]}, {args.connections} connections, "
          f"{args.workers} gunicorn workers, {args.duration} s per target")
    ids, filters, buyer = sample(url, 1)
    folder = Path(tempfile.mkdtemp(prefix="bench-wrk-"))
    threaded = {"worker_class": "gthread", "extra": ["--threads", str(args.threads)]} \
        if args.threads > 1 else {}
    app = Gunicorn("wsgi:app", url, workers=args.workers, name="catalog", **threaded)
    floor = Gunicorn("floor_app:app", url, workers=args.workers, chdir=ROOT / "bench",
                     name="floor")
    results, floors = {}, []
    try:
        app.wait(LIST)
        floor.wait("/")
        cookie = session_cookie(app.base, buyer)
        plan = targets(ids, filters, folder)
        if args.only:
            keep = set(args.only.split(","))
            plan = [p for p in plan if p[0] in keep]

        def measure(name, target, script, signed_in=False):
            headers = [cookie] if signed_in else []
            wrk(target, duration=args.warmup, connections=args.connections, script=script,
                headers=headers)
            result = wrk(target, duration=args.duration, connections=args.connections,
                         script=script, headers=headers)
            result.pop("raw")
            print(f"  {name:18} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
                  f"p99 {result['p99']:7.1f} ms  non-2xx {result['non2xx']}  "
                  f"errors {result['errors']}", flush=True)
            return result

        # The machine is shared: the floor runs before and after every target, and each
        # target's ratio is to the mean of the two floor runs around it.
        floors = [measure("floor", floor.base + "/", None)]
        for name, path, script, signed_in in plan:
            results[name] = measure(name, app.base + path, script, signed_in)
            floors.append(measure("floor", floor.base + "/", None))
            around = (floors[-2]["rps"] + floors[-1]["rps"]) / 2
            results[name]["floor_rps"] = around
            results[name]["ratio"] = results[name]["rps"] / around if around else 0
    finally:
        app.stop()
        floor.stop()
    floor_mean = sum(f["rps"] for f in floors) / len(floors)
    results = {"floor": dict(floors[0], rps=floor_mean, ratio=1.0, runs=[f["rps"] for f in floors],
                             p50=sorted(f["p50"] for f in floors)[len(floors) // 2],
                             p99=max(f["p99"] for f in floors)), **results}
    print("\n| target | req/s | p50 ms | p99 ms | floor req/s (around) | ratio to floor "
          "| target met |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, result in results.items():
        met = result["ratio"] >= 0.6 and result["p99"] < 100 and not result["non2xx"]
        met = "—" if name in ("floor", "product page") else ("yes" if met else "no")
        print(f"| {name} | {result['rps']:.1f} | {result['p50']:.1f} | {result['p99']:.1f} | "
              f"{result.get('floor_rps', result['rps']):.1f} | {result['ratio']:.2f} | {met} |")
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "catalog.json").write_text(json.dumps(
        {"at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
         "connections": args.connections, "results": results}, indent=1))


if __name__ == "__main__":
    main()
