"""Every link a notification can carry opens a page for the one it is sent to, and e-mails
carry those links whole, under the configured BASE_URL.

The links are read from the code itself: every `notify(...)` call of the app, its kind and
the expression of its link. Each link is filled with the objects of the permission table's
world and followed, signed in as the kind's recipient, on both databases. A new notification
fails here until its recipient is named in RECIPIENTS, and a link to no page fails always.
"""
import ast

import pytest

from marketplace.accounts.models import User
from marketplace.accounts.services import start_login
from marketplace.config import ROOT
from marketplace.extensions import db as _db
from marketplace.links import absolute, path_for
from marketplace.mail import outbox
from marketplace.notifications.services import notify
from tests.conftest import Client, _clean
from tests.permissions_world import build_world

APP = ROOT / "marketplace"

# Who each kind of notification is sent to (roles of the permission table's world).
RECIPIENTS = {
    "organization.registered": ("admin",),
    "'organization.' + action": ("visitor",),      # told at once, perhaps not yet signed in
    "certification.applied": ("admin",),
    "certification.approved": ("supplier",),
    "certification.rejected": ("supplier",),
    "certification.suspended": ("supplier",),
    "product.price_flagged": ("admin",),
    "product.taken_down": ("supplier",),
    "quota.reminder": ("manager",),
    "quota.summary": ("auditor",),
    "f'quota.exception_{decision}'": ("manager",),
    "credit.tier_changed": ("supplier",),
    "order.placed": ("supplier",),
    "order.accepted": ("supplier",),
    "order.restocked": ("purchaser",),
    "order.approval_needed": ("manager",),
    "order.approved": ("purchaser",),
    "order.rejected": ("purchaser",),
    "order.confirmed": ("purchaser",),
    "order.shipped": ("purchaser",),
    "order.cancelled": ("purchaser", "supplier"),
    "kind": ("enterprise_purchaser", "supplier"),   # a message on the villages' board
    "pairing.requested": ("admin",),
    "pairing.approved": ("enterprise_purchaser",),
    "f'pairing.{status}'": ("enterprise_purchaser",),   # rejected or ended
    "pairing.behind": ("enterprise_purchaser",),
    "payment.refund_due": ("supplier",),
    "payment.refund": ("purchaser",),
    "payment.aftersale": ("purchaser", "supplier"),
    "payment.received": ("supplier",),
    "payment.overdue": ("purchaser",),
    "payment.transfer_recorded": ("supplier",),
    "payment.transfer_confirmed": ("purchaser",),
    "payment.transfer_rejected": ("purchaser",),
    "invoice.requested": ("supplier",),
    "invoice.issued": ("purchaser",),
    "invoice.reminder": ("supplier",),
    "settlement.created": ("purchaser",),
    "settlement.confirmed": ("supplier",),
    "report.export_ready": ("auditor",),           # an export written by a job, for its owner
}


def notify_calls():
    """[(file, kind, link expression)] of every notify(...) call in the app."""
    calls = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "notify" \
                    and len(node.args) >= 2:
                kind = node.args[1]
                kind = kind.value if isinstance(kind, ast.Constant) else ast.unparse(kind)
                link = next((k.value for k in node.keywords if k.arg == "link"), None)
                if link is not None:
                    calls.append((path.relative_to(APP.parent).as_posix(), kind, link))
    return calls


def fill(expression, places):
    """The path a link expression gives for the world's objects."""
    objects = {"order": places["order"], "each": places["order"], "product": places["product"],
               "pairing": places["pairing"], "conversation": places["conversation"],
               "org": places["org"], "item": places["export_file"],
               "statement": places["statement"], "case": places["case"]}
    names = {name: type("Object", (), {"id": value}) for name, value in objects.items()}
    names["invoice"] = type("Object", (), {"order_id": places["order"],
                                           "statement_id": places["statement"]})
    names.update(year=places["year"], path_for=path_for,
                 order_link=lambda order: f"/orders/{order.id}")
    return eval(compile(ast.Expression(expression), "<link>", "eval"), {}, names)  # noqa: S307


@pytest.fixture(scope="module")
def world(app):
    with app.app_context():
        _clean(app)
        places, user_ids = build_world()
        sessions = {}
        for role, user_id in user_ids.items():
            user = _db.session.get(User, user_id)
            start_login(user)           # the browser login this role's client carries
            sessions[role] = user.get_id()
        _db.session.commit()
        yield places, sessions
        _db.session.remove()


def test_every_notification_names_its_recipient():
    kinds = {kind for _file, kind, _link in notify_calls()}
    assert len(kinds) >= 30
    assert kinds <= set(RECIPIENTS), f"name who receives: {sorted(kinds - set(RECIPIENTS))}"


@pytest.mark.parametrize("call", notify_calls(), ids=lambda call: f"{call[0]} {call[1]}")
def test_every_notification_link_opens_a_page_for_its_recipient(app, world, call):
    places, sessions = world
    _file, kind, expression = call
    link = fill(expression, places)
    assert link.startswith("/")
    app.test_client_class = Client
    with app.app_context():
        for role in RECIPIENTS[kind]:
            client = app.test_client()
            if role != "visitor":
                with client.session_transaction() as session:
                    session["_user_id"], session["_fresh"] = sessions[role], True
            response = client.get(link, follow_redirects=True)
            assert response.status_code == 200, (role, link)
            assert "/login" not in response.request.path or role == "visitor", (role, link)
        _db.session.remove()


def test_emails_carry_whole_links_under_the_base_url(app, db):
    from tests import factories

    buyer = factories.user("purchaser")
    notify([buyer], "order.shipped", "订单已发货", link="/orders/7")
    db.session.commit()
    [mail] = outbox()
    body = mail.get_content()
    assert "https://market.example.cn/orders/7" in body
    assert absolute("https://elsewhere.example/x") == "https://elsewhere.example/x"
    app.config["BASE_URL"] = "https://market.example.cn/shop/"
    try:
        assert absolute("/orders/7") == "https://market.example.cn/shop/orders/7"
    finally:
        app.config["BASE_URL"] = "https://market.example.cn"
