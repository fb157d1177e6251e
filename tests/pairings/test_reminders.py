"""`flask pairings remind`: in the last quarter of the year, enterprises behind their pairing's
pace are told (in-app and by e-mail, each in their language); nobody else, and never earlier."""
from marketplace.audit.models import AuditEntry
from marketplace.mail import outbox
from marketplace.notifications.models import Notification
from marketplace.pairings import services
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.factories import accepted_order
from tests.helpers import cst
from tests.pairings.helpers import pair, world


def test_behind_enterprises_are_told_in_the_last_quarter_only(db):
    w = world()
    on_track_org = factories.org("enterprise", name="达标企业")
    on_track_buyer = factories.user("purchaser", organization=on_track_org)
    behind = pair(w, year=2026, target="100000.00")
    pair(w, enterprise=on_track_org, suppliers=[w.coop2], year=2026, target="100.00")
    accepted_order(on_track_buyer, [(w.pork, 2)], cst(2026, 3, 1))
    ended = pair(w, village="唐嘎村", county="540104", suppliers=[w.dagze], year=2026,
                 target="99999")
    services.end_pairing(w.admin, ended, "终止")
    assert services.remind_behind(now=cst(2026, 9, 30, 23)) == {"pairings": 0, "users": 0}
    assert services.remind_behind(now=cst(2026, 10, 8)) == {"pairings": 1, "users": 1}
    told = Notification.query.filter_by(kind="pairing.behind").one()
    assert told.user_id == w.buyer.id and told.link == f"/pairings/{behind.id}"
    assert "第四季度" in told.message and "¥100,000.00" in told.message
    assert AuditEntry.query.filter_by(action="pairing.remind_behind").one().object_id == \
        str(behind.id)


def test_the_command_a_scheduler_runs(app, db):
    w = world()
    year = to_cst(utcnow()).year
    pair(w, year=year, target="99999999.00")
    english = factories.user("purchaser", organization=w.enterprise, locale="en")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["pairings", "remind"])
    assert result.exit_code == 0, result.output
    if services.in_last_quarter(year):
        assert "reminded 2 user(s) of 1 pairing(s)" in result.output
        by_reader = {message["To"]: message.get_content() for message in outbox()}
        assert "第四季度" in by_reader[w.buyer.email]
        assert "last quarter" in by_reader[english.email]
    else:
        assert "reminded 0 user(s)" in result.output and outbox() == []
