"""Forms of the ordering pages: checkout, saved addresses, shipping, acceptance."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

PURPOSE_CHOICES = [SelectChoice("canteen", _l("食堂采购")),
                   SelectChoice("union_welfare", _l("工会福利")), SelectChoice("other", _l("其他"))]
METHOD_CHOICES = [SelectChoice("bank_transfer", _l("对公转账")),
                  SelectChoice("stripe", _l("在线支付（Stripe）"))]
INVOICE_CHOICES = [SelectChoice("", _l("暂不申请（以后可在订单页申请）")),
                   SelectChoice("normal", _l("增值税普通发票")),
                   SelectChoice("special", _l("增值税专用发票"))]
TERMS_CHOICES = [SelectChoice("pay_first", _l("先款后货")), SelectChoice("goods_first", _l("先货后款"))]


class CheckoutForm(FlaskForm):
    """The checkout: purpose, where to deliver, invoice and payment choices.

    No price travels in this form: the service reads prices from the database.
    """

    checkout_key = HiddenField()
    purpose = RadioField(_l("采购用途"), choices=PURPOSE_CHOICES, default="canteen",
                         validators=[DataRequired()])
    address_id = SelectField(_l("收货地址"), coerce=str, validate_choice=False)
    new_label = StringField(_l("地址名称（如：食堂、仓库）"), validators=[Optional(), Length(max=60)])
    new_recipient = StringField(_l("收货人"), validators=[Optional(), Length(max=60)])
    new_phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=40)])
    new_address = StringField(_l("详细地址"), validators=[Optional(), Length(max=300)])
    wished_delivery_date = DateField(_l("期望送达日期"), validators=[Optional()])
    invoice_title = StringField(_l("发票抬头"), validators=[Optional(), Length(max=200)])
    invoice_tax_id = StringField(_l("纳税人识别号"), validators=[Optional(), Length(max=20)])
    invoice_kind = RadioField(_l("发票"), choices=INVOICE_CHOICES, default="",
                              validate_choice=False)
    invoice_email = StringField(_l("发票接收邮箱"), validators=[Optional(), Length(max=254)])
    payment_method = RadioField(_l("支付方式"), choices=METHOD_CHOICES, default="bank_transfer",
                                validators=[DataRequired()])
    payment_terms = RadioField(_l("结算方式"), choices=TERMS_CHOICES, default="pay_first",
                               validators=[DataRequired()])


class AcceptanceForm(FlaskForm):
    """The acceptance note; quantities per line are read as line_<id> fields by the view."""

    note = TextAreaField(_l("验收说明（问题描述）"), validators=[Optional(), Length(max=1000)])
