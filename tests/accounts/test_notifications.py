"""Notices of decisions: in-app and by e-mail, whatever the length of the note."""
from marketplace import mail
from marketplace.accounts import services
from marketplace.notifications.models import Notification
from tests import factories


def test_a_long_rejection_note_still_notifies_in_both_languages(db):
    org = factories.org("supplier", status="pending")
    applicant = factories.user("supplier_staff", organization=org)
    admin = factories.user("admin")
    services.set_organization_status(admin, org, "reject", "资料不全" * 120)
    db.session.commit()
    notice = Notification.query.filter_by(user_id=applicant.id).one()
    assert "未通过审核" in notice.message and "rejected" in notice.message
    assert len(notice.message) <= 500
    sent = mail.outbox()[-1]
    assert applicant.email in sent["To"] and "\n" not in sent["Subject"]
    assert "资料不全" in sent.get_content()
