"""The compliance pages: dashboard, filing form, auditor overview, admin policies and windows."""
from datetime import date

from marketplace.compliance import services as q
from marketplace.compliance.models import Filing, FilingWindow, QuotaPolicy
from marketplace.extensions import db
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.compliance.helpers import BEIJING, filing, product, purchaser, unit
from tests.factories import accepted_order, shipped_order

YEAR = to_cst(utcnow()).year


def this_year_moment():
    return utcnow()


def test_the_manager_files_and_sees_the_reserved_amount(client, login_as, post_form):
    manager = login_as("unit_manager")
    page = client.get("/quota/filing")
    assert page.status_code == 200 and "预留份额填报" in page.get_data(as_text=True)
    response = post_form(f"/quota/filing?year={YEAR}",
                         {"canteen_status": "own", "food_budget": "200000", "ratio": ""},
                         follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "¥20,000.00" in text and "第 1 版" in text
    post_form(f"/quota/filing?year={YEAR}", {"canteen_status": "own", "food_budget": "300000",
                                             "ratio": "0.12"})
    history = client.get(f"/quota/filing?year={YEAR}").get_data(as_text=True)
    assert "¥36,000.00" in history and "¥20,000.00" in history   # both versions listed
    assert q.current_filing(manager.organization, YEAR).version == 2


def test_a_bad_filing_rerenders_the_form_with_the_message_and_stores_nothing(client, login_as,
                                                                               post_form):
    login_as("unit_manager")
    response = post_form(f"/quota/filing?year={YEAR}",
                         {"canteen_status": "own", "food_budget": "-100", "ratio": "0.10"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "不能为负数" in text and 'value="-100"' in text
    response = post_form(f"/quota/filing?year={YEAR}",
                         {"canteen_status": "own", "food_budget": "100", "ratio": "0.05"})
    assert response.status_code == 422 and "例外" in response.get_data(as_text=True)
    assert Filing.query.count() == 0


def test_filing_before_the_window_opens_is_refused_on_the_page(client, login_as, post_form):
    db.session.add(FilingWindow(year=YEAR + 1, opens_on=date(YEAR + 1, 1, 10),
                                closes_on=date(YEAR + 1, 3, 31)))
    db.session.commit()
    login_as("unit_manager")
    response = post_form(f"/quota/filing?year={YEAR + 1}",
                         {"canteen_status": "own", "food_budget": "1000"})
    assert response.status_code == 422 and "尚未开始" in response.get_data(as_text=True)
    assert Filing.query.count() == 0


def test_the_dashboard_shows_figures_pace_chart_lines_and_subtree(client, login_as):
    parent = unit("自治区某厅")
    child = unit("某厅下属中心", parent=parent)
    filing(parent, year=YEAR, budget_fen=10_000_000)
    accepted_order(purchaser(parent), [(product(price_fen=25_000), 2)], this_year_moment())
    accepted_order(purchaser(child), [(product(price_fen=10_000), 1)], this_year_moment())
    shipped_order(purchaser(parent), [(product(price_fen=7_000), 1)], this_year_moment())
    db.session.commit()
    login_as("unit_manager", organization=parent)
    response = client.get("/quota/")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-testid="quota-completed">¥500.00' in text
    assert 'data-testid="quota-reserved">¥10,000.00' in text
    assert 'data-testid="quota-in-progress">¥70.00' in text
    assert "<svg" in text and "polyline" in text
    assert 'data-testid="lines-total">¥500.00' in text
    assert 'data-testid="subtree-completed">¥600.00' in text and "某厅下属中心" in text


def test_a_manager_cannot_open_a_unit_outside_its_subtree(client, login_as):
    other = unit("外单位")
    db.session.commit()
    login_as("unit_manager")
    assert client.get(f"/quota/units/{other.id}").status_code == 403
    assert client.get("/quota/units/99999").status_code == 404
    assert client.get("/quota/overview").status_code == 403


def test_the_auditor_overview_counts_filters_sorts_and_drills_down(client, login_as):
    met, behind, unfiled = unit("甲单位"), unit("乙单位"), unit("丙单位")
    outside = unit("北京单位", region_code=BEIJING)
    filing(met, year=YEAR, budget_fen=100_000)
    filing(behind, year=YEAR, budget_fen=100_000_000)
    accepted_order(purchaser(met), [(product(price_fen=20_000), 1)], this_year_moment())
    db.session.commit()
    login_as("auditor")
    text = client.get("/quota/overview").get_data(as_text=True)
    assert "北京单位" not in text
    assert 'data-testid="count-filed"><strong>2</strong>' in text
    assert 'data-testid="count-not_filed"><strong>1</strong>' in text
    assert 'data-testid="count-met"><strong>1</strong>' in text
    filtered = client.get("/quota/overview?status=not_filed").get_data(as_text=True)
    assert "丙单位" in filtered and "甲单位" not in filtered
    assert '<option value="not_filed" selected>' in filtered     # the choice stays shown
    by_completed = client.get("/quota/overview?sort=completed&dir=desc").get_data(as_text=True)
    assert by_completed.index("甲单位") < by_completed.index("乙单位")
    named = client.get("/quota/overview?q=乙").get_data(as_text=True)
    assert "乙单位" in named and "甲单位" not in named
    detail = client.get(f"/quota/units/{met.id}")
    assert detail.status_code == 200 and "¥200.00" in detail.get_data(as_text=True)
    assert client.get(f"/quota/units/{outside.id}").status_code == 403
    assert client.get("/quota/overview?status=bogus").status_code == 400
    assert outside and unfiled and behind


def test_the_admin_keeps_policies_and_windows(client, login_as, post_form):
    login_as("admin")
    assert client.get("/quota/admin/policies").status_code == 200
    response = post_form("/quota/admin/policies", {
        "kind": "policy", "policy-region_prefix": "54", "policy-year": "2026",
        "policy-min_ratio": "0.12", "policy-eligible_origin_prefixes": "54, 63",
        "policy-count_union_purchases": "y"}, follow_redirects=True)
    assert response.status_code == 200
    policy = QuotaPolicy.query.one()
    assert (str(policy.min_ratio), policy.eligible_origin_prefixes) == ("0.1200", ["54", "63"])
    bad = post_form("/quota/admin/policies", {
        "kind": "policy", "policy-region_prefix": "54", "policy-year": "2026",
        "policy-min_ratio": "120%"})
    assert bad.status_code == 422
    response = post_form("/quota/admin/policies", {
        "kind": "window", "window-year": "2026", "window-opens_on": "2026-01-10",
        "window-closes_on": "2026-03-31"}, follow_redirects=True)
    assert "2026年3月31日" in response.get_data(as_text=True)
    bad = post_form("/quota/admin/policies", {
        "kind": "window", "window-year": "2026", "window-opens_on": "2026-04-10",
        "window-closes_on": "2026-03-31"})
    assert bad.status_code == 422 and db.session.get(FilingWindow, 2026).opens_on == date(2026, 1, 10)
    post_form(f"/quota/admin/policies/{policy.id}/delete")
    post_form("/quota/admin/windows/2026/delete")
    assert QuotaPolicy.query.count() == 0 and FilingWindow.query.count() == 0


def test_only_admins_reach_the_policy_pages(client, login_as):
    login_as("auditor")
    assert client.get("/quota/admin/policies").status_code == 403


def test_the_cart_partial_shows_how_far_the_order_takes_the_unit(app, client, login_as):
    buyer = login_as("purchaser")
    filing(buyer.organization, year=YEAR, budget_fen=1_000_000)
    item = product(price_fen=40_000)
    db.session.commit()
    from flask import render_template_string
    from flask_login import login_user

    with app.test_request_context("/cart"):
        login_user(buyer)
        html = render_template_string('{% include "compliance/_cart_progress.html" %}',
                                      cart_items=[(item, 2)])
    assert "¥800.00" in html and "¥1,000.00" in html and "¥200.00" in html
    progress = q.cart_progress(buyer, 80_000)
    assert (progress["reserved"], progress["after"], progress["remaining_after"]) == \
        (100_000, 80_000, 20_000)


def test_the_overview_speaks_english(client, login_as):
    login_as("auditor")
    client.get("/language/en")
    text = client.get("/quota/overview").get_data(as_text=True)
    assert "Reserved-share overview" in text and "Not filed" in text


def test_page_ids_that_cannot_exist_are_404(client, login_as, post_form):
    login_as("admin")
    assert client.get(f"/quota/units/{10**20}").status_code == 404
    assert client.get(f"/quota/filing?unit_id={10**20}").status_code == 404
    assert post_form(f"/quota/admin/policies/{10**20}/delete").status_code in (404, 405)
    assert post_form(f"/quota/admin/windows/{10**20}/delete").status_code in (404, 405)
    assert client.get("/quota/overview?year=abc").status_code == 400


def test_a_purchaser_sees_its_units_figures_but_cannot_file(client, login_as):
    buyer = login_as("purchaser")
    filing(buyer.organization, year=YEAR, budget_fen=1_000_000)
    accepted_order(buyer, [(product(price_fen=30_000), 1)], this_year_moment())
    db.session.commit()
    text = client.get("/quota/").get_data(as_text=True)
    assert 'data-testid="quota-completed">¥300.00' in text and 'data-testid="filing-link"' not in text
    assert client.get("/quota/filing").status_code == 403
    login_as("purchaser", organization=factories.org("enterprise"))
    assert client.get("/quota/").status_code == 403


def test_the_lines_link_the_orders_the_reader_may_open(client, login_as):
    buyer = login_as("purchaser")
    union = factories.org("union", budget_unit=buyer.organization)
    mine = accepted_order(buyer, [(product(price_fen=30_000), 1)], this_year_moment())
    theirs = accepted_order(factories.user("purchaser", organization=union),
                            [(product(price_fen=20_000), 1)], this_year_moment(),
                            purpose="union_welfare")
    db.session.commit()
    text = client.get("/quota/").get_data(as_text=True)
    lines = text[text.index('data-testid="quota-lines"'):]
    # The union's order counts for the unit but is not the purchaser's to open.
    assert f'href="/orders/{mine.id}">{mine.number}</a>' in lines
    assert theirs.number in lines and f'href="/orders/{theirs.id}"' not in lines
    assert client.get(f"/orders/{theirs.id}").status_code == 403


def test_a_budget_with_thousands_separators_and_a_ratio_in_percent_are_accepted(
        client, login_as, post_form):
    manager = login_as("unit_manager")
    response = post_form(f"/quota/filing?year={YEAR}",
                         {"canteen_status": "own", "food_budget": "2,600,000", "ratio": "10%"},
                         follow_redirects=True)
    assert response.status_code == 200 and "¥260,000.00" in response.get_data(as_text=True)
    for budget, ratio, reserved in (("２，６００，０００．５０", "12", "¥312,000.06"),
                                    ("¥1,000,000", "0.15", "¥150,000.00")):
        post_form(f"/quota/filing?year={YEAR}",
                  {"canteen_status": "own", "food_budget": budget, "ratio": ratio})
        assert reserved in client.get(f"/quota/filing?year={YEAR}").get_data(as_text=True)
    assert str(q.current_filing(manager.organization, YEAR).ratio.normalize()) == "0.15"
    form = client.get(f"/quota/filing?year={YEAR}").get_data(as_text=True)
    assert 'value="15%"' in form            # the share is shown back as a percentage
    wrong = post_form(f"/quota/filing?year={YEAR}",
                      {"canteen_status": "own", "food_budget": "26,00", "ratio": "10%"})
    assert wrong.status_code == 422 and 'value="26,00"' in wrong.get_data(as_text=True)
