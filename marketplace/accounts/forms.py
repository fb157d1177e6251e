"""Forms of the accounts pages."""
from flask_babel import lazy_gettext as _l
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from marketplace.accounts.services.passwords import validate_password
from marketplace.regions.models import Region
from marketplace.web import checked_by

MIN_PASSWORD = 10  # the services refuse weaker ones too (accounts.services.passwords)


def choices(pairs):
    """Select options from (value, label) pairs (WTForms 3.3 deprecates raw tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def new_password(label):
    return PasswordField(label, validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)])


def confirmation():
    return PasswordField(_l("确认密码"), validators=[
        DataRequired(), EqualTo("password", _l("两次输入的密码不一致。"))])


class LoginForm(FlaskForm):
    email = EmailField(_l("电子邮箱"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("记住我"))


def region_choices():
    """(code, name with its prefecture) of every county-level region, Tibet first, for a
    select: people choose by name, the code stays the value."""
    regions = Region.query.order_by(Region.code).all()
    tibet = [region for region in regions if region.code.startswith("54")]
    others = [region for region in regions if not region.code.startswith("54")]
    return choices((region.code, region_label(region)) for region in tibet + others)


def region_label(region):
    """"林芝市 巴宜区": a region with its prefecture, in the reader's language where the registry
    has it (two counties of one name stay apart by their prefectures)."""
    def named(place):
        return place.name_en if english and place.name_en else place.name

    english = str(get_locale() or "").startswith("en")
    parent = named(region.parent) + " " if region.parent is not None and region.level > 2 else ""
    return f"{parent}{named(region)}"


class RegisterForm(FlaskForm):
    """Self-registration of a buyer organisation or a supplier and its first user."""

    kind = SelectField(_l("组织类型"), choices=choices([
        ("supplier", _l("供应商（合作社、家庭农场、企业）")),
        ("budget_unit", _l("预算单位（机关、学校、医院等）")),
        ("enterprise", _l("企业（采购方）")),
    ]), validators=[DataRequired()])
    org_name = StringField(_l("组织名称"), validators=[DataRequired(), Length(max=200)])
    region_code = SelectField(_l("所在地区"), validators=[DataRequired()])
    credit_code = StringField(_l("统一社会信用代码"), validators=[Optional(), Length(min=18, max=18)])
    contact_name = StringField(_l("联系人姓名"), validators=[DataRequired(), Length(max=100)])
    contact_phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=40)])
    email = EmailField(_l("电子邮箱"), validators=[DataRequired(), Email(), Length(max=254)])
    password = new_password(_l("密码"))
    confirm = confirmation()


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("电子邮箱"), validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = new_password(_l("新密码"))
    confirm = confirmation()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired(), Length(max=200)])
    password = new_password(_l("新密码"))
    confirm = confirmation()


class MemberForm(FlaskForm):
    """A unit manager or supplier staff adds a colleague."""

    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("电子邮箱"), validators=[DataRequired(), Email(), Length(max=254)])
    # The service's password rules at once with the other fields (the name is checked there).
    password = PasswordField(_l("初始密码"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD, max=200), checked_by(validate_password)])
    role = SelectField(_l("角色"), choices=choices([("purchaser", _l("采购人")),
                                                   ("unit_manager", _l("单位管理员"))]),
                       validators=[Optional()])


class ThresholdForm(FlaskForm):
    approval_threshold = StringField(_l("订单审批额度（元）"), validators=[Optional(), Length(max=20)])


class AddressForm(FlaskForm):
    label = StringField(_l("名称"), validators=[DataRequired(), Length(max=60)])
    recipient = StringField(_l("收货人"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("电话"), validators=[DataRequired(), Length(max=40)])
    address = StringField(_l("详细地址"), validators=[DataRequired(), Length(max=300)])


# Where a service's error field shows on the accounts forms: the form fields to try in turn.
FIELD_ALIASES = {"name": ("name", "org_name", "contact_name"),
                 "budget_unit_id": ("budget_unit_id", "budget_unit"),
                 "parent_id": ("parent_id", "parent")}
