"""Time: stored in UTC, shown and attributed to fiscal years in China Standard Time."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

CST = ZoneInfo("Asia/Shanghai")


def utcnow():
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


def to_cst(moment):
    """A UTC moment shown in China Standard Time."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(CST)


def this_year():
    """The current year in China (the app's calendar)."""
    return to_cst(utcnow()).year


def iso(moment):
    """A moment as the API writes it: ISO 8601 with offset, in China Standard Time (None stays
    None)."""
    return to_cst(moment).isoformat() if moment is not None else None


def year_bounds_utc(year):
    """The UTC instants [start, end) of a fiscal (calendar) year in China Standard Time."""
    start = datetime(year, 1, 1, tzinfo=CST).astimezone(timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=CST).astimezone(timezone.utc)
    return start, end


def year_fraction_elapsed(year, now=None):
    """(elapsed, total) microseconds of the CST year at `now` (elapsed clamped to [0, total]):
    exact integers, so "on pace" is decided as done × total ≥ target × elapsed."""
    start, end = year_bounds_utc(year)
    now = now or utcnow()
    total = (end - start) // timedelta(microseconds=1)
    elapsed = (min(max(now, start), end) - start) // timedelta(microseconds=1)
    return elapsed, total


def cst_year(moment):
    """The fiscal year a UTC moment belongs to."""
    return to_cst(moment).year


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC on every database and read back timezone-aware.

    SQLite keeps no offset, so values are normalised to naive UTC before storing there.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
