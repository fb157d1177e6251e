"""Forms of the pairing pages. Amounts stay strings: the services parse them exactly."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (FieldList, Form, FormField, HiddenField, IntegerField, RadioField,
                     SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.pairings.labels import NEED_KIND_LABELS, PROJECT_LABELS
from marketplace.pairings.services.checks import parse_target
from marketplace.web import checked_by

PROJECT_ROWS = 3
PROJECT_CHOICES = [SelectChoice(key, label) for key, label in PROJECT_LABELS.items()]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProjectForm(Form):
    """One project row; a row without a kind is left out."""

    kind = SelectField(_l("项目类型"), choices=[SelectChoice("", _l("（不填）"))] + PROJECT_CHOICES,
                       validators=[Optional()])
    name = StringField(_l("项目名称"), validators=[Optional(), Length(max=120)])
    households = IntegerField(_l("带动农户（户）"), validators=[Optional(), NumberRange(0, 1_000_000)])
    bases = IntegerField(_l("带动基地（个）"), validators=[Optional(), NumberRange(0, 1_000_000)])


class PairingFieldsForm(FlaskForm):
    """What the admin's pairing and an enterprise's request have in common."""

    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    target_amount = StringField(_l("年度采购目标（元）"),
                                validators=[DataRequired(), Length(max=20), checked_by(parse_target)],
                                render_kw={"inputmode": "decimal", "autocomplete": "off"})
    supplier_ids = CheckboxesField(_l("本村合作社和基地"), coerce=int, choices=[],
                                   validate_choice=False)
    projects = FieldList(FormField(ProjectForm), min_entries=PROJECT_ROWS,
                         max_entries=PROJECT_ROWS)

    def project_data(self):
        """The filled project rows as the services take them."""
        return [{"kind": row.kind.data, "name": row.name.data,
                 "households": row.households.data, "bases": row.bases.data}
                for row in (entry.form for entry in self.projects) if row.kind.data]


class NewPairingForm(PairingFieldsForm):
    enterprise_id = SelectField(_l("企业"), choices=[], validators=[DataRequired()],
                                validate_choice=False)
    # Chosen first (a GET form reloads the page with the county's suppliers), then carried.
    county_code = HiddenField(_l("县（区）"), validators=[DataRequired()])
    village = StringField(_l("行政村"), validators=[DataRequired(), Length(max=100)],
                          render_kw={"list": "village-names", "autocomplete": "off"})


class RequestPairingForm(PairingFieldsForm):
    note = TextAreaField(_l("申请说明（打算采购什么、如何带动农户）"),
                         validators=[Optional(), Length(max=500)])


class NeedForm(FlaskForm):
    county_code = SelectField(_l("县（区）"), choices=[], validators=[DataRequired()],
                              validate_choice=False)
    village = StringField(_l("行政村"), validators=[DataRequired(), Length(max=100)],
                          render_kw={"list": "village-names", "autocomplete": "off"})
    kind = RadioField(_l("需求类型"), default="product", validators=[DataRequired()],
                      choices=[SelectChoice(key, label) for key, label in NEED_KIND_LABELS.items()])
    title = StringField(_l("标题"), validators=[DataRequired(), Length(max=120)],
                        render_kw={"placeholder": _l("如：鲁朗松茸 5000 斤寻找长期买家")})
    description = TextAreaField(_l("需求说明"), validators=[Optional(), Length(max=2000)])
    quantity = IntegerField(_l("数量（农产品）"), validators=[Optional(), NumberRange(1, 100_000_000)])
    unit = StringField(_l("单位（农产品）"), validators=[Optional(), Length(max=20)],
                       render_kw={"placeholder": _l("斤、箱、头…")})
    season = StringField(_l("上市季节（农产品）"), validators=[Optional(), Length(max=60)],
                         render_kw={"placeholder": _l("如：7–9 月")})
    project_kind = SelectField(_l("项目类型（项目）"),
                               choices=[SelectChoice("", _l("（请选择）"))] + PROJECT_CHOICES,
                               validators=[Optional()])


class MessageForm(FlaskForm):
    body = TextAreaField(_l("留言"), validators=[DataRequired(), Length(max=2000)])


class VillageForm(FlaskForm):
    county_code = SelectField(_l("县（区）"), choices=[], validators=[DataRequired()],
                              validate_choice=False)
    name = StringField(_l("行政村名称"), validators=[DataRequired(), Length(max=100)])
