"""The village board and villages: needs published by cooperatives and the admin, answered by
enterprises; the conversations an answer opens; the villages and their partners."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from marketplace.forms import ActionForm
from marketplace.i18n import translate as _
from marketplace.pairings import services
from marketplace.pairings.forms import MessageForm, NeedForm, VillageForm
from marketplace.pairings.models import NEED_KINDS, Pairing, Village
from marketplace.pairings.views import bp
from marketplace.regions.models import Region
from marketplace.timeutil import this_year
from marketplace.web import paginate, run_form

PER_PAGE = 30


def _aided_counties():
    return Region.query.filter(Region.level == 3, Region.aided.is_(True)).order_by(Region.code) \
        .all()


def _county_choices(user):
    """Counties a need or village may be published for: a cooperative's certified ones, any
    aided county for the admin."""
    if user.role == "supplier_staff":
        codes = services.supplier_counties(user.organization)
        counties = Region.query.filter(Region.code.in_(codes)).order_by(Region.code).all()
    else:
        counties = _aided_counties()
    return [SelectChoice("", _("（请选择）"))] + \
        [SelectChoice(c.code, f"{c.name}（{c.code}）") for c in counties]


def _region_arg():
    region = (request.args.get("county") or "").strip()
    return region if region.isdigit() and 2 <= len(region) <= 6 else None


@bp.get("/board")
@login_required
def board():
    """村级需求: the open needs, newest first, by county and kind, with a search."""
    kind = request.args.get("kind") if request.args.get("kind") in NEED_KINDS else None
    q = (request.args.get("q") or "").strip()[:50]
    pagination = paginate(services.needs_query(region=_region_arg(), kind=kind, q=q or None),
                          per_page=PER_PAGE)
    counties = Region.query.filter(Region.code.in_(
        services.villages_query().with_entities(Village.county_code))).order_by(Region.code).all()
    return render_template("pairings/board.html", pagination=pagination, kind=kind, q=q,
                           county=_region_arg(), counties=counties,
                           can_publish=services.can_publish(current_user))


@bp.route("/board/new", methods=["GET", "POST"])
@login_required
def new_need():
    """A cooperative (for a village of its certified counties) or the admin publishes a need."""
    if not services.can_publish(current_user):
        abort(403)
    form = NeedForm()
    form.county_code.choices = _county_choices(current_user)
    done, result = run_form(form, lambda: services.publish_need(
        current_user, form.village.data, form.county_code.data, form.kind.data,
        form.title.data, form.description.data, form.quantity.data, form.unit.data,
        form.season.data, form.project_kind.data or None), {"body": None})
    if done:
        flash(_("需求已发布到村级需求板。"), "success")
        return redirect(url_for("pairings.need", need_id=result.id))
    villages = services.villages_query().all()
    return render_template("pairings/need_form.html", form=form, villages=villages), result


@bp.get("/board/<int:need_id>")
@login_required
def need(need_id, answer_form=None, status=200):
    """A need: what the village offers or asks, the answer form for enterprises, and the
    conversations for its publisher and the admin (an enterprise sees its own)."""
    item = services.get_need(need_id)
    conversations = [c for c in item.conversations
                     if services.can_view_conversation(current_user, c)]
    return render_template(
        "pairings/need.html", need=item, conversations=conversations,
        answer_form=answer_form or MessageForm(),
        can_answer=services.is_enterprise_buyer(current_user) and item.status == "open",
        can_manage=services.can_manage_need(current_user, item), action_form=ActionForm()), status


@bp.post("/board/<int:need_id>/answer")
@login_required
def answer(need_id):
    """An enterprise answers: the conversation with the publisher opens."""
    item = services.get_need(need_id)
    form = MessageForm()
    sent, _status = _send(form, lambda body: services.answer_need(current_user, item, body).id,
                          _("已回应，对方会收到通知。"))
    if sent:
        return sent
    if not services.is_enterprise_buyer(current_user):
        abort(403)
    return need(item.id, answer_form=form, status=422)


@bp.post("/board/<int:need_id>/close")
@login_required
def close(need_id):
    item = services.get_need(need_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.close_need(current_user, item)
    flash(_("需求已关闭。"), "success")
    return redirect(url_for("pairings.need", need_id=item.id))


@bp.get("/conversations")
@login_required
def conversations():
    """The conversations the user takes part in (the admin: every one)."""
    pagination = paginate(services.conversations_of(current_user), per_page=PER_PAGE)
    return render_template("pairings/conversations.html", pagination=pagination)


@bp.route("/conversations/<int:conversation_id>", methods=["GET", "POST"])
@login_required
def conversation(conversation_id):
    """A conversation's messages and the reply form."""
    item = services.get_conversation(conversation_id, current_user)
    form = MessageForm()
    sent, status = _send(form, lambda body: services.post_message(current_user, item,
                                                                  body).conversation_id,
                         _("留言已发送。"))
    return sent or (render_template("pairings/conversation.html", conversation=item,
                                    form=form), status)


def _send(form, action, done_message):
    """A message form (an answer to a need, a reply): `action(body)` returns the id of the
    conversation it went to. :returns: (the redirect there, with `done_message` flashed, None),
    or (None, the status to show the form again with)."""
    done, result = run_form(form, lambda: action(form.body.data))
    if not done:
        return None, result
    flash(done_message, "success")
    return redirect(url_for("pairings.conversation", conversation_id=result)), None


@bp.route("/villages", methods=["GET", "POST"])
@login_required
def villages():
    """The villages by county, with how many enterprises pair with each this year; the admin
    registers a village (so the revitalisation view counts it, partner or not)."""
    form = VillageForm()
    form.county_code.choices = _county_choices(current_user)
    if request.method == "POST" and current_user.role != "admin":
        abort(403)
    done, result = run_form(form, lambda: services.add_village(
        current_user, form.name.data, form.county_code.data), {"village": "name"})
    if done:
        flash(_("已登记行政村 %(name)s。", name=result.name), "success")
        return redirect(url_for("pairings.village", village_id=result.id))
    q = (request.args.get("q") or "").strip()[:50]
    pagination = paginate(services.villages_query(_region_arg(), q or None), per_page=PER_PAGE)
    partners = _partners([v.id for v in pagination.items], this_year())
    return render_template("pairings/villages.html", pagination=pagination, form=form,
                           partners=partners, q=q, year=this_year()), result


def _partners(village_ids, year):
    """{village id: [active pairings of the year]}."""
    result = {}
    if village_ids:
        for pairing in Pairing.query.filter(Pairing.village_id.in_(village_ids),
                                            Pairing.year == year, Pairing.status == "active"):
            result.setdefault(pairing.village_id, []).append(pairing)
    return result


@bp.get("/villages/<int:village_id>")
@login_required
def village(village_id):
    """A village: its county's cooperatives, its open needs, the enterprises paired with it, and
    for an enterprise the way to ask to pair."""
    item = services.get_village(village_id)
    year = this_year()
    return render_template(
        "pairings/village.html", village=item, year=year,
        partners=_partners([item.id], year).get(item.id, []),
        needs=services.needs_query(village_id=item.id).all(),
        suppliers=services.county_suppliers_query(item.county_code).all(),
        can_request=services.is_enterprise_buyer(current_user))
