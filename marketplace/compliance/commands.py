"""`flask compliance remind`: a scheduler's job e-mailing the managers of units that have not
filed or are behind pace, and each audit office's auditors a summary of their jurisdiction."""
from collections import Counter

import click
from flask.cli import with_appcontext

from marketplace.extensions import db


def remind(year=None, now=None):
    """Send the reminders for `year` (default: the current CST year).

    :returns: {"managers": n, "units": n, "auditors": n} — how many people were written to.
    """
    from marketplace.accounts.models import Organization, User
    from marketplace.compliance import services
    from marketplace.money import format_yuan
    from marketplace.mail import send_mail
    from marketplace.notifications.services import notify
    from marketplace.timeutil import to_cst, utcnow

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
            message = (f"【预留份额提醒】{quota.unit_name} 尚未填报 {year} 年度预留份额，"
                       f"请尽快登录平台填报。")
        else:
            pace = services.pace(quota, year, now)
            message = (f"【预留份额提醒】{quota.unit_name} {year} 年度已完成 "
                       f"{format_yuan(quota.completed)}，按时间进度应完成 "
                       f"{format_yuan(pace['expected_now'])}（预留 {format_yuan(quota.reserved)}），"
                       f"进度落后；剩余月份每月需完成约 {format_yuan(pace['needed_per_month'])}。")
        notify(managers, "quota.reminder", message, link=f"/quota/?year={year}")
        sent["managers"] += len(managers)
        sent["units"] += 1
    offices = Organization.query.filter(Organization.kind == "audit_office",
                                        Organization.status == "active").all()
    for office in offices:
        auditors = [u for u in office.users if u.role == "auditor" and u.active]
        if not auditors:
            continue
        prefix = office.jurisdiction_prefix
        mine = [q for q in quotas if q.region_code.startswith(prefix)]
        if not mine:
            continue
        counts = Counter(q.status for q in mine)
        late = [q.unit_name for q in mine if q.status in ("not_filed", "behind", "not_met")]
        lines = [f"【预留份额汇总】{office.name} 辖区 {year} 年度共 {len(mine)} 个预算单位：",
                 f"已填报 {len(mine) - counts['not_filed']}，未填报 {counts['not_filed']}，"
                 f"已完成 {counts['met']}，进度正常 {counts['on_track']}，"
                 f"进度落后 {counts['behind']}，未完成 {counts['not_met']}，免于考核 {counts['exempt']}。",
                 f"预留合计 {format_yuan(sum(q.reserved or 0 for q in mine))}，"
                 f"已完成合计 {format_yuan(sum(q.completed for q in mine))}。"]
        if late:
            shown = "、".join(late[:30]) + ("等" if len(late) > 30 else "")
            lines.append(f"需关注：{shown}。")
        link = f"/quota/overview?year={year}"
        # In-app: one line; e-mail: the whole summary (a subject cannot hold line breaks).
        notify(auditors, "quota.summary", lines[0] + lines[1], link=link, email=False)
        send_mail([u.email for u in auditors], f"【预留份额汇总】{office.name} {year} 年度",
                  "\n".join(lines) + f"\n\n{link}")
        sent["auditors"] += len(auditors)
    db.session.flush()
    return sent


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
