"""Notices: in-app and by e-mail, in each reader's language, whatever the length."""
from flask_babel import lazy_gettext

from marketplace import mail
from marketplace.accounts import services
from marketplace.notifications.models import Notification
from marketplace.notifications.services import notify
from tests import factories


def test_a_long_rejection_note_reaches_each_member_in_their_language(db):
    org = factories.org("supplier", status="pending")
    applicant = factories.user("supplier_staff", organization=org)
    colleague = factories.user("supplier_staff", organization=org, locale="en")
    admin = factories.user("admin")
    services.set_organization_status(admin, org, "reject", "资料不全" * 120)
    db.session.commit()
    notice = Notification.query.filter_by(user_id=applicant.id).one()
    assert "未通过审核" in notice.message and "rejected" not in notice.message
    assert len(notice.message) <= 500
    english = Notification.query.filter_by(user_id=colleague.id).one()
    assert english.message.startswith("The registration of") and "Note: 资料不全" in english.message
    sent = {message["To"]: message for message in mail.outbox()[-2:]}
    assert "\n" not in sent[applicant.email]["Subject"]
    assert "资料不全" in sent[applicant.email].get_content()
    assert "rejected" in sent[colleague.email]["Subject"]


def test_notify_renders_a_message_once_per_language_and_leaves_plain_text_alone(app, db):
    readers = [factories.user("purchaser"), factories.user("purchaser", locale="en"),
               factories.user("purchaser", locale="xx")]
    db.session.commit()
    notify(readers, "order.approved", lazy_gettext("订单 %(number)s 已通过审批。", number="A1"))
    notify(readers[:2], "test.plain", "照原样")
    db.session.commit()
    texts = {user.id: [n.message for n in Notification.query.filter_by(user_id=user.id)
                       .order_by(Notification.id)] for user in readers}
    assert texts[readers[0].id] == ["订单 A1 已通过审批。", "照原样"]
    assert texts[readers[1].id] == ["Order A1 was approved.", "照原样"]
    assert texts[readers[2].id] == ["订单 A1 已通过审批。"]       # an unknown language: Chinese
    approvals = [m for m in mail.outbox() if "A1" in m["Subject"]]
    assert sorted(len(m["To"].split(",")) for m in approvals) == [1, 2]  # one e-mail a language
