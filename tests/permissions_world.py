"""The world the permission table runs in: one of every organisation, role and object the routes
name, built once per test module and committed. Every request of the table is then rolled back
(`rolled_back_requests`), so each one meets this same world whatever the others did."""
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flask import current_app

from marketplace.accounts.models import DeliveryAddress
from marketplace.accounts.services import make_reset_token
from marketplace.catalog import uploads
from marketplace.catalog.models import (Category, ProductPhoto, ReferencePrice, SearchSynonym,
                                        SupplierDocument)
from marketplace.compliance import services as quota
from marketplace.compliance.models import QuotaPolicy
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.ordering import services as ordering
from marketplace.ordering.models import CartItem
from marketplace.payments.services import aftersales
from marketplace.pairings import services as pairings
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, SettlementItem, SettlementStatement
from marketplace.reports.models import ExportFile, ReportExport
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.helpers import PDF, image_bytes, upload

# Every role the table is asked of, in the order the answers are reported.
ROLES = ("visitor", "purchaser", "union_purchaser", "enterprise_purchaser", "manager",
         "other_manager", "supplier", "other_supplier", "auditor", "far_auditor", "admin",
         "deactivated", "suspended")
# Those who are not signed in, whatever they send: a visitor, a deactivated user and a member
# of a suspended organisation (their logins and tokens no longer work).
OUTSIDERS = ("visitor", "deactivated", "suspended")


def build_world():
    """Organisations, users of every role, a product with a photo, a cart, an address, orders
    (an accepted one with its photo, payments and a voucher; a completed one on a confirmed
    and invoiced statement),
    a certification with its document, a filing with its exception document, a policy."""
    year = to_cst(utcnow()).year
    admin = factories.user("admin", name="平台管理员")
    school = factories.org("budget_unit", name="拉萨一中", region_code="540102")
    union = factories.org("union", name="拉萨一中工会", region_code="540102", budget_unit=school)
    enterprise = factories.org("enterprise", name="净土公司", region_code="540102")
    other_unit = factories.org("budget_unit", name="林芝一中", region_code="540402")
    closed_unit = factories.org("budget_unit", name="已暂停单位", region_code="540102")
    supplier_org = factories.org("supplier", name="鲁朗合作社", region_code="540402",
                                 settlement_account="6228 0000 1111 2222")
    other_supplier_org = factories.org("supplier", name="达孜合作社", region_code="540102")
    users = {
        "admin": admin,
        "purchaser": factories.user("purchaser", organization=school, name="王采购"),
        "union_purchaser": factories.user("purchaser", organization=union),
        "enterprise_purchaser": factories.user("purchaser", organization=enterprise),
        "manager": factories.user("unit_manager", organization=school, name="李主任"),
        "other_manager": factories.user("unit_manager", organization=other_unit),
        "supplier": factories.user("supplier_staff", organization=supplier_org, name="次仁"),
        "other_supplier": factories.user("supplier_staff", organization=other_supplier_org),
        "auditor": factories.user("auditor", organization=factories.org(
            "audit_office", name="拉萨市审计局", region_code="540100")),
        "far_auditor": factories.user("auditor", organization=factories.org(
            "audit_office", name="林芝市审计局", region_code="540400")),
        "deactivated": factories.user("purchaser", organization=school, active=False),
        "suspended": factories.user("purchaser", organization=closed_unit),
    }
    closed_unit.status = "suspended"
    buyer, seller = users["purchaser"], users["supplier"]

    product = factories.product(supplier_org, name="林芝松茸", price_fen=12800, stock=500)
    second = factories.product(supplier_org, name="青稞面", price_fen=2550, stock=500)
    photo = ProductPhoto(product_id=product.id, position=0,
                         **uploads.save_photo(upload(image_bytes(size=(40, 30)), "a.png")))
    db.session.add(photo)
    category = Category.query.filter(Category.parent_id.isnot(None)).first()
    reference = ReferencePrice(category_id=category.id, unit="斤", price_fen=12000)
    db.session.add(reference)
    synonym = SearchSynonym(word="土豆", other="马铃薯", kind="equal")
    db.session.add(synonym)
    address = DeliveryAddress(organization_id=school.id, label="食堂", recipient="王采购",
                              phone="0891-6330001", address="拉萨市城关区江苏路 1 号")
    db.session.add(address)
    cert = factories.certify(supplier_org, "540402")
    stored = uploads.save_document(upload(PDF, "执照.pdf"))
    document = SupplierDocument(supplier_id=supplier_org.id, uploaded_by_id=seller.id, **stored)
    db.session.add(document)
    db.session.flush()

    # An accepted order (goods-first, something still due) with its acceptance photo, a pending
    # transfer with its voucher and a pending Stripe payment.
    [order] = ordering.place_orders(buyer, [(product.id, 3)], "canteen",
                                    ordering.format_address(address),
                                    "bank_transfer", "goods_first")
    ordering.confirm_order(order, seller)
    ordering.ship_order(order, seller, "顺丰", "SF1")
    ordering.accept_delivery(order, buyer, {order.lines[0].id: 2}, note="一件破损",
                             photo=image_bytes(size=(40, 30)))
    voucher = payments.save_voucher(upload(PDF, "voucher.pdf"))
    transfer = payments.record_transfer(order, buyer, 100, payments.today_cst(), "6217 0000",
                                        order.payment_reference, voucher_path=voucher)
    stripe_payment = Payment(order_id=order.id, method="stripe", amount_fen=200,
                             status="pending", payment_intent_id="pi_permission_table",
                             client_secret="secret", created_by_id=buyer.id)
    db.session.add(stripe_payment)
    # Its invoice, asked and issued (the accepted value: 2 of 3).
    payments.request_invoice(buyer, order, "拉萨一中", "", "normal", buyer.email)
    payments.issue_invoice(seller, order, "12345678", "1234567890", payments.today_cst(),
                           "256.00", upload(PDF, "发票.pdf"))
    # An after-sales complaint about one accepted unit, with a photo, waiting for the supplier.
    case = aftersales.open_case(order, buyer, order.lines[0].id, "complaint", 1, "包装破损",
                                [image_bytes(size=(40, 30))])
    # A completed order on a settlement statement.
    [done] = ordering.place_orders(buyer, [(second.id, 2)], "canteen",
                                   ordering.format_address(address), "bank_transfer", "goods_first")
    ordering.confirm_order(done, seller)
    ordering.ship_order(done, seller, "顺丰", "SF2")
    ordering.accept_delivery(done, buyer)
    paid = payments.record_transfer(done, buyer, 5100, payments.today_cst(), "6217 0000",
                                    done.payment_reference)
    payments.confirm_transfer(paid, seller)
    # Something in the buyer's cart (after its orders, which empty the cart of what they buy).
    cart_item = CartItem(user_id=buyer.id, product_id=second.id, quantity=2)
    db.session.add(cart_item)
    statement = SettlementStatement(
        number="JS-PERMISSIONS", supplier_id=supplier_org.id, buyer_organization_id=school.id,
        period_start=payments.today_cst() - timedelta(days=30),
        period_end=payments.today_cst(), total_fen=5100, created_by_id=seller.id,
        items=[SettlementItem(order_id=done.id, amount_fen=5100)])
    db.session.add(statement)
    db.session.flush()
    # Confirmed by the school, and its invoice asked and issued.
    payments.confirm_statement(statement, buyer)
    payments.request_statement_invoice(buyer, statement, "拉萨一中", "", "normal", buyer.email)
    payments.issue_statement_invoice(seller, statement, "87654321", "1234567890",
                                     payments.today_cst(), "51.00", upload(PDF, "发票.pdf"))

    # The school's filing, with an exception waiting and its approving document.
    filing = quota.file_quota(users["manager"], school, year, "own", "240000", "0.05",
                              exception_ref="藏财〔2026〕7号", document=upload(PDF, "批复.pdf"))
    policy = QuotaPolicy(region_prefix="5499", year=year, min_ratio="0.10",
                         eligible_origin_prefixes=["54"], count_union_purchases=True)
    db.session.add(policy)
    notify([buyer], "test", "一条消息", email=False)
    # 万企兴万村: the enterprise paired with a village of the supplier's county, a need the
    # supplier published on the board and the enterprise's answer to it.
    pairing = pairings.create_pairing(admin, enterprise.id, "扎西岗村", "540402",
                                      [supplier_org.id], year, "200000.00", [])
    need = pairings.publish_need(seller, "扎西岗村", "540402", "product", "松茸找买家",
                                 quantity=10, unit="斤", season="秋")
    conversation = pairings.answer_need(users["enterprise_purchaser"], need, "想买")
    kept_file = _kept_export(users["auditor"], year)
    db.session.flush()
    places = {
        "order": order.id, "done": done.id, "case": case.id, "case_photo": case.photos[0].id, "payment": transfer.id,
        "stripe_payment": stripe_payment.id, "product": product.id, "photo": photo.thumb_name,
        "supplier": supplier_org.id, "cart_item": cart_item.id, "address": address.id,
        "cert": cert.id, "document": document.stored_name, "category": category.id,
        "reference": reference.id, "synonym": synonym.id, "statement": statement.id, "filing": filing.id,
        "policy": policy.id, "unit": school.id, "org": other_supplier_org.id,
        "user": users["union_purchaser"].id, "line": order.lines[0].id, "year": year,
        "region": "540402", "token": make_reset_token(buyer),
        "buyer_org": school.id, "pairing": pairing.id, "village": pairing.village_id,
        "need": need.id, "conversation": conversation.id, "enterprise": enterprise.id,
        "export_file": kept_file.id,
    }
    db.session.commit()
    return places, {role: user.id for role, user in users.items()}


def _kept_export(owner, year):
    """A ledger the auditor had written by a job: ready, its file on disk."""
    folder = Path(current_app.config["EXPORTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "permissions-ledger.csv").write_bytes("\ufeffline_id\r\n".encode())
    export = ReportExport(token="f" * 32, kind="ledger", format="csv", year=year, filters={},
                          scope="jurisdiction:5401", user_id=owner.id,
                          organization_id=owner.organization_id)
    item = ExportFile(kind="ledger", format="csv", year=year, options={}, user_id=owner.id,
                      organization_id=owner.organization_id, state="ready", rows_written=0,
                      rows_expected=0, attempts=1, path="permissions-ledger.csv",
                      expires_at=utcnow() + timedelta(days=7), export=export)
    db.session.add(item)
    return item


@contextmanager
def rolled_back_requests(session):
    """Requests whose work is never committed: the request's commit only flushes, and all of
    it is rolled back afterwards, so the next request meets the world as it was built."""
    real_commit = session.commit
    session.commit = session.flush
    try:
        yield
    finally:
        session.rollback()
        session.commit = real_commit
