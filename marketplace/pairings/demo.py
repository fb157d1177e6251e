"""Demo 万企兴万村 data around Lhasa and Nyingchi, made through the services: villages, pairings
(one on track, one met, one behind, one request waiting for the admin, several enterprises with
one village), their projects, purchases from the paired cooperatives (accepted, one in part, one
refunded), needs on the village board, an answer and its conversation, a village without a
partner.

Needs ctx["admin"], ctx["enterprise"], ctx["suppliers"], ctx["users"] (accounts) and
ctx["products"] (catalog). Adds ctx["pairings"] and a second enterprise's login.
"""
from decimal import ROUND_UP, Decimal

from marketplace.accounts.models import User
from marketplace.accounts.services import create_organization, create_user
from marketplace.ordering import services as ordering
from marketplace.pairings import services
from marketplace.payments.services import create_refund
from marketplace.timeutil import to_cst, utcnow

# Cooperatives of accounts.demo.SUPPLIERS used here, by county.
LULANG, NANYI, DAGZE, DAMXUNG = "540402", "540422", "540104", "540122"


def _staff(supplier):
    return User.query.filter_by(organization_id=supplier.id, role="supplier_staff",
                                active=True).order_by(User.id).first()


def _buy(buyer, supplier, products, quantity, accept=None, refund_fen=0):
    """An order from `supplier`, confirmed, shipped and accepted (`accept`: how many of the
    first line; all by default), with an optional refund on the first line."""
    items = [p for p in products if p.supplier_id == supplier.id and p.stock >= quantity]
    staff = _staff(supplier)
    if not items or staff is None:
        return 0
    order = ordering.place_orders(buyer, [(items[0].id, quantity)], "other",
                                  "拉萨市城关区金珠西路 99 号 公司仓库", "bank_transfer",
                                  "goods_first", invoice_title=buyer.organization.name)[0]
    ordering.confirm_order(order, staff)
    ordering.ship_order(order, staff, "中国邮政 EMS", f"EMS8{order.id:09d}")
    line = order.lines[0]
    ordering.accept_delivery(order, buyer, {line.id: line.quantity if accept is None else accept})
    if refund_fen:
        create_refund(order, staff, line.id, refund_fen, "部分货品规格不符，协商退款")
    return (line.accepted_quantity * line.unit_price_fen) - refund_fen


def _target_above(amount_fen, factor):
    """A round target (hundreds of yuan) of about `factor` × the amount."""
    hundreds = (Decimal(max(amount_fen, 100_000)) * Decimal(factor) / 10_000) \
        .quantize(Decimal(1), rounding=ROUND_UP)
    return f"{hundreds * 100}.00"


def seed(ctx):
    """Villages, pairings, purchases and the board (see the module docstring)."""
    admin, jingtu = ctx.get("admin"), ctx.get("enterprise")
    suppliers = {s.region_code: s for s in ctx.get("suppliers") or []}
    products = ctx.get("products") or []
    buyer = User.query.filter_by(organization_id=jingtu.id).first() if jingtu else None
    if admin is None or buyer is None or not {LULANG, NANYI, DAGZE} <= set(suppliers):
        return []
    year = to_cst(utcnow()).year
    yajiang = create_organization("林芝雅江农业开发有限公司", "enterprise", "540402",
                                  credit_code="91540400MA6T5678Y2", contact_name="次旺")
    yajiang_buyer = create_user("enterprise2@demo.cn", ctx["password"], "次旺（雅江农业）",
                                yajiang, "purchaser", password_hash=ctx.get("password_hash"))
    ctx["logins"].append(("purchaser", "enterprise2@demo.cn", ctx["password"], yajiang.name))

    # Purchases first: the targets are set around them, so the demo shows every pace.
    lulang = _buy(buyer, suppliers[LULANG], products, 40) + \
        _buy(buyer, suppliers[LULANG], products, 30, accept=28)
    nanyi_jingtu = _buy(buyer, suppliers[NANYI], products, 12)
    nanyi_yajiang = _buy(yajiang_buyer, suppliers[NANYI], products, 20, refund_fen=5_000)
    dagze = _buy(buyer, suppliers[DAGZE], products, 6)

    lulang_projects = [
        {"kind": "efficient_farming", "name": "松茸保育采收基地", "households": 46, "bases": 1},
        {"kind": "folk_tourism", "name": "扎西岗村藏家民宿", "households": 20}]
    dagze_projects = [
        {"kind": "processing_trade", "name": "青稞糌粑加工坊", "households": 60, "bases": 1},
        {"kind": "modern_logistics", "name": "拉萨冷链配送点", "households": 8}]
    pairings = [
        services.create_pairing(admin, jingtu.id, "鲁朗镇扎西岗村", LULANG,
                                [suppliers[LULANG].id], year, _target_above(lulang, "1.02"),
                                lulang_projects),
        services.create_pairing(admin, yajiang.id, "南伊乡才召村", NANYI, [suppliers[NANYI].id],
                                year, _target_above(nanyi_yajiang, "0.8"),
                                [{"kind": "special_breeding", "name": "藏香猪林下养殖",
                                  "households": 32, "bases": 2}]),
        services.create_pairing(admin, jingtu.id, "南伊乡才召村", NANYI, [suppliers[NANYI].id],
                                year, _target_above(nanyi_jingtu, "1.5"),
                                [{"kind": "processing_trade", "name": "藏香猪肉分割加工",
                                  "households": 15}]),
        services.create_pairing(admin, jingtu.id, "德庆镇唐嘎村", DAGZE, [suppliers[DAGZE].id],
                                year, _target_above(dagze, "20"), dagze_projects),
    ]
    if DAMXUNG in suppliers:
        village = services.find_village("纳木错乡曲登尼玛村", DAMXUNG, create_for=admin)
        pairings.append(services.request_pairing(
            buyer, village, [suppliers[DAMXUNG].id], year, "80000.00",
            [{"kind": "special_breeding", "name": "牦牛集中育肥", "households": 25}],
            note="计划每季度采购牦牛肉，带动牧户增收。"))
    services.add_village(admin, "易贡乡易贡村", "540424")

    coop_staff = _staff(suppliers[LULANG])
    matsutake = services.publish_need(
        coop_staff, "鲁朗镇扎西岗村", LULANG, "product", "鲁朗松茸 5000 斤寻找长期买家",
        "当季鲜松茸，产地直发，可冷链配送拉萨。", quantity=5000, unit="斤", season="7–9 月")
    services.publish_need(
        _staff(suppliers[DAGZE]), "德庆镇唐嘎村", DAGZE, "product", "有机青稞 2 万斤待售",
        "今年新收青稞，可加工糌粑。", quantity=20000, unit="斤", season="9–10 月")
    services.publish_need(
        admin, "易贡乡易贡村", "540424", "project", "易贡茶园民俗旅游项目寻找合作企业",
        "茶园观光与藏家乐，需企业投资运营，可带动 40 户村民。", project_kind="folk_tourism")
    conversation = services.answer_need(
        buyer, matsutake, "我司每月可采购松茸 300 斤，希望签订全年供货协议。")
    services.post_message(coop_staff, conversation, "可以，七月起每周发货两次，价格按月议定。")
    ctx["pairings"] = pairings
    return pairings
