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
