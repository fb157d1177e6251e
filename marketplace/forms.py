"""Forms that pages of every domain post: a bare button, and a reason given for a decision."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length


class ActionForm(FlaskForm):
    """A button that changes something (approve, delete, agree): its CSRF token, and `next`
    for the page to go back to where a list sends it."""

    next = HiddenField()


class ReasonForm(FlaskForm):
    """A decision that must say why (a rejection, a take-down, an end)."""

    reason = TextAreaField(_l("原因"), validators=[DataRequired(message=_l("请填写原因。")),
                                                 Length(max=500)])
