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


SVG = "{http://www.w3.org/2000/svg}"


def _svgs(html):
    """The <svg class="chart"> elements of a page, parsed."""
    import re

    return [_parse(match) for match in re.findall(r'<svg [^>]*class="chart".*?</svg>', html, re.S)]


def test_the_running_total_stops_at_the_months_begun_and_the_target_is_drawn(app):
    months = [100_00, 0, 300_00] + [0] * 9
    with app.test_request_context():
        chart = charts.monthly_chart(months, fen=True, cumulative=True, target=1_000_00, upto=2)
        tree = _parse(charts.monthly_svg(months, fen=True, cumulative=True, target=1_000_00,
                                         upto=2))
    assert chart.line == [Decimal("100"), Decimal("100")] and chart.target == Decimal("1000")
    assert len(tree.find(f"{SVG}polyline").get("points").split()) == 2
    target = [line for line in tree.findall(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(target) == 1


def test_the_pdf_draws_the_monthly_chart_with_its_line(app):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    with app.test_request_context():
        chart = charts.monthly_chart([5_00] * 12, "Monthly", fen=True, cumulative=True,
                                     target=80_00, upto=6)
        chart.line_label = chart.target_label = "x"  # the core PDF font has no Chinese
    charts.draw_pdf(pdf, chart, 10, 10, 180, 60, "helvetica")
    assert bytes(pdf.output()).startswith(b"%PDF")


def test_the_auditor_overview_shows_the_completion_and_status_charts(client, db, login_as):
    from tests.reports.helpers import YEAR, build_world

    world = build_world()
    login_as(auditor_of_office(world.tibet_office))
    response = client.get(f"/quota/overview?year={YEAR}&status=met")
    assert response.status_code == 200
    completion, status = _svgs(response.get_data(as_text=True))
    # Three Tibetan units (the Beijing one is outside the office): the charts count all of them,
    # not only those the status filter lists.
    status_counts = [int(rect.find(f"{SVG}title").text.rsplit(": ", 1)[1])
                     for rect in status.findall(f"{SVG}rect")]
    assert sum(status_counts) == 3
    completion_counts = [int(rect.find(f"{SVG}title").text.rsplit(": ", 1)[1])
                         for rect in completion.findall(f"{SVG}rect")]
    assert sum(completion_counts) == 2  # the unit without a canteen has no completion rate


def test_the_unit_dashboard_draws_the_reports_monthly_chart_with_the_name_escaped(
        client, db, login_as):
    from tests import factories
    from tests.reports.helpers import YEAR, build_world

    world = build_world()
    world.root.name = "<b>自治区农业农村厅</b>"
    db.session.commit()
    login_as(factories.user("unit_manager", organization=world.root))
    response = client.get(f"/quota/?year={YEAR}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # The wide chart, and the same chart drawn for a phone's width (the page shows one).
    wide, narrow = _svgs(html)
    assert "&lt;b&gt;自治区农业农村厅&lt;/b&gt;" in html and "<b>自治区" not in html
    for monthly in (wide, narrow):
        assert "<b>自治区农业农村厅</b>" in monthly.find(f"{SVG}title").text
        bars = monthly.findall(f"{SVG}rect[@class='bar']") or monthly.findall(f"{SVG}rect")
        heights = [float(bar.get("height")) for bar in bars]
        assert len(heights) == 12
        assert heights[2] == max(heights) > 0  # March holds the root's accepted order
        assert monthly.find(f"{SVG}polyline") is not None


def auditor_of_office(office):
    from tests.reports.helpers import auditor_of

    return auditor_of(office)
