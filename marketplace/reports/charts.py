"""Server-side bar charts: one layout, drawn as SVG for pages and with fpdf2 for the PDF.

Pages call `status_counts_svg(rows)`, `completion_histogram_svg(rows)` and `monthly_svg(months)`
(the compliance pages through the template globals of marketplace/reports/views.py) and insert
the string as markup (no script, so the CSP is untouched); the PDF writer draws the same `Chart`
with `draw_pdf`. Rows are the quota rows of the API (`status`, `completion_rate`).

The SVG is marked safe only because it is built from numbers and constants, and every text in
it (titles, labels, a unit's name in a title) goes through `markupsafe.escape` first (text
already Markup, such as a translated title whose parameters Jinja escaped, is not escaped twice).
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from markupsafe import Markup, escape

from marketplace.i18n import translate as _
from marketplace.timeutil import to_cst, utcnow

STATUS_ORDER = ("met", "on_track", "behind", "not_met", "not_filed", "exempt")
STATUS_COLOURS = {
    "met": "#2e7d32",
    "on_track": "#1565c0",
    "behind": "#ef8f00",
    "not_met": "#c62828",
    "not_filed": "#757575",
    "exempt": "#b0bec5",
}
BAR_COLOUR = "#1565c0"
LINE_COLOUR = "#1c3d5a"
TARGET_COLOUR = "#c62828"
AXIS_COLOUR = "#90a4ae"
TICKS = 4  # gridlines above the baseline on the value axis


def status_label(status):
    """The human name of a quota status."""
    labels = {
        "met": _("已完成"),
        "on_track": _("进度正常"),
        "behind": _("进度落后"),
        "not_met": _("未完成"),
        "not_filed": _("未填报"),
        "exempt": _("免于考核"),
    }
    return labels.get(status, status or "")


@dataclass
class Bar:
    label: str
    value: Decimal
    colour: str = BAR_COLOUR
    text: str = ""  # the value as shown above the bar


@dataclass
class Chart:
    title: str
    bars: list = field(default_factory=list)
    unit: str = ""
    line: list = None  # running totals drawn as a line on their own scale (may stop early)
    target: Decimal = None  # a reference level on the line's scale, dashed (the reserved amount)
    line_label: str = ""
    target_label: str = ""
    bar_label: str = ""  # the bars' name in the legend (only charts with a line or a target)

    @property
    def maximum(self):
        """The top of the one value axis that bars, line and target share: a round number at
        or above every value, so a bar and the line at the same value stand equally high."""
        values = [bar.value for bar in self.bars] + list(self.line or []) + [self.target or 0]
        return nice_ceiling(max(values + [Decimal(0)]))

    @property
    def has_overlay(self):
        return self.line is not None or self.target is not None

    def legend(self):
        """[(colour, label, kind)] of what the plot draws, in the plot's own colours."""
        if not self.has_overlay:
            return []
        items = [(BAR_COLOUR, self.bar_label, "bar")]
        if self.line is not None:
            items.append((LINE_COLOUR, self.line_label, "line"))
        if self.target is not None:
            items.append((TARGET_COLOUR, self.target_label, "target"))
        return items


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 × 10^n at or above `value` (1 for nothing), for ticks."""
    value = Decimal(value)
    if value <= 0:
        return Decimal(1)
    step = Decimal(1)
    while step * 10 <= value:
        step *= 10
    while step > value:
        step /= 10
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def ticks(chart):
    """The value axis' labelled levels, baseline first."""
    top = chart.maximum
    return [top * index / TICKS for index in range(TICKS + 1)]


def tick_text(value):
    """A tick's label with thousands separators (240,000; 2.5 stays 2.5)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _rate(row):
    value = row.get("completion_rate")
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def status_counts_chart(rows):
    """Units per status, in the order met → exempt; `rows` are quota rows, or a mapping of
    status → count (keys that are not statuses, such as the overview's "filed", are ignored)."""
    counts = {status: 0 for status in STATUS_ORDER}
    if isinstance(rows, Mapping):
        counts.update({status: int(rows.get(status) or 0) for status in STATUS_ORDER})
        rows = []
    for row in rows:
        status = row.get("status")
        counts[status] = counts.get(status, 0) + 1
    bars = [Bar(status_label(status), Decimal(count), STATUS_COLOURS.get(status, BAR_COLOUR),
                str(count)) for status, count in counts.items()]
    return Chart(_("各状态单位数"), bars)


COMPLETION_BUCKETS = ((Decimal("0"), Decimal("0.25"), "0–25%"),
                      (Decimal("0.25"), Decimal("0.5"), "25–50%"),
                      (Decimal("0.5"), Decimal("0.75"), "50–75%"),
                      (Decimal("0.75"), Decimal("1"), "75–100%"),
                      (Decimal("1"), None, "≥100%"))


def completion_counts(rows):
    """[(label, count)] of units per completion-rate bucket (units with nothing reserved: none)."""
    counts = [0] * len(COMPLETION_BUCKETS)
    for row in rows:
        rate = _rate(row)
        if rate is None:
            continue
        for index, (low, high, _label) in enumerate(COMPLETION_BUCKETS):
            if rate >= low and (high is None or rate < high):
                counts[index] += 1
                break
    return [(bucket[2], count) for bucket, count in zip(COMPLETION_BUCKETS, counts)]


def completion_histogram_chart(rows):
    """How many units reached which share of their reserved amount."""
    colours = ("#c62828", "#ef8f00", "#f9a825", "#1565c0", "#2e7d32")
    bars = [Bar(label, Decimal(count), colour, str(count))
            for (label, count), colour in zip(completion_counts(rows), colours)]
    return Chart(_("完成率分布（单位数）"), bars)


def _amount(amount, fen):
    return Decimal(int(amount or 0)) / 100 if fen else Decimal(str(amount or 0))


def monthly_chart(months, title=None, fen=False, cumulative=False, target=None, upto=None):
    """Amounts per month: `months` is [(label, amount)] or 12 amounts (Decimal yuan or strings;
    integer fen with `fen=True`, as compliance's `UnitQuota.months`).

    With `cumulative`, the running total is drawn as a line over the first `upto` months (the
    months that have begun); `target` (same unit as the amounts) is drawn as a dashed level.
    """
    bars = []
    for index, item in enumerate(months):
        label, amount = item if isinstance(item, (tuple, list)) else (f"{index + 1}", item)
        value = _amount(amount, fen)
        bars.append(Bar(str(label), value, BAR_COLOUR, f"{value:,.0f}"))
    chart = Chart(title or _("每月完成金额（元）"), bars, bar_label=_("当月完成"))
    if cumulative:
        running, chart.line = Decimal(0), []
        for bar in bars[:len(bars) if upto is None else max(0, upto)]:
            running += bar.value
            chart.line.append(running)
        chart.line_label = _("累计完成")
    if target is not None:
        chart.target = _amount(target, fen)
        chart.target_label = _("预留金额")
    return chart


def months_begun(year, now=None):
    """How many months of `year` have begun in Beijing time: 12 for past years, 0 for later."""
    today = to_cst(now or utcnow())
    if today.year != year:
        return 12 if today.year > year else 0
    return today.month


# --- layout -------------------------------------------------------------------------------

@dataclass
class Placed:
    bar: Bar
    x: float
    y: float
    width: float
    height: float


def layout(chart, width, height, *, top=34.0, bottom=26.0, left=8.0, right=8.0):
    """Where each bar goes inside a width × height box (y grows downwards, as in SVG and fpdf2).

    Bars, the running total and the target share one value axis (`chart.maximum`), so heights
    compare truthfully; charts with an overlay leave room on the left for the axis' labels.
    """
    count = max(len(chart.bars), 1)
    plot_width = width - left - right
    plot_height = height - top - bottom
    slot = plot_width / count
    bar_width = slot * 0.62
    placed = []
    for index, bar in enumerate(chart.bars):
        bar_height = y_scale(chart, plot_height)(bar.value)
        x = left + index * slot + (slot - bar_width) / 2
        y = top + plot_height - bar_height
        placed.append(Placed(bar, x, y, bar_width, bar_height))
    return placed, top + plot_height


def y_scale(chart, plot_height):
    """The function from a value to its height above the baseline on the chart's one axis."""
    top = chart.maximum

    def height_of(value):
        return float(Decimal(value) / top) * plot_height

    return height_of


def overlay(chart, placed, baseline, plot_top):
    """The line's points [(x, y)] (one per bar centre) and the target's y, on the bars' axis."""
    height_of = y_scale(chart, baseline - plot_top)
    points = [(item.x + item.width / 2, baseline - height_of(value))
              for item, value in zip(placed, chart.line or [])]
    target_y = baseline - height_of(chart.target) if chart.target is not None else None
    return points, target_y


SVG_LEGEND = 26  # the legend's row under the title, on charts with an overlay


def to_svg(chart, width=360, height=200):
    """The chart as an accessible SVG string (role="img", a title, one <title> per bar).

    Charts with a line or a target draw a labelled value axis (¥ ticks with gridlines) and a
    legend in the plot's own colours."""
    axis = chart.has_overlay
    # Wide charts (drawn full width) carry larger type, so a phone that shows them at ~600 px
    # still reads labels of about 10 px.
    font = max(10, round(width / 60)) if axis else (11 if len(chart.bars) <= 6 else 9)
    scale = font / 10 if axis else 1
    top = (34.0 + SVG_LEGEND) * scale if axis else 34.0
    left = 5.8 * font if axis else 8.0
    placed, baseline = layout(chart, width, height, top=top, left=left,
                              bottom=26.0 * scale)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-label="{escape(chart.title)}">',
        f'<title>{escape(chart.title)}</title>',
        # a wide chart's title starts at the left, where a phone that scrolls it shows it
        f'<text x="{8 if axis else width / 2:.1f}" y="{14 * scale:.1f}" '
        f'text-anchor="{"start" if axis else "middle"}" '
        f'font-size="{12 * scale:.0f}" font-weight="bold">{escape(chart.title)}</text>',
    ]
    if axis:
        height_of = y_scale(chart, baseline - top)
        parts.append(f'<g class="axis" font-size="{font}">')
        for value in ticks(chart):
            y = baseline - height_of(value)
            parts.append(f'<line x1="{left - 4:.1f}" y1="{y:.1f}" x2="{width - 6}" y2="{y:.1f}" '
                         f'stroke="#e3e8ec" stroke-width="1"/>')
            parts.append(f'<text class="tick" x="{left - 6:.1f}" y="{y + 4:.1f}" '
                         f'text-anchor="end" data-value="{value}">{tick_text(value)}</text>')
        parts.append(f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" '
                     f'y2="{baseline:.1f}" stroke="{AXIS_COLOUR}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6:.1f}" y="{top - 1.1 * font:.1f}" text-anchor="end" '
                     f'font-size="{font}">{escape(chart.unit or _("元"))}</text></g>')
        parts.append(_svg_legend(chart, font, 34.0 * scale))
    parts.append(f'<line x1="6" y1="{baseline:.1f}" x2="{width - 6}" y2="{baseline:.1f}" '
                 f'stroke="{AXIS_COLOUR}" stroke-width="1"/>')
    for item in placed:
        centre = item.x + item.width / 2
        parts.append(
            f'<rect class="bar" x="{item.x:.1f}" y="{item.y:.1f}" width="{item.width:.1f}" '
            f'height="{item.height:.1f}" fill="{item.bar.colour}" data-value="{item.bar.value}">'
            f'<title>{escape(item.bar.label)}: {escape(item.bar.text)}</title></rect>')
        if not axis:  # with an axis the values are read on it (and in each bar's <title>)
            parts.append(f'<text x="{centre:.1f}" y="{item.y - 3:.1f}" text-anchor="middle" '
                         f'font-size="{font}">{escape(item.bar.text)}</text>')
        parts.append(f'<text x="{centre:.1f}" y="{baseline + 14 * scale:.1f}" text-anchor="middle" '
                     f'font-size="{font}">{escape(item.bar.label)}</text>')
    if axis:
        points, target_y = overlay(chart, placed, baseline, top)
        if target_y is not None:
            parts.append(f'<line class="target" x1="{left:.1f}" y1="{target_y:.1f}" '
                         f'x2="{width - 6}" y2="{target_y:.1f}" data-value="{chart.target}" '
                         f'stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="5 3">'
                         f'<title>{escape(chart.target_label)}: {chart.target:,.2f}</title>'
                         f'</line>')
        if points:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline class="line" points="{coords}" fill="none" '
                         f'stroke="{LINE_COLOUR}" stroke-width="2"><title>'
                         f'{escape(chart.line_label)}: {chart.line[-1]:,.2f}</title></polyline>')
            for (x, y), value in zip(points, chart.line):
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{LINE_COLOUR}">'
                             f'<title>{escape(chart.line_label)}: {value:,.2f}</title></circle>')
    parts.append("</svg>")
    # Every text inside was escaped above, so the markup is safe to insert into a page.
    return Markup("".join(parts))


def _svg_legend(chart, font, y):
    """The legend row under the title: a swatch per series in the colour the plot uses."""
    parts, x, unit = ['<g class="legend">'], 8.0, font / 10
    for colour, label, kind in chart.legend():
        if kind == "bar":
            swatch = (f'<rect x="{x:.1f}" y="{y - 9 * unit:.1f}" width="{font}" height="{font}" '
                      f'fill="{colour}"/>')
        else:
            dash = ' stroke-dasharray="5 3"' if kind == "target" else ""
            swatch = (f'<line x1="{x:.1f}" y1="{y - 4 * unit:.1f}" x2="{x + 14 * unit:.1f}" '
                      f'y2="{y - 4 * unit:.1f}" '
                      f'stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<g class="legend-item" data-colour="{colour}">{swatch}'
                     f'<text x="{x + 18 * unit:.1f}" y="{y:.1f}" font-size="{font}">{escape(label)}'
                     f'</text></g>')
        x += 34 * unit + len(str(label)) * font
    parts.append("</g>")
    return "".join(parts)


def _hex_rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[index:index + 2], 16) for index in (0, 2, 4))


def draw_pdf(pdf, chart, x, y, width, height, font_family):
    """Draw the chart with fpdf2 primitives in the box at (x, y), in the document's units (mm)."""
    placed, baseline = layout(chart, width, height, top=12, bottom=9, left=3, right=3)
    pdf.set_font(font_family, size=9)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(x, y + 1)
    pdf.cell(width, 5, chart.title, align="C")
    pdf.set_draw_color(144, 164, 174)
    pdf.line(x + 2, y + baseline, x + width - 2, y + baseline)
    pdf.set_font(font_family, size=7)
    for item in placed:
        pdf.set_fill_color(*_hex_rgb(item.bar.colour))
        if item.height > 0:
            pdf.rect(x + item.x, y + item.y, item.width, item.height, style="F")
        pdf.set_xy(x + item.x - 4, y + item.y - 4)
        pdf.cell(item.width + 8, 4, item.bar.text, align="C")
        pdf.set_xy(x + item.x - 4, y + baseline + 1)
        pdf.cell(item.width + 8, 4, item.bar.label, align="C")
    if chart.line is not None or chart.target is not None:
        points, target_y = overlay(chart, placed, baseline, 12)
        if target_y is not None:
            pdf.set_draw_color(*_hex_rgb(TARGET_COLOUR))
            pdf.set_dash_pattern(dash=1.5, gap=1)
            pdf.line(x + 2, y + target_y, x + width - 2, y + target_y)
            pdf.set_dash_pattern()
        pdf.set_draw_color(*_hex_rgb(LINE_COLOUR))
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            pdf.line(x + x1, y + y1, x + x2, y + y2)
        pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)


def status_counts_svg(rows, width=360, height=200):
    """SVG: units per quota status."""
    return to_svg(status_counts_chart(rows), width, height)


def completion_histogram_svg(rows, width=360, height=200):
    """SVG: units per completion-rate bucket."""
    return to_svg(completion_histogram_chart(rows), width, height)


def monthly_svg(months, title=None, width=420, height=200, fen=False, cumulative=False,
                target=None, upto=None):
    """SVG: an amount per month ([(label, amount)] or twelve amounts; fen with `fen=True`), with
    the running total and the target when asked (see `monthly_chart`)."""
    return to_svg(monthly_chart(months, title, fen, cumulative, target, upto), width, height)
