"""One invoice (发票) for a whole settlement statement: once the buyer has confirmed the
statement it asks for the invoice, the supplier issues it for what the statement's orders
were accepted for less their refunds, and the statement then counts as invoiced for each of
its orders (the auditor's list of orders without an invoice leaves them out). An order with an
invoice of its own is not invoiced again with its statement."""
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.errors import Conflict, NotFound
from marketplace.i18n import translate as _
from marketplace.money import format_yuan
from marketplace.notifications.services import notify
from marketplace.payments.services.invoices import (invoice_amount_fen, write_issue,
                                                    write_request)
from marketplace.payments.services.statements import (require_statement_buyer,
                                                      require_statement_supplier,
                                                      supplier_staff)


def statement_invoice_amount_fen(statement):
    """What the statement's invoice must amount to: its orders' accepted values less every
    refund (fen)."""
    return sum(invoice_amount_fen(item.order) for item in statement.items)


def request_statement_invoice(user, statement, title, tax_number, kind, email):
    """Ask for the statement's invoice, or change what was asked while it is not issued.

    :raises PermissionDenied: not a buyer of the statement's organisation.
    :raises Conflict: the statement is not confirmed yet, its invoice is issued, or an order on
        it has an invoice of its own.
    :raises ValidationError: as `check_invoice_request` (title, tax_number, kind, email).
    """
    require_statement_buyer(user, statement)
    if statement.status == "open":
        raise Conflict(_("请先确认结算单，再申请发票。"))
    own = [item.order.number for item in statement.items if item.order.invoice is not None]
    if own:
        raise Conflict(_("订单 %(numbers)s 已单独申请发票，不能再随结算单开票。",
                         numbers="、".join(own)), code="invoiced_alone")
    invoice = write_request(statement.invoice, user, title, tax_number, kind, email,
                            statement=statement)
    notify(supplier_staff(statement), "invoice.requested",
           _l("结算单 %(number)s 的采购单位申请开具发票（%(title)s）。", number=statement.number,
              title=invoice.title), link=f"/payments/statements/{statement.id}")
    return invoice


def issue_statement_invoice(user, statement, number, code, issued_on, amount, upload):
    """Issue the statement's asked invoice with its file; a settled statement takes its
    number.

    :param amount: in yuan (a string); must equal `statement_invoice_amount_fen`.
    :raises PermissionDenied: not the statement's supplier.
    :raises NotFound: no invoice was asked. :raises Conflict: already issued.
    :raises ValidationError: number, code, date, amount or file (their fields).
    """
    require_statement_supplier(user, statement)
    invoice = statement.invoice
    if invoice is None:
        raise NotFound(_("买方还没有申请发票。"))
    write_issue(invoice, user, number, code, issued_on, amount, upload,
                statement_invoice_amount_fen(statement))
    if statement.status == "settled" and not statement.invoice_number:
        statement.invoice_number = invoice.number
    record("invoice.issue", invoice, actor=user,
           detail={"statement_id": statement.id, "number": invoice.number,
                   "amount_fen": invoice.amount_fen})
    notify([invoice.requested_by], "invoice.issued",
           _l("结算单 %(number)s 的发票已开具（%(amount)s），可在结算单页下载。",
              number=statement.number, amount=format_yuan(invoice.amount_fen)),
           link=f"/payments/statements/{statement.id}")
    return invoice
