"""Malformed ids and parameters get a clear 400/404, never a 500, on both databases."""
import pytest


@pytest.mark.parametrize("url", ["/admin/organizations/99999999999", "/admin/organizations/-1",
                                 "/admin/regions/99999999999999",
                                 "/admin/organizations?kind=x&status=y&page=-5",
                                 "/admin/users?role=nobody&page=99999999999"])
def test_admin_pages_answer_bad_ids_without_a_server_error(client, login_as, url):
    login_as("admin")
    assert client.get(url).status_code in (200, 404)


def test_huge_ids_in_posted_urls_are_404(client, login_as, post_form):
    login_as("admin")
    assert post_form("/admin/users/99999999999/active", {"active": "0"}).status_code == 404
    login_as("unit_manager")
    assert client.get("/my/organization/addresses/99999999999").status_code == 404
    assert post_form("/my/organization/addresses/99999999999/delete").status_code == 404


def test_a_malformed_notification_id_is_400(client, login_as, post_form):
    login_as("purchaser")
    assert post_form("/notifications/read", {"id": "99999999999999"}).status_code == 400
    assert post_form("/notifications/read", {"id": "abc"}).status_code == 400
