"""A throwaway PostgreSQL cluster that outlives one benchmark script (tests/pg.py, kept running).

    python bench/pgcluster.py start   # prints DATABASE_URL and saves it in instance/bench/
    python bench/pgcluster.py stop    # stops it and deletes its folder
"""
import os
import shutil
import sys

from common import STATE  # noqa: E402  (adds the project root to sys.path)

from tests.pg import ThrowawayPostgres, _as_postgres  # noqa: E402

# Production-like memory settings for a 24 GiB machine; durability off as in the tests' cluster.
SETTINGS = ("-c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=512MB "
            "-c effective_cache_size=4GB -c max_wal_size=4GB -c checkpoint_timeout=30min "
            "-c random_page_cost=1.1")


class BenchPostgres(ThrowawayPostgres):
    def start(self):
        _as_postgres([f"{self.bindir}/initdb", "-D", self.datadir, "-U", "postgres",
                      "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   f"-c max_connections=300 {SETTINGS}")
        _as_postgres([f"{self.bindir}/pg_ctl", "-D", self.datadir, "-o", options,
                      "-l", os.path.join(self.folder, "log"), "-w", "start"])
        return self


def start():
    STATE.mkdir(parents=True, exist_ok=True)
    if (STATE / "pg_folder").exists():
        sys.exit(f"already running: {(STATE / 'database_url').read_text().strip()}")
    cluster = BenchPostgres().start()
    url = cluster.create_database("bench")
    (STATE / "database_url").write_text(url + "\n")
    (STATE / "pg_folder").write_text(cluster.folder + "\n")
    (STATE / "pg_bindir").write_text(cluster.bindir + "\n")
    print(url)


def stop():
    folder = (STATE / "pg_folder").read_text().strip()
    bindir = (STATE / "pg_bindir").read_text().strip()
    try:
        _as_postgres([f"{bindir}/pg_ctl", "-D", os.path.join(folder, "data"), "-m", "fast", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for name in ("database_url", "pg_folder", "pg_bindir"):
            (STATE / name).unlink(missing_ok=True)
    print("stopped")


if __name__ == "__main__":
    {"start": start, "stop": stop}[sys.argv[1] if len(sys.argv) > 1 else "start"]()
