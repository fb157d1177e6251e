"""Login attempts are limited per client address, across routes (the login page and the API's
token endpoint share one budget) and across workers (counters in Redis); a 429 says when to
come back (Retry-After)."""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests import factories
from tests.helpers import csrf_token, post_json
from tests.pg import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _limit(app):
    return int(app.config["LOGIN_RATE_LIMIT"].split()[0])


def test_web_logins_and_api_tokens_share_one_budget_per_client(app, client, db):
    user = factories.user("purchaser")
    db.session.commit()
    answers = []
    for attempt in range(_limit(app) + 1):
        if attempt % 2:
            answers.append(client.post("/api/v1/auth/token",
                                       json={"email": user.email, "password": "wrong-1"}))
        else:
            answers.append(client.post("/login", data={"email": user.email, "password": "wrong-1",
                                                       "csrf_token": csrf_token(client)}))
    assert [a.status_code for a in answers[:-1]] == [401] * _limit(app)
    blocked = answers[-1]
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    # The other route is closed for this client too, and says when to come back as well.
    api = client.post("/api/v1/auth/token", json={"email": user.email, "password": "wrong-1"})
    assert api.status_code == 429 and int(api.headers["Retry-After"]) > 0
    assert api.get_json()["error"]["code"] == "rate_limited"


def _serve(app, redis_url):
    """The app under gunicorn (one worker process) on a free port, counting limits in Redis."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": app.config["SECRET_KEY"], "MARKETPLACE_ENV": "test",
           "RATELIMIT_STORAGE_URI": redis_url, "LOGIN_RATE_LIMIT": "10 per minute",
           "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
           "MAIL_FILE_DIR": app.config["MAIL_FILE_DIR"]}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/login", timeout=2)
            return process, url
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)


@pytest.fixture
def two_workers(app, db, redis_url):
    """Two worker processes of the app (as two servers behind one proxy), one Redis."""
    import redis

    redis.Redis.from_url(redis_url).flushall()  # the counts of earlier tests
    db.session.commit()
    servers = [_serve(app, redis_url) for _ in range(2)]
    yield [url for _process, url in servers]
    for process, _url in servers:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_limit_holds_across_workers_with_redis(two_workers, db):
    user = factories.user("purchaser")
    db.session.commit()
    body = json.dumps({"email": user.email, "password": "wrong-password-1"}).encode()
    # Alternating between the two processes: with per-process counters (memory://) twenty
    # attempts would be answered; with Redis, ten.
    answers = [post_json(f"{two_workers[attempt % 2]}/api/v1/auth/token", body)
               for attempt in range(25)]
    statuses = [status for status, _headers in answers]
    assert statuses == [401] * 10 + [429] * 15
    assert all(int(headers["Retry-After"]) > 0 for status, headers in answers if status == 429)
