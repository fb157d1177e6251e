"""Every 万企兴万村 page and action, for every role and scope: what each may open, and that a
refused action changes nothing."""
import pytest

from marketplace.pairings import services
from marketplace.pairings.models import NeedMessage, Pairing, Village, VillageNeed
from tests import factories
from tests.pairings.helpers import NYINGCHI, pair, world

YEAR = 2026
WHO = ("anonymous", "canteen_buyer", "unit_manager", "enterprise", "other_enterprise",
       "paired_coop", "other_coop", "auditor_in", "auditor_out", "admin")


@pytest.fixture
def scene(db):
    w = world()
    pairing = pair(w, year=YEAR)
    need = services.publish_need(w.staff, "扎西岗村", NYINGCHI, "product", "松茸找买家",
                                 quantity=10, unit="斤", season="秋")
    conversation = services.answer_need(w.buyer, need, "想买")
    users = {
        "canteen_buyer": factories.user("purchaser"),
        "unit_manager": factories.user("unit_manager"),
        "enterprise": w.buyer,
        "other_enterprise": factories.user("purchaser", organization=factories.org("enterprise")),
        "paired_coop": w.staff,
        "other_coop": factories.user("supplier_staff", organization=w.dagze),
        "auditor_in": factories.user("auditor", organization=factories.org(
            "audit_office", region_code="540400")),
        "auditor_out": factories.user("auditor", organization=factories.org(
            "audit_office", region_code="540100")),
        "admin": w.admin,
    }
    db.session.commit()
    ids = {"p": pairing.id, "v": pairing.village_id, "n": need.id, "c": conversation.id}
    return users, ids


ALL = set(WHO) - {"anonymous"}
GETS = {
    "/pairings/": {"enterprise", "other_enterprise", "paired_coop", "other_coop", "admin"},
    "/pairings/{p}": {"enterprise", "paired_coop", "auditor_in", "admin"},
    "/pairings/new": {"admin"},
    "/pairings/villages/{v}/request": {"enterprise", "other_enterprise"},
    "/pairings/overview": {"auditor_in", "auditor_out", "admin"},
    "/pairings/board": ALL, "/pairings/board/{n}": ALL, "/pairings/villages": ALL,
    "/pairings/villages/{v}": ALL, "/pairings/conversations": ALL,
    "/pairings/board/new": {"paired_coop", "other_coop", "admin"},
    "/pairings/conversations/{c}": {"enterprise", "paired_coop", "admin"},
    f"/reports/pairings/{YEAR}.csv": {"auditor_in", "auditor_out", "admin"},
}
POSTS = {  # url: (data, who may)
    "/pairings/{p}/end": ({"end-reason": "终止"}, {"admin"}),
    "/pairings/new": ({"county_code": NYINGCHI, "village": "新村", "year": YEAR,
                       "target_amount": "1", "supplier_ids": []}, {"admin"}),
    "/pairings/villages": ({"county_code": NYINGCHI, "name": "新村"}, {"admin"}),
    "/pairings/board/{n}/answer": ({"body": "插话"}, {"enterprise", "other_enterprise"}),
    "/pairings/board/{n}/close": ({}, {"paired_coop", "admin"}),
    "/pairings/conversations/{c}": ({"body": "插话"}, {"enterprise", "paired_coop", "admin"}),
}


def log_as(client, login_as, users, who):
    with client.session_transaction() as session:
        session.clear()
    if who != "anonymous":
        login_as(users[who])


@pytest.mark.parametrize("who", WHO)
def test_every_page_for_every_role_and_scope(client, login_as, scene, who):
    users, ids = scene
    log_as(client, login_as, users, who)
    for url, allowed in GETS.items():
        status = client.get(url.format(**ids)).status_code
        expected = 302 if who == "anonymous" else 200 if who in allowed else 403
        assert status == expected, (url, who, status)


@pytest.mark.parametrize("who", WHO)
def test_refused_actions_change_nothing(client, db, login_as, post_form, scene, who):
    users, ids = scene
    log_as(client, login_as, users, who)
    messages = NeedMessage.query.count()
    for url, (data, allowed) in POSTS.items():
        if who in allowed:
            continue
        status = post_form(url.format(**ids), data).status_code
        assert status == (302 if who == "anonymous" else 403), (url, who, status)
    for action in ("approve", "reject", "end"):
        if who != "admin":
            assert post_form(f"/pairings/{ids['p']}/{action}", {}).status_code in (302, 403)
    db.session.expire_all()
    assert db.session.get(Pairing, ids["p"]).status == "active"
    assert db.session.get(VillageNeed, ids["n"]).status == "open"
    assert NeedMessage.query.count() == messages  # the allowed ones were not posted
    assert Village.query.filter_by(name="新村").count() == 0
