"""Start and stop gunicorn servers on 127.0.0.1 for the HTTP benchmarks, and run wrk."""
import os
import re
import subprocess
import time
from pathlib import Path

from common import ROOT, STATE  # (adds the project root to sys.path)
from tests import gunicorn
from tests.pg import free_port

class Gunicorn(gunicorn.Gunicorn):
    """`gunicorn -w N app` for a benchmark: on the database `url`, its log in instance/bench."""

    def __init__(self, app, url, workers=2, chdir=ROOT, env=None, name="app", worker_class=None,
                 extra=()):
        STATE.mkdir(parents=True, exist_ok=True)
        full_env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret",
                        RATELIMIT_ENABLED="0", PYTHONUNBUFFERED="1")
        full_env.update(env or {})
        args = ["-w", str(workers), "--timeout", "120", "--backlog", "2048"]
        if worker_class:
            args += ["-k", worker_class]
        super().__init__(full_env, STATE / f"gunicorn-{name}.log", args + list(extra), app=app,
                         chdir=chdir)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text.strip())
    return float(match.group(1)) * UNITS[match.group(2)] if match else None


def wrk(url, duration=20, connections=16, threads=2, script=None, headers=(), timeout="10s"):
    """Run wrk --latency; {"rps", "p50", "p99" (ms), "requests", "errors", "non2xx"}."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
            f"--timeout={timeout}"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", str(script)]
    output = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    result = {"rps": None, "p50": None, "p99": None, "requests": 0, "errors": 0, "non2xx": 0}
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(line.split()[1])
        elif line.startswith("50%"):
            result["p50"] = _ms(line.split()[1])
        elif line.startswith("99%"):
            result["p99"] = _ms(line.split()[1])
        elif "requests in" in line:
            result["requests"] = int(line.split()[0])
        elif line.startswith("Socket errors:"):
            result["errors"] = sum(int(n) for n in re.findall(r"\d+", line))
        elif line.startswith("Non-2xx or 3xx responses:"):
            result["non2xx"] = int(line.split()[-1])
    result["raw"] = output
    return result


def lua_paths(path, paths, seed=42):
    """A wrk script that requests a random one of `paths` each time."""
    quoted = ",\n".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    Path(path).write_text(
        f"local paths = {{\n{quoted}\n}}\nmath.randomseed({seed})\n"
        "request = function()\n  return wrk.format(\"GET\", paths[math.random(#paths)])\nend\n")
    return path


class Redis:
    """Debian's redis-server on a free loopback port, without persistence (shared caches)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        STATE.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(STATE)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 20
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                             text=True).stdout.strip() != "PONG":
            if time.time() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class LoadBalancer:
    """haproxy on a free loopback port, round robin over `backends` (base URLs)."""

    def __init__(self, backends):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        STATE.mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"    server app{i} {b[len('http://'):]} check inter 1s"
                            for i, b in enumerate(backends))
        config = STATE / "haproxy.cfg"
        config.write_text(
            "global\n    maxconn 4096\n"
            "defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n"
            "    timeout server 60s\n    option http-keep-alive\n"
            f"frontend web\n    bind 127.0.0.1:{self.port}\n    default_backend apps\n"
            f"backend apps\n    balance roundrobin\n{servers}\n")
        self.log = open(STATE / "haproxy.log", "w")
        self.process = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.close()
