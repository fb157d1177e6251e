"""The product list as a buyer reads it: cards with sales counts, one filter bar that works
as a plain form (no JavaScript), and only origins that have something on sale."""
import re

from marketplace.catalog import services
from marketplace.extensions import db as _db
from tests.catalog.helpers import MEDOG, NYINGCHI, certified_staff, leaf, listed, page_text

LHASA = "540100"


def origin_options(html):
    select = re.search(r'<select name="region">(.*?)</select>', html, re.S).group(1)
    return set(re.findall(r'<option value="(\d{6})"', select))


def test_cards_show_how_many_were_sold(client, db):
    product = listed(name="林芝松茸")
    product.sales_count = 1234
    db.session.commit()
    html = page_text(client, "/products")
    card = re.search(r'data-testid="product-card">(.*?)</article>', html, re.S).group(1)
    assert re.search(r'data-testid="sales-count">已售 1234<', card)
    assert "库存 50" in card
    client.get("/language/en")
    assert "1234 sold" in page_text(client, "/products")


def test_the_filter_bar_is_a_plain_form_that_filters_and_keeps_the_choices(client, db):
    staff = certified_staff(NYINGCHI, MEDOG)
    mushrooms, tea = leaf("菌菇"), leaf("茶叶")
    listed(staff, name="林芝松茸", category=mushrooms.id, price="128.00", labels="gi")
    listed(staff, name="墨脱松茸", category=mushrooms.id, origin_region_code=MEDOG,
           price="99.00", labels="gi")
    listed(staff, name="墨脱绿茶", category=tea.id, origin_region_code=MEDOG, labels="gi")
    listed(staff, name="普通松茸", category=mushrooms.id, origin_region_code=MEDOG)
    _db.session.commit()
    html = page_text(client, "/products")
    bar = re.search(r'<form method="get"[^>]*data-testid="filter-bar".*?</form>', html, re.S)
    assert bar and '<button type="submit">' in bar.group(0)
    for name in ('name="category"', 'name="region"', 'name="label"', 'name="sort"',
                 'name="min_price"', 'name="in_stock"'):
        assert name in bar.group(0), name
    # What the browser sends when the form is submitted without any script.
    html = page_text(client, f"/products?q=&category={mushrooms.id}&region={MEDOG}"
                             "&min_price=&max_price=&label=gi&sort=price_asc")
    names = re.findall(r'class="product-name">([^<]+)<', html)
    assert names == ["墨脱松茸"]
    assert f'<option value="{mushrooms.id}" selected>' in html
    assert f'<option value="{MEDOG}" selected>' in html
    assert re.search(r'value="gi" checked', html)
    assert '<option value="price_asc" selected>' in html


def test_origins_without_anything_on_sale_are_not_offered(client, db):
    staff = certified_staff()
    product = listed(staff, name="林芝松茸")  # 巴宜区, 林芝市
    _db.session.commit()
    shown = origin_options(page_text(client, "/products"))
    assert shown == {"540000", "540400", NYINGCHI}
    assert LHASA not in shown and MEDOG not in shown
    services.pause_product(staff, product)
    _db.session.commit()
    assert origin_options(page_text(client, "/products")) == set()

