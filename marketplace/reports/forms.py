"""Forms of the reports pages: the report filters (GET) and the verification upload."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional


class ReportFilterForm(FlaskForm):
    """Year and filters of a report; read from the query string, so links can be shared."""

    class Meta:
        csrf = False  # a GET form: it changes nothing

    year = SelectField(_l("年度"), coerce=int)
    region = SelectField(_l("地区"), choices=[])
    parent_id = SelectField(_l("上级单位（含下级）"), choices=[])
    status = SelectField(_l("完成状态"), choices=[])


class VerifyForm(FlaskForm):
    """A file the platform issued (CSV, Excel or PDF), uploaded to check it is unaltered, or
    the code printed on it; one of the two."""

    file = FileField(_l("文件（CSV、Excel 或 PDF）"))
    code = StringField(_l("或输入核验码"), validators=[Optional(), Length(max=100)])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if not self.file.data and not (self.code.data or "").strip():
            self.file.errors = list(self.file.errors) + [
                str(_l("请选择一个 CSV、Excel 或 PDF 文件，或输入核验码。"))]
            return False
        return True
