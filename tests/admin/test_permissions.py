"""Every admin, registry and organisation route refuses the wrong roles on the server."""
import pytest

from marketplace.accounts.models import Organization, User
from marketplace.regions.models import Region
from tests import factories

NON_ADMIN = ["purchaser", "unit_manager", "supplier_staff", "auditor"]

ADMIN_GETS = ["/admin/", "/admin/organizations", "/admin/organizations/new",
              "/admin/organizations/{org}", "/admin/users", "/admin/regions/",
              "/admin/regions/new", "/admin/regions/540402"]
ADMIN_POSTS = [("/admin/organizations/new", {"name": "x", "kind": "supplier",
                                            "region_code": "540402"}),
               ("/admin/organizations/{org}/edit", {"name": "改名", "region_code": "540402"}),
               ("/admin/organizations/{org}/status", {"action": "suspend", "note": "x"}),
               ("/admin/organizations/{org}/users", {"name": "x", "email": "x@example.com",
                                                     "password": "long-enough-1",
                                                     "role": "supplier_staff"}),
               ("/admin/users/{user}/active", {"active": "0"}),
               ("/admin/regions/new", {"code": "540498", "name": "x", "parent_code": "540400"}),
               ("/admin/regions/540402", {"code": "540402", "name": "改名"})]


@pytest.fixture
def target(db):
    supplier = factories.org("supplier", name="目标合作社")
    staff = factories.user("supplier_staff", organization=supplier)
    db.session.commit()
    return {"org": supplier.id, "user": staff.id}


@pytest.mark.parametrize("role", NON_ADMIN)
def test_admin_pages_refuse_other_roles(client, login_as, target, role):
    login_as(role)
    for url in ADMIN_GETS:
        assert client.get(url.format(**target)).status_code == 403, url


@pytest.mark.parametrize("role", NON_ADMIN)
def test_admin_actions_refuse_other_roles_and_change_nothing(client, db, login_as, post_form,
                                                              target, role):
    login_as(role)
    for url, data in ADMIN_POSTS:
        assert post_form(url.format(**target), data).status_code == 403, url
    db.session.expire_all()
    supplier = db.session.get(Organization, target["org"])
    assert (supplier.name, supplier.status) == ("目标合作社", "active")
    assert db.session.get(User, target["user"]).active is True
    assert User.query.filter_by(email="x@example.com").count() == 0
    assert db.session.get(Region, "540402").name == "巴宜区"


def test_anonymous_visitors_are_sent_to_log_in(client, db, target):
    for url in ADMIN_GETS + ["/my/organization", "/my/organization/addresses", "/my/password",
                             "/notifications/"]:
        response = client.get(url.format(**target))
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_organisation_pages_only_show_the_users_own_organisation(client, db, login_as,
                                                                 post_form, target):
    staff = login_as("supplier_staff")
    body = client.get("/my/organization").get_data(as_text=True)
    assert staff.organization.name in body and "目标合作社" not in body
    # adding a member always lands in the actor's own organisation
    post_form("/my/organization/members", {"name": "x", "email": "x@example.com",
                                            "password": "long-enough-1",
                                            "organization_id": str(target["org"])})
    added = User.query.filter_by(email="x@example.com").one()
    assert added.organization_id == staff.organization_id


@pytest.mark.parametrize("role", ["supplier_staff", "auditor", "admin"])
def test_address_and_threshold_pages_refuse_roles_without_a_unit(client, db, login_as,
                                                                  post_form, role):
    login_as(role)
    assert client.get("/my/organization/addresses").status_code == 403
    assert post_form("/my/organization/threshold", {"approval_threshold": "1"}).status_code == 403


def test_notifications_show_only_the_users_own(client, db, login_as, post_form):
    from marketplace.notifications.services import notify

    other = factories.user("purchaser")
    notify([other], "test", "别人的消息", email=False)
    user = login_as("purchaser")
    notify([user], "test", "我的消息", email=False)
    db.session.commit()
    body = client.get("/notifications/").get_data(as_text=True)
    assert "我的消息" in body and "别人的消息" not in body
    post_form("/notifications/read")
    from marketplace.notifications.models import Notification

    assert Notification.query.filter_by(user_id=other.id, read_at=None).count() == 1
    assert Notification.query.filter_by(user_id=user.id, read_at=None).count() == 0
