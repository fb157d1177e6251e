"""Connection settings the app gives each database, and how PostgreSQL plans its queries."""
import time

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

from marketplace import create_app
from marketplace.accounts.models import User
from marketplace.catalog.caching import clear_catalog_caches
from marketplace.catalog.models import Favourite
from marketplace.catalog.services import add_favourite
from marketplace.catalog.services.browsing import ProductFilters, product_query
from marketplace.database import before_the_transaction, nothing_to_commit
from tests import factories
from tests.catalog.helpers import certified_staff, listed
from tests.helpers import statements_during


def _plan_mode(db):
    return db.session.execute(db.text("SHOW plan_cache_mode")).scalar()


@pytest.mark.postgres_only
def test_postgresql_plans_each_catalog_list_for_its_own_values(app, db, backend):
    # A lookup by id may keep one plan (planning a joined lookup costs more than running it).
    assert _plan_mode(db) == "auto"
    # A generic plan reused for every category and region picks the wrong index for most.
    product_query(ProductFilters(category_id=1, region="540000")).count()
    assert _plan_mode(db) == "force_custom_plan"
    db.session.rollback()  # only for the transaction that listed products
    assert _plan_mode(db) == "auto"


def test_the_pool_settings_hold_and_are_not_shared_between_apps():
    url = "postgresql://user@127.0.0.1:1/none"
    first = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    # PostgreSQL's pooled connections are checked by the app itself (below), not by a ping
    # before every use.
    assert "pool_pre_ping" not in first.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert first.config["DATABASE_PING_AFTER_IDLE_SECONDS"] == 1.0
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    assert second.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["timeout"] == 30
    assert first.config["SQLALCHEMY_ENGINE_OPTIONS"] == {}  # SQLite's are its own


def _end_the_apps_connections(postgres_url):
    """What a restart of the server does to the app's pooled connections: each is ended, and
    told so."""
    admin = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        ended = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    admin.dispose()
    time.sleep(0.05)  # the server's goodbye reaches the sockets
    return ended


@pytest.mark.postgres_only
def test_a_connection_the_server_ended_is_replaced_before_a_page_uses_it(
        app, client, db, login_as, postgres_url, monkeypatch):
    login_as("purchaser", name="王采购")
    db.session.remove()
    db.engine.dispose()  # one connection from here on: the one these requests share
    assert "王采购" in client.get("/products").get_data(as_text=True)
    db.session.remove()  # back in the pool, as between requests
    pings = []
    real_ping = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping",
                        lambda driver: pings.append(driver) or real_ping(driver))

    # Used a moment ago, and still there: taken as it is, with no round trip to ask.
    assert "王采购" in client.get("/products").get_data(as_text=True)
    db.session.remove()
    assert pings == []

    # Ended by the server since: noticed and replaced, and the page is served as ever.
    assert _end_the_apps_connections(postgres_url) >= 1
    answer = client.get("/products")
    assert answer.status_code == 200 and "王采购" in answer.get_data(as_text=True)
    assert len(pings) == 1
    db.session.remove()

    # Idle for longer than DATABASE_PING_AFTER_IDLE_SECONDS (1 s here): asked before use.
    time.sleep(app.config["DATABASE_PING_AFTER_IDLE_SECONDS"] + 0.1)
    assert "王采购" in client.get("/products").get_data(as_text=True)
    assert len(pings) == 2


def _transaction_after_each_statement(action):
    """(statement, whether a transaction was open once it ran) for each statement `action()`
    sends to PostgreSQL."""
    def seen(connection, statement):
        driver = connection.connection.dbapi_connection
        return statement, driver.info.transaction_status != TransactionStatus.IDLE

    return statements_during(action, seen, when="after_cursor_execute")


@pytest.mark.postgres_only
def test_a_page_that_only_reads_loads_its_user_before_its_one_transaction(client, db, login_as,
                                                                        post_form):
    # The user's statement alone is the whole of a kept page's work: without a transaction
    # around it, PostgreSQL is not sent a BEGIN and a COMMIT for it.
    staff = certified_staff()
    songrong, qingke = listed(staff, name="野生松茸"), listed(staff, name="青稞面")
    buyer = login_as("purchaser")
    add_favourite(buyer, songrong.id)
    db.session.commit()

    pages = []
    seen = _transaction_after_each_statement(
        lambda: pages.append(client.get("/favourites").get_data(as_text=True)))
    assert "野生松茸" in pages[0]
    loading_the_user = [in_transaction for statement, in_transaction in seen
                        if "login_sessions" in statement]
    assert loading_the_user == [False]
    # Everything else the page asks runs in the request's one transaction.
    assert len(seen) > 1 and all(in_transaction for statement, in_transaction in seen
                                 if "login_sessions" not in statement)

    # The connection goes back to the pool as it came: a form sent next is one transaction,
    # user included, and what it writes is there.
    seen = _transaction_after_each_statement(
        lambda: pages.append(post_form(f"/products/{qingke.id}/favourite")))
    assert pages[1].status_code == 302
    assert seen and all(in_transaction for _statement, in_transaction in seen)
    assert {f.product_id for f in Favourite.query.filter_by(user_id=buyer.id)} == \
        {songrong.id, qingke.id}


def test_a_signed_in_page_that_only_reads_answers_get_and_head(client, db, login_as):
    # On SQLite, which opens no transaction to read, the user is loaded as it always was.
    login_as("purchaser", name="王采购")
    assert "王采购" in client.get("/products").get_data(as_text=True)
    assert client.head("/products").status_code == 200
    assert client.get("/favourites").status_code == 200


@pytest.mark.postgres_only
def test_a_kept_page_that_only_loaded_its_user_ends_without_a_commit(app, client, db, login_as,
                                                                     monkeypatch):
    for setting in ("PUBLIC_PAGE_CACHE_SECONDS", "CATALOG_LIST_CACHE_SECONDS",
                    "CATALOG_PART_CACHE_SECONDS"):
        monkeypatch.setitem(app.config, setting, 60)   # as in production: the list kept
    monkeypatch.setitem(app.config, "SIGNED_IN_CACHE_SECONDS", 0)  # the user read every time
    clear_catalog_caches()
    login_as("purchaser", name="王采购")
    client.get("/products")  # the page's part is made and kept
    commits = []

    def committed(session):
        commits.append(session)

    event.listen(Session, "after_commit", committed)
    try:
        pages = []
        assert len(_transaction_after_each_statement(
            lambda: pages.append(client.get("/products").get_data(as_text=True)))) == 1
        assert "王采购" in pages[0] and commits == []  # nothing to commit: nothing was sent
        client.get("/favourites")  # asks more than the user: its one transaction is committed
        assert len(commits) == 1
    finally:
        event.remove(Session, "after_commit", committed)
        clear_catalog_caches()


@pytest.mark.postgres_only
def test_a_reading_request_commits_whatever_it_changed_or_sent(app, db):
    buyer_id = factories.user("purchaser", name="王采购").id
    db.session.commit()

    def read_the_user():
        db.session.remove()
        with before_the_transaction():
            return db.session.get(User, buyer_id)

    with app.test_request_context("/products"):
        read_the_user()
        assert nothing_to_commit()
        read_the_user().name = "李采购"  # an object changed: the commit must write it
        assert not nothing_to_commit()
        read_the_user()
        db.session.execute(text("SELECT 1"))  # a statement since: a transaction is open
        assert not nothing_to_commit()
        db.session.rollback()
    with app.test_request_context("/products", method="POST"):
        db.session.remove()
        with before_the_transaction():  # a writing request is one transaction from the start
            db.session.get(User, buyer_id)
        assert not nothing_to_commit()
        db.session.rollback()
