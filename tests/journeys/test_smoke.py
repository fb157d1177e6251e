"""The smallest journey: a visitor opens the home page and logs in, in Chromium."""
import pytest

from tests import factories

pytestmark = pytest.mark.browser


def test_purchaser_logs_in_and_out(page, db):
    user = factories.user("purchaser")
    db.session.commit()
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector(f"text={user.name}")
    page.click("[data-testid=logout]")
    page.wait_for_selector("text=您已退出登录")
