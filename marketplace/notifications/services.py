"""Notifying users: an in-app entry and, by default, an e-mail through the same outbox."""
from marketplace.extensions import db
from marketplace.mail import send_mail
from marketplace.notifications.models import Notification
from marketplace.timeutil import utcnow


def notify(users, kind, message, link=None, email=True):
    """Tell each user in `users` about something (a new order, an approval...).

    :param kind: a short key such as "order.placed".
    :param link: a path inside the app to open.
    """
    users = [user for user in users if user is not None]
    for user in users:
        db.session.add(Notification(user_id=user.id, kind=kind, message=message[:500],
                                    link=link[:300] if link else None))
    if email and users:
        body = message + (f"\n\n{link}" if link else "")
        subject = (message.splitlines() or [kind])[0][:120]  # a header holds one line
        send_mail([user.email for user in users], subject, body)


def unread_for(user, limit=50):
    """The user's notifications, newest first."""
    return (Notification.query.filter_by(user_id=user.id)
            .order_by(Notification.id.desc()).limit(limit).all())


def mark_read(user, notification_id=None):
    """Mark one (or every) notification of the user read."""
    query = Notification.query.filter_by(user_id=user.id, read_at=None)
    if notification_id is not None:
        query = query.filter_by(id=notification_id)
    for notification in query:
        notification.read_at = utcnow()
    db.session.flush()
