"""E-mails leave after the commit: queued with the request's work, sent once it committed
(never while it holds locks), kept and retried when sending fails, sent once only."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from marketplace import mail
from marketplace.catalog.models import Product
from marketplace.extensions import db as _db
from marketplace.notifications import outbox
from marketplace.notifications.commands import mail_group
from marketplace.notifications.models import OutgoingMail
from marketplace.timeutil import utcnow
from tests import factories
from tests.helpers import bearer
from tests.pg import free_port


def test_nothing_leaves_before_the_commit_and_nothing_after_a_rollback(db):
    outbox.queue_mail("a@example.com", "甲", "正文")
    assert mail.outbox() == []
    db.session.rollback()
    assert mail.outbox() == [] and OutgoingMail.query.count() == 0
    outbox.queue_mail(["b@example.com", "c@example.com"], "乙", "正文")
    db.session.commit()
    [sent] = mail.outbox()
    assert sent["Subject"] == "乙" and sent["To"] == "b@example.com, c@example.com"
    assert OutgoingMail.query.one().sent_at is not None


@pytest.fixture
def spy_on_sending(monkeypatch):
    """Record, as each message is sent, whether another connection can write the row the
    request changed (it cannot while the request's transaction is still open)."""
    seen = []
    real_send = mail.send_mail

    def send(to, subject, body):
        product_id = seen[0]["product_id"]
        with _db.engine.connect() as other:
            if other.dialect.name == "postgresql":
                other.execute(sa.text("SET lock_timeout = '500ms'"))
            else:
                other.exec_driver_sql("PRAGMA busy_timeout = 500")
            other.commit()
            try:
                other.execute(sa.update(Product).where(Product.id == product_id)
                              .values(stock=Product.stock))
                other.commit()
                free = True
            except sa.exc.OperationalError:
                other.rollback()
                free = False
            # Its short lock timeout must not follow the connection back into the pool: the
            # next test to borrow it (twenty buyers racing for stock) would time out waiting.
            other.invalidate()
        seen.append({"to": to, "rows_free": free})
        return real_send(to, subject, body)

    monkeypatch.setattr(mail, "send_mail", send)
    return seen


def order_over_the_api(client, buyer, product, quantity):
    return client.post("/api/v1/orders", headers=bearer(buyer), json={
        "lines": [{"product_id": product.id, "quantity": quantity}], "purpose": "canteen",
        "delivery_address": "拉萨市城关区", "payment_method": "bank_transfer",
        "payment_terms": "goods_first"})


def test_a_checkout_mails_the_supplier_only_after_its_commit_and_its_locks(client, db,
                                                                          spy_on_sending):
    buyer = factories.user("purchaser")
    product = factories.product(stock=10)
    staff = factories.user("supplier_staff", organization=product.supplier)
    db.session.commit()
    spy_on_sending.append({"product_id": product.id})
    assert order_over_the_api(client, buyer, product, 2).status_code == 201
    sends = spy_on_sending[1:]
    assert [send["to"] for send in sends] == [[staff.email]]
    assert all(send["rows_free"] for send in sends)
    assert OutgoingMail.query.filter(OutgoingMail.sent_at.is_(None)).count() == 0


def test_a_failed_request_sends_nothing(client, db, spy_on_sending):
    buyer = factories.user("purchaser")
    product = factories.product(stock=1)
    factories.user("supplier_staff", organization=product.supplier)
    db.session.commit()
    spy_on_sending.append({"product_id": product.id})
    assert order_over_the_api(client, buyer, product, 5).status_code == 409
    assert spy_on_sending[1:] == [] and OutgoingMail.query.count() == 0


def test_a_failure_is_kept_and_the_command_sends_it_later(app, db):
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", free_port()  # nobody
    try:
        outbox.queue_mail("a@example.com", "会议通知", "正文")
        db.session.commit()
    finally:
        app.config["MAIL_SERVER"] = None
    row = OutgoingMail.query.one()
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert mail.outbox() == []
    result = CliRunner().invoke(mail_group, ["send"], standalone_mode=False)
    assert "mail sent: 1, failed (kept for the next run): 0" in result.output
    db.session.expire_all()
    row = OutgoingMail.query.one()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error is None
    assert [message["Subject"] for message in mail.outbox()] == ["会议通知"]
    # Nothing is sent twice.
    assert outbox.deliver() == (0, 0)


def test_a_message_another_sender_holds_is_left_to_it_until_its_claim_is_stale(db):
    message = outbox.queue_mail("a@example.com", "甲", "正文")
    message.claimed_at = utcnow()
    db.session.commit()         # queued, but claimed: the commit's delivery skips it
    assert mail.outbox() == []
    assert outbox.deliver() == (0, 0)
    message.claimed_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    assert outbox.deliver() == (1, 0) and len(mail.outbox()) == 1
