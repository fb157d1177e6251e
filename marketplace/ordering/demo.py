"""Demo orders: saved addresses and a handful of orders in every state, made through the services.

Needs ctx["users"], ctx["units"], ctx["union"], ctx["suppliers"] (accounts) and ctx["products"]
(catalog). Adds ctx["orders"].
"""
from marketplace.accounts.models import User
from marketplace.ordering import services


def _address(user, label, recipient, phone, address):
    saved = services.delivery_addresses(user.organization)
    return saved[0] if saved else services.add_delivery_address(user, label, recipient, phone,
                                                                address)


def _staff(supplier_id):
    return User.query.filter_by(organization_id=supplier_id, role="supplier_staff",
                                active=True).first()


def _buy(user, address, lines, terms="pay_first", method="bank_transfer"):
    purpose = "union_welfare" if user.organization.kind == "union" else "canteen"
    return services.place_orders(user, [(product.id, quantity) for product, quantity in lines],
                                 purpose, services.format_address(address), method, terms,
                                 invoice_title=user.organization.name)


def seed(ctx):
    """Saved addresses for the demo buyers and orders placed, confirmed (one pay-first, waiting
    for its payment before it can ship), shipped, accepted (one partly), cancelled and waiting
    for approval."""
    users = ctx.get("users") or {}
    products = [p for p in ctx.get("products") or [] if p.status == "active" and p.stock >= 20]
    purchaser, union_buyer = users.get("purchaser"), users.get("union_purchaser")
    if purchaser is None or not products:
        return []
    manager = users.get("unit_manager")
    home = _address(purchaser, "学生食堂", "王采购", "0891-6330001",
                    "拉萨市城关区江苏路 1 号 拉萨市第一中学食堂")
    _address(purchaser, "仓库", "王采购", "0891-6330001", "拉萨市城关区江苏路 1 号 后勤仓库")
    main_supplier = users["supplier_staff"].organization_id if "supplier_staff" in users else \
        products[0].supplier_id
    own = [p for p in products if p.supplier_id == main_supplier] or products[:4]
    others = [p for p in products if p.supplier_id != main_supplier]
    pick = lambda index: own[index % len(own)]  # noqa: E731 - a tiny local chooser

    orders = []
    placed = _buy(purchaser, home, [(pick(0), 2), (pick(1), 3)])
    confirmed = _buy(purchaser, home, [(pick(2), 5)], terms="goods_first")
    awaiting_payment = _buy(purchaser, home, [(pick(3), 2)])
    shipped = _buy(purchaser, home, [(pick(3), 4)], terms="goods_first")
    partly = _buy(purchaser, home, [(pick(0), 6), (pick(1), 2)], terms="goods_first")
    cancelled = _buy(purchaser, home, [(pick(2), 1)])
    orders += placed + confirmed + awaiting_payment + shipped + partly + cancelled
    staff = _staff(main_supplier)
    if staff is not None:
        for order in confirmed + awaiting_payment + shipped + partly:
            services.confirm_order(order, staff)
        for number, order in enumerate(shipped + partly, start=1):
            services.ship_order(order, staff, "中国邮政 EMS", f"EMS9{number:09d}")
        order = partly[0]
        services.accept_delivery(order, purchaser, {order.lines[0].id: order.lines[0].quantity - 1},
                                 note="一件包装破损，已退回供应商")
    services.cancel_order(cancelled[0], purchaser, "采购计划调整")

    # A large order waits for the unit manager (the school's threshold is ¥20,000).
    unit = purchaser.organization
    threshold = unit.approval_threshold_fen
    if threshold and others:
        expensive = max(others, key=lambda p: p.price_fen)
        quantity = min(expensive.stock, threshold // expensive.price_fen + 1)
        if quantity * expensive.price_fen > threshold and quantity >= expensive.min_order_qty:
            orders += _buy(purchaser, home, [(expensive, quantity)])

    if union_buyer is not None and others:
        union_home = _address(union_buyer, "工会活动室", "达瓦", "0891-6330003",
                              "拉萨市城关区江苏路 1 号 拉萨市第一中学工会")
        cheapest = min(others, key=lambda p: p.price_fen)
        welfare = _buy(union_buyer, union_home, [(cheapest, max(cheapest.min_order_qty, 3))],
                       terms="goods_first")
        orders += welfare
        if welfare[0].status == "pending_approval" and manager is not None \
                and services.can_approve(welfare[0], manager):
            services.approve_order(welfare[0], manager, "工会福利采购，同意")
        seller = _staff(welfare[0].supplier_id)
        if seller is not None and welfare[0].status == "placed":
            services.confirm_order(welfare[0], seller)
            services.ship_order(welfare[0], seller, "顺丰速运", "SF1400000001")
            services.accept_delivery(welfare[0], union_buyer)
    ctx["orders"] = orders
    return orders
