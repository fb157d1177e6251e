"""Journey per role at a desktop's 1366×900 and a phone's 390×844: after logging in each user
lands on their start page; on the desktop the header's entries stand on one row and a group
opens its list; on the phone the menu folds behind a button that opens it (by pointer and by
keyboard, without JavaScript) and the groups open inside it. Screenshots in /tmp."""
import pytest
from playwright.sync_api import expect

from marketplace.notifications.services import notify
from tests import factories
from tests.catalog.helpers import certified_staff, listed
from tests.journeys.helpers import log_in, log_out, open_menu_group

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
# role → (start page's path, a group of its header, an entry of that group)
ROLES = {
    "purchaser": ("/", "buy", "订单"),
    "supplier_staff": ("/supplier/workbench", "sell", "订单处理"),
    "unit_manager": ("/approvals", "buy", "订单审批"),
    "auditor": ("/quota/overview", "quota", "例外审批"),
    "admin": ("/admin/", "review", "认证审核"),
}


def header_rows(page):
    """How many rows the header's visible top entries take."""
    tops = page.eval_on_selector_all(
        "header nav > ul > li", "items => items.filter(li => li.offsetParent !== null)"
        ".map(li => Math.round(li.getBoundingClientRect().top))")
    return len({round(top / 20) for top in tops})


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_finds_its_way_on_desktop_and_phone(chromium, live_server, db, role, size):
    user = factories.user(role, name=f"测试{role}")
    notify([user], "test", "一条新消息", email=False)
    db.session.commit()
    width, height = SIZES[size]
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN",
                                   viewport={"width": width, "height": height})
    context.set_default_timeout(10000)
    page = context.new_page()
    start, group, entry = ROLES[role]
    try:
        log_in(page, user)
        assert page.url.endswith(start)
        if size == "desktop":
            assert header_rows(page) == 1
            assert not page.is_visible("[data-testid=menu-button]")
        else:
            assert page.is_visible("[data-testid=menu-button]")
            assert page.inner_text("[data-testid=menu-count]") == "1"   # the unread message
            expect(page.locator("[data-testid=site-menu]")).to_be_hidden()
            page.screenshot(path=f"/tmp/nav-{role}-{size}-closed.png")
            # By keyboard: the button is a focusable checkbox that Space ticks.
            page.focus("#menu-toggle")
            page.keyboard.press("Space")
            expect(page.locator("[data-testid=site-menu]")).to_be_visible()
            page.keyboard.press("Space")
            expect(page.locator("[data-testid=site-menu]")).to_be_hidden()
        # Everyone sees their unread count.
        assert page.inner_text("[data-testid='count-notifications.index']") == "1"
        open_menu_group(page, group)
        link = page.locator(f"[data-testid=nav-group-{group}] a", has_text=entry)
        expect(link).to_be_visible()
        page.screenshot(path=f"/tmp/nav-{role}-{size}.png")
        link.click()
        page.wait_for_load_state()
        assert page.locator("h1").count() >= 1
        log_out(page)
    finally:
        context.close()


def test_the_buyers_cart_count_shows_what_was_added(page, db):
    staff = certified_staff(name="雪域合作社")
    product = listed(staff, name="林芝野生松茸", stock="50")
    buyer = factories.user("purchaser", name="王采购")
    db.session.commit()
    log_in(page, buyer)
    assert page.locator("[data-testid='count-ordering.cart']").count() == 0
    page.goto(f"/products/{product.id}")
    page.click("[data-testid=cart-form] button[type=submit]")
    page.wait_for_selector("text=已将 林芝野生松茸 加入购物车")
    page.click("[data-testid=menu-button]")
    assert page.inner_text("[data-testid='count-ordering.cart']") == "1"
    page.screenshot(path="/tmp/nav-cart-count-phone.png")


@pytest.mark.parametrize("role", ["supplier_staff", "admin"])
def test_the_english_header_keeps_each_entry_on_one_line_at_1366(page, db, role):
    user = factories.user(role)
    db.session.commit()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/language/en")
    log_in(page, user)
    heights = page.evaluate("""[...document.querySelectorAll(
        'header ul.menu > li > details > summary, header ul.menu > li > a, header .lang-bar a')]
        .map(entry => [entry.innerText, Math.round(entry.getBoundingClientRect().height)])""")
    # One line each: a group's arrow beside its name, "中文" whole.
    assert all(height < 48 for _text, height in heights), [h for h in heights if h[1] >= 48]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=f"/tmp/nav-english-{role}.png")
