"""Where each role lands after logging in: its own start page, unless the login page was given
a safe `next` (an outside address is ignored)."""
import pytest

from tests import factories

START = {
    "purchaser": "/",
    "supplier_staff": "/supplier/workbench",
    "unit_manager": "/approvals",
    "auditor": "/quota/overview",
    "admin": "/admin/",
}


@pytest.mark.parametrize("role", sorted(START))
def test_each_role_lands_on_its_start_page(client, db, post_form, role):
    user = factories.user(role)
    db.session.commit()
    response = post_form("/login", {"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(START[role])
    assert client.get(START[role]).status_code == 200
    # A signed-in user who opens the login page again is sent to the same place.
    assert client.get("/login").headers["Location"].endswith(START[role])


def test_a_safe_next_wins_over_the_start_page(client, db, post_form):
    user = factories.user("supplier_staff")
    db.session.commit()
    response = post_form("/login?next=/supplier/products",
                         {"email": user.email, "password": factories.PASSWORD})
    assert response.headers["Location"].endswith("/supplier/products")


def test_an_outside_next_is_ignored(client, db, post_form):
    user = factories.user("supplier_staff")
    db.session.commit()
    response = post_form("/login?next=https://evil.example/", {"email": user.email,
                                                                "password": factories.PASSWORD})
    assert response.headers["Location"].endswith("/supplier/workbench")
