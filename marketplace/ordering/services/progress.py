"""Where an order stands: the steps of the progress stepper and whose turn it is.

The stepper reads the order's events, so a cancelled or rejected order shows truthfully how far
it got and where it stopped, instead of pretending to be at the first step.
"""
from marketplace.i18n import translate as _
from marketplace.i18n import translate_in

# Each step and the statuses that reach it (an order awaiting approval has been placed).
STEPS = (("placed", ("pending_approval", "placed")), ("confirmed", ("confirmed",)),
         ("shipped", ("shipped",)), ("accepted", ("accepted",)), ("completed", ("completed",)))
STOPPED = ("cancelled", "rejected")


def _step_labels():
    # Their own context: the same words are buttons elsewhere ("发货": Ship).
    return {step: translate_in("order step", word) for step, word in (
        ("placed", "下单"), ("confirmed", "确认"), ("shipped", "发货"), ("accepted", "验收"),
        ("completed", "完成"))}


def _step_of(status):
    for index, (_key, statuses) in enumerate(STEPS):
        if status in statuses:
            return index
    return None


def progress_steps(order):
    """The stepper: one dict per step with `key`, `label`, `state` and `at` (when reached).

    `state` is "done", "current" (the step the order is at, or "completed" once completed),
    "todo", or "stopped" (the step that would have come next when the order was cancelled or
    rejected; its label then says so, and the later steps are left out). Awaiting approval, the first step is current with a
    note saying approval is awaited.
    """
    labels = _step_labels()
    reached_at = {}
    for event in sorted(order.events, key=lambda e: (e.at, e.id or 0)):
        index = _step_of(event.to_status)
        if index is not None:
            reached_at.setdefault(index, event.at)
    reached_at.setdefault(0, order.created_at)
    if order.status in STOPPED:
        last = max(reached_at)
        stop = last + 1 if last + 1 < len(STEPS) else last
    else:
        last = _step_of(order.status) or 0
        stop = None
    steps = []
    for index, (key, _statuses) in enumerate(STEPS):
        if stop is not None and index > stop:
            break  # a stopped order never reaches the later steps: they are not shown
        if stop is not None and index == stop:
            state = "stopped"
            label = _("已驳回") if order.status == "rejected" else _("已取消")
        elif index < last or (index == last and (key == "completed" or stop is not None)):
            state, label = "done", labels[key]
        elif index == last:
            state, label = "current", labels[key]
        else:
            state, label = "todo", labels[key]
        note = _("待审批") if key == "placed" and order.status == "pending_approval" else None
        steps.append({"key": key, "label": label, "state": state, "note": note,
                      "at": reached_at.get(index) if state in ("done", "current") else None})
    return steps


def waiting_on(order):
    """Whose turn it is in the order's flow, as (party, what): party is "buyer", "supplier",
    "manager" or None when nothing waits (payments say their own turn: see payments)."""
    return {
        "pending_approval": ("manager", _("单位负责人审批订单")),
        "placed": ("supplier", _("供应商确认订单")),
        "confirmed": ("supplier", _("供应商发货")),
        "shipped": ("buyer", _("采购方验收")),
    }.get(order.status, (None, None))
