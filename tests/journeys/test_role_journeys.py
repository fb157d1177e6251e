"""A day's walk per role: each user signs in once, lands on its start page and follows the
header to its everyday pages (the last one also in English), each seen at a desktop's 1366×900 and a phone's 390×844 (axe
checks every page). Nothing on a page may stand wider than the screen but a table's own
scrolling frame; the screenshots go to $JOURNEY_ARTIFACTS (default: a folder in the system's
temporary directory), to be looked at."""
import os
import tempfile
from pathlib import Path

import pytest

from datetime import timedelta

from marketplace.accounts.models import Organization
from marketplace.catalog.models import ProductPhoto
from marketplace.catalog.uploads import save_photo
from marketplace.extensions import db
from marketplace.timeutil import utcnow
from tests import factories
from tests.helpers import image_bytes, upload
from tests.journeys.helpers import follow_menu, log_in

pytestmark = pytest.mark.browser

SIZES = (("desktop", 1366, 900), ("phone", 390, 844))
# role → (start page's path, the header's entries walked after it)
WALKS = {
    "purchaser": ("/", ("订单", "购物车", "预留份额", "商品")),  # the list last, in English too
    "supplier_staff": ("/supplier/workbench", ("订单处理", "我的商品", "账款")),
    "unit_manager": ("/approvals", ("订单", "预留份额", "我的单位")),
    "auditor": ("/quota/overview", ("例外审批", "订单", "报表")),
    "admin": ("/admin/", ("认证审核", "商品管理", "预留政策")),
}
# Content wider than the viewport outside a scrolling frame (a table's, the filter bar's):
# what a phone cuts off.
OVERFLOW = """() => {
  const scrolls = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
    if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return true;
    return false; };
  return [...document.querySelectorAll("main *")].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > window.innerWidth + 1 && !scrolls(el);
  }).slice(0, 5).map(el => el.tagName + "." + el.className + " " + (el.innerText || "").slice(0, 40));
}"""


def artifacts():
    folder = Path(os.environ.get("JOURNEY_ARTIFACTS")
                  or Path(tempfile.gettempdir()) / "journey-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def look(page, role, step):
    """The page at both sizes: saved for a person to look at, checked for cut-off content."""
    for size, width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_load_state()
        page.screenshot(path=str(artifacts() / f"{role}-{step}-{size}.png"), full_page=True)
        assert page.evaluate(OVERFLOW) == [], (role, step, size)
        assert page.locator("h1").count() >= 1


def _world(parties):
    """What a working week leaves behind: a product with its photo, orders of the buyer in
    every everyday state (one accepted in part, one cancelled), a unit below the buyer's with
    orders of its own, so each role's lists and figures have something real to show."""
    # Names a person would read (the factories' "supplier-35" tell nothing on a screenshot).
    parties.supplier_org.name, parties.supplier.name = "林芝市巴宜区松茸专业合作社", "次仁卓玛"
    parties.buyer.organization.name, parties.buyer.name = "拉萨市人民医院", "王建国"
    photo = save_photo(upload(image_bytes("JPEG", (800, 600), (196, 120, 60)), "songrong.jpg"))
    db.session.add(ProductPhoto(product=parties.product, position=0, **photo))
    now = utcnow()
    for days, status, extra in ((9, "completed", {}), (6, "accepted", {"accepted": {0: 1}}),
                                (4, "shipped", {}), (3, "confirmed", {}), (2, "placed", {}),
                                (1, "pending_approval", {}), (5, "cancelled", {})):
        at = now - timedelta(days=days)
        if status in ("completed", "accepted"):
            extra = dict(extra, accepted_at=at + timedelta(days=2), shipped_at=at + timedelta(days=1))
        elif status == "shipped":
            extra = dict(extra, shipped_at=at + timedelta(days=1), carrier="中国邮政 EMS",
                         tracking_number="EMS1234567890")
        parties.order(status, quantity=2 + days % 3, other_quantity=days % 2 * 4,
                      created_at=at, **extra)
    school = factories.org(parent=parties.buyer.organization, name="拉萨市第一中学")
    canteen_buyer = factories.user("purchaser", organization=school, name="第一中学食堂")
    factories.order(canteen_buyer, [(parties.other, 20)], status="pending_approval")
    factories.order(canteen_buyer, [(parties.product, 3)], status="accepted",
                    accepted_at=now - timedelta(days=8), shipped_at=now - timedelta(days=9))


@pytest.mark.parametrize("role", sorted(WALKS))
def test_each_role_walks_its_everyday_pages_at_both_sizes(page, parties, role):
    user = {"purchaser": parties.buyer, "supplier_staff": parties.supplier}.get(role)
    if user is None:
        unit = db.session.get(Organization, parties.buyer.organization_id) \
            if role == "unit_manager" else None
        user = factories.user(role, organization=unit, name=f"测试{role}")
    _world(parties)
    db.session.commit()
    start, entries = WALKS[role]
    log_in(page, user)
    assert page.url.endswith(start)
    look(page, role, "start")
    for number, entry in enumerate(entries, 1):
        page.set_viewport_size({"width": 1366, "height": 900})
        follow_menu(page, entry)
        page.wait_for_load_state()
        look(page, role, f"{number}")
    # The last page again in English: the switch stays on the page, every word translated.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[lang=en]")
    look(page, role, f"{len(entries)}-en")
