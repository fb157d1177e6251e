"""Steps every browser journey takes: signing in and out through the real forms."""
from tests import factories


def log_in(page, user, afresh=False):
    """Sign `user` in on the login page and wait until the header names them. `afresh`: every
    cookie of the browser is dropped first (whoever was signed in, a visitor's cart and
    language), to switch users without signing out."""
    if afresh:
        page.context.clear_cookies()
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector("[data-testid=logout]", state="attached")
    # On a phone the name is in the folded menu: there, not necessarily on screen.
    page.wait_for_selector(f"header >> text={user.name}", state="attached")
    # The start page laid out with its stylesheets, as a person first sees it.
    page.wait_for_load_state()


def open_menu_group(page, key):
    """Open one of the header's groups (the user's own is "account"), through the phone's menu
    button first when the menu is folded."""
    button = page.locator("[data-testid=menu-button]")
    if button.is_visible() and not page.locator("[data-testid=site-menu]").is_visible():
        button.click()
    group = page.locator(f"[data-testid=nav-group-{key}]")
    if group.get_attribute("open") is None:
        group.locator("summary").click()


def follow_menu(page, label):
    """Click the header's link `label` as a person would: the phone's menu button first when
    the menu is folded, then the group that holds the link when it is closed."""
    button = page.locator("[data-testid=menu-button]")
    if button.is_visible() and not page.locator("[data-testid=site-menu]").is_visible():
        button.click()
    link = page.locator("#site-menu").get_by_role("link", name=label, exact=True, include_hidden=True).first
    if not link.is_visible():
        group = link.locator("xpath=ancestor::details[1]")
        if group.count():
            group.locator("summary").click()
    link.click()


def log_out(page, farewell="您已退出登录"):
    """Log out with the button in the user's menu of the header."""
    open_menu_group(page, "account")
    page.click("[data-testid=logout]")
    page.wait_for_selector(f"text={farewell}")


def confirm_and_ship(page, order, carrier="中国邮政 EMS", tracking="EMS1234567890"):
    """The supplier's staff (signed in) confirms `order` from its queue, then ships it."""
    page.goto("/supplier/orders")
    page.click(f"[data-testid=confirm-{order.number}]")
    page.wait_for_selector(f"text=订单 {order.number} 已确认")
    page.goto("/supplier/orders?tab=to_ship")
    card = page.locator("[data-testid=queue-order]", has_text=order.number)
    card.locator("input[name=carrier]").fill(carrier)
    card.locator("input[name=tracking_number]").fill(tracking)
    card.locator(f"[data-testid=ship-{order.number}]").click()
    page.wait_for_selector(f"text=订单 {order.number} 已发货")


def shoot(page, path, name, fits=()):
    """Screenshots of the page at a desktop's and a phone's width (`path`.format(name, size)),
    for a person to look at; the page must not scroll sideways at either, nor any element
    matching a selector in `fits` (a box of its own may scroll inside the page). The desktop's
    size stays afterwards."""
    for size, width, height in (("desktop", 1366, 900), ("phone", 390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=path.format(name, size), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, size)
        for selector in fits:
            for box in page.locator(selector).all():
                assert box.bounding_box()["width"] <= width, (name, size, selector)
    page.set_viewport_size({"width": 1366, "height": 900})
