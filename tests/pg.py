"""A throwaway PostgreSQL cluster for the test run (Debian's PostgreSQL binaries, run as `postgres`)."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bindir():
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if not candidates:
        raise RuntimeError("PostgreSQL is not installed: apt-get install -y postgresql")
    return candidates[0]


def _as_postgres(args):
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--"] + args
    return subprocess.run(args, check=True, capture_output=True, text=True)


class ThrowawayPostgres:
    """initdb into a temporary folder, start on a free loopback port, drop it all at stop()."""

    def __init__(self):
        self.bindir = _bindir()
        self.folder = tempfile.mkdtemp(prefix="marketplace-pg-")
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.datadir = os.path.join(self.folder, "data")

    def start(self):
        _as_postgres([f"{self.bindir}/initdb", "-D", self.datadir, "-U", "postgres",
                      "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        _as_postgres([f"{self.bindir}/pg_ctl", "-D", self.datadir, "-o", options,
                      "-l", os.path.join(self.folder, "log"), "-w", "start"])
        return self

    def create_database(self, name):
        _as_postgres([f"{self.bindir}/createdb", "-h", "127.0.0.1", "-p", str(self.port),
                      "-U", "postgres", name])
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self):
        try:
            _as_postgres([f"{self.bindir}/pg_ctl", "-D", self.datadir, "-m", "immediate", "stop"])
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.1)
        shutil.rmtree(self.folder, ignore_errors=True)
