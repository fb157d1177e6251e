"""Payment rules: what is due, Stripe payments and their webhooks, bank transfers, refunds,
payment terms and settlement statements.

Callers use `from marketplace.payments import services` and the names re-exported here; the
rules live in the submodules:

- core: constants, who may do what, lookups, the order lock;
- figures: what an order is worth, what is paid and due, its payment status;
- terms: references, due dates, the extension, overdue orders and reminders;
- stripe_payments / webhooks: Stripe PaymentIntents and the events that settle them;
- transfers: bank transfers and their vouchers;
- refunds: refunds on order lines;
- statements: settlement statements and account summaries;
- statement_payments: a statement confirmed by its buyer and paid with one transfer;
- invoices: invoices (发票) asked, issued, downloaded, reminded of;
- statement_invoices: one invoice for a whole statement.

Amounts are integer fen. Services flush and never commit (the request or CLI command does).
"""
from marketplace.payments.services.core import (BUYER_ROLES, OPEN_STATUSES, PAYABLE_STATUSES,
                                                REFUNDABLE_STATUSES, PaymentStateError,
                                                get_payment, is_buyer, is_supplier,
                                                require_buyer, require_supplier)
from marketplace.payments.services.figures import (amount_due_fen, complete_order, figures,
                                                   is_settled, line_value_fen,
                                                   order_value_fen,
                                                   money_turn, received_fen, refresh_order,
                                                   refund_due_fen, waiting_payment)
from marketplace.payments.services.invoices import (INVOICEABLE_STATUSES, REMINDER_DAYS,
                                                    invoice_amount_fen, invoice_file,
                                                    issue_invoice, orders_without_invoice,
                                                    remind_invoices, request_invoice,
                                                    statement_invoicing,
                                                    require_invoice_buyer,
                                                    require_invoice_supplier)
from marketplace.payments.services.owed import (on_order_accepted, orders_owing_refunds,
                                                remind_refunds)
from marketplace.payments.services.refunds import create_refund, refund_kind, refundable_fen
from marketplace.payments.services.statement_invoices import (issue_statement_invoice,
                                                              request_statement_invoice,
                                                              statement_invoice_amount_fen)
from marketplace.payments.services.statement_payments import (confirm_statement,
                                                              confirm_statement_transfer,
                                                              pay_statement_by_transfer,
                                                              reject_statement_transfer,
                                                              statement_transfers)
from marketplace.payments.services.statements import (account_summary, create_statement,
                                                      get_statement,
                                                      require_statement_buyer,
                                                      require_statement_supplier,
                                                      settle_statement, statement_buyers,
                                                      statement_candidates,
                                                      statement_due_fen, statements_for)
from marketplace.payments.services.stripe_payments import (apply_intent_status,
                                                           confirm_test_payment,
                                                           reconcile_pending, refresh_payment,
                                                           start_stripe_payment)
from marketplace.payments.services.terms import (EXTENSION_DAYS, GOODS_FIRST_DAYS, PAY_FIRST_DAYS,
                                                 assign_terms, effective_due_date,
                                                 extend_due_date, is_overdue, overdue_orders,
                                                 remind_overdue, terms_due_date, today_cst)
from marketplace.payments.services.transfers import (VOUCHER_TYPES, confirm_transfer,
                                                     expected_transfer_fen, record_transfer,
                                                     reject_transfer, save_voucher,
                                                     transfers_to_confirm, voucher_file)
from marketplace.payments.services.webhooks import INTENT_EVENTS, REFUND_EVENTS, handle_event

__all__ = [
    "BUYER_ROLES", "EXTENSION_DAYS", "GOODS_FIRST_DAYS", "INTENT_EVENTS", "OPEN_STATUSES",
    "PAYABLE_STATUSES", "PAY_FIRST_DAYS", "REFUNDABLE_STATUSES", "REFUND_EVENTS",
    "VOUCHER_TYPES", "PaymentStateError", "account_summary", "amount_due_fen", "money_turn",
    "waiting_payment",
    "apply_intent_status", "complete_order", "confirm_test_payment",
    "confirm_transfer", "create_refund", "create_statement", "effective_due_date",
    "assign_terms", "expected_transfer_fen", "extend_due_date", "figures",
    "get_payment", "get_statement", "handle_event", "is_buyer", "is_overdue", "is_settled",
    "is_supplier", "orders_owing_refunds", "refund_due_fen", "remind_refunds", "transfers_to_confirm",
    "terms_due_date",
    "line_value_fen", "on_order_accepted", "order_value_fen",
    "overdue_orders", "received_fen", "reconcile_pending", "record_transfer", "refresh_order",
    "refresh_payment", "refund_kind", "refundable_fen", "reject_transfer", "remind_overdue",
    "require_buyer", "require_supplier", "save_voucher", "settle_statement",
    "start_stripe_payment", "statement_buyers", "statement_candidates", "statements_for",
    "today_cst", "voucher_file",
    "INVOICEABLE_STATUSES", "REMINDER_DAYS", "invoice_amount_fen", "invoice_file", "issue_invoice",
    "orders_without_invoice", "remind_invoices", "request_invoice", "require_invoice_buyer",
    "require_invoice_supplier", "statement_invoicing",
    "confirm_statement", "confirm_statement_transfer", "issue_statement_invoice",
    "pay_statement_by_transfer", "reject_statement_transfer", "request_statement_invoice",
    "require_statement_buyer", "require_statement_supplier", "statement_due_fen",
    "statement_invoice_amount_fen", "statement_transfers",
]
