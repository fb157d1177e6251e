"""`flask compliance remind` writes to the managers who must act and to the auditors."""
from marketplace.mail import outbox
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.compliance.helpers import filing, product, purchaser, unit
from tests.factories import accepted_order


def test_remind_writes_to_late_managers_and_auditors(app, db):
    year = to_cst(utcnow()).year
    unfiled, behind, met = unit("未填报单位"), unit("落后单位"), unit("完成单位")
    filing(behind, year=year, budget_fen=10_000_000_000)
    filing(met, year=year, budget_fen=100)
    accepted_order(purchaser(met), [(product(price_fen=100), 1)], utcnow())
    managers = {u: factories.user("unit_manager", organization=u) for u in (unfiled, behind, met)}
    auditor = factories.user("auditor")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["compliance", "remind"])
    assert result.exit_code == 0, result.output
    messages = outbox()
    recipients = [m["To"] for m in messages]
    assert managers[unfiled].email in recipients and managers[behind].email in recipients
    assert managers[met].email not in recipients
    summary = next(m for m in messages if m["To"] == auditor.email).get_content()
    assert "未填报 1" in summary and "已完成 1" in summary and "落后单位" in summary
    late = next(m for m in messages if m["To"] == managers[behind].email).get_content()
    assert "进度落后" in late


def test_each_reader_gets_the_reminder_in_their_language(app, db):
    year = to_cst(utcnow()).year
    behind = unit("落后单位")
    filing(behind, year=year, budget_fen=10_000_000_000)
    english = factories.user("unit_manager", organization=behind, locale="en")
    chinese = factories.user("unit_manager", organization=behind)
    auditor = factories.user("auditor", locale="en")
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["compliance", "remind"]).exit_code == 0
    by_reader = {}
    for message in outbox():
        for address in message["To"].split(","):
            by_reader.setdefault(address.strip(), []).append(message)
    reminder, = by_reader[english.email]
    assert "is behind pace" in reminder.get_content() and "进度落后" not in reminder.get_content()
    assert "进度落后" in by_reader[chinese.email][0].get_content()
    summary, = by_reader[auditor.email]
    assert summary["Subject"].startswith("[Reserved share summary]")
    assert "Needing attention: 落后单位." in summary.get_content()
