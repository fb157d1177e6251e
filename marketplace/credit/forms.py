"""Forms of the credit pages: the admin's correction, the list's filters."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length


class CorrectionForm(FlaskForm):
    """An admin's correction of a supplier's points; the service checks the values."""

    points = StringField(_l("调整分值（正数加分，负数扣分）"),
                         validators=[InputRequired(_l("请填写调整分值。")), Length(max=10)])
    reason = TextAreaField(_l("调整原因（供应商可见，记入审计日志）"),
                           validators=[InputRequired(_l("请填写调整原因。")), Length(max=2000)])
