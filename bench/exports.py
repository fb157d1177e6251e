"""Exports as jobs under the README's production setup: a year's ledger (CSV and Excel) asked
for over the API, written by a real RQ worker while its progress is polled.

    python bench/exports.py [--year 2026] [--formats csv,xlsx] [--kind ledger]

Starts Redis (Debian's redis-server, loopback), `gunicorn -w 2` with gunicorn's default
30-second timeout and `flask --app wsgi jobs worker` on the benchmark database
(`bench/pgcluster.py start`, `bench/generate.py`), signs the platform's admin in
(`POST /api/v1/auth/token`), asks for each export (`POST /api/v1/reports/exports`), then polls
`GET /api/v1/reports/exports/{id}` every second, printing the progress (rows written of rows
expected) about every 10%, the time until ready, the peak memory of the worker's processes,
and the downloaded file's size. Figures also go to instance/bench/exports.json.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PASSWORD, ROOT, STATE, database_url, machine  # noqa: E402
from servers import Gunicorn, Redis  # noqa: E402

FLASK = str(Path(sys.executable).with_name("flask"))


def call(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def rss_mb(root_pid):
    """The resident memory of a process and its children (the RQ work-horse), in MB."""
    pids = [str(root_pid)]
    children = subprocess.run(["pgrep", "-P", str(root_pid)], capture_output=True, text=True)
    pids += children.stdout.split()
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total = max(total, int(line.split()[1]) // 1024)
        except OSError:
            pass
    return total


def export(base, token, worker, kind, fmt, year):
    started = time.time()
    item = call("POST", f"{base}/api/v1/reports/exports",
                {"kind": kind, "format": fmt, "year": year}, token)
    shown, peak, samples = -10, 0, []
    while item["state"] in ("queued", "running"):
        time.sleep(1)
        peak = max(peak, rss_mb(worker.pid))
        item = call("GET", f"{base}/api/v1/reports/exports/{item['id']}", token=token)
        if item["percent"] >= shown + 10 or item["state"] not in ("queued", "running"):
            shown = item["percent"]
            samples.append((round(time.time() - started, 1), item["rows_written"],
                             item["rows_expected"]))
            print(f"  {samples[-1][0]:7.1f} s  {item['state']:8} {item['rows_written']:>9,} of "
                  f"{item['rows_expected'] or 0:>9,} rows ({item['percent']}%)", flush=True)
    seconds = time.time() - started
    size = 0
    if item["state"] == "ready":
        request = urllib.request.Request(base + item["download_url"],
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=600) as response:
            while chunk := response.read(1 << 20):
                size += len(chunk)
    return {"kind": kind, "format": fmt, "state": item["state"], "error": item.get("error"),
            "seconds": round(seconds, 1), "rows": item["rows_written"],
            "size_mb": round(size / 1e6, 1), "worker_peak_rss_mb": peak,
            "progress": samples, "load_after": os.getloadavg()}


def main():
    parser = argparse.ArgumentParser(description="exports as jobs, at the benchmark's size")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--kind", default="ledger", choices=("ledger", "quota"))
    parser.add_argument("--formats", default="csv,xlsx")
    args = parser.parse_args()
    url = database_url()
    with sa.create_engine(url).connect() as conn:
        email = conn.execute(sa.text("SELECT email FROM users WHERE role = 'admin' "
                                     "ORDER BY id LIMIT 1")).scalar_one()
    print(f"exports: {machine()}")
    redis = Redis()
    folder = tempfile.mkdtemp(prefix="exports-", dir=STATE)
    env = {"REDIS_URL": redis.url, "JOBS_BACKEND": "rq", "EXPORTS_DIR": folder,
           "MARKETPLACE_ENV": "development"}
    app = Gunicorn("wsgi:app", url, workers=2, env=env, name="exports",
                   extra=("--timeout", "30"))
    worker_log = open(STATE / "worker-exports.log", "w")
    worker = subprocess.Popen([FLASK, "--app", "wsgi", "jobs", "worker"], cwd=ROOT,
                              env=dict(os.environ, DATABASE_URL=url,
                                       SECRET_KEY="bench-secret", **env),
                              stdout=worker_log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    results = []
    try:
        app.wait("/")
        token = call("POST", f"{app.base}/api/v1/auth/token",
                     {"email": email, "password": PASSWORD})["token"]
        for fmt in args.formats.split(","):
            print(f"{args.kind}.{fmt} {args.year} (load {os.getloadavg()[0]:.1f}):", flush=True)
            result = export(app.base, token, worker, args.kind, fmt, args.year)
            results.append(result)
            print(f"  {result['state']} in {result['seconds']} s, {result['rows']:,} rows, "
                  f"{result['size_mb']} MB, worker peak {result['worker_peak_rss_mb']} MB, "
                  f"load {result['load_after'][0]:.1f}", flush=True)
    finally:
        worker.terminate()
        worker.wait(30)
        app.stop()
        redis.stop()
    (STATE / "exports.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
