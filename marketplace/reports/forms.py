"""Forms of the reports pages: the report filters (GET) and the verification upload."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField


class ReportFilterForm(FlaskForm):
    """Year and filters of a report; read from the query string, so links can be shared."""

    class Meta:
        csrf = False  # a GET form: it changes nothing

    year = SelectField(_l("年度"), coerce=int)
    region = SelectField(_l("地区"), choices=[])
    parent_id = SelectField(_l("上级单位（含下级）"), choices=[])
    status = SelectField(_l("完成状态"), choices=[])


class VerifyForm(FlaskForm):
    """An earlier CSV export, uploaded to check it is unaltered."""

    file = FileField(_l("导出文件（CSV 或 Excel）"),
                     validators=[FileRequired(_l("请选择一个 CSV 或 Excel 文件。"))])
