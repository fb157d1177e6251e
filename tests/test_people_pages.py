"""Nothing meant for people shows an ISO date or a fen amount: every page a role may open in a
world with one of everything (the permission table's), and every e-mail that world sent."""
import re
from html import unescape

from marketplace.accounts.models import User
from marketplace.extensions import db as _db
from marketplace.mail import outbox
from marketplace.ordering.models import Order
from marketplace.payments.models import Payment, Refund
from tests.helpers import login
from tests.permissions_world import build_world
from tests.test_permissions import ROUTES

ROLES = ("purchaser", "manager", "supplier", "auditor", "admin")
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
# Pages written for machines or print stand-ins of files, not read as pages.
NOT_PAGES = ("/api/", "/webhooks/", "/static/", "/uploads/")


def visible_text(html):
    """What a reader sees: scripts, styles and tags (with their attributes) gone."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def fen_amounts():
    """The world's money in fen, as digits that only a leak would print (¥256.00 is shown as
    "256.00", never "25600")."""
    values = {order.total_fen for order in Order.query} | \
        {payment.amount_fen for payment in Payment.query} | \
        {refund.amount_fen for refund in Refund.query}
    return {str(value) for value in values if value and value >= 10_000 and value % 100 == 0}


def test_no_page_or_email_shows_an_iso_date_or_a_fen_amount(app, client, db):
    places, user_ids = build_world()
    db.session.commit()
    fen = fen_amounts()
    assert fen
    leaks, pages = [], 0
    for role in ROLES:
        login(client, _db.session.get(User, user_ids[role]))
        for route in ROUTES:
            if route.method != "GET" or route.api or route.expected(role) != "pass":
                continue
            try:
                url = (route.url or route.rule).format(**places)
            except (KeyError, IndexError):
                continue
            if url.startswith(NOT_PAGES) or "<" in url:
                continue
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            pages += 1
            text = visible_text(response.get_data(as_text=True))
            leaks += [(role, url, found) for found in ISO_DATE.findall(text)]
            leaks += [(role, url, amount) for amount in fen
                      if re.search(rf"(?<![\d,.]){amount}(?![\d,.])", text)]
    for message in outbox():
        body = message.get_body(("plain",)).get_content()
        leaks += [("mail", message["Subject"], found) for found in ISO_DATE.findall(body)]
    assert pages > 150  # every role's pages were read, not skipped
    assert leaks == [], "\n".join(map(str, leaks))
