"""Shared helpers of the benchmarks: the app, the database URL, timers, machine facts.

Benchmarks print figures; they are not tests and never decide pass/fail of the suite.
"""
import contextlib
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-1"
STATE = ROOT / "instance" / "bench"


def database_url():
    """The benchmark database: DATABASE_URL, or the one `python bench/pgcluster.py start` wrote."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        saved = STATE / "database_url"
        if saved.exists():
            url = saved.read_text().strip()
    if not url:
        raise SystemExit("Set DATABASE_URL (or run `python bench/pgcluster.py start`).")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_app(url=None, **overrides):
    from marketplace import create_app

    config = {"SQLALCHEMY_DATABASE_URI": url or database_url(), "RATELIMIT_ENABLED": False,
              "SECRET_KEY": "bench-secret"}
    config.update(overrides)
    return create_app(config)


class Timer:
    """Prints `label: 1.23 s` around a block and keeps the figures for a summary."""

    def __init__(self):
        self.figures = {}

    @contextlib.contextmanager
    def __call__(self, label):
        start = time.perf_counter()
        print(f"  {label} ...", flush=True)
        yield
        elapsed = time.perf_counter() - start
        self.figures[label] = elapsed
        print(f"  {label}: {elapsed:.2f} s", flush=True)


def machine():
    """nproc, memory, load average, Python and PostgreSQL versions, as one line."""
    mem_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores, {mem_kb / 1024 / 1024:.1f} GiB, load average "
            f"{load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}, Python {platform.python_version()}")


def peak_rss_mb_of_children():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run(args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)
