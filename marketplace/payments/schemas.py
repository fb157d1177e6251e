"""Payments as the JSON API shows them: an order with what is due, payments, refunds,
settlement statements and invoices."""
from marketplace.money import fen_str
from marketplace.ordering.schemas import order_json
from marketplace.payments import services
from marketplace.timeutil import iso


def order_with_figures_json(order):
    """The API's Order: ordering's shape with what is due and what is to be refunded."""
    return order_json(order, services.figures(order))


def payment_json(payment):
    """A payment, with its order's payment status and paid amount after it."""
    return {"id": payment.id, "order_id": payment.order_id, "method": payment.method,
            "amount": fen_str(payment.amount_fen), "status": payment.status,
            "payment_intent_id": payment.payment_intent_id,
            "client_secret": payment.client_secret,
            "transferred_at": payment.transferred_at.isoformat()
            if payment.transferred_at else None,
            "payer_account": payment.payer_account, "reference": payment.reference,
            "amount_mismatch": bool(payment.amount_mismatch),
            "created_at": iso(payment.created_at), "confirmed_at": iso(payment.confirmed_at),
            "order_payment_status": payment.order.payment_status,
            "order_paid_amount": fen_str(payment.order.paid_fen)}


def refund_row_json(row):
    """One refund row: given back through Stripe, by transfer, or lowering what is due."""
    return {"id": row.id, "line_id": row.line_id, "payment_id": row.payment_id,
            "amount": fen_str(row.amount_fen), "reason": row.reason,
            "kind": services.refund_kind(row), "status": row.status,
            "stripe_refund_id": row.stripe_refund_id,
            "transfer_reference": row.transfer_reference, "created_at": iso(row.created_at)}


def refund_json(rows):
    """A refund on a line (the rows one request made, one per payment it draws on), with the
    line's and the order's figures after it."""
    first = rows[0]
    order = first.line.order
    return {"id": first.id, "order_id": first.order_id, "line_id": first.line_id,
            "amount": fen_str(sum(row.amount_fen for row in rows)), "reason": first.reason,
            "status": first.status, "created_at": iso(first.created_at),
            "line_refunded_amount": fen_str(first.line.refunded_fen),  # every refund on it
            "order_payment_status": order.payment_status,
            "order_refunded_amount": fen_str(order.refunded_fen),
            "amount_due": fen_str(services.amount_due_fen(order)),
            "parts": [refund_row_json(row) for row in rows]}


def order_payments_json(order):
    """An order's payments and refunds, and what is due."""
    numbers = services.figures(order)
    due_date = services.effective_due_date(order)
    refunds = sorted((refund for line in order.lines for refund in line.refunds),
                     key=lambda refund: refund.id)
    return {
        "order_id": order.id, "payment_status": order.payment_status,
        "payment_reference": order.payment_reference,
        "due_date": due_date.isoformat() if due_date else None,
        "amount_due": fen_str(numbers["due"]), "refund_due": fen_str(numbers["refund_due"]),
        "paid_amount": fen_str(order.paid_fen),
        "refunded_amount": fen_str(order.refunded_fen),
        "items": [payment_json(p) for p in sorted(order.payments, key=lambda p: p.id)],
        "refunds": [refund_row_json(refund) for refund in refunds]}


def statement_json(statement):
    """A statement with what its orders still owe and its invoice's state."""
    dues = {item.order_id: services.amount_due_fen(item.order) for item in statement.items}
    return {"id": statement.id, "number": statement.number,
            "supplier_id": statement.supplier_id,
            "buyer_organization_id": statement.buyer_organization_id,
            "period_start": statement.period_start.isoformat(),
            "period_end": statement.period_end.isoformat(),
            "total": fen_str(statement.total_fen), "status": statement.status,
            "amount_due": fen_str(sum(dues.values())),
            "transfer_pending": bool(services.statement_transfers(statement, "pending")),
            "invoice_status": statement.invoice.status if statement.invoice else "none",
            "invoice_number": statement.invoice_number,
            "created_at": iso(statement.created_at),
            "confirmed_at": iso(statement.confirmed_at), "settled_at": iso(statement.settled_at),
            "orders": [{"order_id": item.order_id, "number": item.order.number,
                        "amount": fen_str(item.amount_fen),
                        "amount_due": fen_str(dues[item.order_id])}
                       for item in statement.items]}


def invoice_json(order):
    """An order's invoice ("none" until asked for), with the amount it must have."""
    body = {"order_id": order.id, "order_number": order.number,
            "expected_amount": fen_str(services.invoice_amount_fen(order))}
    return {**body, **_invoice_fields(order.invoice)}


def statement_invoice_json(statement):
    """A settlement statement's invoice ("none" until asked for), with the amount it must
    have."""
    body = {"statement_id": statement.id, "statement_number": statement.number,
            "expected_amount": fen_str(services.statement_invoice_amount_fen(statement))}
    return {**body, **_invoice_fields(statement.invoice)}


def _invoice_fields(invoice):
    if invoice is None:
        return {"status": "none"}
    return {"status": invoice.status, "title": invoice.title, "tax_number": invoice.tax_number,
            "kind": invoice.kind, "email": invoice.email,
            "requested_at": iso(invoice.requested_at), "number": invoice.number,
            "code": invoice.code,
            "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
            "amount": fen_str(invoice.amount_fen) if invoice.amount_fen is not None else None,
            "file_name": invoice.file_name, "issued_at": iso(invoice.issued_at)}


def aftersale_json(case):
    """An after-sales case (售后) as the API shows it."""
    return {"id": case.id, "order_id": case.order_id, "line_id": case.line_id,
            "kind": case.kind, "quantity": case.quantity, "reason": case.reason,
            "status": case.status, "answer": case.answer, "decision_note": case.decision_note,
            "opened_at": iso(case.opened_at), "closed_at": iso(case.closed_at),
            "photos": [f"/api/v1/after-sales/{case.id}/photos/{photo.id}"
                       for photo in case.photos]}
