"""The permission table: every route of the app, pages and API, asked by every role.

One declared table (ROUTES) names, for each route and method of the URL map, who gets
through; everyone else gets the refusal it declares (403 by default, 404 where the object is
not theirs to know of), visitors, deactivated users and members of a suspended organisation
are sent to log in (pages) or get 401 (API). A route the app has and the table lacks fails
`test_every_route_is_in_the_table`. Each request runs in a transaction rolled back afterwards,
against a world built once per module, on both databases.
"""
from dataclasses import dataclass, field

import pytest

from marketplace.accounts.models import User
from marketplace.accounts.services import start_login
from marketplace.api.core import issue_token
from marketplace.compliance.models import FilingWindow
from marketplace.extensions import db as _db
from marketplace.extensions import limiter
from tests import factories
from tests.conftest import Client, _clean
from tests.helpers import csrf_token
from tests.permissions_world import OUTSIDERS, ROLES, build_world, rolled_back_requests

P, UP, EP, M, OM = "purchaser", "union_purchaser", "enterprise_purchaser", "manager", \
    "other_manager"
S, OS, AU, FA, AD = "supplier", "other_supplier", "auditor", "far_auditor", "admin"
BUYERS = {P, UP, EP}
SIGNED_IN = {P, UP, EP, M, OM, S, OS, AU, FA, AD}
ORDER_SEES = {P, M, S, AU, AD}         # the accepted order: buyer, its unit, supplier, auditor
MANAGERS = {M, OM}
SUPPLIERS = {S, OS}
QUOTA = {M, OM, AU, FA, AD}
LEDGER = QUOTA | SUPPLIERS
EVERYONE = set(ROLES)
# Buyers of other organisations: the statement is not theirs to know of.
OTHER_BUYERS = {UP: 404, EP: 404, OM: 404}
# Those who may export but do not own the auditor's kept file: it does not exist for them.
NOT_THE_FILES = {role: 404 for role in LEDGER - {AU, AD}}


@dataclass
class Route:
    """One route and method: who passes, what the others get, what is sent."""

    method: str
    rule: str                    # as in the URL map
    allow: set                   # roles that get through
    url: str = None              # the URL asked (placeholders from the world), else `rule`
    data: dict = None            # form fields (pages) or JSON body (API)
    deny: int = 403              # what other signed-in roles get
    deny_for: dict = field(default_factory=dict)   # per-role refusals that differ
    public: bool = False         # no login needed: outsiders are treated as anyone
    expect: int = None           # a fixed answer for everyone who passes (e.g. 400)

    @property
    def api(self):
        return self.rule.startswith("/api/")

    def expected(self, role):
        if role in self.deny_for:
            return self.deny_for[role]
        if role in OUTSIDERS and not self.public:
            return 401 if self.api else "login"
        if self.public or role in self.allow:
            return "pass"
        return self.deny


def web(method, rule, allow, url=None, **options):
    return Route(method, rule, set(allow), url, **options)


def api(method, rule, allow, url=None, **options):
    return Route(method, rule, set(allow), url, **options)


ADDRESS = {"label": "仓库", "recipient": "张三", "phone": "0891-1234567", "address": "拉萨市"}
ORDER_BODY = {"lines": [{"product_id": "{product}", "quantity": 1}], "purpose": "canteen",
              "delivery_address": "拉萨市城关区 食堂", "payment_method": "bank_transfer",
              "payment_terms": "goods_first"}
OWN_LOGIN = {"email": "{own_email}", "password": factories.PASSWORD}
NO_LOGIN = {"visitor": 401, "deactivated": 401, "suspended": 401}

ROUTES = [
    # --- the catalogue and accounts, open to everyone
    web("GET", "/", EVERYONE, public=True),
    web("GET", "/products", EVERYONE, public=True),
    web("GET", "/products/<int:product_id>", EVERYONE, "/products/{product}", public=True),
    web("GET", "/products/suggestions", EVERYONE, "/products/suggestions?q=song", public=True),
    web("GET", "/stores/<int:supplier_id>", EVERYONE, "/stores/{supplier}", public=True),
    web("GET", "/origins/<code>", EVERYONE, "/origins/{region}", public=True),
    web("GET", "/media/catalog/<name>", EVERYONE, "/media/catalog/{photo}", public=True),
    web("GET", "/login", EVERYONE, public=True),
    web("POST", "/login", EVERYONE, data=OWN_LOGIN, public=True, deny_for=NO_LOGIN),
    web("GET", "/register", EVERYONE, public=True),
    web("POST", "/register", EVERYONE, data={"kind": "enterprise"}, public=True),
    web("GET", "/register/done", EVERYONE, public=True),
    web("GET", "/password/forgot", EVERYONE, public=True),
    web("POST", "/password/forgot", EVERYONE, data={"email": "nobody@example.com"}, public=True),
    web("GET", "/password/reset/<token>", EVERYONE, "/password/reset/{token}", public=True),
    web("POST", "/password/reset/<token>", EVERYONE, "/password/reset/{token}",
        data={"password": "x"}, public=True),
    web("GET", "/language/<code>", EVERYONE, "/language/en", public=True),
    web("POST", "/language/<code>", EVERYONE, "/language/en", public=True),
    web("POST", "/webhooks/stripe", EVERYONE, data={}, public=True, expect=400),
    web("POST", "/logout", SIGNED_IN),
    # --- one's own organisation, password, messages
    web("GET", "/my/organization", SIGNED_IN),
    web("POST", "/my/organization/members", {M, OM, S, OS},
        data={"name": "新同事", "email": "colleague@example.com", "password": "long-enough-42"}),
    web("POST", "/my/organization/threshold", MANAGERS, data={"approval_threshold": "5000"}),
    web("GET", "/my/organization/addresses", {M, OM, UP, EP}),
    web("POST", "/my/organization/addresses", {M, OM, UP, EP}, data=ADDRESS),
    web("GET", "/my/organization/addresses/<int:address_id>", {M},
        "/my/organization/addresses/{address}", deny_for={UP: 404, EP: 404, OM: 404}),
    web("POST", "/my/organization/addresses/<int:address_id>", {M},
        "/my/organization/addresses/{address}", data=ADDRESS,
        deny_for={UP: 404, EP: 404, OM: 404}),
    web("POST", "/my/organization/addresses/<int:address_id>/delete", {M},
        "/my/organization/addresses/{address}/delete", deny_for={UP: 404, EP: 404, OM: 404}),
    web("GET", "/my/password", SIGNED_IN),
    web("POST", "/my/password", SIGNED_IN, data={"current_password": "wrong"}),
    web("GET", "/notifications/", SIGNED_IN),
    web("POST", "/notifications/read", SIGNED_IN),
    # --- buying
    web("GET", "/cart", BUYERS),
    web("POST", "/cart/add", BUYERS, data={"product_id": "{product}", "quantity": "1"}),
    web("POST", "/cart/<int:item_id>/update", {P}, "/cart/{cart_item}/update",
        data={"quantity": "3"}, deny_for={UP: 404, EP: 404}),
    web("POST", "/cart/<int:item_id>/remove", {P}, "/cart/{cart_item}/remove",
        deny_for={UP: 404, EP: 404}),
    web("GET", "/checkout", BUYERS),
    web("POST", "/checkout", BUYERS, data={"purpose": "canteen", "address_id": "new"}),
    web("GET", "/favourites", BUYERS),
    web("POST", "/products/<int:product_id>/favourite", BUYERS, "/products/{product}/favourite"),
    web("POST", "/products/<int:product_id>/unfavourite", BUYERS,
        "/products/{product}/unfavourite"),
    web("POST", "/products/<int:product_id>/reviews", {P, M}, "/products/{product}/reviews",
        data={"stars": "5", "text": "好"}),
    # --- orders
    web("GET", "/orders", SIGNED_IN),
    web("GET", "/orders/<int:order_id>", ORDER_SEES, "/orders/{order}"),
    web("GET", "/orders/<int:order_id>/delivery-note", ORDER_SEES, "/orders/{order}/delivery-note"),
    web("GET", "/orders/<int:order_id>/acceptance-record", ORDER_SEES,
        "/orders/{order}/acceptance-record"),
    web("GET", "/orders/<int:order_id>/photo", ORDER_SEES, "/orders/{order}/photo"),
    web("GET", "/orders/<int:order_id>/accept", {P, M}, "/orders/{order}/accept"),
    web("POST", "/orders/<int:order_id>/accept", {P, M}, "/orders/{order}/accept"),
    web("POST", "/orders/<int:order_id>/approve", {M}, "/orders/{order}/approve"),
    web("POST", "/orders/<int:order_id>/reject", {M}, "/orders/{order}/reject",
        data={"reason": "超预算"}),
    web("POST", "/orders/<int:order_id>/confirm", {S}, "/orders/{order}/confirm"),
    web("POST", "/orders/<int:order_id>/restock", {S}, "/orders/{order}/restock"),
    web("POST", "/orders/<int:order_id>/ship", {S}, "/orders/{order}/ship",
        data={"carrier": "顺丰", "tracking_number": "SF9"}),
    web("POST", "/orders/<int:order_id>/cancel", {P, M, S, AD}, "/orders/{order}/cancel",
        data={"reason": "不需要了"}),
    web("POST", "/orders/<int:order_id>/buy-again", {P}, "/orders/{order}/buy-again"),
    web("GET", "/approvals", MANAGERS),
    web("GET", "/supplier/orders", SUPPLIERS),
    # --- payments
    web("GET", "/payments/", BUYERS | MANAGERS | SUPPLIERS | {AD}),
    web("GET", "/supplier/workbench", SUPPLIERS),
    web("GET", "/payments/overdue", BUYERS | MANAGERS | SUPPLIERS | {AD}),
    web("GET", "/payments/orders/<int:order_id>", ORDER_SEES, "/payments/orders/{order}"),
    web("POST", "/payments/orders/<int:order_id>/stripe", {P, M},
        "/payments/orders/{order}/stripe"),
    web("GET", "/payments/orders/<int:order_id>/transfer", {P, M},
        "/payments/orders/{order}/transfer"),
    web("POST", "/payments/orders/<int:order_id>/transfer", {P, M},
        "/payments/orders/{order}/transfer", data={"amount": "1.00"}),
    web("POST", "/payments/orders/<int:order_id>/extend", {S}, "/payments/orders/{order}/extend"),
    web("POST", "/payments/orders/<int:order_id>/refund", {S, AD},
        "/payments/orders/{order}/refund",
        data={"refund-line_id": "{line}", "refund-amount": "1.00", "refund-reason": "少一件",
              "refund-transfer_reference": "TK1"}),
    web("GET", "/payments/<int:payment_id>/pay", {P, M}, "/payments/{stripe_payment}/pay",
        deny_for={UP: 404, EP: 404, OM: 404, OS: 404, FA: 404}),
    web("POST", "/payments/<int:payment_id>/refresh", {P, M, S, AD},
        "/payments/{stripe_payment}/refresh",
        deny_for={UP: 404, EP: 404, OM: 404, OS: 404, FA: 404}),
    web("POST", "/payments/<int:payment_id>/test-confirm", {P, M},
        "/payments/{stripe_payment}/test-confirm",
        deny_for={UP: 404, EP: 404, OM: 404, OS: 404, FA: 404}),
    web("POST", "/payments/<int:payment_id>/confirm", {S}, "/payments/{payment}/confirm",
        data={"confirm-acknowledge_mismatch": "y"}, deny_for={OS: 404}),
    web("POST", "/payments/<int:payment_id>/reject", {S}, "/payments/{payment}/reject",
        data={"reject-reason": "未到账"}, deny_for={OS: 404}),
    web("GET", "/payments/<int:payment_id>/voucher", ORDER_SEES, "/payments/{payment}/voucher",
        deny=404),
    # --- invoices (发票): asked by the buyer, issued by the supplier; the world's is issued
    web("GET", "/payments/orders/<int:order_id>/invoice", ORDER_SEES,
        "/payments/orders/{order}/invoice"),
    web("POST", "/payments/orders/<int:order_id>/invoice", {P, M},
        "/payments/orders/{order}/invoice",
        data={"ask-title": "拉萨一中", "ask-kind": "normal", "ask-email": "a@example.cn"}),
    web("POST", "/payments/orders/<int:order_id>/invoice/issue", {S},
        "/payments/orders/{order}/invoice/issue", data={"issue-number": "12345678"}),
    web("GET", "/payments/orders/<int:order_id>/invoice/file", ORDER_SEES,
        "/payments/orders/{order}/invoice/file"),
    web("GET", "/invoices/missing", {AU, FA, AD}),
    web("GET", "/payments/statements/new", SUPPLIERS),
    web("GET", "/payments/after-sales", BUYERS | MANAGERS | SUPPLIERS | {AD}),
    web("GET", "/payments/orders/<int:order_id>/after-sales/new", {P, M},
        "/payments/orders/{order}/after-sales/new"),
    web("POST", "/payments/orders/<int:order_id>/after-sales/new", {P, M},
        "/payments/orders/{order}/after-sales/new",
        data={"line_id": "{line}", "kind": "complaint", "quantity": "1", "reason": "少一件"}),
    web("GET", "/payments/after-sales/<int:case_id>", {P, M, S, AD}, "/payments/after-sales/{case}"),
    web("GET", "/payments/after-sales/<int:case_id>/photos/<int:photo_id>", {P, M, S, AD},
        "/payments/after-sales/{case}/photos/{case_photo}"),
    web("POST", "/payments/after-sales/<int:case_id>/agree", {S},
        "/payments/after-sales/{case}/agree"),
    web("POST", "/payments/after-sales/<int:case_id>/answer", {S},
        "/payments/after-sales/{case}/answer", data={"answer-answer": "已补发"}),
    web("POST", "/payments/after-sales/<int:case_id>/escalate", {P, M},
        "/payments/after-sales/{case}/escalate"),
    web("POST", "/payments/after-sales/<int:case_id>/arbitrate", {AD},
        "/payments/after-sales/{case}/arbitrate",
        data={"arbitrate-decision": "buyer", "arbitrate-note": "支持买方"}),
    web("POST", "/payments/statements/new", SUPPLIERS,
        data={"buyer_organization_id": "{buyer_org}", "period_start": "2026-01-01",
              "period_end": "2026-01-31"}),
    web("GET", "/payments/statements/<int:statement_id>", {P, M, S, AD},
        "/payments/statements/{statement}", deny=404),
    web("POST", "/payments/statements/<int:statement_id>/settle", {S},
        "/payments/statements/{statement}/settle", data={"invoice_number": "FP001"},
        deny_for={OS: 404}),
    web("POST", "/payments/statements/<int:statement_id>/confirm", {P, M},
        "/payments/statements/{statement}/confirm", deny_for=OTHER_BUYERS),
    web("POST", "/payments/statements/<int:statement_id>/transfer", {P, M},
        "/payments/statements/{statement}/transfer", deny_for=OTHER_BUYERS,
        data={"pay-transferred_at": "{today}", "pay-payer_account": "6217"}),
    web("POST", "/payments/statements/<int:statement_id>/transfer/confirm", {S},
        "/payments/statements/{statement}/transfer/confirm", deny_for={OS: 404}),
    web("POST", "/payments/statements/<int:statement_id>/transfer/reject", {S},
        "/payments/statements/{statement}/transfer/reject", deny_for={OS: 404},
        data={"reject-reason": "未到账"}),
    web("POST", "/payments/statements/<int:statement_id>/invoice", {P, M},
        "/payments/statements/{statement}/invoice", deny_for=OTHER_BUYERS,
        data={"ask-title": "拉萨一中", "ask-kind": "normal", "ask-email": "a@example.cn"}),
    web("POST", "/payments/statements/<int:statement_id>/invoice/issue", {S},
        "/payments/statements/{statement}/invoice/issue", deny_for={OS: 404},
        data={"issue-number": "12345678"}),
    web("GET", "/payments/statements/<int:statement_id>/invoice/file", {P, M, S, AD},
        "/payments/statements/{statement}/invoice/file", deny=404),
    # --- the supplier's portal
    web("GET", "/supplier/products", SUPPLIERS),
    web("GET", "/supplier/products/new", SUPPLIERS),
    web("POST", "/supplier/products/new", SUPPLIERS, data={"name": "新品"}),
    web("GET", "/supplier/products/bulk", SUPPLIERS),
    web("POST", "/supplier/products/bulk", SUPPLIERS),
    web("POST", "/supplier/products/bulk/confirm", SUPPLIERS, data={"token": "0" * 32}),
    web("POST", "/supplier/products/bulk/photos", SUPPLIERS),
    web("GET", "/supplier/products/bulk/template.xlsx", SUPPLIERS),
    web("GET", "/supplier/products/bulk/export.xlsx", SUPPLIERS),
    web("GET", "/supplier/products/<int:product_id>/edit", {S},
        "/supplier/products/{product}/edit", deny_for={OS: 404}),
    web("POST", "/supplier/products/<int:product_id>/edit", {S},
        "/supplier/products/{product}/edit", data={"name": "改名"}, deny_for={OS: 404}),
    web("POST", "/supplier/products/<int:product_id>/pause", {S},
        "/supplier/products/{product}/pause", deny_for={OS: 404}),
    web("POST", "/supplier/products/<int:product_id>/resume", {S},
        "/supplier/products/{product}/resume", deny_for={OS: 404}),
    web("POST", "/supplier/products/<int:product_id>/archive", {S},
        "/supplier/products/{product}/archive", deny_for={OS: 404}),
    web("GET", "/supplier/certifications", SUPPLIERS),
    web("POST", "/supplier/certifications", SUPPLIERS, data={"region_codes": "540402"}),
    web("GET", "/supplier/documents/<name>", {S, AD}, "/supplier/documents/{document}",
        deny=404),
    # --- quota
    web("GET", "/quota/", {P, UP, M, OM}, deny_for={EP: 403}),
    web("GET", "/quota/units/<int:unit_id>", {M, AU, AD}, "/quota/units/{unit}"),
    web("GET", "/quota/filing", MANAGERS | {AD}),
    web("POST", "/quota/filing", MANAGERS | {AD}, url="/quota/filing?year={year}",
        data={"canteen_status": "own", "food_budget": "100000"}),
    web("GET", "/quota/filings/<int:filing_id>/document", {M, AU, AD},
        "/quota/filings/{filing}/document", deny=404),
    web("GET", "/quota/overview", {AU, FA, AD}),
    web("GET", "/quota/exceptions", {AU, FA, AD}),
    web("POST", "/quota/exceptions/<int:unit_id>/<int:year>", {AU, AD},
        "/quota/exceptions/{unit}/{year}", data={"decision": "approve"}),
    web("GET", "/quota/admin/policies", {AD}),
    web("POST", "/quota/admin/policies", {AD}, data={"kind": "policy"}),
    web("POST", "/quota/admin/policies/<int:policy_id>/delete", {AD},
        "/quota/admin/policies/{policy}/delete"),
    web("POST", "/quota/admin/windows/<int:year>/delete", {AD},
        "/quota/admin/windows/{last_year}/delete"),
    # --- reports
    web("GET", "/reports/", LEDGER),
    web("GET", "/reports/history", LEDGER),
    web("GET", "/reports/verify", EVERYONE, public=True),     # banks check what they were given
    web("POST", "/reports/verify", EVERYONE, data={"code": "XXXX"}, public=True),
    web("GET", "/reports/quota/<int:year>.<fmt>", QUOTA, "/reports/quota/{year}.csv"),
    web("GET", "/reports/ledger/<int:year>.<fmt>", LEDGER, "/reports/ledger/{year}.csv"),
    web("GET", "/reports/sales", SUPPLIERS),
    web("GET", "/reports/spend", BUYERS | MANAGERS),
    web("GET", "/reports/pairings/<int:year>.<fmt>", {AU, FA, AD}, "/reports/pairings/{year}.csv"),
    # exports written by a job: the auditor's own ledger file; others of the roles see 404
    web("POST", "/reports/exports", LEDGER, data={"kind": "ledger", "format": "csv",
                                                  "year": "{year}"}),
    web("GET", "/reports/exports/<int:file_id>", {AU, AD}, "/reports/exports/{export_file}",
        deny_for=NOT_THE_FILES),
    web("GET", "/reports/exports/<int:file_id>/status.json", {AU, AD},
        "/reports/exports/{export_file}/status.json", deny_for=NOT_THE_FILES),
    web("GET", "/reports/exports/<int:file_id>/download", {AU, AD},
        "/reports/exports/{export_file}/download", deny_for=NOT_THE_FILES),
    api("POST", "/api/v1/reports/exports", LEDGER,
        data={"kind": "ledger", "format": "csv", "year": "{year}"}),
    api("GET", "/api/v1/reports/exports", LEDGER),
    api("GET", "/api/v1/reports/sales", SUPPLIERS),
    api("GET", "/api/v1/reports/spend", BUYERS | MANAGERS),
    api("GET", "/api/v1/reports/exports/<int:file_id>", {AU, AD},
        "/api/v1/reports/exports/{export_file}", deny_for=NOT_THE_FILES),
    api("GET", "/api/v1/reports/exports/<int:file_id>/file", {AU, AD},
        "/api/v1/reports/exports/{export_file}/file", deny_for=NOT_THE_FILES),
    web("GET", "/reports/credit-statement/<int:supplier_id>.pdf", {S, AD},
        "/reports/credit-statement/{supplier}.pdf"),
    # --- suppliers' credit
    web("GET", "/credit/", {S, OS, AU, FA, AD}),
    web("GET", "/credit/suppliers/<int:supplier_id>", {S, AU, FA, AD},
        "/credit/suppliers/{supplier}"),
    web("POST", "/credit/suppliers/<int:supplier_id>/corrections", {AD},
        "/credit/suppliers/{supplier}/corrections", data={"points": "-1", "reason": "更正"}),
    # --- 万企兴万村 (the pairing is the enterprise's with the supplier, in Nyingchi)
    web("GET", "/pairings/", {EP, S, OS, AD}),
    web("GET", "/pairings/<int:pairing_id>", {EP, S, FA, AD}, "/pairings/{pairing}"),
    web("GET", "/pairings/new", {AD}),
    web("POST", "/pairings/new", {AD}, data={"county_code": "540402", "village": "新村"}),
    web("POST", "/pairings/<int:pairing_id>/approve", {AD}, "/pairings/{pairing}/approve"),
    web("POST", "/pairings/<int:pairing_id>/reject", {AD}, "/pairings/{pairing}/reject",
        data={"reject-reason": "不符"}),
    web("POST", "/pairings/<int:pairing_id>/end", {AD}, "/pairings/{pairing}/end",
        data={"end-reason": "终止"}),
    web("GET", "/pairings/overview", {AU, FA, AD}),
    web("GET", "/pairings/villages", SIGNED_IN),
    web("POST", "/pairings/villages", {AD}, data={"county_code": "540402", "name": "新村"}),
    web("GET", "/pairings/villages/<int:village_id>", SIGNED_IN, "/pairings/villages/{village}"),
    web("GET", "/pairings/villages/<int:village_id>/request", {EP},
        "/pairings/villages/{village}/request"),
    web("POST", "/pairings/villages/<int:village_id>/request", {EP},
        "/pairings/villages/{village}/request", data={"year": "{year}"}),
    web("GET", "/pairings/board", SIGNED_IN),
    web("GET", "/pairings/board/new", SUPPLIERS | {AD}),   # for the counties it is certified in
    web("POST", "/pairings/board/new", SUPPLIERS | {AD}, data={"title": "青稞找买家"}),
    web("GET", "/pairings/board/<int:need_id>", SIGNED_IN, "/pairings/board/{need}"),
    web("POST", "/pairings/board/<int:need_id>/answer", {EP}, "/pairings/board/{need}/answer",
        data={"body": "想买"}),
    web("POST", "/pairings/board/<int:need_id>/close", {S, AD}, "/pairings/board/{need}/close"),
    web("GET", "/pairings/conversations", SIGNED_IN),
    web("GET", "/pairings/conversations/<int:conversation_id>", {EP, S, AD},
        "/pairings/conversations/{conversation}"),
    web("POST", "/pairings/conversations/<int:conversation_id>", {EP, S, AD},
        "/pairings/conversations/{conversation}", data={"body": "你好"}),
    # --- the admin console
    web("GET", "/admin/", {AD}),
    web("GET", "/admin/audit", {AU, FA, AD}),
    web("GET", "/admin/audit.<fmt>", {AU, FA, AD}, "/admin/audit.csv"),
    web("GET", "/admin/jobs", {AD}),
    web("GET", "/admin/organizations", {AD}),
    web("GET", "/admin/organizations/new", {AD}),
    web("POST", "/admin/organizations/new", {AD},
        data={"name": "新单位", "kind": "enterprise", "region_code": "540102"}),
    web("GET", "/admin/organizations/<int:org_id>", {AD}, "/admin/organizations/{org}"),
    web("POST", "/admin/organizations/<int:org_id>/edit", {AD},
        "/admin/organizations/{org}/edit", data={"name": "改名", "region_code": "540102"}),
    web("POST", "/admin/organizations/<int:org_id>/status", {AD},
        "/admin/organizations/{org}/status", data={"action": "suspend", "note": "整改"}),
    web("POST", "/admin/organizations/<int:org_id>/users", {AD},
        "/admin/organizations/{org}/users",
        data={"name": "x", "email": "new@example.com", "password": "long-enough-42",
              "role": "supplier_staff"}),
    web("GET", "/admin/users", {AD}),
    web("POST", "/admin/users/<int:user_id>/active", {AD}, "/admin/users/{user}/active",
        data={"active": "0"}),
    web("GET", "/admin/regions/", {AD}),
    web("GET", "/admin/regions/new", {AD}),
    web("POST", "/admin/regions/new", {AD},
        data={"code": "540498", "name": "新县", "parent_code": "540400"}),
    web("GET", "/admin/regions/<code>", {AD}, "/admin/regions/{region}"),
    web("POST", "/admin/regions/<code>", {AD}, "/admin/regions/{region}",
        data={"code": "{region}", "name": "巴宜区"}),
    web("GET", "/admin/catalog/products", {AD}),
    web("POST", "/admin/catalog/products/<int:product_id>/take-down", {AD},
        "/admin/catalog/products/{product}/take-down", data={"reason": "图片不符"}),
    web("POST", "/admin/catalog/products/<int:product_id>/restore", {AD},
        "/admin/catalog/products/{product}/restore"),
    web("POST", "/admin/catalog/products/<int:product_id>/reference-price", {AD},
        "/admin/catalog/products/{product}/reference-price", data={"price": "100"}),
    web("GET", "/admin/catalog/certifications", {AD}),
    web("POST", "/admin/catalog/certifications/<int:cert_id>/<action>", {AD},
        "/admin/catalog/certifications/{cert}/suspend", data={"reason": "复查"}),
    web("GET", "/admin/catalog/categories", {AD}),
    web("POST", "/admin/catalog/categories", {AD}, data={"name": "新品类"}),
    web("POST", "/admin/catalog/categories/<int:category_id>", {AD},
        "/admin/catalog/categories/{category}", data={"name": "菌菇类"}),
    web("GET", "/admin/catalog/synonyms", {AD}),
    web("POST", "/admin/catalog/synonyms", {AD},
        data={"word": "番茄", "other": "西红柿", "kind": "equal"}),
    web("POST", "/admin/catalog/synonyms/<int:synonym_id>/delete", {AD},
        "/admin/catalog/synonyms/{synonym}/delete"),
    web("GET", "/admin/catalog/reference-prices", {AD}),
    web("POST", "/admin/catalog/reference-prices", {AD},
        data={"category": "{category}", "unit": "斤", "price": "100"}),
    web("POST", "/admin/catalog/reference-prices/<int:ref_id>/delete", {AD},
        "/admin/catalog/reference-prices/{reference}/delete"),
    # --- the JSON API
    api("GET", "/api", EVERYONE, public=True),
    api("GET", "/api/v1/docs", EVERYONE, public=True),
    api("GET", "/api/v1/openapi.json", EVERYONE, public=True),
    api("POST", "/api/v1/auth/token", EVERYONE, data=OWN_LOGIN, public=True, deny_for=NO_LOGIN),
    api("DELETE", "/api/v1/auth/token", SIGNED_IN),
    api("GET", "/api/v1/products", SIGNED_IN),
    api("GET", "/api/v1/products/suggestions", SIGNED_IN, "/api/v1/products/suggestions?q=song"),
    api("GET", "/api/v1/search/synonyms", {AD}),
    api("POST", "/api/v1/search/synonyms", {AD},
        data={"word": "番茄", "other": "西红柿", "kind": "equal"}),
    api("DELETE", "/api/v1/search/synonyms/<int:synonym_id>", {AD},
        "/api/v1/search/synonyms/{synonym}"),
    api("GET", "/api/v1/supplier/products/template.xlsx", SUPPLIERS),
    api("GET", "/api/v1/supplier/products/export.xlsx", SUPPLIERS),
    api("POST", "/api/v1/supplier/products/bulk-checks", SUPPLIERS, data={}),
    api("POST", "/api/v1/supplier/products/bulk-imports", SUPPLIERS, data={}),
    api("POST", "/api/v1/supplier/products/photos", SUPPLIERS, data={}),
    api("POST", "/api/v1/products", SUPPLIERS,
        data={"name": "新品", "category": "{category}", "unit": "斤", "price": "10.00",
              "stock": 5, "origin_region_code": "540402"}),
    api("GET", "/api/v1/products/<int:product_id>", SIGNED_IN, "/api/v1/products/{product}"),
    api("POST", "/api/v1/products/<int:product_id>/reviews", {P, M},
        "/api/v1/products/{product}/reviews", data={"rating": 5, "comment": "好"}),
    api("GET", "/api/v1/categories", SIGNED_IN),
    api("POST", "/api/v1/categories", {AD}, data={"name": "新品类"}),
    api("PATCH", "/api/v1/products/<int:product_id>", {S}, "/api/v1/products/{product}",
        data={"stock": 7}, deny_for={OS: 404}),
    api("GET", "/api/v1/orders", SIGNED_IN),
    api("POST", "/api/v1/orders", BUYERS, data=ORDER_BODY),
    api("GET", "/api/v1/orders/<int:order_id>", ORDER_SEES, "/api/v1/orders/{order}"),
    api("POST", "/api/v1/orders/<int:order_id>/approve", {M}, "/api/v1/orders/{order}/approve"),
    api("POST", "/api/v1/orders/<int:order_id>/reject", {M}, "/api/v1/orders/{order}/reject",
        data={"reason": "超预算"}),
    api("POST", "/api/v1/orders/<int:order_id>/confirm", {S}, "/api/v1/orders/{order}/confirm"),
    api("POST", "/api/v1/orders/<int:order_id>/restock", {S}, "/api/v1/orders/{order}/restock"),
    api("POST", "/api/v1/orders/<int:order_id>/ship", {S}, "/api/v1/orders/{order}/ship",
        data={"carrier": "顺丰", "tracking_number": "SF9"}),
    api("POST", "/api/v1/orders/<int:order_id>/accept", {P, M}, "/api/v1/orders/{order}/accept"),
    api("POST", "/api/v1/orders/<int:order_id>/cancel", {P, M, S, AD},
        "/api/v1/orders/{order}/cancel", data={"reason": "不需要了"}),
    api("GET", "/api/v1/orders/<int:order_id>/payments", ORDER_SEES,
        "/api/v1/orders/{order}/payments"),
    api("POST", "/api/v1/orders/<int:order_id>/payments", {P, M},
        "/api/v1/orders/{order}/payments",
        data={"method": "bank_transfer", "amount": "1.00", "transferred_at": "{today}",
              "payer_account": "6217"}),
    api("POST", "/api/v1/orders/<int:order_id>/payments/<int:payment_id>/confirm", {S},
        "/api/v1/orders/{order}/payments/{payment}/confirm"),
    api("POST", "/api/v1/orders/<int:order_id>/refunds", {S, AD},
        "/api/v1/orders/{order}/refunds",
        data={"line_id": "{line}", "amount": "1.00", "reason": "少一件",
              "transfer_reference": "TK1"}),
    api("POST", "/api/v1/orders/<int:order_id>/after-sales", {P, M},
        "/api/v1/orders/{order}/after-sales",
        data={"line_id": "{line}", "kind": "complaint", "quantity": 1, "reason": "少一件"}),
    api("GET", "/api/v1/after-sales/<int:case_id>", {P, M, S, AD}, "/api/v1/after-sales/{case}"),
    api("GET", "/api/v1/after-sales/<int:case_id>/photos/<int:photo_id>", {P, M, S, AD},
        "/api/v1/after-sales/{case}/photos/{case_photo}"),
    api("POST", "/api/v1/after-sales/<int:case_id>/agree", {S},
        "/api/v1/after-sales/{case}/agree"),
    api("POST", "/api/v1/after-sales/<int:case_id>/answer", {S},
        "/api/v1/after-sales/{case}/answer", data={"answer": "已补发"}),
    api("POST", "/api/v1/after-sales/<int:case_id>/escalate", {P, M},
        "/api/v1/after-sales/{case}/escalate"),
    api("POST", "/api/v1/after-sales/<int:case_id>/arbitrate", {AD},
        "/api/v1/after-sales/{case}/arbitrate", data={"for_buyer": True, "note": "支持买方"}),
    api("GET", "/api/v1/quota/<int:year>/units", QUOTA, "/api/v1/quota/{year}/units"),
    api("GET", "/api/v1/quota/<int:year>/units/<int:unit_id>/lines", {M, AU, AD},
        "/api/v1/quota/{year}/units/{unit}/lines"),
    api("GET", "/api/v1/quota/<int:year>/report.<fmt>", QUOTA, "/api/v1/quota/{year}/report.csv"),
    api("GET", "/api/v1/quota/<int:year>/ledger.<fmt>", LEDGER,
        "/api/v1/quota/{year}/ledger.csv"),
    api("GET", "/api/v1/quota/filings/<int:budget_unit_id>/<int:year>", {M, AU, AD},
        "/api/v1/quota/filings/{unit}/{year}"),
    api("PUT", "/api/v1/quota/filings/<int:budget_unit_id>/<int:year>", {M, AD},
        "/api/v1/quota/filings/{unit}/{year}",
        data={"canteen_status": "own", "food_budget": "100000.00"}),
    api("POST", "/api/v1/quota/filings/<int:budget_unit_id>/<int:year>/exception", {AU, AD},
        "/api/v1/quota/filings/{unit}/{year}/exception", data={"decision": "approve"}),
    api("GET", "/api/v1/quota/policies", QUOTA),
    api("PUT", "/api/v1/quota/policies", {AD},
        data={"region_prefix": "5401", "year": "{year}", "min_ratio": "0.12"}),
    api("GET", "/api/v1/regions", SIGNED_IN),
    api("POST", "/api/v1/regions", {AD},
        data={"code": "540498", "name": "新县", "parent_code": "540400"}),
    api("PUT", "/api/v1/regions/<code>", {AD}, "/api/v1/regions/{region}",
        data={"name": "巴宜区", "parent_code": "540400", "aided": True}),
    api("POST", "/api/v1/organizations", {AD},
        data={"name": "新企业", "kind": "enterprise", "region_code": "540102"}),
    api("GET", "/api/v1/organizations/<int:org_id>", {AD}, "/api/v1/organizations/{org}"),
    api("PATCH", "/api/v1/organizations/<int:org_id>", {AD}, "/api/v1/organizations/{org}",
        data={"status": "suspended", "reason": "整改"}),
    api("POST", "/api/v1/users", {AD},
        data={"email": "new@example.com", "password": "long-enough-42", "name": "新人",
              "organization_id": "{org}", "role": "supplier_staff"}),
    api("POST", "/api/v1/suppliers/<int:organization_id>/certifications", {AD},
        "/api/v1/suppliers/{supplier}/certifications", data={"origin_region_code": "540423"}),
    api("GET", "/api/v1/suppliers/<int:organization_id>/certifications", {S, AD},
        "/api/v1/suppliers/{supplier}/certifications"),
    api("POST", "/api/v1/suppliers/<int:organization_id>/certification-applications", {S},
        "/api/v1/suppliers/{supplier}/certification-applications",
        data={"region_codes": ["540423"]}),
    api("GET", "/api/v1/suppliers/<int:organization_id>/credit", {S, AU, FA, AD},
        "/api/v1/suppliers/{supplier}/credit"),
    api("GET", "/api/v1/favourites", BUYERS),
    api("GET", "/api/v1/frequently-bought", BUYERS),
    api("PUT", "/api/v1/favourites/<int:product_id>", BUYERS, "/api/v1/favourites/{product}"),
    api("DELETE", "/api/v1/favourites/<int:product_id>", BUYERS,
        "/api/v1/favourites/{product}"),
    api("POST", "/api/v1/orders/<int:order_id>/buy-again", {P},
        "/api/v1/orders/{order}/buy-again"),
    api("GET", "/api/v1/orders/<int:order_id>/invoice", ORDER_SEES,
        "/api/v1/orders/{order}/invoice"),
    api("POST", "/api/v1/orders/<int:order_id>/invoice", {P, M},
        "/api/v1/orders/{order}/invoice", data={"title": "拉萨一中", "email": "a@example.cn"}),
    api("POST", "/api/v1/orders/<int:order_id>/invoice/issue", {S},
        "/api/v1/orders/{order}/invoice/issue",
        data={"number": "12345678", "code": "1234567890", "issued_on": "{today}",
              "amount": "256.00", "filename": "a.pdf", "content": "JVBERi0="}),
    api("GET", "/api/v1/orders/<int:order_id>/invoice/file", ORDER_SEES,
        "/api/v1/orders/{order}/invoice/file"),
    api("GET", "/api/v1/invoices/missing", {AU, FA, AD}),
    api("GET", "/api/v1/settlement-statements", BUYERS | MANAGERS | SUPPLIERS | {AD}),
    api("POST", "/api/v1/settlement-statements", SUPPLIERS,
        data={"buyer_organization_id": "{buyer_org}", "period_start": "2026-01-01",
              "period_end": "2026-01-31"}),
    api("GET", "/api/v1/settlement-statements/<int:statement_id>", {P, M, S, AD},
        "/api/v1/settlement-statements/{statement}", deny=404, deny_for={AU: 403, FA: 403}),
    api("POST", "/api/v1/settlement-statements/<int:statement_id>/settle", {S},
        "/api/v1/settlement-statements/{statement}/settle", data={"invoice_number": "FP001"},
        deny_for={OS: 404}),
    api("POST", "/api/v1/settlement-statements/<int:statement_id>/confirm", {P, M},
        "/api/v1/settlement-statements/{statement}/confirm", deny_for=OTHER_BUYERS),
    api("POST", "/api/v1/settlement-statements/<int:statement_id>/transfer", {P, M},
        "/api/v1/settlement-statements/{statement}/transfer", deny_for=OTHER_BUYERS,
        data={"transferred_at": "{today}", "payer_account": "6217"}),
    api("POST", "/api/v1/settlement-statements/<int:statement_id>/transfer/confirm", {S},
        "/api/v1/settlement-statements/{statement}/transfer/confirm", deny_for={OS: 404}),
    api("POST", "/api/v1/settlement-statements/<int:statement_id>/transfer/reject", {S},
        "/api/v1/settlement-statements/{statement}/transfer/reject", deny_for={OS: 404},
        data={"reason": "未到账"}),
    api("GET", "/api/v1/settlement-statements/<int:statement_id>/invoice", {P, M, S, AD},
        "/api/v1/settlement-statements/{statement}/invoice", deny=404,
        deny_for={AU: 403, FA: 403}),
    api("POST", "/api/v1/settlement-statements/<int:statement_id>/invoice", {P, M},
        "/api/v1/settlement-statements/{statement}/invoice", deny_for=OTHER_BUYERS,
        data={"title": "拉萨一中", "email": "a@example.cn"}),
    api("POST", "/api/v1/settlement-statements/<int:statement_id>/invoice/issue", {S},
        "/api/v1/settlement-statements/{statement}/invoice/issue", deny_for={OS: 404},
        data={"number": "12345678", "code": "1234567890", "issued_on": "{today}",
              "amount": "51.00", "filename": "a.pdf", "content": "JVBERi0="}),
    api("GET", "/api/v1/settlement-statements/<int:statement_id>/invoice/file", {P, M, S, AD},
        "/api/v1/settlement-statements/{statement}/invoice/file", deny=404,
        deny_for={AU: 403, FA: 403}),
    api("GET", "/api/v1/pairings", {EP, S, OS, AU, FA, AD}),
    api("POST", "/api/v1/pairings", {AD},
        data={"enterprise_id": "{enterprise}", "village": "新村", "county_code": "540402",
              "supplier_ids": [], "year": "{year}", "target_amount": "1000.00"}),
    api("POST", "/api/v1/pairings/requests", {EP},
        data={"village_id": "{village}", "year": "{year}", "supplier_ids": ["{supplier}"],
              "target_amount": "1000.00"}),
    api("GET", "/api/v1/pairings/<int:pairing_id>", {EP, S, FA, AD}, "/api/v1/pairings/{pairing}"),
    api("GET", "/api/v1/pairings/<int:pairing_id>/lines", {EP, S, FA, AD},
        "/api/v1/pairings/{pairing}/lines"),
    api("POST", "/api/v1/pairings/<int:pairing_id>/approve", {AD},
        "/api/v1/pairings/{pairing}/approve"),
    api("POST", "/api/v1/pairings/<int:pairing_id>/reject", {AD},
        "/api/v1/pairings/{pairing}/reject", data={"reason": "不符"}),
    api("POST", "/api/v1/pairings/<int:pairing_id>/end", {AD}, "/api/v1/pairings/{pairing}/end",
        data={"reason": "终止"}),
    api("GET", "/api/v1/revitalisation/<int:year>", {AU, FA, AD}, "/api/v1/revitalisation/{year}"),
    api("GET", "/api/v1/revitalisation/<int:year>/report.<fmt>", {AU, FA, AD},
        "/api/v1/revitalisation/{year}/report.csv"),
    api("GET", "/api/v1/villages", SIGNED_IN),
    api("POST", "/api/v1/villages", {AD}, data={"county_code": "540402", "name": "新村"}),
    api("GET", "/api/v1/village-needs", SIGNED_IN),
    api("POST", "/api/v1/village-needs", {S, AD},
        data={"village": "扎西岗村", "county_code": "540402", "kind": "product",
              "title": "青稞找买家", "quantity": 5, "unit": "斤", "season": "秋"}),
    api("GET", "/api/v1/village-needs/<int:need_id>", SIGNED_IN, "/api/v1/village-needs/{need}"),
    api("POST", "/api/v1/village-needs/<int:need_id>/close", {S, AD},
        "/api/v1/village-needs/{need}/close"),
    api("POST", "/api/v1/village-needs/<int:need_id>/answers", {EP},
        "/api/v1/village-needs/{need}/answers", data={"body": "想买"}),
    api("GET", "/api/v1/conversations", BUYERS | SUPPLIERS | {AD}),
    api("GET", "/api/v1/conversations/<int:conversation_id>", {EP, S, AD},
        "/api/v1/conversations/{conversation}"),
    api("POST", "/api/v1/conversations/<int:conversation_id>/messages", {EP, S, AD},
        "/api/v1/conversations/{conversation}/messages", data={"body": "你好"}),
]


def _map_routes(app):
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_table(app):
    declared = [(route.method, route.rule) for route in ROUTES]
    assert len(declared) == len(set(declared)), "a route is declared twice"
    missing = _map_routes(app) - set(declared)
    assert not missing, f"routes without a line in the permission table: {sorted(missing)}"
    stale = set(declared) - _map_routes(app)
    assert not stale, f"table lines for routes the app no longer has: {sorted(stale)}"


@pytest.fixture(scope="module")
def world(app):
    """The world (built once per module and backend), and a signed-in client and API token
    per role."""
    with app.app_context():
        _clean(app)
        places, user_ids = build_world()
        from marketplace.timeutil import to_cst, utcnow

        today = to_cst(utcnow()).date()
        _db.session.add(FilingWindow(year=places["year"] - 1, opens_on=today.replace(
            year=places["year"] - 1, month=1, day=1), closes_on=today.replace(
            year=places["year"] - 1, month=3, day=31)))
        places.update(last_year=places["year"] - 1, today=today.isoformat())
        tokens, sessions = {}, {}
        for role, user_id in user_ids.items():
            user = _db.session.get(User, user_id)
            tokens[role] = issue_token(user)
            start_login(user)           # the browser login this role's client carries
            sessions[role] = user.get_id()
        _db.session.commit()
        emails = {role: _db.session.get(User, user_id).email for role, user_id in user_ids.items()}
        yield places, sessions, tokens, emails
        _db.session.remove()


@pytest.fixture(scope="module")
def clients(app, world):
    """A client per role, with the browser login of its user (a deactivated user's and a
    suspended organisation's member's show what such a login gets)."""
    _places, sessions, _tokens, _emails = world
    app.test_client_class = Client
    return {role: app.test_client() for role in ROLES}, sessions


def _fill(value, places):
    if isinstance(value, str):
        try:
            filled = value.format(**places)
        except (KeyError, IndexError):
            return value
        return int(filled) if value.startswith("{") and filled.isdigit() and \
            value not in ("{region}", "{today}") else filled
    if isinstance(value, dict):
        return {key: _fill(item, places) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, places) for item in value]
    return value


def _ask(route, role, client, places, token, email, login_as=None):
    url = (route.url or route.rule).format(**places)
    data = _fill(route.data, {**places, "own_email": email}) if route.data is not None else None
    if route.api:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if route.rule == "/api/v1/auth/token" and route.method == "POST":
            headers = {}        # asking for a token with one's own e-mail and password
        return client.open(url, method=route.method, headers=headers,
                           json=data if route.method != "GET" else None)
    if login_as is not None:        # afresh: a logout or a language switch changed it
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = login_as, True
    form = {key: str(value) for key, value in (data or {}).items()}
    if route.method != "GET" and route.rule != "/webhooks/stripe":
        form["csrf_token"] = csrf_token(client)
    return client.open(url, method=route.method, data=form if route.method != "GET" else None)


def _outcome(response, route):
    status = response.status_code
    if route.expect is not None:
        return "pass" if status == route.expect else status
    location = response.headers.get("Location", "")
    if status in (301, 302, 303) and "/login?" in location and "next=" in location:
        return "login"      # Flask-Login's "please log in first", not a page sending there
    if status >= 500 and status != 502:     # 502: Stripe unreachable, after every check
        return status
    if status in (401, 403, 404, 405):
        return status
    return "pass" if status < 400 or status in (409, 413, 422, 502) else status


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route.method} {route.rule}")
def test_the_permission_table(app, world, clients, route):
    places, _sessions, tokens, emails = world
    client_map, sessions = clients
    with app.app_context():
        got, want = {}, {}
        for role in ROLES:
            limiter.reset()
            with rolled_back_requests(_db.session):
                token = None if role == "visitor" else tokens[role]
                response = _ask(route, role, client_map[role], places, token,
                                emails.get(role, "nobody@example.com"), sessions.get(role))
                response.get_data()     # a streamed body (an export) runs to its end
                response.close()
                got[role], want[role] = _outcome(response, route), route.expected(role)
        _db.session.remove()
    assert got == want
