"""A cooperative registers, the admin approves it, it logs in, reads the site in English and
logs out, in Chromium on a phone-sized screen."""
import pytest

from marketplace.accounts.models import Organization
from tests import factories
from tests.journeys.helpers import log_out

pytestmark = pytest.mark.browser


def log_in(page, email, password):
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")


def test_supplier_registers_is_approved_logs_in_in_english_and_out(page, db):
    admin = factories.user("admin", name="平台管理员甲")
    db.session.commit()

    page.goto("/register")
    page.select_option("select[name=kind]", "supplier")
    page.fill("input[name=org_name]", "林芝市巴宜区松茸种植专业合作社")
    page.select_option("select[name=region_code]", "540402")
    page.fill("input[name=contact_name]", "扎西")
    page.fill("input[name=contact_phone]", "13900000000")
    page.fill("input[name=email]", "zhaxi@example.com")
    page.fill("input[name=password]", "songrong-2026")
    page.fill("input[name=confirm]", "songrong-2026")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=registered]")

    # Not approved yet: the login is refused with the usual message.
    log_in(page, "zhaxi@example.com", "songrong-2026")
    page.wait_for_selector("text=电子邮箱或密码错误")

    log_in(page, admin.email, factories.PASSWORD)
    page.wait_for_selector(f"text=欢迎，{admin.name}")
    page.goto("/admin/")
    page.click("text=林芝市巴宜区松茸种植专业合作社")
    page.select_option("select[name=action]", "approve")
    page.click("[data-testid=review-submit]")
    page.wait_for_selector("text=已通过审核")
    assert page.inner_text("[data-testid=org-status]") == "正常"
    log_out(page)

    log_in(page, "zhaxi@example.com", "songrong-2026")
    page.wait_for_selector("text=欢迎，扎西")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=logout] >> text=Log out", state="attached")
    page.goto("/my/organization")
    assert "My organisation" in page.text_content("header")     # its entry in the user's menu
    assert "林芝市巴宜区松茸种植专业合作社" in page.inner_text("h1")
    log_out(page, "You have logged out.")
    db.session.expire_all()
    org = Organization.query.filter_by(name="林芝市巴宜区松茸种植专业合作社").one()
    assert org.status == "active"
