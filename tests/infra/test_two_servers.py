"""Two gunicorn servers of the app on one PostgreSQL and one Redis, as production runs them:
what one server changes the other shows within a second, logins and their limits are shared,
and killing one server mid-checkout loses no order and oversells nothing."""
import os
import re
import threading
import time
import uuid

import pytest
import redis
import requests

from marketplace.catalog.models import Product
from marketplace.notifications.services import notify
from marketplace.ordering.models import Order
from tests import factories
from tests.catalog.helpers import certified_staff, listed
from tests.helpers import token_for
from tests.gunicorn import Gunicorn
from tests.shared_apps import forget_local_stores

pytestmark = pytest.mark.postgres_only
ORDER = {"purpose": "canteen", "delivery_address": "拉萨市城关区 机关食堂",
         "payment_method": "bank_transfer", "payment_terms": "goods_first"}


@pytest.fixture
def two_servers(app, db, postgres_url, redis_url, tmp_path, monkeypatch):
    """Two servers with production's caches on, sharing the database, Redis and the secret.
    What the test itself commits (a message sent, as a job would) tells them through the same
    Redis, as every process of a deployment does."""
    redis.Redis.from_url(redis_url).flushall()
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    forget_local_stores(app)
    env = dict(os.environ, DATABASE_URL=postgres_url, REDIS_URL=redis_url,
               SECRET_KEY="two-servers-share-this-secret-" + uuid.uuid4().hex,
               MARKETPLACE_ENV="development", STRIPE_ENABLED="0",
               UPLOAD_FOLDER=str(tmp_path / "uploads"), MAIL_FILE_DIR=str(tmp_path / "mail"),
               PYTHONUNBUFFERED="1")
    for name in ("RATELIMIT_STORAGE_URI", "PUBLIC_PAGE_CACHE_SECONDS",
                 "CATALOG_LIST_CACHE_SECONDS", "CATALOG_CHOICES_CACHE_SECONDS"):
        env.pop(name, None)  # production's defaults: pages kept 30 s, lists 60 s
    servers = [Gunicorn(env, tmp_path / f"{name}.log", ("-w", "1", "--timeout", "60"))
               for name in ("one", "two")]
    try:
        for server in servers:
            server.wait("/login")
        yield servers
    finally:
        for server in servers:
            server.stop()
        forget_local_stores(app)


@pytest.fixture
def shop(db):
    staff = certified_staff(name="绿源合作社")
    product = listed(staff, name="野生松茸", stock="50")
    buyer = factories.user("purchaser")
    admin = factories.user("admin")
    db.session.commit()
    return staff, product, buyer, admin


def signed_in(server, user):
    """A browser session made by the login page of `server`."""
    browser = requests.Session()
    page = browser.get(server.base + "/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = browser.post(server.base + "/login", timeout=10, allow_redirects=False, data={
        "csrf_token": token, "email": user.email, "password": factories.PASSWORD})
    assert answer.status_code == 302, answer.text[:500]
    return browser


def within_a_second(check):
    """`check()` becomes true within one second (polled), as a person reloading would see."""
    deadline = time.monotonic() + 1.0
    while True:
        if check():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def test_what_one_server_changes_the_other_shows_within_a_second(two_servers, shop):
    one, two = two_servers
    staff, product, buyer, admin = shop
    page = f"{two.base}/products/{product.id}"
    buyer_on_two = signed_in(one, buyer)          # a session made on server one ...
    assert "野生松茸" in buyer_on_two.get(page).text  # ... is valid on server two
    assert "野生松茸" in requests.get(page).text
    assert requests.get(page).headers.get("X-Page-Cache") == "hit"   # the visitor's page is kept
    supplier = {"Authorization": f"Bearer {token_for(staff)}"}

    renamed = requests.patch(f"{one.base}/api/v1/products/{product.id}", headers=supplier,
                             json={"name": "林芝野生松茸"})
    assert renamed.status_code == 200, renamed.text
    assert within_a_second(lambda: "林芝野生松茸" in requests.get(page).text)
    assert within_a_second(lambda: "林芝野生松茸" in buyer_on_two.get(page).text)
    assert within_a_second(lambda: "林芝野生松茸" in requests.get(f"{two.base}/products").text)

    paused = requests.patch(f"{one.base}/api/v1/products/{product.id}", headers=supplier,
                            json={"active": False})
    assert paused.status_code == 200, paused.text
    assert within_a_second(lambda: requests.get(page).status_code == 404)
    assert requests.patch(f"{one.base}/api/v1/products/{product.id}", headers=supplier,
                          json={"active": True}).status_code == 200
    assert within_a_second(lambda: requests.get(page).status_code == 200)

    suspended = requests.patch(
        f"{one.base}/api/v1/organizations/{product.supplier_id}",
        headers={"Authorization": f"Bearer {token_for(admin)}"},
        json={"status": "suspended", "reason": "抽检不合格"})
    assert suspended.status_code == 200, suspended.text
    assert within_a_second(lambda: requests.get(page).status_code == 404)
    assert within_a_second(lambda: buyer_on_two.get(page).status_code == 404)
    assert within_a_second(lambda: "林芝野生松茸" not in requests.get(f"{two.base}/products").text)


def test_a_logout_on_one_server_ends_the_session_on_the_other(two_servers, shop):
    one, two = two_servers
    _staff, _product, buyer, _admin = shop
    browser = signed_in(two, buyer)
    assert browser.get(f"{one.base}/orders", allow_redirects=False).status_code == 200
    page = browser.get(f"{two.base}/orders").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert browser.post(f"{two.base}/logout", data={"csrf_token": token},
                        allow_redirects=False).status_code == 302
    stolen = requests.Session()
    stolen.cookies.update(browser.cookies)
    assert stolen.get(f"{one.base}/orders", allow_redirects=False).status_code == 302


def count(page, endpoint):
    """The number beside a header entry (0 when none is shown)."""
    found = re.search(rf'data-testid="count-{re.escape(endpoint)}">(\d+)<', page)
    return int(found.group(1)) if found else 0


def test_the_header_counts_follow_a_change_made_on_either_server(two_servers, shop):
    one, two = two_servers
    _staff, product, buyer, _admin = shop
    browser = signed_in(one, buyer)
    assert count(browser.get(f"{two.base}/products").text, "ordering.cart") == 0
    page = browser.get(f"{one.base}/products/{product.id}").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    added = browser.post(f"{one.base}/cart/add", allow_redirects=False, data={
        "csrf_token": token, "product_id": product.id, "quantity": "1"})
    assert added.status_code == 302
    # The very next page, on either server, counts the new cart line.
    assert count(browser.get(f"{two.base}/products").text, "ordering.cart") == 1
    assert count(browser.get(f"{one.base}/products").text, "ordering.cart") == 1

    notify([buyer], "test", "一条消息", email=False)
    factories.db.session.commit()
    assert count(browser.get(f"{two.base}/products").text, "notifications.index") == 1
    page = browser.get(f"{two.base}/notifications/").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert browser.post(f"{two.base}/notifications/read", data={"csrf_token": token},
                        allow_redirects=False).status_code == 302
    assert count(browser.get(f"{one.base}/products").text, "notifications.index") == 0


def test_login_attempts_are_counted_across_both_servers(two_servers, shop):
    one, two = two_servers
    _staff, _product, buyer, _admin = shop
    answers = []
    for attempt in range(11):  # LOGIN_RATE_LIMIT: 10 per minute per client address
        server = (one, two)[attempt % 2]
        answers.append(requests.post(f"{server.base}/api/v1/auth/token", json={
            "email": buyer.email, "password": "wrong-password"}).status_code)
    assert answers[:10] == [401] * 10
    assert answers[10] == 429
    blocked = requests.post(f"{one.base}/api/v1/auth/token",
                            json={"email": buyer.email, "password": factories.PASSWORD})
    assert blocked.status_code == 429 and blocked.headers.get("Retry-After")


def test_killing_one_server_mid_checkout_loses_no_order_and_oversells_nothing(two_servers,
                                                                              shop, db):
    one, two = two_servers
    _staff, product, _buyer, _admin = shop
    buyers = [factories.user("purchaser") for _ in range(6)]
    db.session.commit()
    tokens = [token_for(buyer) for buyer in buyers]
    product_id = product.id  # read here: the threads have no app context
    accepted = {}        # idempotency key → order ids the API answered 201 with
    refused = []
    retried = []         # requests cut or refused by the dead server, sent again to the other
    surprises = []       # any other answer fails the test (threads cannot raise into it)
    lock = threading.Lock()

    def checkout(index, key):
        headers = {"Authorization": f"Bearer {tokens[index % len(tokens)]}",
                   "Idempotency-Key": key}
        body = {**ORDER, "lines": [{"product_id": product_id, "quantity": 3}]}
        # Round robin, and on a dead server the same request (same key) to the other one,
        # as the load balancer or the client's retry would do.
        for server in ((one, two) if index % 2 == 0 else (two, one)):
            try:
                answer = requests.post(f"{server.base}/api/v1/orders", headers=headers,
                                       json=body, timeout=30)
            except requests.ConnectionError:
                with lock:
                    retried.append(key)
                continue
            with lock:
                if answer.status_code == 201:
                    accepted[key] = [order["id"] for order in answer.json()["orders"]]
                elif answer.status_code == 409:
                    refused.append(answer.json()["error"]["code"])
                else:
                    surprises.append((answer.status_code, answer.text[:300]))
            return
        surprises.append(("no server answered", key))

    threads = [threading.Thread(target=checkout, args=(index, uuid.uuid4().hex))
               for index in range(24)]            # 24 × 3 asked of a stock of 50
    for number, thread in enumerate(threads):
        thread.start()
        if number == 8:
            one.kill()                            # mid-checkout: requests in flight are cut
    for thread in threads:
        thread.join(60)

    assert not surprises
    assert retried                                                   # server one did die
    assert requests.get(f"{two.base}/products").status_code == 200   # two keeps serving
    db.session.expire_all()
    orders = Order.query.all()
    stock = db.session.get(Product, product_id).stock
    ordered = sum(line.quantity for order in orders for line in order.lines)
    assert stock >= 0 and stock + ordered == 50                      # nothing oversold
    answered = sorted(order_id for ids in accepted.values() for order_id in ids)
    assert sorted(order.id for order in orders) == answered          # none lost or doubled
    assert len(accepted) == 16 and stock == 2
    assert set(refused) == {"insufficient_stock"} and len(refused) == 8
