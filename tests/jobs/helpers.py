"""What the tests of real job processes share: start `flask jobs worker` (or `scheduler`) on
the test app's database and Redis, and stop it."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_jobs(app, command="worker", **settings):
    """`flask jobs <command>` in a process of its own, on the test app's database and Redis,
    with `settings` (configuration names → values) in its environment; its errors go to the
    file $WORKER_LOG names, if any."""
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               REDIS_URL=app.config["REDIS_URL"], JOBS_BACKEND="rq",
               MAIL_FILE_DIR=app.config["MAIL_FILE_DIR"],
               **{name: str(value) for name, value in settings.items()})
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", command],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=open(os.environ.get("WORKER_LOG", os.devnull), "w"))


def stop(process):
    """SIGTERM (RQ finishes the job at hand), then SIGKILL after 30 seconds."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
