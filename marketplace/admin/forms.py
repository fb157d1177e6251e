"""Forms of the admin console."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from marketplace.accounts.forms import choices, new_password, region_choices
from marketplace.accounts.labels import KIND_LABELS, ROLE_LABELS
from marketplace.accounts.models import Organization
from marketplace.accounts.services import ADMIN_KINDS


def budget_unit_choices(exclude=None):
    """(id, name) of every budget unit, with a blank first entry (0)."""
    units = Organization.query.filter_by(kind="budget_unit").order_by(Organization.tree_path).all()
    pairs = [(0, "—")]
    for unit in units:
        if exclude is not None and unit.tree_path.startswith(exclude.tree_path):
            continue
        depth = unit.tree_path.count("/") - 2
        pairs.append((unit.id, "　" * depth + unit.name))
    return choices(pairs)


class OrganizationForm(FlaskForm):
    """Create (all fields) or edit (kind fixed) an organisation."""

    name = StringField(_l("组织名称"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("组织类型"),
                       choices=choices((kind, KIND_LABELS[kind]) for kind in ADMIN_KINDS))
    region_code = SelectField(_l("所在地区"), validators=[DataRequired()])
    parent_id = SelectField(_l("上级预算单位"), coerce=int, default=0,
                            description=_l("仅预算单位：留空表示顶级单位"))
    budget_unit_id = SelectField(_l("所属预算单位"), coerce=int, default=0,
                                 description=_l("仅工会：工会所属的预算单位"))
    approval_threshold = StringField(_l("订单审批额度（元）"), validators=[Optional(), Length(max=20)])
    credit_code = StringField(_l("统一社会信用代码"), validators=[Optional(), Length(min=18, max=18)])
    contact_name = StringField(_l("联系人姓名"), validators=[Optional(), Length(max=80)])
    contact_phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("地址"), validators=[Optional(), Length(max=300)])
    settlement_bank = StringField(_l("结算开户行"), validators=[Optional(), Length(max=120)])
    settlement_account = StringField(_l("结算账号"), validators=[Optional(), Length(max=60)])
    settlement_account_name = StringField(_l("结算账户名"), validators=[Optional(), Length(max=200)])

    def fill_choices(self, org=None):
        self.region_code.choices = region_choices()
        self.parent_id.choices = budget_unit_choices(exclude=org)
        self.budget_unit_id.choices = budget_unit_choices()
        return self


class ReviewForm(FlaskForm):
    action = SelectField(_l("操作"), choices=choices([
        ("approve", _l("通过")), ("reject", _l("驳回")), ("suspend", _l("暂停")),
        ("reactivate", _l("恢复"))]))
    note = TextAreaField(_l("说明"), validators=[Optional(), Length(max=500)])


class UserForm(FlaskForm):
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("电子邮箱"), validators=[DataRequired(), Email(), Length(max=254)])
    password = new_password(_l("初始密码"))
    role = SelectField(_l("角色"), choices=choices(ROLE_LABELS.items()))
