"""Forms of the payment pages: bank transfer, refund, settlement statements, invoices,
after-sales."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, IntegerField, MultipleFileField, RadioField,
                     SelectField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from marketplace.money import to_decimal
from marketplace.ordering.forms import INVOICE_CHOICES

INVOICE_KIND_CHOICES = [choice for choice in INVOICE_CHOICES if choice.value]


def money_check(form, field):
    """A positive amount in yuan with at most two decimals."""
    try:
        amount = to_decimal(field.data)
    except ValueError:
        raise ValidationError(_l("请输入金额，例如 1280.00。")) from None
    if amount <= 0 or amount.as_tuple().exponent < -2:
        raise ValidationError(_l("金额必须大于零，最多两位小数。"))


class StatementTransferForm(FlaskForm):
    """One bank transfer for what a settlement statement owes (the amount is the statement's)."""

    transferred_at = DateField(_l("转账日期"), validators=[DataRequired()])
    payer_account = StringField(_l("付款账号"), validators=[DataRequired(), Length(max=60)])
    reference = StringField(_l("转账附言"), validators=[Optional(), Length(max=60)])
    voucher = FileField(_l("转账凭证（PDF 或图片）"))


class TransferForm(StatementTransferForm):
    amount = StringField(_l("转账金额（元）"), validators=[DataRequired(), money_check])


class RefundForm(FlaskForm):
    line_id = SelectField(_l("订单行"), coerce=int, validators=[DataRequired()])
    amount = StringField(_l("退款金额（元）"), validators=[DataRequired(), money_check])
    reason = TextAreaField(_l("退款原因"), validators=[DataRequired(), Length(max=500)])
    transfer_reference = StringField(_l("退款转账流水号（银行转账时必填）"),
                                     validators=[Optional(), Length(max=60)])


class ConfirmTransferForm(FlaskForm):
    acknowledge_mismatch = BooleanField(_l("我已核对：实际到账金额与登记金额一致"))


class RejectTransferForm(FlaskForm):
    reason = StringField(_l("未到账原因"), validators=[DataRequired(message=_l("请说明原因。")),
                                                   Length(max=500)])


class StatementForm(FlaskForm):
    buyer_organization_id = SelectField(_l("采购单位"), coerce=int, validators=[DataRequired()])
    period_start = DateField(_l("起始日期"), validators=[DataRequired()])
    period_end = DateField(_l("截止日期"), validators=[DataRequired()])


class SettleForm(FlaskForm):
    invoice_number = StringField(_l("发票号"), validators=[
        DataRequired(message=_l("请填写发票号。")), Length(max=40)])


class InvoiceRequestForm(FlaskForm):
    title = StringField(_l("发票抬头"), validators=[DataRequired(), Length(max=100)])
    tax_number = StringField(_l("纳税人识别号"), validators=[Optional(), Length(max=20)])
    kind = SelectField(_l("发票类型"), choices=INVOICE_KIND_CHOICES)
    email = StringField(_l("接收邮箱"), validators=[DataRequired(), Length(max=254)])


class InvoiceIssueForm(FlaskForm):
    number = StringField(_l("发票号码"), validators=[DataRequired(), Length(max=20)])
    code = StringField(_l("发票代码（数电票不填）"), validators=[Optional(), Length(max=12)])
    issued_on = DateField(_l("开票日期"), validators=[DataRequired()])
    amount = StringField(_l("发票金额（元）"), validators=[DataRequired(), money_check])
    file = FileField(_l("发票文件（PDF 或 OFD）"))


class AfterSaleForm(FlaskForm):
    """The buyer's return or complaint on one accepted line (售后)."""

    line_id = SelectField(_l("商品"), coerce=int, validators=[DataRequired()])
    kind = RadioField(_l("类型"), choices=[("return", _l("退货（退回商品并退款）")),
                                          ("complaint", _l("投诉（质量或服务问题）"))],
                      default="return", validators=[DataRequired()])
    quantity = IntegerField(_l("数量"), validators=[DataRequired(message=_l("请填写数量。"))])
    reason = TextAreaField(_l("原因"), validators=[DataRequired(message=_l("请填写售后原因。")),
                                                  Length(max=500)])
    photos = MultipleFileField(_l("照片（最多 3 张，JPEG/PNG/WebP）"))


class AfterSaleAnswerForm(FlaskForm):
    answer = TextAreaField(_l("不同意的理由"), validators=[DataRequired(), Length(max=500)])


class ArbitrateForm(FlaskForm):
    decision = RadioField(_l("仲裁结果"), choices=[("buyer", _l("支持采购方（按同意处理）")),
                                                  ("supplier", _l("支持供应商（关闭申请）"))],
                          validators=[DataRequired(message=_l("请选择仲裁结果。"))])
    note = TextAreaField(_l("仲裁意见"), validators=[DataRequired(), Length(max=500)])
