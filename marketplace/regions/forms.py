"""Forms of the region registry pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

SIX_DIGITS = Regexp(r"^\d{6}$", message=_l("地区代码是 6 位数字。"))


class RegionForm(FlaskForm):
    code = StringField(_l("地区代码"), validators=[DataRequired(), SIX_DIGITS])
    name = StringField(_l("名称"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("英文名称"), validators=[Optional(), Length(max=120)])
    parent_code = StringField(_l("上级地区代码"), validators=[Optional(), SIX_DIGITS])
    aided = BooleanField(_l("脱贫县（帮扶地区）"))
