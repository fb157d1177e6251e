"""The session's CSRF token is signed once and shown on every page; forms still refuse a token
that is not their session's."""
import re
import time

from itsdangerous import TimestampSigner

from marketplace.catalog.models import Favourite
from tests import factories
from tests.catalog.helpers import certified_staff, listed
from tests.helpers import login


def _tokens(page):
    return set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page))


def test_a_session_shows_one_signed_token_and_its_forms_take_it(app, client, db, login_as,
                                                               monkeypatch):
    product = listed(certified_staff(), name="野生松茸")
    buyer = login_as("purchaser")
    db.session.commit()
    clock = [time.time()]  # a signature carries the second it was made
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _signer: int(clock[0]))
    first = _tokens(client.get("/products").get_data(as_text=True))
    clock[0] += 60
    later = _tokens(client.get(f"/products/{product.id}").get_data(as_text=True))
    assert len(first) == 1 and later == first  # signed once, a minute earlier
    answer = client.post(f"/products/{product.id}/favourite", data={"csrf_token": first.pop()})
    assert answer.status_code == 302
    assert [f.product_id for f in Favourite.query.filter_by(user_id=buyer.id)] == [product.id]

    # Another session's token is another one, and this session's forms refuse it.
    other = app.test_client()
    login(other, factories.user("purchaser"))
    theirs = _tokens(other.get("/products").get_data(as_text=True))
    assert theirs and not theirs & later
    refused = client.post(f"/products/{product.id}/unfavourite", data={"csrf_token": theirs.pop()})
    assert refused.status_code == 400
    assert Favourite.query.filter_by(user_id=buyer.id).count() == 1
