"""Reminders a scheduler runs: enterprises behind the pace of an active pairing in the last
quarter of its year are told what is missing (`flask pairings remind`)."""
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.money import format_yuan
from marketplace.notifications.services import notify
from marketplace.pairings.models import Pairing
from marketplace.timeutil import to_cst, utcnow

from .common import staff_of
from .progress import in_last_quarter, progress_map


def remind_behind(now=None):
    """Tell each enterprise behind the pace of an active pairing of the current CST year, when
    the year is in its last quarter (October–December); outside it nothing is sent.

    :returns: {"pairings": n, "users": n} — how many pairings were behind and people told.
    """
    now = now or utcnow()
    year = to_cst(now).year
    sent = {"pairings": 0, "users": 0}
    if not in_last_quarter(year, now):
        return sent
    pairings = Pairing.query.filter_by(year=year, status="active").order_by(Pairing.id).all()
    states = progress_map(pairings, now)
    for pairing in pairings:
        state = states[pairing.id]
        if state.pace != "behind":
            continue
        readers = [u for u in staff_of(pairing.enterprise) if u.role == "purchaser"]
        notify(readers, "pairing.behind",
               _l("【万企兴万村】贵企业与 %(village)s 的 %(year)s 年度结对已采购 %(purchased)s，"
                  "按时间进度应完成 %(expected)s（目标 %(target)s），已进入第四季度，还差 "
                  "%(remaining)s，请向结对合作社加紧采购。",
                  village=pairing.village.name, year=year,
                  purchased=format_yuan(state.purchased), expected=format_yuan(state.expected),
                  target=format_yuan(state.target), remaining=format_yuan(state.remaining)),
               link=f"/pairings/{pairing.id}")
        record("pairing.remind_behind", pairing, actor=None,
               detail={"purchased": state.purchased, "expected": state.expected,
                       "users": len(readers)})
        sent["pairings"] += 1
        sent["users"] += len(readers)
    return sent
