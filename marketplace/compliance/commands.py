"""`flask compliance remind`: a scheduler's job e-mailing the managers of units that have not
filed or are behind pace, and each audit office's auditors a summary of their jurisdiction."""
from collections import Counter

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Organization, User
from marketplace.accounts.scopes import in_jurisdiction
from marketplace.compliance import services
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.links import absolute
from marketplace.money import format_yuan
from marketplace.notifications.outbox import queue_mail
from marketplace.notifications.services import by_language, notify
from marketplace.timeutil import to_cst, utcnow


def remind(year=None, now=None):
    """Send the reminders for `year` (default: the current CST year), each in the language its
    reader chose.

    :returns: {"managers": n, "units": n, "auditors": n} — how many people were written to.
    """
    now = now or utcnow()
    year = year or to_cst(now).year
    quotas = services.compute(year, now=now)
    managers_by_unit = {}
    for user in User.query.filter(User.role == "unit_manager", User.active.is_(True)):
        managers_by_unit.setdefault(user.organization_id, []).append(user)
    sent = {"managers": 0, "units": 0, "auditors": 0}
    for quota in quotas:
        managers = managers_by_unit.get(quota.unit_id)
        if not managers or quota.status not in ("not_filed", "behind"):
            continue
        if quota.status == "not_filed":
            message = _l("【预留份额提醒】%(unit)s 尚未填报 %(year)s 年度预留份额，请尽快登录平台填报。",
                         unit=quota.unit_name, year=year)
        else:
            pace = services.pace(quota, year, now)
            message = _l("【预留份额提醒】%(unit)s %(year)s 年度已完成 %(completed)s，按时间进度应完成 "
                         "%(expected)s（预留 %(reserved)s），进度落后；剩余月份每月需完成约 "
                         "%(per_month)s。", unit=quota.unit_name, year=year,
                         completed=format_yuan(quota.completed),
                         expected=format_yuan(pace["expected_now"]),
                         reserved=format_yuan(quota.reserved),
                         per_month=format_yuan(pace["needed_per_month"]))
        notify(managers, "quota.reminder", message, link=f"/quota/?year={year}")
        sent["managers"] += len(managers)
        sent["units"] += 1
    sent["auditors"] = _send_summaries(quotas, year)
    db.session.flush()
    return sent


def _send_summaries(quotas, year):
    """Each active audit office's auditors get their jurisdiction's summary; how many."""
    written = 0
    offices = Organization.query.filter(Organization.kind == "audit_office",
                                        Organization.status == "active").all()
    for office in offices:
        auditors = [u for u in office.users if u.role == "auditor" and u.active]
        mine = [q for q in quotas if in_jurisdiction(office, q.region_code)]
        if not auditors or not mine:
            continue
        for locale, readers in by_language(auditors).items():
            with force_locale(locale):
                subject, lines = _summary(office, year, mine)
            # In-app: one line; e-mail: the whole summary (a subject cannot hold line breaks).
            notify(readers, "quota.summary", lines[0] + lines[1],
                   link=f"/quota/overview?year={year}", email=False)
            queue_mail([u.email for u in readers], subject,
                       "\n".join(lines) + "\n\n" + absolute(f"/quota/overview?year={year}"))
        written += len(auditors)
    return written


def _summary(office, year, mine):
    """(subject, lines) of an office's summary, in the current language."""
    counts = Counter(q.status for q in mine)
    late = [q.unit_name for q in mine if q.status in ("not_filed", "behind", "not_met")]
    subject = _("【预留份额汇总】%(office)s %(year)s 年度", office=office.name, year=year)
    lines = [_("【预留份额汇总】%(office)s 辖区 %(year)s 年度共 %(units)s 个预算单位：",
                     office=office.name, year=year, units=len(mine)),
             _("已填报 %(filed)s，未填报 %(not_filed)s，已完成 %(met)s，进度正常 %(on_track)s，"
                     "进度落后 %(behind)s，未完成 %(not_met)s，免于考核 %(exempt)s。",
                     filed=len(mine) - counts["not_filed"], not_filed=counts["not_filed"],
                     met=counts["met"], on_track=counts["on_track"], behind=counts["behind"],
                     not_met=counts["not_met"], exempt=counts["exempt"]),
             _("预留合计 %(reserved)s，已完成合计 %(completed)s。",
                     reserved=format_yuan(sum(q.reserved or 0 for q in mine)),
                     completed=format_yuan(sum(q.completed for q in mine)))]
    if late:
        # The list separator of the reader's language ("、" in Chinese).
        shown = _("、").join(late[:30]) + (_("等") if len(late) > 30 else "")
        lines.append(_("需关注：%(units)s。", units=shown))
    return subject, lines


@click.group("compliance")
def compliance_group():
    """Reserved-share filings and quotas."""


@compliance_group.command("remind")
@click.option("--year", type=int, default=None, help="The fiscal year (default: the current one).")
@with_appcontext
def remind_command(year):
    """E-mail managers of units not filed or behind pace, and auditors a summary."""
    sent = remind(year)
    db.session.commit()
    click.echo(f"reminded {sent['managers']} manager(s) of {sent['units']} unit(s); "
               f"summaries to {sent['auditors']} auditor(s)")


def register(app):
    app.cli.add_command(compliance_group)
