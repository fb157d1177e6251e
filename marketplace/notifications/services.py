"""Notifying users: an in-app entry and, by default, an e-mail queued in the same transaction
(it leaves once that has committed: `notifications.outbox`).

Each user is told in their own language (`User.locale`, else Chinese), whoever caused the
message and in whatever language they were working: pass the message as
`flask_babel.lazy_gettext(msgid, **values)`, or as a function that builds it with `gettext`
(for a message of several parts), and it is rendered once per language among the recipients.
A plain string is sent as it is.
"""
from flask import current_app
from flask_babel import force_locale

from marketplace.extensions import db
from marketplace.links import absolute
from marketplace.notifications.models import Notification
from marketplace.notifications.outbox import queue_mail
from marketplace.timeutil import utcnow


def by_language(users):
    """{locale: [users]} by each user's chosen language (the default when none or unknown)."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    groups = {}
    for user in users:
        groups.setdefault(user.locale if user.locale in languages else default, []).append(user)
    return groups


def notify(users, kind, message, link=None, email=True):
    """Tell each user in `users` about something (a new order, an approval...).

    :param kind: a short key such as "order.placed".
    :param message: a lazy_gettext message or a function returning the text (rendered in each
        recipient's language), or a str.
    :param link: a path inside the app to open (the e-mail gives it under BASE_URL).
    """
    users = [user for user in users if user is not None]
    for locale, group in by_language(users).items():
        with force_locale(locale):
            text = message() if callable(message) else str(message)
        for user in group:
            db.session.add(Notification(user_id=user.id, kind=kind, message=text[:500],
                                        link=link[:300] if link else None))
        if email:
            body = text + (f"\n\n{absolute(link)}" if link else "")
            subject = (text.splitlines() or [kind])[0][:120]  # a header holds one line
            queue_mail([user.email for user in group], subject, body)


def unread_for(user, limit=50):
    """The user's notifications, newest first."""
    return (Notification.query.filter_by(user_id=user.id)
            .order_by(Notification.id.desc()).limit(limit).all())


def unread_count(user):
    """How many of the user's notifications are unread (one COUNT: the header shows it)."""
    return (db.session.query(db.func.count(Notification.id))
            .filter(Notification.user_id == user.id, Notification.read_at.is_(None)).scalar())


def unread_count_column(user_id):
    """`unread_count` as a scalar subquery correlated to the users' id column `user_id` (the
    user loader selects it with the user)."""
    return (db.select(db.func.count(Notification.id))
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .scalar_subquery())


def mark_read(user, notification_id=None):
    """Mark one (or every) notification of the user read."""
    query = Notification.query.filter_by(user_id=user.id, read_at=None)
    if notification_id is not None:
        query = query.filter_by(id=notification_id)
    for notification in query:
        notification.read_at = utcnow()
    db.session.flush()
