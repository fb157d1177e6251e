"""Demo quota data: Tibet's policy, this year's filing window and most units' filings."""
from datetime import date, datetime, timezone

from marketplace.compliance import services
from marketplace.timeutil import CST, to_cst, utcnow

# (index in ctx["units"], canteen status, food budget in yuan, ratio or None, representative index)
FILINGS = [
    (0, "own", "1200000", None, None),                      # 西藏自治区财政厅
    (1, "shared_member", None, None, 5),                    # 拉萨市财政局 eats at the centre's canteen
    (2, "own", "500000", None, None),                       # 林芝市财政局
    (3, "own", "2400000", None, None),                      # 拉萨市第一中学
    (4, "outsourced", "3000000", "0.12", None),             # 拉萨市人民医院
    (5, "shared_representative", "900000", None, None),     # 城关区机关事务服务中心
    (6, "own", "1800000", "0.15", None),                    # 林芝市第一中学
    # 7: 林芝市人民医院 has not filed yet.
    (8, "none", None, None, None),                          # 米林县人民政府: no canteen
]


def seed(ctx):
    """Policy for "54" (0.10, Tibetan origins only), a filing window, filings for most units
    (one with a ratio exception waiting for a decision)."""
    admin, units = ctx.get("admin"), ctx.get("units") or []
    if admin is None or not units:
        return
    now = utcnow()
    year = to_cst(now).year
    services.set_policy(admin, "54", year, "0.10", ["54"], True)
    services.set_filing_window(admin, year, date(year, 1, 1), date(year, 3, 31))
    # Filed in the window (mid-February, or today early in the year) so they are on time.
    filed_at = min(now, datetime(year, 2, 15, 10, tzinfo=CST).astimezone(timezone.utc))
    school = units[3] if len(units) > 3 else None
    if school is not None:  # a first version, corrected below: the history shows both
        services.file_quota(admin, school, year, "own", "2000000", now=filed_at)
    for index, status, budget, ratio, representative in FILINGS:
        if index >= len(units) or (representative is not None and representative >= len(units)):
            continue
        services.file_quota(admin, units[index], year, status, budget, ratio,
                            representative_unit=units[representative] if representative is not None
                            else None, now=filed_at)
    if len(units) > 2:
        # 林芝市财政局 corrects its filing to a lower ratio, citing an approving document: the
        # exception waits for the auditor or the admin (the 例外审批 page).
        services.file_quota(admin, units[2], year, "own", "500000", "0.05",
                            exception_ref=f"林财预〔{year}〕8号", now=filed_at)
    ctx["quota_year"] = year
