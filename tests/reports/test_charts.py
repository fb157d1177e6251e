"""Server-side charts: the same bars as SVG for pages and drawn into the PDF."""
from decimal import Decimal
from xml.etree import ElementTree

from marketplace.reports import charts

ROWS = [{"status": "met", "completion_rate": "1.2000"},
        {"status": "behind", "completion_rate": "0.1000"},
        {"status": "behind", "completion_rate": "0.3000"},
        {"status": "exempt", "completion_rate": None},
        {"status": "not_filed", "completion_rate": None}]


def _parse(svg):
    return ElementTree.fromstring(str(svg))


def test_status_counts_chart_has_one_bar_per_status_with_its_count(app):
    with app.test_request_context():
        svg = _parse(charts.status_counts_svg(ROWS))
    bars = svg.findall("{http://www.w3.org/2000/svg}rect")
    assert len(bars) == len(charts.STATUS_ORDER)
    titles = [bar.find("{http://www.w3.org/2000/svg}title").text for bar in bars]
    assert titles[charts.STATUS_ORDER.index("behind")].endswith(": 2")
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[charts.STATUS_ORDER.index("behind")] == max(heights)
    assert heights[charts.STATUS_ORDER.index("on_track")] == 0


def test_completion_histogram_leaves_out_units_without_a_quota(app):
    assert [count for _label, count in charts.completion_counts(ROWS)] == [1, 1, 0, 0, 1]
    with app.test_request_context():
        svg = _parse(charts.completion_histogram_svg(ROWS))
    assert svg.get("role") == "img" and svg.get("aria-label")


def test_monthly_chart_escapes_labels_and_takes_amount_strings(app):
    with app.test_request_context():
        svg = charts.monthly_svg([("<1月>", "120.50"), ("2月", "0")], title="A & B")
    tree = _parse(svg)
    assert "&lt;1月&gt;" in str(svg) and "A &amp; B" in str(svg)
    assert len(tree.findall("{http://www.w3.org/2000/svg}rect")) == 2


def test_an_empty_selection_draws_an_empty_chart(app):
    with app.test_request_context():
        tree = _parse(charts.status_counts_svg([]))
    assert all(float(bar.get("height")) == 0
               for bar in tree.findall("{http://www.w3.org/2000/svg}rect"))


def test_monthly_chart_reads_fen_from_the_quota_months(app):
    months = [0] * 12
    months[2] = 1_234_567  # ¥12,345.67 in March
    with app.test_request_context():
        chart = charts.monthly_chart(months, fen=True)
        svg = charts.monthly_svg(months, fen=True)
    assert [bar.label for bar in chart.bars] == [str(month) for month in range(1, 13)]
    assert chart.bars[2].value == Decimal("12345.67") and chart.bars[2].text == "12,346"
    heights = [float(rect.get("height")) for rect in
               _parse(svg).findall("{http://www.w3.org/2000/svg}rect")]
    assert heights[2] == max(heights) and heights[0] == 0
