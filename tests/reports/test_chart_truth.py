"""Charts checked against their numbers: one value axis for bars, running total and reserve,
a labelled axis, and a legend in the colours the plot uses (the manager's monthly chart)."""
import re
from xml.etree import ElementTree

import pytest

from marketplace.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
# The case: ¥2,061 in March against a ¥240,000 reserve, three months begun.
MONTHS = [0, 0, 2_061_00] + [0] * 9
RESERVE = 240_000_00


def _monthly(app, months=MONTHS, reserve=RESERVE, upto=3):
    with app.test_request_context():
        return ElementTree.fromstring(str(charts.monthly_svg(
            months, fen=True, cumulative=True, target=reserve, upto=upto, width=720,
            height=300)))


def _baseline(tree):
    bar = tree.find(f".//{SVG}rect[@class='bar']")
    return float(bar.get("y")) + float(bar.get("height"))


def _y_per_yuan(tree):
    """Pixels per yuan read off the reserve line: (baseline − its y) / its value."""
    target = tree.find(f".//{SVG}line[@class='target']")
    return (_baseline(tree) - float(target.get("y1"))) / float(target.get("data-value"))


def test_a_small_month_stands_small_under_a_large_reserve(app):
    tree = _monthly(app)
    march = tree.findall(f".//{SVG}rect[@class='bar']")[2]
    scale = _y_per_yuan(tree)
    assert float(march.get("height")) == pytest.approx(2061 * scale, abs=0.1)
    # ¥2,061 of ¥240,000 is under 1% of the height, not 60%.
    plot = _baseline(tree) - min(float(t.get("y")) - 4 for t in tree.iter(f"{SVG}text")
                                 if t.get("class") == "tick")
    assert float(march.get("height")) < plot * 0.01


def test_the_running_total_and_a_bar_of_the_same_value_stand_equally_high(app):
    tree = _monthly(app, months=[50_000_00, 70_000_00, 0] + [0] * 9)
    bars = tree.findall(f".//{SVG}rect[@class='bar']")
    points = [tuple(map(float, point.split(",")))
              for point in tree.find(f".//{SVG}polyline").get("points").split()]
    baseline = _baseline(tree)
    scale = _y_per_yuan(tree)
    assert baseline - points[0][1] == pytest.approx(float(bars[0].get("height")), abs=0.2)
    assert baseline - points[1][1] == pytest.approx(120_000 * scale, abs=0.2)
    assert len(points) == 3  # the months begun


def test_every_bar_is_proportional_to_its_value_on_the_reserve_lines_axis(app):
    months = [12_345_67, 0, 98_765_43, 1_00, 250_000_00] + [0] * 7
    tree = _monthly(app, months=months, upto=12)
    scale = _y_per_yuan(tree)
    for bar, fen in zip(tree.findall(f".//{SVG}rect[@class='bar']"), months):
        assert float(bar.get("height")) == pytest.approx(fen / 100 * scale, abs=0.1)


def test_the_value_axis_is_labelled_in_yuan_with_separators_and_covers_every_value(app):
    tree = _monthly(app)
    ticks = [t for t in tree.iter(f"{SVG}text") if t.get("class") == "tick"]
    labels = [t.text for t in ticks]
    assert labels[0] == "0" and labels[-1] == "250,000"  # the round number above ¥240,000
    values = [float(t.get("data-value")) for t in ticks]
    assert values == sorted(values) and values[-1] >= 240_000
    ys = [float(t.get("y")) for t in ticks]
    assert ys == sorted(ys, reverse=True)  # higher values higher up
    assert any(t.text == "元" for t in tree.iter(f"{SVG}text"))
    for tick, value in zip(ticks, values):
        assert tick.text == f"{value:,.0f}"


def test_the_legend_uses_the_plots_colours(app):
    tree = _monthly(app)
    legend = {item.find(f"{SVG}text").text: item.get("data-colour")
              for item in tree.iter(f"{SVG}g") if item.get("class") == "legend-item"}
    assert set(legend) == {"当月完成", "累计完成", "预留金额"}
    assert legend["当月完成"] == tree.find(f".//{SVG}rect[@class='bar']").get("fill")
    assert legend["累计完成"] == tree.find(f".//{SVG}polyline").get("stroke")
    assert legend["预留金额"] == tree.find(f".//{SVG}line[@class='target']").get("stroke")
    for item in tree.iter(f"{SVG}g"):
        if item.get("class") == "legend-item":
            swatch = item[0]
            assert (swatch.get("fill") or swatch.get("stroke")) == item.get("data-colour")


def test_the_unit_page_draws_the_chart_full_width_without_a_second_legend(client, db, login_as):
    manager = login_as("unit_manager")
    html = client.get(f"/quota/units/{manager.organization_id}").get_data(as_text=True)
    figure = re.search(r'data-testid="quota-monthly-chart"[^>]*>(.*?)</figure>', html, re.S).group(1)
    assert "<figcaption" not in figure and 'class="legend"' in figure
    css = client.get("/static/css/compliance.css").get_data(as_text=True)
    assert ".quota-chart svg { width: 100%; height: auto; }" in css
    # A phone gets the chart drawn for its width: all twelve months, nothing to scroll.
    wide, narrow = re.findall(r'<div class="chart-(wide|narrow)">', figure)
    assert (wide, narrow) == ("wide", "narrow")
    assert re.search(r"@media \(max-width: 600px\) \{\s*\.quota-chart \.chart-wide \{ display: none; \}", css)
    assert "max-width: 720px" not in css
