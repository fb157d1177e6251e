"""A throwaway Redis for the tests (Debian's redis-server): a free loopback port, no disk.

Reusable by any test module:

    from tests.redis_server import ThrowawayRedis
    server = ThrowawayRedis().start()   # server.url → "redis://127.0.0.1:PORT/0"
    ...
    server.stop()

or through the `redis_url` fixture in tests/conftest.py (one server per test session and
xdist worker).
"""
import shutil
import socket
import subprocess
import tempfile
import time

from tests.pg import free_port


class ThrowawayRedis:
    """redis-server on a free loopback port, without persistence, stopped and removed at stop()."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("Redis is not installed: apt-get install -y redis-server")
        self.binary = binary
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="marketplace-redis-")
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=20):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.folder, "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def flush(self):
        """Forget every key (between tests)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            sock.recv(16)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
