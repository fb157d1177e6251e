"""The village board: needs published by a county's cooperatives or the admin, answered by
enterprises; an answer opens a conversation its two sides and the admin can read, and each new
message tells the other side."""
import pytest

from marketplace.audit.models import AuditEntry
from marketplace.errors import PermissionDenied, StateError, ValidationError
from marketplace.notifications.models import Notification
from marketplace.pairings import services
from marketplace.pairings.models import NeedConversation, Village, VillageNeed
from tests import factories
from tests.pairings.helpers import DAGZE, NYINGCHI, world


def product_need(user, county=NYINGCHI, **fields):
    values = dict(kind="product", title="鲁朗松茸 5000 斤找长期买家", description="7–9 月鲜货",
                  quantity=5000, unit="斤", season="7–9 月")
    values.update(fields)
    return services.publish_need(user, "扎西岗村", county, **values)


def test_a_cooperative_publishes_a_product_need_of_its_county(db):
    w = world()
    need = product_need(w.staff)
    assert (need.kind, need.quantity, need.unit, need.season, need.status) == \
        ("product", 5000, "斤", "7–9 月", "open")
    assert need.publisher_id == w.coop.id and need.village.county_code == NYINGCHI
    assert AuditEntry.query.filter_by(action="village_need.publish").count() == 1
    assert need in services.needs_query(region="5404").all()
    assert need not in services.needs_query(region="5401").all()


def test_a_cooperative_cannot_publish_for_a_county_it_is_not_certified_for(db):
    w = world()
    with pytest.raises(PermissionDenied):
        product_need(w.staff, county=DAGZE)
    assert VillageNeed.query.count() == 0 and Village.query.count() == 0


def test_the_admin_publishes_a_project_looking_for_a_partner(db):
    w = world()
    need = services.publish_need(w.admin, "易贡村", "540424", "project", "易贡茶园民宿合作",
                                 project_kind="folk_tourism")
    assert need.project_kind == "folk_tourism" and need.quantity is None


def test_enterprises_and_budget_units_do_not_publish(db):
    w = world()
    for user in (w.buyer, factories.user("purchaser"), factories.user("auditor")):
        with pytest.raises(PermissionDenied):
            product_need(user)


@pytest.mark.parametrize("fields, field", [
    ({"quantity": 0}, "quantity"), ({"quantity": None}, "quantity"),
    ({"unit": " "}, "unit"), ({"season": ""}, "season"), ({"title": ""}, "title"),
    ({"kind": "job"}, "kind"), ({"kind": "project", "project_kind": None}, "project_kind"),
    ({"title": "长" * 121}, "title"),
])
def test_a_need_missing_what_it_must_say_is_refused(db, fields, field):
    w = world()
    with pytest.raises(ValidationError) as error:
        product_need(w.staff, **fields)
    assert field in error.value.fields
    assert VillageNeed.query.count() == 0 and Village.query.count() == 0


def test_an_answer_opens_a_conversation_and_tells_the_publisher(db):
    w = world()
    colleague = factories.user("supplier_staff", organization=w.coop)
    need = product_need(w.staff)
    conversation = services.answer_need(w.buyer, need, "我司每月可采购 300 斤，请联系 0891-6330004")
    assert conversation.enterprise_id == w.enterprise.id
    assert [m.body for m in conversation.messages] == ["我司每月可采购 300 斤，请联系 0891-6330004"]
    told = Notification.query.filter_by(kind="board.answer").all()
    assert {n.user_id for n in told} == {w.staff.id, colleague.id}
    assert "拉萨净土农牧产品贸易有限公司" in told[0].message
    assert told[0].link == f"/pairings/conversations/{conversation.id}"
    # A second answer continues the same conversation.
    again = services.answer_need(w.buyer, need, "另外也需要藏香猪。")
    assert again.id == conversation.id and len(again.messages) == 2
    assert NeedConversation.query.count() == 1


def test_the_publisher_replies_and_the_enterprise_is_told(db):
    w = world()
    need = product_need(w.staff)
    conversation = services.answer_need(w.buyer, need, "想采购")
    services.post_message(w.staff, conversation, "好的，下周可以发货")
    assert Notification.query.filter_by(user_id=w.buyer.id, kind="board.message").count() == 1
    assert [a.action for a in AuditEntry.query.order_by(AuditEntry.id)][-1] == \
        "need_conversation.message"


def test_an_answer_to_a_need_the_admin_published_tells_the_admins(db):
    w = world()
    need = services.publish_need(w.admin, "易贡村", "540424", "project", "茶园民宿",
                                 project_kind="folk_tourism")
    services.answer_need(w.buyer, need, "有兴趣合作")
    assert Notification.query.filter_by(user_id=w.admin.id, kind="board.answer").count() == 1


def test_who_may_answer_read_and_write(db):
    w = world()
    need = product_need(w.staff)
    with pytest.raises(PermissionDenied):
        services.answer_need(factories.user("purchaser"), need, "食堂想买")  # a budget unit
    with pytest.raises(PermissionDenied):
        services.answer_need(w.staff, need, "自问自答")
    with pytest.raises(ValidationError):
        services.answer_need(w.buyer, need, "   ")
    conversation = services.answer_need(w.buyer, need, "想采购")
    stranger = factories.user("purchaser", organization=factories.org("enterprise"))
    readers = {user: services.can_view_conversation(user, conversation)
               for user in (w.admin, w.buyer, w.staff, stranger)}
    assert readers == {w.admin: True, w.buyer: True, w.staff: True, stranger: False}
    with pytest.raises(PermissionDenied):
        services.post_message(stranger, conversation, "插话")
    assert conversation in services.conversations_of(w.admin).all()
    assert services.conversations_of(stranger).all() == []


def test_a_closed_need_leaves_the_board_and_takes_no_answer(db):
    w = world()
    need = product_need(w.staff)
    with pytest.raises(PermissionDenied):
        services.close_need(w.buyer, need)
    services.close_need(w.staff, need)
    assert need not in services.needs_query().all()
    with pytest.raises(StateError):
        services.answer_need(w.buyer, need, "还要吗")
    with pytest.raises(StateError):
        services.close_need(w.admin, need)
