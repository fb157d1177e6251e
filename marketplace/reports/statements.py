"""Credit statements (信用证明): a supplier's PDF for its bank, logged like every export.

The credit domain gives the facts; this module checks who may issue the statement, logs it
with what it said (`content`), the digest of its canonical rows and the SHA-256 of the very
file sent, and writes it. A bank officer then checks it on the verify page, by uploading the
file or typing its code, without an account.
"""
from io import BytesIO

from flask import url_for

from marketplace.credit import services as credit
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.i18n import translate as _
from marketplace.reports import services
from marketplace.reports.exports import people_time
from marketplace.reports.integrity import (digest_of_rows, file_sha256, grouped_code,
                                           pdf_keywords)
from marketplace.timeutil import to_cst, utcnow

STATEMENT_ROLES = ("supplier_staff", "admin")
# The statement's facts as rows (section, key, value): what its digest covers.
STATEMENT_COLUMNS = ("section", "key", "value")


def statement_rows(facts):
    """The facts of a statement as canonical rows, in a fixed order."""
    supplier = facts["supplier"]
    rows = [["supplier", key, supplier[key]] for key in
            ("id", "name", "credit_code", "region_code", "address", "contact_name",
             "member_since")]
    rows += [["certification", item["region_code"], f"{item['status']} {item['since'] or ''}"
              .strip()] for item in facts["certifications"]]
    rows += [["month", item["month"], f"{item['amount']} {item['orders']}"]
             for item in facts["months"]]
    rows += [["sales", "total", f"{facts['sales_total']} {facts['orders_total']}"],
             ["credit", "points", facts["points"]], ["credit", "tier", facts["tier"]]]
    rows += [["event", item["reason"], f"{item['count']} {item['points']}"]
             for item in facts["events"]]
    return rows


def issue_statement(user, supplier_id, now=None):
    """Issue the credit statement of a supplier to `user` (its staff, or an admin).

    :returns: (the ReportExport logged, the PDF's bytes).
    :raises NotFound: no such supplier. :raises PermissionDenied: another supplier's staff, or
        a role that does not issue statements.
    :raises FontMissing: the CJK font is not installed.
    """
    supplier = credit.get_supplier(supplier_id)
    if not (user.role == "admin" or
            (user.role == "supplier_staff" and user.organization_id == supplier.id)):
        raise PermissionDenied(_("只有该供应商本身（或平台管理员）可以下载其信用证明。"))
    now = now or utcnow()
    facts = credit.statement_facts(supplier, now)
    scope = services.Scope(user=user, year=to_cst(now).year, key=f"supplier:{supplier.id}",
                           label=supplier.name, filters={"supplier_id": supplier.id})
    export = services.start_export(scope, "credit", "pdf", created_at=now)
    export.content = facts
    count, sha256 = digest_of_rows(STATEMENT_COLUMNS, statement_rows(facts))
    services.finish_export(export, count, sha256)
    # fpdf costs ~37 MB per process: imported only when a PDF is written.
    from marketplace.reports.writers.statement_pdf import write_statement

    handle = BytesIO()
    write_statement(handle, facts=facts, code=grouped_code(export.token),
                    issued_at=people_time(now),
                    issued_to=f"{user.name} <{user.email}>",
                    verify_url=url_for("reports.verify", _external=True),
                    keywords=pdf_keywords(export.token))
    data = handle.getvalue()
    services.keep_file_digest(export, file_sha256(data))
    db.session.flush()
    return export, data
