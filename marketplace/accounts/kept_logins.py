"""A signed-in user kept between their requests: a page that only reads then sends no query
for its user.

Every signed-in request needs its user: is the login still open, who is it, of which
organisation, and the header's numbers (cart, unread messages). That is one statement
(`sessions.user_of_open_login`), but on a kept catalog page it is the request's only one, and
a round trip to PostgreSQL with its result made into objects cost more than the rest of the
page. So what it found is kept, SIGNED_IN_CACHE_SECONDS at most (and never past the login's own
end), by login, in a store every process and server shares when REDIS_URL is set
(`shared_store`); the user and organisation are rebuilt from it without a query.

Kept is never stale: every entry's key carries two counters, one for every login and one for
its user, read before the statement that fills it. A commit that changed a row the entry was
made from bumps them after the commit, on every server:
- a user's row, their logins (a login, a logout), their cart, messages or favourites (any
  table a header number counts, `nav.count_columns`): that user's counter;
- an organisation (a suspension, a new name), or a bulk UPDATE or DELETE of any of these
  tables (ending every login of a unit, say), which does not say whose rows it changed: the
  counter of every login.
So a logout, a new password, a deactivation or a suspension ends the kept login at once, like
the login itself. Only a change made outside the app (SQL typed into the database) goes
unseen, until the entry's lifetime ends. The password hash is not kept: the session's
fingerprint of it is, and the hash is read only if a page asks for it.
"""
import hashlib
from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from marketplace import nav, shared_store
from marketplace.accounts.models import Organization, User
from marketplace.extensions import db
from marketplace.timeutil import utcnow

EVERY_LOGIN = "logins"
STORE = "kept_logins"
# Logins a process keeps without Redis (an entry is ~2 kB: ~10 MB).
BOUND = 5000
# What a user's row holds that is not kept: the hash of their password (read when asked).
NOT_KEPT = frozenset({"password_hash"})
# Tables a kept login is made from, and the column naming whose row it is (None: the row of no
# single user, an organisation). The tables a header number counts are added at first use.
_ROWS_OF = {"users": "id", "login_sessions": "user_id", "organizations": None}
_WATCHED = {}


def _user_counter(user_id):
    return f"logins-of-user-{user_id}"


def signed_in_user(user_id, key, load):
    """The user of an open login `key` of user `user_id`, with their organisation and header
    numbers (`loaded_counts`), kept from an earlier request of the login when nothing they were
    made from has changed since; else `load()`'s answer (the user, or None), kept for the next
    request. `load()` must answer as `sessions.user_of_open_login` does, `login_started_at`
    included."""
    seconds = current_app.config.get("SIGNED_IN_CACHE_SECONDS", 0)
    if seconds <= 0:
        return load()
    counters = shared_store.read_counters((EVERY_LOGIN, _user_counter(user_id)))
    if counters is None:
        return load()
    store = kept_store()
    entry_key = "{}|{}|{}|{}".format(*counters, user_id,
                                     hashlib.sha256(key.encode()).hexdigest())
    entry = shared_store.kept_value(store, entry_key)
    if entry is not None:
        return _rebuilt(entry)
    user = load()
    if user is not None:
        # Never past the login's own end: then the statement refuses it.
        ends = user.login_started_at + timedelta(days=current_app.config.get(
            "LOGIN_SESSION_DAYS", 30))
        lifetime = min(seconds, int((ends - utcnow()).total_seconds()))
        if lifetime > 0:
            shared_store.keep_value(store, entry_key, _entry(user), lifetime)
    return user


def kept_store():
    """Where kept logins are (their keys carry the counters: a copy is never stale)."""
    return shared_store.store(STORE, BOUND, versioned=True)


def _entry(user):
    """What is kept of a loaded user: plain data (it is pickled), never ORM objects."""
    return {"user": _columns(user, NOT_KEPT), "organization": _columns(user.organization),
            "counts": dict(user.loaded_counts), "fingerprint": user.session_fingerprint(),
            "login_started_at": user.login_started_at}


def _columns(instance, leave_out=frozenset()):
    return {attribute.key: getattr(instance, attribute.key)
            for attribute in inspect(type(instance)).column_attrs
            if attribute.key not in leave_out}


def _rebuilt(entry):
    """The kept user and organisation as objects of this request's session, as a query would
    have loaded them (unkept columns are read from the database if asked for)."""
    organization = _persistent(Organization, entry["organization"])
    user = _persistent(User, entry["user"])
    set_committed_value(user, "organization", organization)
    user.loaded_counts = dict(entry["counts"])
    user.kept_fingerprint = entry["fingerprint"]
    user.login_started_at = entry["login_started_at"]
    return user


def _persistent(model, values):
    session = db.session()
    mapper = inspect(model)
    present = session.identity_map.get(mapper.identity_key_from_primary_key((values["id"],)))
    if present is not None:  # already in this session (a test's app context outlives requests)
        for key, value in values.items():
            if key not in present.__dict__:  # expired by a commit: as a refresh would load it
                set_committed_value(present, key, value)
        return present
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)  # as loaded: no history, missing columns expired
    session.add(instance)
    return instance


def _watched():
    if not _WATCHED:
        _WATCHED.update(_ROWS_OF)
        for column in nav.count_columns().values():
            for table in column(User.id).element.get_final_froms():
                if table.name not in _WATCHED:
                    _WATCHED[table.name] = "user_id" if "user_id" in table.c else None
    return _WATCHED


def _note(session, user_id):
    """Remember for the commit hook whose kept logins (None: everyone's) this transaction
    changed."""
    changed = session.info.setdefault("logins_changed", set())
    changed.add(user_id)


@event.listens_for(Session, "after_flush")
def _note_flushed_rows(session, _flush_context):
    watched = _watched()
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__tablename__", None)
        if table in watched:
            column = watched[table]
            _note(session, getattr(instance, column) if column else None)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state):
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table in _watched():
            _note(state.session, None)


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session):
    changed = session.info.pop("logins_changed", None)
    if not changed or not has_app_context():
        return
    if None in changed:
        shared_store.bump_counters((EVERY_LOGIN,))
    else:
        shared_store.bump_counters(tuple(_user_counter(user_id) for user_id in changed))


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, _previous_transaction):
    if not session.in_transaction():
        session.info.pop("logins_changed", None)
