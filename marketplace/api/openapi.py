"""The OpenAPI 3 description of API v1 (GET /api/v1/openapi.json) and the API page for people.

The spec is written here, next to the code, for every endpoint of the contract; a test checks
that every /api/v1 route is described and every described operation has a route, so the two
cannot drift apart.
"""
import copy
import json
import re
from functools import lru_cache

from flask import jsonify, redirect, render_template, url_for
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from flask_babel import lazy_gettext

from marketplace import nav
from marketplace.api import bp
from marketplace.ordering.models import (ORDER_STATUSES, PAYMENT_METHODS, PAYMENT_STATUSES,
                                         PAYMENT_TERMS, PURPOSES)

MONEY = {"type": "string", "pattern": r"^-?\d{1,10}(\.\d{1,2})?$", "example": "1234.50",
         "description": "An amount in yuan, as a string with up to two decimals."}
MONEY_OUT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "example": "1234.50"}
RATIO = {"type": "string", "pattern": r"^\d(\.\d{1,4})?$", "example": "0.10",
         "description": "A ratio as a decimal string."}
RATIO_OUT = {"type": "string", "pattern": r"^\d+(\.\d+)?$", "example": "0.10"}
REGION_CODE = {"type": "string", "pattern": r"^\d{6}$", "example": "540402",
               "description": "A six-digit GB/T 2260 administrative division code."}
ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
NULLABLE_ID = {"type": ["integer", "null"]}
TIME = {"type": ["string", "null"], "format": "date-time",
        "description": "ISO 8601 with offset (China Standard Time)."}
TIME_IN = {"type": "string", "format": "date-time", "example": "2026-03-01T10:00:00+08:00"}
QUANTITY = {"type": "integer", "minimum": 1, "maximum": 1000000}
YEAR = {"type": "integer", "minimum": 2000, "maximum": 2100, "example": 2026}
TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRODUCT_CATEGORY = {
    "oneOf": [{**ID, "description": "A second-level category's id."},
              {"type": "string", "minLength": 1, "maxLength": 100,
               "description": "A second-level category's name, where exactly one has it."}],
    "description": "A second-level category (GET /categories lists them); a top-level, "
                   "unknown or ambiguous one → 422 with `fields.category`, the message naming "
                   "the leaves to choose from."}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties, required=(), *, extra=True, description=None):
    """An object schema; `extra`: whether more properties may appear (answers may grow)."""
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if not extra:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


def page_of(item):
    return obj({"items": {"type": "array", "items": item}, "page": {"type": "integer"},
                "per_page": {"type": "integer"}, "total": {"type": "integer"}},
               ("items", "page", "per_page", "total"))


SCHEMAS = {
    "Error": obj({"error": obj({
        "code": {"type": "string", "example": "validation_error",
                 "description": "A snake_case machine code."},
        "message": {"type": "string", "description": "Human text."},
        "fields": {"type": "object", "additionalProperties": True,
                   "description": "Per-field problems, by field name."},
        "prices": {"type": "array", "description": "With `price_changed`: each changed line's "
                                                   "price seen and price now.",
                   "items": obj({"product_id": ID, "product_name": {"type": "string"},
                                 "seen_unit_price": {"type": ["string", "null"]},
                                 "unit_price": MONEY_OUT})}},
        ("code", "message", "fields"))}, ("error",)),
    "TokenRequest": obj({"email": {"type": "string", "format": "email", "maxLength": 254},
                         "password": {"type": "string", "maxLength": 1024}},
                        ("email", "password")),
    "Token": obj({"token": {"type": "string"}, "expires_at": TIME}, ("token",)),
    "Region": obj({"code": REGION_CODE, "name": {"type": "string"},
                   "name_en": {"type": ["string", "null"]},
                   "parent_code": {"type": ["string", "null"]},
                   "level": {"type": "integer", "enum": [1, 2, 3]}, "aided": {"type": "boolean"},
                   "prefix": {"type": "string", "example": "5404"}},
                  ("code", "name", "parent_code", "level", "aided")),
    "RegionInput": obj({"code": REGION_CODE, "name": {"type": "string", "minLength": 1,
                                                      "maxLength": 80},
                        "parent_code": REGION_CODE, "aided": {"type": "boolean", "default": False},
                        "name_en": {"type": "string", "maxLength": 120}}, ("code", "name")),
    "RegionUpdate": obj({"name": {"type": "string", "minLength": 1, "maxLength": 80},
                         "parent_code": REGION_CODE, "aided": {"type": "boolean"},
                         "name_en": {"type": "string", "maxLength": 120}}, ("name",)),
    "Organization": obj({
        "id": ID, "name": {"type": "string"},
        "kind": {"type": "string", "enum": ["budget_unit", "union", "enterprise", "supplier",
                                            "audit_office", "platform"]},
        "status": {"type": "string", "enum": ["pending", "active", "rejected", "suspended"]},
        "region_code": REGION_CODE, "parent_id": NULLABLE_ID, "budget_unit_id": NULLABLE_ID,
        "approval_threshold": {"oneOf": [MONEY_OUT, {"type": "null"}]},
        "jurisdiction_prefix": {"type": ["string", "null"],
                                "description": "An audit office's jurisdiction: its region's "
                                               "prefix (540000 → \"54\")."},
        "review_note": {"type": ["string", "null"],
                        "description": "The reason of the last review decision."},
        "created_at": TIME}, ("id", "name", "kind", "region_code")),
    "OrganizationStatusInput": obj({
        "status": {"type": "string", "enum": ["active", "suspended", "rejected"],
                   "description": "active: approve a registration or reactivate; suspended: "
                                  "suspend; rejected: reject a registration."},
        "reason": {"type": "string", "maxLength": 500,
                   "description": "Required to suspend or reject; the members read it."}},
        ("status",)),
    "OrganizationInput": obj({
        "name": TEXT,
        "kind": {"type": "string", "enum": ["budget_unit", "union", "enterprise", "supplier",
                                            "audit_office"]},
        "region_code": REGION_CODE,
        "parent_id": {**ID, "description": "The parent budget unit (budget units only)."},
        "budget_unit_id": {**ID, "description": "The budget unit a union belongs to "
                                                "(required for a union)."},
        "approval_threshold": {**MONEY, "description": "Budget units only: orders with a larger "
                                                       "total wait for a unit manager."},
        "credit_code": {"type": "string", "maxLength": 18},
        "contact_name": {"type": "string", "maxLength": 80},
        "contact_phone": {"type": "string", "maxLength": 40},
        "address": {"type": "string", "maxLength": 300}}, ("name", "kind", "region_code")),
    "User": obj({"id": ID, "email": {"type": "string"}, "name": {"type": "string"},
                 "role": {"type": "string", "enum": ["purchaser", "unit_manager",
                                                     "supplier_staff", "auditor", "admin"]},
                 "organization_id": ID, "active": {"type": "boolean"}, "created_at": TIME},
                ("id", "email", "name", "role", "organization_id")),
    "UserInput": obj({"email": {"type": "string", "format": "email", "maxLength": 254},
                      "password": {"type": "string", "minLength": 10, "maxLength": 1024,
                                   "description": "At least 10 characters; a common or "
                                                  "breached password, the e-mail or name, or "
                                                  "one repeated character → 422."},
                      "name": {"type": "string", "minLength": 1, "maxLength": 100},
                      "organization_id": ID,
                      "role": {"type": "string", "enum": ["purchaser", "unit_manager",
                                                          "supplier_staff", "auditor", "admin"],
                               "description": "Must fit the organisation's kind."}},
                     ("email", "password", "name", "organization_id", "role")),
    "CertificationInput": obj({"origin_region_code": REGION_CODE}, ("origin_region_code",)),
    "Certification": obj({"id": ID, "supplier_id": ID, "origin_region_code": REGION_CODE},
                         ("origin_region_code",)),
    "SupplierCertification": obj({
        "id": ID, "supplier_id": ID, "origin_region_code": REGION_CODE,
        "origin_name": {"type": ["string", "null"]},
        "status": {"type": "string", "enum": ["pending", "approved", "rejected", "suspended"]},
        "reason": {"type": ["string", "null"],
                   "description": "Of the last rejection or suspension."},
        "applied_at": TIME, "decided_at": TIME,
        "events": {"type": "array", "items": obj({
            "at": TIME, "from_status": {"type": ["string", "null"]},
            "to_status": {"type": "string"}, "note": {"type": ["string", "null"]}})}},
        ("id", "origin_region_code", "status")),
    "CertificationList": obj({"items": {"type": "array", "items": ref("SupplierCertification")},
                              "total": {"type": "integer"}}, ("items",)),
    "CertificationApplicationInput": obj({
        "region_codes": {"type": "array", "minItems": 1, "maxItems": 20, "items": REGION_CODE,
                         "description": "The origin counties to be certified for."},
        "documents": {"type": "array", "minItems": 1, "maxItems": 5, "items": obj({
            "filename": {"type": "string", "minLength": 1, "maxLength": 200},
            "content": {"type": "string", "contentEncoding": "base64",
                        "description": "The file, base64-encoded: a PDF or an image."}},
            ("filename", "content")),
            "description": "Business licence and certificates (PDF or images)."}},
        ("region_codes", "documents")),
    "QuotaPolicyInput": obj({
        "region_prefix": {"type": "string", "pattern": r"^\d{2,6}$", "example": "54"},
        "year": YEAR, "min_ratio": RATIO,
        "eligible_origin_prefixes": {"type": "array", "maxItems": 50,
                                     "items": {"type": "string", "pattern": r"^\d{2,6}$"},
                                     "description": "Empty: any aided county."},
        "count_union_purchases": {"type": "boolean", "default": True}},
        ("region_prefix", "year", "min_ratio")),
    "QuotaPolicy": obj({
        "id": ID, "region_prefix": {"type": "string"}, "year": {"type": "integer"},
        "min_ratio": RATIO_OUT,
        "eligible_origin_prefixes": {"type": "array", "items": {"type": "string"}},
        "count_union_purchases": {"type": "boolean"}},
        ("region_prefix", "year", "min_ratio")),
    "Product": obj({
        "id": ID, "name": {"type": "string"}, "category": {"type": ["string", "integer", "null"]},
        "unit": {"type": "string"}, "price": MONEY_OUT, "stock": {"type": "integer"},
        "origin_region_code": REGION_CODE, "description": {"type": ["string", "null"]},
        "supplier_id": ID, "active": {"type": "boolean"},
        "on_sale": {"type": "boolean", "description": "An active listing of an active supplier "
                                                      "certified for the origin."},
        "unavailable_reason": {"type": ["string", "null"], "enum": [
            None, "paused", "archived", "taken_down", "supplier_suspended", "not_certified"]}},
        ("id", "name", "unit", "price", "stock", "origin_region_code")),
    "ProductInput": obj({
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "category": PRODUCT_CATEGORY,
        "unit": {"type": "string", "minLength": 1, "maxLength": 20, "example": "斤"},
        "price": MONEY, "stock": {"type": "integer", "minimum": 0, "maximum": 100000000},
        "origin_region_code": {**REGION_CODE, "description": "A county the supplier is "
                                                             "certified for (else 422)."},
        "description": {"type": "string", "maxLength": 5000}},
        ("name", "category", "unit", "price", "stock", "origin_region_code")),
    "ProductPatch": obj({
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "category": PRODUCT_CATEGORY,
        "unit": {"type": "string", "minLength": 1, "maxLength": 20}, "price": MONEY,
        "stock": {"type": "integer", "minimum": 0, "maximum": 100000000},
        "origin_region_code": REGION_CODE, "description": {"type": "string", "maxLength": 5000},
        "active": {"type": "boolean"}}),
    "Category": obj({
        "id": ID, "name": {"type": "string"}, "name_en": {"type": ["string", "null"]},
        "parent_id": {**NULLABLE_ID, "description": "null for a top-level category."},
        "sort_order": {"type": "integer"}}, ("id", "name", "name_en", "parent_id")),
    "CategoryInput": obj({
        "name": {"type": "string", "minLength": 1, "maxLength": 60},
        "parent_id": {**ID, "description": "A top-level category; left out: a new top-level "
                                           "category."},
        "name_en": {"type": "string", "maxLength": 80},
        "sort_order": {"type": "integer", "minimum": -1000, "maximum": 1000, "default": 0}},
        ("name",)),
    "ReviewInput": obj({"rating": {"type": "integer", "minimum": 1, "maximum": 5},
                        "comment": {"type": "string", "maxLength": 1000}}, ("rating",)),
    "Review": obj({"id": ID, "product_id": ID, "organization_id": ID, "user_id": ID,
                   "rating": {"type": "integer"}, "comment": {"type": "string"},
                   "created_at": TIME}, ("id", "product_id", "rating")),
    "StatementInput": obj({
        "buyer_organization_id": ID,
        "period_start": {"type": "string", "format": "date", "example": "2026-03-01"},
        "period_end": {"type": "string", "format": "date", "example": "2026-03-31"}},
        ("buyer_organization_id", "period_start", "period_end")),
    "SettleInput": obj({"invoice_number": {"type": "string", "minLength": 1, "maxLength": 40}},
                       ("invoice_number",)),
    "Statement": obj({
        "id": ID, "number": {"type": "string"}, "supplier_id": ID, "buyer_organization_id": ID,
        "period_start": {"type": "string", "format": "date"},
        "period_end": {"type": "string", "format": "date"}, "total": MONEY_OUT,
        "status": {"type": "string", "enum": ["open", "settled"]},
        "invoice_number": {"type": ["string", "null"]}, "created_at": TIME, "settled_at": TIME,
        "orders": {"type": "array", "items": obj({"order_id": ID, "number": {"type": "string"},
                                                  "amount": MONEY_OUT})}},
        ("id", "number", "supplier_id", "buyer_organization_id", "total", "status")),
    "OrderLine": obj({
        "id": ID, "product_id": NULLABLE_ID, "quantity": {"type": "integer"},
        "unit_price": MONEY_OUT, "accepted_quantity": {"type": ["integer", "null"]},
        "amount": {**MONEY_OUT, "description": "The line's value: accepted quantity × unit "
                                               "price once accepted, quantity × unit price "
                                               "before."},
        "refunded_amount": MONEY_OUT},
        ("id", "product_id", "quantity", "unit_price", "accepted_quantity", "refunded_amount")),
    "Order": obj({
        "id": ID, "number": {"type": "string"},
        "status": {"type": "string", "enum": list(ORDER_STATUSES)},
        "purpose": {"type": "string", "enum": list(PURPOSES)},
        "buyer_organization_id": ID, "budget_unit_id": NULLABLE_ID, "supplier_id": ID,
        "total": MONEY_OUT, "created_at": TIME, "accepted_at": TIME,
        "payment_status": {"type": "string", "enum": list(PAYMENT_STATUSES)},
        "paid_amount": MONEY_OUT, "lines": {"type": "array", "items": ref("OrderLine")},
        "payment_terms": {"type": "string", "enum": list(PAYMENT_TERMS)},
        "amount_due": {**MONEY_OUT, "description": "What the buyer still owes for what it "
                                                   "accepted (or ordered, before acceptance), "
                                                   "never below zero."},
        "refund_due": {**MONEY_OUT, "description": "What was paid beyond the accepted value "
                                                   "and not yet refunded."},
        "accepted_total": {"oneOf": [MONEY_OUT, {"type": "null"}],
                           "description": "The accepted value (null before acceptance); "
                                          "`total` keeps what was ordered."},
        "checkout_id": {"type": ["string", "null"],
                        "description": "Shared by the orders one checkout made: they wait for "
                                       "approval, and are approved or rejected, together."}},
        ("id", "number", "status", "purpose", "buyer_organization_id", "budget_unit_id",
         "supplier_id", "total", "created_at", "accepted_at", "payment_status", "paid_amount",
         "lines", "payment_terms", "amount_due", "refund_due")),
    "OrderInput": obj({
        "lines": {"type": "array", "minItems": 1, "maxItems": 100,
                  "items": obj({"product_id": ID, "quantity": QUANTITY,
                                "unit_price": {**MONEY, "description": (
                                    "Optional: the price the buyer saw; when the product's "
                                    "price is no longer this → 409 price_changed.")}},
                               ("product_id", "quantity"))},
        "purpose": {"type": "string", "enum": list(PURPOSES)},
        "delivery_address": {"oneOf": [
            {"type": "string", "minLength": 1, "maxLength": 300},
            {**ID, "description": "The id of one of your saved delivery addresses."}]},
        "payment_method": {"type": "string", "enum": list(PAYMENT_METHODS)},
        "payment_terms": {"type": "string", "enum": list(PAYMENT_TERMS)},
        "wished_delivery_date": {"type": "string", "format": "date"},
        "invoice_title": {"type": "string", "maxLength": 200},
        "invoice_tax_id": {"type": "string", "maxLength": 40},
        "checkout_key": {"type": "string", "maxLength": 100,
                         "description": "Optional: the same key never places twice."}},
        ("lines", "purpose", "delivery_address", "payment_method", "payment_terms")),
    "ApproveInput": obj({"note": {"type": "string", "maxLength": 500}},
                        description="Optional."),
    "ConfirmTransferInput": obj({"acknowledge_mismatch": {
        "type": "boolean", "description": "Required (true) when the transfer's amount differs "
                                          "from what was due: the supplier checked that this "
                                          "amount really arrived."}},
        description="Optional when the amount matches what was due."),
    "RejectInput": obj({"reason": {"type": "string", "minLength": 1, "maxLength": 500}},
                       ("reason",)),
    "CancelInput": obj({"reason": {"type": "string", "maxLength": 500}}, description="Optional."),
    "OrdersCreated": obj({"orders": {"type": "array", "items": ref("Order")}}, ("orders",),
                         description="One order per supplier."),
    "ShipInput": obj({"carrier": {"type": "string", "minLength": 1, "maxLength": 100},
                      "tracking_number": {"type": "string", "minLength": 1, "maxLength": 100}},
                     ("carrier", "tracking_number")),
    "AcceptInput": obj({"lines": {"type": "array", "maxItems": 100, "items": obj(
        {"line_id": ID, "accepted_quantity": {"type": "integer", "minimum": 0,
                                              "maximum": 1000000}},
        ("line_id", "accepted_quantity"))}, "note": {"type": "string", "maxLength": 500}},
        description="Optional: lines left out are accepted in full."),
    "RefundInput": obj({"line_id": ID, "amount": MONEY,
                        "reason": {"type": "string", "minLength": 1, "maxLength": 500},
                        "transfer_reference": {"type": "string", "maxLength": 100,
                                               "description": "For an order paid by bank "
                                                              "transfer: the refund's "
                                                              "transfer reference."}},
                       ("line_id", "amount", "reason")),
    "Refund": obj({"id": ID, "order_id": ID, "line_id": ID, "amount": MONEY_OUT,
                   "reason": {"type": ["string", "null"]}, "status": {"type": "string"},
                   "created_at": TIME}, ("id", "amount")),
    "PaymentInput": {"oneOf": [
        obj({"method": {"type": "string", "enum": ["stripe"]}}, ("method",),
            description="A Stripe PaymentIntent for what is due."),
        obj({"method": {"type": "string", "enum": ["bank_transfer"]}, "amount": MONEY,
             "transferred_at": TIME_IN,
             "payer_account": {"type": "string", "minLength": 1, "maxLength": 60},
             "reference": {"type": "string", "minLength": 1, "maxLength": 100}},
            ("method", "amount", "transferred_at", "payer_account", "reference"),
            description="A bank transfer (对公转账), pending until the supplier confirms it."),
    ], "discriminator": {"propertyName": "method"}},
    "Payment": obj({
        "id": ID, "method": {"type": "string", "enum": ["stripe", "bank_transfer"]},
        "amount": MONEY_OUT, "status": {"type": "string"},
        "payment_intent_id": {"type": ["string", "null"]},
        "client_secret": {"type": ["string", "null"]}}, ("id", "method", "amount", "status")),
    "OrderPayments": obj({
        "order_id": ID, "payment_status": {"type": "string"},
        "payment_reference": {"type": ["string", "null"]},
        "due_date": {"type": ["string", "null"], "format": "date"},
        "amount_due": MONEY_OUT, "refund_due": MONEY_OUT, "paid_amount": MONEY_OUT,
        "refunded_amount": MONEY_OUT, "items": {"type": "array", "items": ref("Payment")},
        "refunds": {"type": "array", "items": ref("Refund")}},
        ("order_id", "payment_status", "amount_due", "paid_amount", "items")),
    "FilingInput": obj({
        "canteen_status": {"type": "string", "enum": ["own", "outsourced",
                                                      "shared_representative", "shared_member",
                                                      "none"]},
        "food_budget": MONEY, "ratio": RATIO,
        "exception_ref": {"type": "string", "minLength": 1, "maxLength": 100,
                          "description": "The approving document's reference, for a ratio "
                                         "under the policy minimum: the exception is then "
                                         "`pending` until decided."},
        "representative_unit_id": {**ID, "description": "For shared_member: the unit filing "
                                                        "for the shared canteen."}},
        ("canteen_status", "food_budget")),
    "Filing": obj({"id": ID, "reserved": {"oneOf": [MONEY_OUT, {"type": "null"}]},
                   "budget_unit_id": ID, "year": {"type": "integer"},
                   "version": {"type": "integer", "description": "Every correction is kept."},
                   "is_current": {"type": "boolean"}, "canteen_status": {"type": "string"},
                   "food_budget": {"oneOf": [MONEY_OUT, {"type": "null"}]},
                   "ratio": {"oneOf": [RATIO_OUT, {"type": "null"}],
                             "description": "As filed."},
                   "counted_ratio": {"oneOf": [RATIO_OUT, {"type": "null"}],
                                     "description": "The ratio that counts: the policy minimum "
                                                    "while an exception is pending or after "
                                                    "it was rejected."},
                   "minimum_ratio": {"oneOf": [RATIO_OUT, {"type": "null"}]},
                   "exception_ref": {"type": ["string", "null"]},
                   "exception_status": {"type": ["string", "null"],
                                        "enum": [None, "pending", "approved", "rejected"]},
                   "exception_note": {"type": ["string", "null"]},
                   "exception_decided_by_id": NULLABLE_ID, "exception_decided_at": TIME,
                   "exception_document": {"type": ["string", "null"],
                                          "description": "The approving document's file name."},
                   "representative_unit_id": NULLABLE_ID, "late": {"type": "boolean"},
                   "filed_by_id": NULLABLE_ID, "filed_at": TIME,
                   "status": {"type": "string", "description": "The unit's quota status now."},
                   "versions": {"type": "array", "items": {"type": "object"},
                                "description": "Every version, newest first (GET only)."}},
                  ("reserved", "exception_status")),
    "ExceptionDecision": obj({"decision": {"type": "string", "enum": ["approve", "reject"]},
                              "note": {"type": "string", "maxLength": 500,
                                       "description": "Required to reject: the unit reads "
                                                      "it."}},
                             ("decision",)),
    "QuotaUnit": obj({
        "unit_id": ID, "unit_name": {"type": "string"}, "region_code": REGION_CODE,
        "canteen_status": {"type": ["string", "null"]},
        "food_budget": {"oneOf": [MONEY_OUT, {"type": "null"}]},
        "ratio": {"oneOf": [RATIO_OUT, {"type": "null"}]},
        "reserved": {"oneOf": [MONEY_OUT, {"type": "null"}]}, "completed": MONEY_OUT,
        "in_progress": MONEY_OUT,
        "completion_rate": {"oneOf": [{"type": "string", "pattern": r"^\d+\.\d{4}$"},
                                      {"type": "null"}],
                            "description": "completed / reserved, four places; null when "
                                           "nothing is reserved."},
        "status": {"type": "string", "enum": ["exempt", "not_filed", "met", "on_track",
                                              "behind", "not_met"]},
        "exception_status": {"type": ["string", "null"],
                             "enum": [None, "pending", "approved", "rejected"],
                             "description": "A ratio under the minimum: pending (counted at "
                                            "the minimum), approved or rejected."}},
        ("unit_id", "unit_name", "region_code", "canteen_status", "food_budget", "ratio",
         "reserved", "completed", "in_progress", "completion_rate", "status")),
    "QuotaTotals": obj({"reserved": MONEY_OUT, "completed": MONEY_OUT, "in_progress": MONEY_OUT},
                       ("reserved", "completed", "in_progress")),
    "QuotaLine": obj({
        "line_id": ID, "order_id": ID, "order_number": {"type": "string"},
        "budget_unit_id": NULLABLE_ID, "credited_unit_id": NULLABLE_ID,
        "purpose": {"type": "string"}, "product_id": NULLABLE_ID,
        "product_name": {"type": "string"}, "origin_region_code": REGION_CODE,
        "quantity": {"type": "integer"}, "accepted_quantity": {"type": ["integer", "null"]},
        "unit_price": MONEY_OUT, "refunded": MONEY_OUT,
        "counted": {**MONEY_OUT, "description": "What this line adds to `completed`."},
        "accepted_at": TIME}, ("line_id", "order_id", "counted")),
}
SCHEMAS["CreditEvent"] = obj({
    "id": ID, "at": TIME,
    "points": {"type": "integer", "description": "Signed: +2 accepted in full, -3 accepted with "
                                                 "a quantity refused, -1 cancelled by the "
                                                 "supplier, -1 shipped over 72 h after "
                                                 "confirming, +1 a 4-5 star review, -2 a 1-2 "
                                                 "star review, -5 a take-down; a correction "
                                                 "by an admin."},
    "reason": {"type": "string", "enum": [
        "accepted_in_full", "accepted_with_refusal", "cancelled_by_supplier", "shipped_late",
        "good_review", "poor_review", "taken_down", "correction"]},
    "description": {"type": "string", "description": "The reason for people, in the "
                                                     "reader's language."},
    "note": {"type": ["string", "null"],
             "description": "A correction's reason, a take-down's or cancellation's reason."},
    "order_id": NULLABLE_ID, "order_number": {"type": ["string", "null"]},
    "product_id": NULLABLE_ID, "review_id": NULLABLE_ID},
    ("at", "points", "reason", "order_id"))
SCHEMAS["SupplierCredit"] = obj({
    "supplier_id": ID, "supplier_name": {"type": "string"},
    "points": {"type": "integer", "description": "The sum of the events' points."},
    "tier": {"type": "string", "enum": ["standard", "silver", "gold", "diamond"],
             "description": "standard below 20 points, silver from 20, gold from 50, diamond "
                            "from 100."},
    "next_tier": {"type": ["string", "null"], "enum": ["silver", "gold", "diamond", None]},
    "points_to_next_tier": {"type": "integer", "minimum": 0},
    "events": {"type": "array", "items": ref("CreditEvent"),
               "description": "Every event, oldest first; they sum to `points`."}},
    ("points", "tier", "events"))
EXAMPLES = {
    "TokenRequest": {"email": "buyer@school.example", "password": "correct-horse-42"},
    "RegionInput": {"code": "540400", "name": "林芝市", "parent_code": "540000", "aided": False},
    "RegionUpdate": {"name": "巴宜区", "parent_code": "540400", "aided": True},
    "OrganizationInput": {
        "name": "林芝市第一中学", "kind": "budget_unit", "region_code": "540402", "parent_id": 2,
        "approval_threshold": "5000.00",
    },
    "UserInput": {
        "email": "buyer@school.example", "password": "correct-horse-42", "name": "卓玛",
        "organization_id": 3, "role": "purchaser",
    },
    "CertificationInput": {"origin_region_code": "540402"},
    "QuotaPolicyInput": {
        "region_prefix": "54", "year": 2026, "min_ratio": "0.10",
        "eligible_origin_prefixes": ["54"], "count_union_purchases": True,
    },
    "ProductInput": {
        "name": "林芝松茸", "category": "菌菇", "unit": "斤", "price": "128.00", "stock": 500,
        "origin_region_code": "540402", "description": "当季鲜松茸",
    },
    "ProductPatch": {"price": "120.00", "stock": 450},
    "CategoryInput": {"name": "松茸", "parent_id": 1, "name_en": "Matsutake"},
    "OrganizationStatusInput": {"status": "suspended", "reason": "资质证书过期，待补充材料"},
    "ReviewInput": {"rating": 5, "comment": "松茸新鲜，配送及时"},
    "CertificationApplicationInput": {
        "region_codes": ["540402"],
        "documents": [{"filename": "营业执照.pdf", "content": "JVBERi0xLjQK..."}]},
    "StatementInput": {"buyer_organization_id": 2, "period_start": "2026-03-01",
                       "period_end": "2026-03-31"},
    "SettleInput": {"invoice_number": "25542000000012345678"},
    "OrderInput": {
        "lines": [{"product_id": 1, "quantity": 20}], "purpose": "canteen",
        "delivery_address": "林芝市巴宜区 第一中学食堂", "payment_method": "bank_transfer",
        "payment_terms": "goods_first",
    },
    "ShipInput": {"carrier": "邮政EMS", "tracking_number": "EA123456789CN"},
    "AcceptInput": {"lines": [{"line_id": 1, "accepted_quantity": 19}]},
    "RefundInput": {"line_id": 1, "amount": "128.00", "reason": "一斤品相不佳"},
    "ApproveInput": {"note": "同意采购"},
    "ConfirmTransferInput": {"acknowledge_mismatch": True},
    "RejectInput": {"reason": "超出本月预算"},
    "CancelInput": {"reason": "食堂临时停伙"},
    "FilingInput": {"canteen_status": "own", "food_budget": "200000.00", "ratio": "0.10"},
    "ExceptionDecision": {"decision": "reject", "note": "例外文件未说明理由，请补充后重新填报"},
}
EXAMPLES["PaymentInput"] = {"method": "bank_transfer", "amount": "2432.00",
                            "transferred_at": "2026-03-05T10:00:00+08:00",
                            "payer_account": "6222020200112233445", "reference": "林芝一中-松茸"}
for _name, _example in EXAMPLES.items():
    SCHEMAS[_name]["example"] = _example
SCHEMAS["RegionPage"] = page_of(ref("Region"))
SCHEMAS["ProductPage"] = page_of(ref("Product"))
SCHEMAS["StatementPage"] = page_of(ref("Statement"))
SCHEMAS["CategoryTree"] = obj(
    {"items": {"type": "array", "items": ref("Category")}, "total": {"type": "integer"}},
    ("items",), description="The whole two-level tree: each top-level category followed by "
                            "its second-level categories, in display order.")
SCHEMAS["OrderPage"] = page_of(ref("Order"))
SCHEMAS["QuotaUnits"] = {**page_of(ref("QuotaUnit"))}
SCHEMAS["QuotaUnits"]["properties"]["totals"] = ref("QuotaTotals")
SCHEMAS["QuotaUnits"]["required"] = ["items", "totals"]
SCHEMAS["QuotaUnits"]["description"] = "The rows matched, and totals over every row matched."
SCHEMAS["QuotaLines"] = page_of(ref("QuotaLine"))
SCHEMAS["QuotaLines"]["properties"]["completed"] = MONEY_OUT
SCHEMAS["QuotaPolicyPage"] = page_of(ref("QuotaPolicy"))

ERROR_TEXT = {
    400: "Malformed: the body is not a JSON object, or a header is invalid.",
    401: "No token, or a token that is unknown, expired or revoked (or bad credentials).",
    403: "The role or the organisation scope does not allow this.",
    404: "No such object, or not visible to you.",
    409: "Conflicts with the current state (a duplicate, a wrong status, insufficient stock, "
         "an Idempotency-Key reused with another request).",
    413: "The body is too large.",
    415: "The body is not JSON.",
    422: "Well-formed but not acceptable; `fields` says which and why.",
    429: "Too many requests; try again later.",
    502: "The payment provider (Stripe) refused the request or could not be reached; nothing "
         "was changed, try again.",
}

PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "description": "Capped at 200.",
     "schema": {"type": "integer", "minimum": 1, "default": 50}},
]


def path_param(name, schema=None, description=None):
    param = {"name": name, "in": "path", "required": True, "schema": schema or ID}
    if description:
        param["description"] = description
    return param


def query_param(name, schema=None, description=None):
    param = {"name": name, "in": "query", "required": False,
             "schema": schema or {"type": "string"}}
    if description:
        param["description"] = description
    return param


IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[!-~]+$"},
    "description": "The same key and body from the same user return the stored answer "
                   "without doing the work twice; the same key with another request → 409.",
}


def operation(op_id, summary, *, module, roles=None, body=None, ok=200, answer=None,
              params=(), errors=(), description=None, auth=True, media=None):
    """One operation: its summary, who may call it, its body and answers, its possible errors.

    :param module: the marketplace/api module implementing it (for the drift test).
    :param roles: the roles allowed (None: anyone with a token).
    :param errors: extra error statuses besides those implied by auth, body and path params.
    """
    text = description or ""
    if roles:
        text = f"Roles: {', '.join(roles)}. {text}".strip()
    op = {"operationId": op_id, "summary": summary, "tags": [module], "x-module": module,
          "responses": {}}
    if text:
        op["description"] = text
    if roles:
        op["x-roles"] = list(roles)
    statuses = set(errors)
    parameters = list(params)
    if auth:
        statuses.add(401)
        if roles:
            statuses.add(403)
    else:
        op["security"] = []
    if body is not None:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": body}}}
        statuses |= {400, 413, 415, 422}
    if any(param["in"] == "path" for param in parameters):
        statuses.add(404)
    if any(param["in"] == "query" for param in parameters):
        statuses.add(422)
    if parameters:
        op["parameters"] = parameters
    if ok == 204:
        op["responses"]["204"] = {"description": "Done."}
    else:
        content = media or {"application/json": {"schema": answer or {"type": "object"}}}
        op["responses"][str(ok)] = {"description": "Created." if ok == 201 else "OK.",
                                    "content": content}
    for status in sorted(statuses):
        op["responses"][str(status)] = {"$ref": f"#/components/responses/E{status}"}
    return op


def build_paths():
    """Every operation of the contract, by path and method."""
    paths = {}

    def add(path, method, op):
        op["operationId"] = f"{method}_{op['operationId']}"
        if method == "post" and op.get("security") != []:
            # Every authenticated POST honours Idempotency-Key (marketplace/api/idempotency.py).
            op.setdefault("parameters", []).append(IDEMPOTENCY_HEADER)
            for status in ("400", "409"):
                op["responses"].setdefault(status, {"$ref": f"#/components/responses/E{status}"})
            op["responses"] = dict(sorted(op["responses"].items()))
        paths.setdefault(path, {})[method] = op

    add("/auth/token", "post", operation(
        "token", "Issue a bearer token", module="auth", auth=False, body=ref("TokenRequest"),
        answer=ref("Token"), errors=(401, 429),
        description="Send it as `Authorization: Bearer <token>`. Rate-limited per client "
                    "address. Bad credentials → 401."))
    add("/auth/token", "delete", operation(
        "token", "Revoke the token of this request", module="auth", ok=204))
    add("/openapi.json", "get", operation(
        "openapi", "This OpenAPI description", module="openapi", auth=False,
        answer={"type": "object"}))

    # Admin
    add("/regions", "post", operation(
        "regions", "Add a region to the registry", module="admin", roles=("admin",),
        body=ref("RegionInput"), ok=201, answer=ref("Region"), errors=(409,),
        description="The code must lie within its parent's prefix; an existing code → 409."))
    add("/regions", "get", operation(
        "regions", "List regions under a parent (provinces without one)", module="admin",
        params=[query_param("parent_code", description="A region code; empty: provinces."),
                *PAGE_PARAMS],
        answer=ref("RegionPage"), errors=(404,)))
    add("/regions/{code}", "put", operation(
        "region", "Edit a region", module="admin", roles=("admin",),
        params=[path_param("code", {"type": "string"})], body=ref("RegionUpdate"),
        answer=ref("Region")))
    add("/organizations", "post", operation(
        "organizations", "Create an organisation", module="admin", roles=("admin",),
        body=ref("OrganizationInput"), ok=201, answer=ref("Organization"),
        description="A union needs `budget_unit_id`; `parent_id` is the parent budget unit; an "
                    "audit office's jurisdiction is its region's prefix."))
    add("/organizations/{organization_id}", "get", operation(
        "organization", "Read an organisation", module="admin", roles=("admin",),
        params=[path_param("organization_id")], answer=ref("Organization")))
    add("/organizations/{organization_id}", "patch", operation(
        "organization", "Suspend or reactivate an organisation", module="admin",
        roles=("admin",), params=[path_param("organization_id")],
        body=ref("OrganizationStatusInput"), answer=ref("Organization"), errors=(409,),
        description="As the console does: a suspension ends its members' sessions and tokens "
                    "and takes a supplier's goods off sale; its members are told, with the "
                    "reason. A change its status does not allow → 409."))
    add("/users", "post", operation(
        "users", "Create a user", module="admin", roles=("admin",), body=ref("UserInput"),
        ok=201, answer=ref("User"), errors=(409,),
        description="A taken e-mail → 409; a role the organisation's kind cannot hold → 422."))
    add("/suppliers/{organization_id}/certifications", "post", operation(
        "certifications", "Certify a supplier for an origin county", module="catalog",
        roles=("admin",), params=[path_param("organization_id")],
        body=ref("CertificationInput"), ok=201, answer=ref("Certification"), errors=(409,),
        description="The supplier may then list products from that county."))
    add("/suppliers/{organization_id}/certifications", "get", operation(
        "certifications", "A supplier's certifications and their status", module="suppliers",
        roles=("supplier_staff", "admin"), params=[path_param("organization_id")],
        answer=ref("CertificationList"),
        description="That supplier's staff, or an admin; newest application first, each with "
                    "its history."))
    add("/suppliers/{organization_id}/certification-applications", "post", operation(
        "certification_applications", "Apply to be certified for origin counties",
        module="suppliers", roles=("supplier_staff",), params=[path_param("organization_id")],
        body=ref("CertificationApplicationInput"), ok=201, answer=ref("CertificationList"),
        errors=(409,),
        description="That supplier's staff, with documents; each county waits (`pending`) for "
                    "the admin's decision. Already pending or approved → 409."))
    add("/quota/policies", "put", operation(
        "quota_policies", "Set the quota policy of a region prefix and year",
        module="quota", roles=("admin",), body=ref("QuotaPolicyInput"),
        answer=ref("QuotaPolicy")))
    add("/quota/policies", "get", operation(
        "quota_policies", "List quota policies", module="quota",
        roles=("admin", "auditor", "unit_manager"),
        params=[query_param("year", {"type": "integer", "minimum": 2000, "maximum": 2100}),
                *PAGE_PARAMS],
        answer=ref("QuotaPolicyPage")))

    # Catalog
    add("/categories", "get", operation(
        "categories", "The category tree", module="catalog", answer=ref("CategoryTree"),
        description="Every category, top-level and second-level. A new database already holds "
                    "the platform's standard tree."))
    add("/categories", "post", operation(
        "categories", "Add a category", module="catalog", roles=("admin",),
        body=ref("CategoryInput"), ok=201, answer=ref("Category"), errors=(409,),
        description="Under a top-level `parent_id`, or a new top-level category without one; "
                    "the same name under the same parent → 409."))
    add("/products", "post", operation(
        "products", "List a new product", module="catalog", roles=("supplier_staff",),
        body=ref("ProductInput"), ok=201, answer=ref("Product"),
        description="An origin the supplier is not certified for → 422."))
    add("/products", "get", operation(
        "products", "Search products", module="catalog",
        params=[query_param("q", description="Words with or without spaces (林芝松茸, 西藏 "
                                             "牦牛肉), pinyin or its initials (songrong, "
                                             "sr), sizes that only rank (250g); every "
                                             "word in the name, category, origin, labels "
                                             "or supplier, the name's matches first."),
                query_param("region", description="A region code or prefix of the origin."),
                query_param("category", description="A category's id or name; a top-level "
                                                     "one includes its second-level ones."),
                query_param("supplier_id", {"type": "integer", "minimum": 1}),
                *PAGE_PARAMS],
        answer=ref("ProductPage")))
    add("/products/{product_id}", "get", operation(
        "product", "Read a product", module="catalog", params=[path_param("product_id")],
        answer=ref("Product")))
    add("/products/{product_id}/reviews", "post", operation(
        "product_reviews", "Review a product", module="catalog",
        roles=("purchaser", "unit_manager"), params=[path_param("product_id")],
        body=ref("ReviewInput"), ok=201, answer=ref("Review"), errors=(409,),
        description="A buyer whose organisation accepted a delivery of it (else 403); one "
                    "review per organisation: a second → 409."))
    add("/products/{product_id}", "patch", operation(
        "product", "Edit a product (its supplier)", module="catalog",
        roles=("supplier_staff",), params=[path_param("product_id")], body=ref("ProductPatch"),
        answer=ref("Product"), description="`\"active\": false` takes it off sale."))

    # Orders
    order_id = [path_param("order_id")]
    add("/orders", "post", operation(
        "orders", "Place orders (one per supplier)", module="orders", roles=("purchaser",),
        body=ref("OrderInput"), ok=201, answer=ref("OrdersCreated"), errors=(404, 409),
        description="Bound to the purchaser's organisation (a union's to its budget unit too). "
                    "Not enough stock → 409 and nothing is created; a line's `unit_price` that "
                    "is no longer the product's price → 409 `price_changed`, with the current "
                    "prices in `error.prices`, and nothing is created; a product not on sale "
                    "(its supplier or certification suspended, paused, taken down) → 409 "
                    "`product_unavailable`, nothing created; an unknown saved delivery "
                    "address → 404. Over the unit's approval threshold (the checkout's total, "
                    "across its orders) every order waits for approval."))
    add("/orders", "get", operation(
        "orders", "List the orders you may see", module="orders",
        params=[query_param("status", {"type": "string", "enum": list(ORDER_STATUSES)}),
                *PAGE_PARAMS],
        answer=ref("OrderPage")))
    add("/orders/{order_id}", "get", operation(
        "order", "Read an order", module="orders", params=order_id, answer=ref("Order"),
        description="Its buyer, its supplier, admins and auditors in scope."))
    for action, summary, roles, body, text in (
            ("approve", "Approve a large order", ("unit_manager",), ref("ApproveInput"),
             "The unit manager of the buyer unit, for `pending_approval`; approves every "
             "order of the same checkout still waiting."),
            ("reject", "Reject a large order", ("unit_manager",), ref("RejectInput"),
             "The unit manager of the buyer unit, for `pending_approval`; rejects every order "
             "of the same checkout still waiting, and gives the stock back."),
            ("confirm", "Confirm an order", ("supplier_staff",), None, "Its supplier."),
            ("ship", "Ship an order", ("supplier_staff",), ref("ShipInput"),
             "Its supplier. A `pay_first` order not yet paid → 409 `payment_required`."),
            ("accept", "Accept the delivery (验收)", ("purchaser", "unit_manager"),
             ref("AcceptInput"), "Its buyer. Without `lines`, everything shipped is accepted."),
            ("cancel", "Cancel an order before shipping",
             ("purchaser", "unit_manager", "supplier_staff", "admin"), ref("CancelInput"),
             "Its buyer (or its supplier, or an admin), before shipping; gives the stock "
             "back.")):
        op = operation(f"order_{action}", summary, module="orders", roles=roles,
                       params=order_id, body=body, answer=ref("Order"), errors=(409,),
                       description=text)
        if action in ("approve", "accept", "cancel"):
            op["requestBody"]["required"] = False  # the body is optional
        add(f"/orders/{{order_id}}/{action}", "post", op)
    add("/orders/{order_id}/refunds", "post", operation(
        "order_refunds", "Refund on an order line", module="payments",
        roles=("supplier_staff", "admin"), params=order_id, body=ref("RefundInput"), ok=201,
        answer=ref("Refund"), errors=(409, 502),
        description="Up to the line's value: what was paid for it, or, before payment, its "
                    "accepted value (then it lowers what is due); more → 422."))

    # Payments
    add("/orders/{order_id}/payments", "post", operation(
        "order_payments", "Pay an order (Stripe or bank transfer)", module="payments",
        roles=("purchaser", "unit_manager"), params=order_id, body=ref("PaymentInput"), ok=201,
        answer=ref("Payment"), errors=(409, 502),
        description="Stripe: a PaymentIntent for what is due; the order is paid when Stripe's "
                    "`payment_intent.succeeded` arrives at /webhooks/stripe. Bank transfer: "
                    "`pending` until the supplier confirms it."))
    add("/orders/{order_id}/payments", "get", operation(
        "order_payments", "An order's payments, refunds and what is due", module="payments",
        params=order_id, answer=ref("OrderPayments"),
        description="Anyone who may see the order."))
    add("/orders/{order_id}/payments/{payment_id}/confirm", "post", operation(
        "payment_confirm", "Confirm a bank transfer (supplier)", module="payments",
        roles=("supplier_staff",), params=[*order_id, path_param("payment_id")],
        body=ref("ConfirmTransferInput"), answer=ref("Payment"), errors=(409,),
        description="The order is paid when confirmed transfers cover what is due. A transfer "
                    "whose amount differs from what was due → 422 unless the body says "
                    "`\"acknowledge_mismatch\": true`, as the page asks for a tick."))

    statement_id = [path_param("statement_id")]
    add("/settlement-statements", "get", operation(
        "statements", "Settlement statements (结算单)", module="statements",
        roles=("supplier_staff", "purchaser", "unit_manager", "admin"), params=PAGE_PARAMS,
        answer=ref("StatementPage"),
        description="A supplier's own, a buyer organisation's own, or all for an admin; "
                    "newest first."))
    add("/settlement-statements", "post", operation(
        "statements", "Make a settlement statement", module="statements",
        roles=("supplier_staff",), body=ref("StatementInput"), ok=201, answer=ref("Statement"),
        errors=(409,),
        description="The supplier groups one buyer's completed orders of a period (China "
                    "Standard Time dates) not yet on a statement; none left to settle → 409 "
                    "`nothing_to_settle`."))
    add("/settlement-statements/{statement_id}", "get", operation(
        "statement", "Read a settlement statement", module="statements",
        roles=("supplier_staff", "purchaser", "unit_manager", "admin"), params=statement_id,
        answer=ref("Statement"), description="Its supplier, its buyer organisation, admins."))
    add("/settlement-statements/{statement_id}/settle", "post", operation(
        "statement_settle", "Settle a statement with its invoice number", module="statements",
        roles=("supplier_staff",), params=statement_id, body=ref("SettleInput"),
        answer=ref("Statement"), errors=(409,),
        description="Its supplier records the invoice number (发票号); already settled → 409."))

    # Quota
    add("/quota/filings/{budget_unit_id}/{year}", "put", operation(
        "quota_filing", "File (or correct) a unit's reserved share for a year", module="quota",
        roles=("unit_manager", "admin"), params=[path_param("budget_unit_id"),
                                                 path_param("year", YEAR)],
        body=ref("FilingInput"), answer=ref("Filing"), errors=(409,),
        description="That unit's unit manager, or an admin. A ratio under the policy minimum "
                    "without `exception_ref` → 422; with it, `exception_status` is `pending` "
                    "and `reserved` stays at the policy minimum until the exception is "
                    "approved."))
    add("/quota/filings/{budget_unit_id}/{year}", "get", operation(
        "quota_filing", "A unit's current filing for a year, with every version",
        module="quota", roles=("unit_manager", "admin", "auditor"),
        params=[path_param("budget_unit_id"), path_param("year", YEAR)],
        answer=ref("Filing"), description="404 `not_filed` when the unit has not filed."))
    add("/quota/filings/{budget_unit_id}/{year}/exception", "post", operation(
        "quota_filing_exception", "Approve or reject a filing's exception", module="quota",
        roles=("admin", "auditor"),
        params=[path_param("budget_unit_id"), path_param("year", YEAR)],
        body=ref("ExceptionDecision"), answer=ref("Filing"), errors=(409,),
        description="The admin, or an auditor whose jurisdiction covers the unit; never the "
                    "unit's own staff (403). `approve`: `reserved` at the filed ratio; "
                    "`reject` (with a `note`): the policy minimum stays. 409 when no "
                    "exception is pending; a new filing version starts a new decision."))
    year = path_param("year", YEAR)
    add("/quota/{year}/units", "get", operation(
        "quota_units", "Quota figures of the units in scope", module="quota",
        roles=("auditor", "admin", "unit_manager"),
        params=[year, query_param("region", description="Units within this region's prefix."),
                query_param("parent_id", {"type": "integer", "minimum": 1},
                            "All descendants of this unit."),
                query_param("status", {"type": "string", "enum": [
                    "exempt", "not_filed", "met", "on_track", "behind", "not_met"]}),
                *PAGE_PARAMS],
        answer=ref("QuotaUnits"),
        description="Auditors in their jurisdiction, admins; a unit manager sees its subtree."))
    add("/quota/{year}/units/{unit_id}/lines", "get", operation(
        "quota_unit_lines", "The order lines behind a unit's completed amount", module="quota",
        roles=("auditor", "admin", "unit_manager"), params=[year, path_param("unit_id")],
        answer=ref("QuotaLines")))
    for fmt, mime in (("csv", "text/csv"), ("xlsx", XLSX), ("pdf", "application/pdf")):
        add(f"/quota/{{year}}/report.{fmt}", "get", operation(
            f"quota_report_{fmt}", f"The quota report as {fmt.upper()}", module="reports",
            roles=("auditor", "unit_manager", "admin"),
            params=[year, query_param("region"), query_param("parent_id",
                                                             {"type": "integer", "minimum": 1}),
                    query_param("status")],
            media={mime: {"schema": {"type": "string", "format": "binary"}}},
            description="The same rows and column names as /quota/{year}/units."))
    for fmt, mime in (("csv", "text/csv"), ("xlsx", XLSX)):
        add(f"/quota/{{year}}/ledger.{fmt}", "get", operation(
            f"quota_ledger_{fmt}", f"The quota ledger as {fmt.upper()}", module="reports",
            roles=("auditor", "unit_manager", "admin", "supplier_staff"),
            params=[year, query_param("region"), query_param("parent_id",
                                                             {"type": "integer", "minimum": 1})],
            media={mime: {"schema": {"type": "string", "format": "binary"}}},
            description="Every counted and in-progress order line in your scope."))

    # Suppliers' credit
    add("/suppliers/{organization_id}/credit", "get", operation(
        "supplier_credit", "A supplier's credit points, tier and events", module="credit",
        roles=("supplier_staff", "admin", "auditor"), params=[path_param("organization_id")],
        answer=ref("SupplierCredit"),
        description="That supplier's staff, admins and auditors. Every point comes from a "
                    "marketplace event, kept with its reason, order or product and time; "
                    "the events sum to `points`."))

    _openapi_pairings.add_paths(add)  # 万企兴万村: pairings, the village board
    _openapi_search.add_paths(add)    # suggestions, the admin's synonyms
    _openapi_invoices.add_paths(add)  # invoices (发票)
    _openapi_reorder.add_paths(add)   # buy again
    _openapi_exports.add_paths(add)   # exports written by a job
    return paths


def error_responses():
    return {f"E{status}": {"description": text,
                           "content": {"application/json": {"schema": ref("Error")}}}
            for status, text in ERROR_TEXT.items()}


@lru_cache(maxsize=1)
def _spec():
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "消费帮扶采购平台 API",
            "version": "1.0.0",
            "description": (
                "The JSON API of the consumption-assistance procurement marketplace, for "
                "canteen systems, finance bureaus, suppliers' ERPs and scripts. JSON in and "
                "out; money as strings with two decimals; ratios as decimal strings; times "
                "ISO 8601 with offset. Errors: `{\"error\": {\"code\", \"message\", "
                "\"fields\"}}`. Lists: `?page=&per_page=` (max 200) → `{\"items\", \"page\", "
                "\"per_page\", \"total\"}`."),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": build_paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A token from POST /auth/token; revoke it with DELETE "
                               "/auth/token. The session cookie is never used."}},
            "schemas": SCHEMAS,
            "responses": error_responses(),
        },
    }


def spec():
    """The OpenAPI document (a fresh copy the caller may change)."""
    return copy.deepcopy(_spec())


_INTEGER_QUERY_PARAMS = None


def integer_query_params(app, endpoint, method):
    """Names of the query parameters the description declares as integers, for one route."""
    global _INTEGER_QUERY_PARAMS
    if _INTEGER_QUERY_PARAMS is None:
        table = {}
        adapter = app.url_map.bind("localhost")
        for path, methods in _spec()["paths"].items():
            concrete = "/api/v1" + re.sub(r"\{[^}]+\}", "2026", path)
            for op_method, op in methods.items():
                try:
                    matched, _ = adapter.match(concrete, method=op_method.upper())
                except HTTPException:
                    continue
                names = {param["name"] for param in op.get("parameters", ())
                         if param["in"] == "query" and param["schema"].get("type") == "integer"}
                table.setdefault((matched, op_method.upper()), set()).update(names)
        _INTEGER_QUERY_PARAMS = table  # one assignment: other threads see all or nothing
    return _INTEGER_QUERY_PARAMS.get((endpoint, method), ())


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(_spec())


def _schema_fields(schema, schemas):
    """(name, type text, required, description) of a body schema, for the API page."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    if "oneOf" in schema:
        rows = []
        for option in schema["oneOf"]:
            rows.extend(_schema_fields(option, schemas))
        return rows
    required = set(schema.get("required", ()))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        rows.append((name, _type_text(prop, schemas), name in required,
                     prop.get("description", "")))
    return rows


def _example_of(schema, schemas):
    """The example body of a request schema, as indented JSON (None when it has none)."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    if "example" not in schema:
        return None
    return json.dumps(schema["example"], ensure_ascii=False, indent=2)


def _type_text(prop, schemas):
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[1]
    if "oneOf" in prop:
        return " | ".join(_type_text(option, schemas) for option in prop["oneOf"])
    kind = prop.get("type", "object")
    kind = " | ".join(kind) if isinstance(kind, list) else kind
    if "enum" in prop:
        return " | ".join(f'"{value}"' if isinstance(value, str) else str(value)
                          for value in prop["enum"])
    if kind == "array":
        return f"array of {_type_text(prop.get('items', {}), schemas)}"
    if prop.get("pattern") == MONEY["pattern"] or prop.get("pattern") == MONEY_OUT["pattern"]:
        return "money string"
    return kind


nav.add("api.docs_page", lazy_gettext("接口文档"), roles=("admin", "supplier_staff"), order=95)


@bp.get("/docs")
def docs_page():
    document = _spec()
    schemas = document["components"]["schemas"]
    sections = {}
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ok_status, ok = next(iter(op["responses"].items()))
            answer = ok.get("content", {}).get("application/json", {}).get("schema")
            sections.setdefault(op["tags"][0], []).append({
                "method": method.upper(), "path": path, "summary": op["summary"],
                "description": op.get("description", ""), "id": op["operationId"],
                "auth": op.get("security") != [],
                "params": [p for p in op.get("parameters", ())],
                "body": _schema_fields(body["schema"], schemas) if body else None,
                "example": _example_of(body["schema"], schemas) if body else None,
                "ok": ok_status,
                "answer": _type_text(answer, schemas) if answer else
                ", ".join(ok.get("content", {})) or "—",
                "errors": [status for status in op["responses"] if status != ok_status],
            })
    return render_template("api/docs.html", spec=document, sections=sections,
                           error_text=ERROR_TEXT, code=inline_code)


def inline_code(text):
    """Text with `backquoted` parts as <code>, everything else escaped."""
    parts = re.split(r"`([^`]+)`", str(text))
    return Markup("".join(f"<code>{escape(part)}</code>" if index % 2 else str(escape(part))
                          for index, part in enumerate(parts)))


@bp.record_once
def _api_index(state):
    state.app.add_url_rule("/api", "api_index", lambda: redirect(url_for("api.docs_page")))


# Domains describing their operations in a module of their own (named with "_" so the API's
# endpoint loader leaves it alone); imported last, since it builds on the helpers above.
from marketplace.api import (_openapi_invoices, _openapi_pairings,  # noqa: E402
                             _openapi_reorder, _openapi_search)
from marketplace.api import _openapi_exports  # noqa: E402  (exports written by a job)
