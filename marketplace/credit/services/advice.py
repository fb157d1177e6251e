"""What a supplier can do to rise: the next tier, and the habits its own record shows."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from marketplace.credit.services.rules import POINTS, next_tier

# What each losing reason asks of the supplier, and each earning reason invites.
HABITS = {
    "accepted_with_refusal": _l("发货前核对品名、数量和品质，与订单和商品描述一致，买方全部验收每单可得 "
                                "%(gain)s 分，部分拒收则扣 %(loss)s 分。"),
    "shipped_late": _l("确认订单后 72 小时内发货：超时发货每单扣 %(loss)s 分。"),
    "cancelled_by_supplier": _l("及时更新库存，只确认能按时供货的订单：供应商取消订单每单扣 %(loss)s 分。"),
    "poor_review": _l("回应买方的意见，改进包装和品质：1–2 星评价每条扣 %(loss)s 分，4–5 星评价每条加 "
                      "%(gain)s 分。"),
    "taken_down": _l("遵守上架规则（如实描述、合理定价、资质齐全）：商品被平台下架每次扣 %(loss)s 分。"),
}
GAINS = {"accepted_with_refusal": POINTS["accepted_in_full"], "poor_review": POINTS["good_review"]}


@dataclass
class Advice:
    """The next tier and the points missing, and the habits to keep or mend, most costly first."""

    next_tier: str
    missing: int
    mend: list     # [(reason, count, points lost, text)] reasons the record shows losses for
    keep: list     # [text] the ways to earn points


def advice_for(points, summary):
    """Advice from the supplier's points and its `summary` [(reason, count, points)]."""
    tier, missing = next_tier(points)
    lost = {reason: (count, total) for reason, count, total in summary if total < 0}
    mend = []
    for reason, (count, total) in sorted(lost.items(), key=lambda item: item[1][1]):
        if reason in HABITS:
            text = HABITS[reason] % {"loss": -POINTS[reason], "gain": GAINS.get(reason, 0)}
            mend.append((reason, count, total, text))
    keep = [_l("每笔订单按时发货、买方全部验收：+%(n)s 分。", n=POINTS["accepted_in_full"]),
            _l("买方给出 4–5 星评价：每条 +%(n)s 分。", n=POINTS["good_review"])]
    return Advice(tier, missing, mend, keep)
