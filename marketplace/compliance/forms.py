"""Forms of the compliance pages: the filing, quota policies and filing windows."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, FileField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

CANTEEN_CHOICES = [
    SelectChoice("own", _l("自办食堂")),
    SelectChoice("outsourced", _l("外包食堂（承包方通过本单位采购账号采购）")),
    SelectChoice("shared_representative", _l("共享食堂（本单位为代表单位）")),
    SelectChoice("shared_member", _l("共享食堂成员（由代表单位填报）")),
    SelectChoice("none", _l("无食堂（免于填报预留份额）")),
]


class FilingForm(FlaskForm):
    """预留份额填报. Amounts stay strings: the service parses them exactly (never float)."""

    canteen_status = SelectField(_l("食堂情况"), choices=CANTEEN_CHOICES, validators=[DataRequired()])
    food_budget = StringField(_l("食堂年度食材采购预算（元）"), validators=[Optional(), Length(max=20)],
                              render_kw={"inputmode": "decimal", "autocomplete": "off"})
    ratio = StringField(_l("预留比例"), validators=[Optional(), Length(max=10)],
                        render_kw={"inputmode": "decimal", "autocomplete": "off",
                                   "placeholder": "10%"})
    exception_ref = StringField(_l("例外批准文号（比例低于政策最低值时必填）"),
                                validators=[Optional(), Length(max=100)])
    document = FileField(_l("例外批准文件（PDF 或图片，可选）"))
    representative_unit_id = SelectField(_l("代表单位（共享食堂成员填写）"), choices=[],
                                         validators=[Optional()], validate_choice=False)


class ExceptionDecisionForm(FlaskForm):
    """The admin's or an auditor's decision on a filing's exception."""

    decision = SelectField(_l("审批意见"), choices=[SelectChoice("approve", _l("批准")),
                                                  SelectChoice("reject", _l("驳回"))],
                           validators=[DataRequired()])
    note = TextAreaField(_l("说明（驳回时必填，单位可见）"), validators=[Optional(), Length(max=500)])


class PolicyForm(FlaskForm):
    region_prefix = StringField(_l("地区代码前缀"), validators=[DataRequired(), Length(max=6)],
                                render_kw={"inputmode": "numeric", "placeholder": "54"})
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    min_ratio = StringField(_l("最低预留比例"), validators=[DataRequired(), Length(max=10)],
                            default="10%", render_kw={"inputmode": "decimal",
                                                      "placeholder": "10%"})
    eligible_origin_prefixes = StringField(
        _l("计入的产地范围（地区代码前缀，逗号分隔；留空为任何脱贫县）"),
        validators=[Optional(), Length(max=200)], render_kw={"placeholder": "54"})
    count_union_purchases = BooleanField(_l("计入工会采购"), default=True)


class WindowForm(FlaskForm):
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    opens_on = DateField(_l("开始日期"), validators=[InputRequired()])
    closes_on = DateField(lazy_pgettext("filing window", "截止日期"), validators=[InputRequired()])
