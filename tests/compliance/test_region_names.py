"""People read regions by name: the auditor's overview, its region filter, a unit's policy
sentence and the delivery note show names (with their chain), never the codes."""
import re

from marketplace.extensions import db
from tests import factories
from tests.compliance.helpers import filing, product, purchaser, unit
from tests.compliance.test_pages import YEAR, this_year_moment
from tests.factories import accepted_order


def cells(page):
    """The text of the table cells (those labelled for the phone's cards too)."""
    return re.findall(r"<td(?: data-label=\"[^\"]*\")?>([^<]*)</td>", page)


def test_the_overview_lists_and_filters_regions_by_name(client, login_as):
    lhasa = unit("城关单位", region_code="540102")
    filing(lhasa, year=YEAR, budget_fen=100_000)
    db.session.commit()
    login_as("auditor")
    page = client.get("/quota/overview").get_data(as_text=True)
    assert "西藏自治区拉萨市城关区" in cells(page)
    assert "540102" not in cells(page)
    assert "地区代码" not in page
    # The filter offers names; the chosen option stays selected.
    assert re.search(r'<option value="540400"[^>]*>西藏自治区林芝市</option>', page)
    filtered = client.get("/quota/overview?region=540100").get_data(as_text=True)
    assert re.search(r'<option value="540100" selected>西藏自治区拉萨市</option>', filtered)
    assert "城关单位" in filtered


def test_the_unit_page_names_the_policy_region_and_the_origins(client, login_as):
    from decimal import Decimal

    from marketplace.compliance.models import QuotaPolicy

    db.session.add(QuotaPolicy(region_prefix="54", year=YEAR, min_ratio=Decimal("0.10"),
                               eligible_origin_prefixes=["5404", "540102"]))
    manager = login_as("unit_manager")
    filing(manager.organization, year=YEAR, budget_fen=100_000)
    accepted_order(purchaser(manager.organization), [(product(), 1)], this_year_moment())
    db.session.commit()
    page = client.get("/quota/").get_data(as_text=True)
    policy = re.search(r"适用政策：[^<]*", page).group(0)
    assert "适用政策：西藏自治区，" in policy
    assert "计入产地：西藏自治区林芝市、西藏自治区拉萨市城关区" in policy
    assert not re.search(r"\d{3,6}", policy.replace(str(YEAR), "")), policy
    assert "西藏自治区林芝市巴宜区" in cells(page)


def test_the_delivery_note_names_the_origin(client, db, login_as):
    from tests.ordering.helpers import checkout_and_ship

    order, _staff = checkout_and_ship(factories.user("purchaser"), factories.product())
    db.session.commit()
    login_as("admin")
    note = client.get(f"/orders/{order.id}/delivery-note").get_data(as_text=True)
    assert "西藏自治区林芝市巴宜区" in note and "540402" not in note
