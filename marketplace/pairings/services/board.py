"""The village board: needs published by a county's cooperatives or the admin (a product looking
for buyers, with quantity and season; a project looking for a partner), browsed and answered by
enterprises. An answer opens a conversation between the enterprise and the publisher, which the
admin can read; each new message tells the other side."""
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.database import get_or_not_found
from marketplace.errors import FieldErrors, PermissionDenied, StateError
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.notifications.services import notify
from marketplace.pairings.models import (NEED_KINDS, PROJECT_KINDS, NeedConversation, NeedMessage,
                                         Village, VillageNeed)
from marketplace.timeutil import utcnow

from .common import admins, clean_text, is_enterprise_buyer, staff_of
from .villages import find_village, supplier_counties

MAX_QUANTITY = 100_000_000


def can_publish(user):
    return user.role in ("admin", "supplier_staff")


def publish_need(user, village_name, county_code, kind, title, description="", quantity=None,
                 unit=None, season=None, project_kind=None):
    """Publish a village's need on the board.

    A cooperative publishes for villages of a county it is certified for; the admin for any.
    A product need names a quantity, its unit and the season; a project need its kind.

    :raises PermissionDenied: neither a supplier's staff nor the admin, or a county the
        cooperative is not certified for.
    :raises ValidationError: a missing or bad field (nothing is written).
    """
    if not can_publish(user):
        raise PermissionDenied(_("只有合作社和平台管理员可以发布村级需求。"))
    errors = FieldErrors()  # every bad field of the need told at once
    if kind not in NEED_KINDS:
        errors.add(_("需求类型须是农产品或项目。"), "kind", "invalid")
    title = errors.check(clean_text, title, "title", _("请填写需求标题。"), max_length=120)
    description = errors.check(clean_text, description, "description", "", max_length=2000,
                               required=False, multiline=True) or ""
    fields = {"quantity": None, "unit": None, "season": None, "project_kind": None}
    if kind == "product":
        if isinstance(quantity, bool) or not str(quantity or "").strip().isdigit() or \
                not 0 < int(quantity) <= MAX_QUANTITY:
            errors.add(_("请填写大于 0 的数量。"), "quantity", "must_be_positive")
        else:
            fields["quantity"] = int(quantity)
        fields["unit"] = errors.check(clean_text, unit, "unit", _("请填写计量单位，如 斤、箱。"),
                                      max_length=20)
        fields["season"] = errors.check(clean_text, season, "season",
                                        _("请填写上市季节，如 7–9 月。"), max_length=60)
    elif kind in NEED_KINDS:
        if project_kind not in PROJECT_KINDS:
            errors.add(_("请选择项目类型。"), "project_kind", "invalid")
        fields["project_kind"] = project_kind
    village = errors.check(find_village, village_name, county_code)  # county and name, too
    errors.raise_any()
    if user.role == "supplier_staff" and \
            str(county_code) not in supplier_counties(user.organization):
        raise PermissionDenied(_("合作社只能为其认证县（区）的行政村发布需求。"),
                               fields={"county_code": "not_certified"})
    village = village or find_village(village_name, county_code, create_for=user)
    need = VillageNeed(village_id=village.id, kind=kind, title=title, description=description,
                       publisher_id=user.organization_id, published_by_id=user.id, **fields)
    db.session.add(need)
    db.session.flush()
    record("village_need.publish", need, actor=user,
           detail={"village_id": village.id, "kind": kind, "title": title, **fields})
    return need


def can_manage_need(user, need):
    """The publisher's staff and the admin."""
    return user.role == "admin" or user.organization_id == need.publisher_id


def close_need(user, need):
    """Take a need off the board (its conversations stay readable).

    :raises PermissionDenied: neither its publisher nor the admin. :raises StateError: closed.
    """
    if not can_manage_need(user, need):
        raise PermissionDenied(_("只有发布方和平台管理员可以关闭此需求。"))
    if need.status != "open":
        raise StateError(_("该需求已关闭。"))
    need.status, need.closed_at = "closed", utcnow()
    db.session.flush()
    record("village_need.close", need, actor=user, detail={"status": "closed"})
    return need


def get_need(need_id):
    """:raises NotFound:"""
    return get_or_not_found(VillageNeed, need_id, _("需求不存在。"))


def needs_query(region=None, kind=None, village_id=None, include_closed=False, q=None):
    """Needs on the board, newest first: open ones unless `include_closed`."""
    query = VillageNeed.query.join(Village, Village.id == VillageNeed.village_id)
    if not include_closed:
        query = query.filter(VillageNeed.status == "open")
    if region:
        query = query.filter(Village.county_code.like(f"{region}%"))
    if kind in NEED_KINDS:
        query = query.filter(VillageNeed.kind == kind)
    if village_id:
        query = query.filter(VillageNeed.village_id == village_id)
    if q:
        words = q.strip()[:50]
        query = query.filter(db.or_(VillageNeed.title.contains(words),
                                    Village.name.contains(words)))
    return query.order_by(VillageNeed.created_at.desc(), VillageNeed.id.desc())


def _other_side(conversation, author):
    """Who is told about a message: the enterprise's buyers when the publisher (or the admin)
    wrote, the publisher's staff otherwise; a need the admin published has the admins there."""
    need = conversation.need
    if author.organization_id == conversation.enterprise_id:
        publisher = need.publisher
        return admins() if publisher.kind == "platform" else staff_of(publisher)
    return [u for u in staff_of(conversation.enterprise) if u.role == "purchaser"]


def _add_message(conversation, author, body):
    body = clean_text(body, "body", _("请填写留言内容。"), max_length=2000, multiline=True)
    message = NeedMessage(author_id=author.id, body=body)
    conversation.messages.append(message)
    conversation.last_message_at = utcnow()
    db.session.flush()
    return message


def answer_need(user, need, body):
    """An enterprise answers a need: the conversation with the publisher opens (or continues)
    with this message, and the publisher is told.

    :raises PermissionDenied: not an enterprise's buyer. :raises StateError: the need is closed.
    :raises ValidationError: an empty or too long message (nothing is written).
    """
    if not is_enterprise_buyer(user):
        raise PermissionDenied(_("只有企业可以回应村级需求。"))
    if need.status != "open":
        raise StateError(_("该需求已关闭，不能再回应。"))
    clean_text(body, "body", _("请填写留言内容。"), max_length=2000, multiline=True)
    conversation = NeedConversation.query.filter_by(need_id=need.id,
                                                    enterprise_id=user.organization_id).first()
    opened = conversation is None
    if opened:
        conversation = NeedConversation(need_id=need.id, enterprise_id=user.organization_id,
                                        started_by_id=user.id)
        db.session.add(conversation)
        db.session.flush()
    message = _add_message(conversation, user, body)
    record("village_need.answer", conversation, actor=user,
           detail={"need_id": need.id, "message_id": message.id, "opened": opened})
    _tell(conversation, user, _l("【村级需求】%(enterprise)s 回应了“%(title)s”：%(text)s",
                                 enterprise=user.organization.name, title=need.title,
                                 text=message.body[:200]), "board.answer")
    return conversation


def can_view_conversation(user, conversation):
    """The enterprise, the need's publisher, and the admin."""
    return user.role == "admin" or user.organization_id in (
        conversation.enterprise_id, conversation.need.publisher_id)


def get_conversation(conversation_id, user):
    """:raises NotFound: no such conversation. :raises PermissionDenied: someone else's."""
    conversation = get_or_not_found(NeedConversation, conversation_id, _("对话不存在。"))
    if not can_view_conversation(user, conversation):
        raise PermissionDenied(_("您无权查看此对话。"))
    return conversation


def post_message(user, conversation, body):
    """A reply in a conversation, by one of its two sides or the admin; the other side is told.

    :raises PermissionDenied: not a participant. :raises ValidationError: empty or too long.
    """
    if not can_view_conversation(user, conversation):
        raise PermissionDenied(_("您无权在此对话中留言。"))
    if user.role not in ("admin", "purchaser", "supplier_staff"):
        raise PermissionDenied(_("您无权在此对话中留言。"))
    message = _add_message(conversation, user, body)
    record("need_conversation.message", conversation, actor=user,
           detail={"need_id": conversation.need_id, "message_id": message.id})
    _tell(conversation, user, _l("【村级需求】“%(title)s”有新留言：%(text)s",
                                 title=conversation.need.title, text=message.body[:200]),
          "board.message")
    return message


def _tell(conversation, author, message, kind):
    readers = [u for u in _other_side(conversation, author) if u.id != author.id]
    notify(readers, kind, message, link=f"/pairings/conversations/{conversation.id}")


def conversations_of(user):
    """The conversations `user` takes part in (the admin: every one), latest message first."""
    query = NeedConversation.query.join(VillageNeed, VillageNeed.id == NeedConversation.need_id)
    if user.role != "admin":
        query = query.filter(db.or_(NeedConversation.enterprise_id == user.organization_id,
                                    VillageNeed.publisher_id == user.organization_id))
    return query.order_by(NeedConversation.last_message_at.desc(), NeedConversation.id.desc())
