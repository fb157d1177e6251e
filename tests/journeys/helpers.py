"""Steps every browser journey takes: signing in and out through the real forms."""
from tests import factories


def log_in(page, user):
    """Sign `user` in on the login page and wait until the header names them."""
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector("[data-testid=logout]")
    page.wait_for_selector(f"header >> text={user.name}")


def log_out(page):
    page.click("[data-testid=logout]")
    page.wait_for_selector("text=您已退出登录")


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
