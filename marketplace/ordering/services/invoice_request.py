"""What an invoice request (发票申请) must hold: a title, a tax number where one is needed, the
kind and the e-mail the invoice goes to. One rule for the request made at checkout and the
one made later from the order or a settlement statement."""
import re

from email_validator import EmailNotValidError, validate_email

from marketplace.errors import FieldErrors
from marketplace.i18n import translate as _
from marketplace.ordering.models import INVOICE_KINDS

TITLE_LIMIT = 100
TAX_NUMBER = re.compile(r"^[0-9A-Z]{15,20}$")      # 统一社会信用代码 (18) or the older 15-20
FIELDS = {"title": "title", "tax_number": "tax_number", "kind": "kind", "email": "email"}


def check_invoice_request(title, tax_number, kind, email, names=FIELDS):
    """The request's fields cleaned: (title, tax number or None, kind, e-mail).

    :param names: the caller's field names for title, tax_number, kind and email (the
        checkout's are prefixed), so each refusal sits beside its own field.
    :raises ValidationError: every bad field at once: no title or too long, a bad tax number
        (a special VAT invoice needs one), an unknown kind, a bad e-mail.
    """
    title = (title or "").strip()
    tax_number = (tax_number or "").strip().upper()
    errors = FieldErrors()
    if not title:
        errors.add(_("请填写发票抬头。"), names["title"], "required")
    elif len(title) > TITLE_LIMIT:
        errors.add(_("发票抬头不能超过 100 个字符。"), names["title"], "too_long")
    if kind not in INVOICE_KINDS:
        errors.add(_("请选择发票类型。"), names["kind"], "invalid")
    if tax_number and not TAX_NUMBER.match(tax_number):
        errors.add(_("纳税人识别号应为 15 到 20 位数字或大写字母。"), names["tax_number"], "invalid")
    elif not tax_number and kind == "special":
        errors.add(_("增值税专用发票须填写纳税人识别号。"), names["tax_number"], "required")
    try:
        email = validate_email((email or "").strip()[:255],
                               check_deliverability=False).normalized
    except EmailNotValidError:
        errors.add(_("请填写有效的电子邮箱。"), names["email"], "invalid")
    errors.raise_any()
    return title, tax_number or None, kind, email
