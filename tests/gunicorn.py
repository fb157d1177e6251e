"""A gunicorn server of the app on a free loopback port, for the tests that need real servers
(tests/infra) and for the HTTP benchmarks (bench/servers.py)."""
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.pg import free_port

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


class Gunicorn:
    """`gunicorn <args> <app>` on 127.0.0.1:`port` in its own process group (so stop() and
    kill() end it and its workers only), its output in the file `log`."""

    def __init__(self, env, log, args=(), app="wsgi:app", chdir=ROOT):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            [GUNICORN, "-b", f"127.0.0.1:{self.port}", "--chdir", str(chdir), *args, app],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, path="/", timeout=60, headers=None):
        """Until `path` answers without a server error; returns the server."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            try:
                request = urllib.request.Request(self.base + path, headers=headers or {})
                with urllib.request.urlopen(request, timeout=30) as response:
                    if response.status < 500:
                        return self
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer {path} in {timeout} s; see {self.log.name}")

    def kill(self):
        """As a crash would: no graceful shutdown, requests in flight cut."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        """SIGTERM (requests in flight finish), SIGKILL after 20 seconds."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()
