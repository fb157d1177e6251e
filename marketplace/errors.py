"""Domain errors shared by every package, and the check of a reason every package asks for."""
import re

from marketplace.i18n import translate


class DomainError(Exception):
    """A rule of the domain was broken; carries an HTTP status and a machine code."""

    status = 400
    code = "bad_request"

    def __init_subclass__(cls, *, status=None, code=None, **kwargs):
        """`class Gone(DomainError, status=410, code="gone")`: a kind of error in one line."""
        super().__init_subclass__(**kwargs)
        cls.status = status or cls.status
        cls.code = code or cls.code

    def __init__(self, message, *, fields=None, code=None, status=None, messages=None,
                 summary=False):
        """:param fields: {field: machine code}. :param messages: {field: message for a
        person}, when the service words each field's refusal itself. :param summary: the
        message sums up several fields ("组织信息有误"): each field is then told what its code
        says (`field_messages`)."""
        super().__init__(message)
        self.message = str(message)
        self.fields = fields or {}
        self.messages = messages or {}
        self.summary = summary
        if code:
            self.code = code
        if status:
            self.status = status


class ValidationError(DomainError, status=422, code="validation_error"):
    """Input was well-formed but not acceptable (422)."""


class FieldErrors:
    """Collects the refusals of several fields so a form reports every bad field at once.

        errors = FieldErrors()
        name = errors.check(clean_text, value, 120, field_name="name", required=True)
        price = errors.check(parse_price, raw)
        errors.raise_any()   # one ValidationError naming every bad field, each with its message
    """

    def __init__(self):
        self.errors = []

    def check(self, parse, *args, **kwargs):
        """`parse(*args, **kwargs)`, or None when it refuses (the refusal is kept)."""
        try:
            return parse(*args, **kwargs)
        except ValidationError as error:
            self.errors.append(error)
            return None

    def add(self, message, field, reason, **options):
        """A refusal found without a parser: `field`'s `message` (`reason`: the field's machine
        code; `options` as ValidationError's, such as the error's own code)."""
        self.errors.append(ValidationError(message, fields={field: reason}, **options))

    def raise_any(self):
        if not self.errors:
            return
        if len(self.errors) == 1:
            raise self.errors[0]
        fields, messages = {}, {}
        for error in self.errors:
            fields.update(error.fields)
            messages.update(field_messages(error))
        combined = ValidationError(" ".join(dict.fromkeys(e.message for e in self.errors)),
                                   fields=fields)
        combined.messages = messages
        raise combined


def _code_messages():
    """What a field's machine code says to a person, for a refusal that sums up several fields
    in one message (translated at call time, in the reader's language)."""
    return {"required": translate("请填写此项。"),
            "too_long": translate("内容过长，请删减。"),
            "unknown": translate("没有这一项，请重新选择。"),
            "invalid": translate("格式不正确，请检查。"),
            "in_the_past": translate("日期不能早于今天。"),
            "six digits": translate("地区代码必须是 6 位数字。"),
            "the code must lie within its parent": translate("地区代码必须在上级地区之内。"),
            "not allowed for this organisation": translate("该机构不能设这个角色。")}


def field_messages(error):
    """{field: message for a person} of a refusal: the service's own words for a field when it
    gave them (FieldErrors, `messages`); what the field's code says when the error's message
    sums up several fields; otherwise the error's message."""
    fields = error.fields or {}
    own = getattr(error, "messages", None) or {}
    if not getattr(error, "summary", False) and len(fields) <= 1:
        return {name: own.get(name, error.message) for name in fields}
    by_code = _code_messages()
    return {name: own.get(name) or by_code.get(code if isinstance(code, str) else "",
                                                error.message)
            for name, code in fields.items()}


class PermissionDenied(DomainError, status=403, code="forbidden"):
    """The user's role or organisation may not do this (403)."""


class NotFound(DomainError, status=404, code="not_found"):
    """The object does not exist, or is not visible to the user (404)."""


class Conflict(DomainError, status=409, code="conflict"):
    """The request conflicts with the current state: a duplicate, a wrong status (409)."""


class StateError(Conflict, code="invalid_state"):
    """A transition is not allowed from the object's current state (409)."""


class InsufficientStock(Conflict, code="insufficient_stock"):
    """Not enough stock for the quantity asked (409)."""


REASON_MAX_LENGTH = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def required_reason(value, message, *, field="reason", max_length=REASON_MAX_LENGTH):
    """The reason given for a decision someone else will read (a rejection, a cancellation, a
    take-down, a refund): trimmed, without control characters.

    :param message: the caller's translated "please give the reason" message.
    :raises ValidationError: empty (`message`, code "required"), or longer than `max_length`
        (refused rather than cut, so nothing the user wrote is silently lost; code "too_long").
    """
    text = _CONTROL.sub("", str(value if value is not None else "")).strip()
    if not text:
        raise ValidationError(message, fields={field: "required"})
    if len(text) > max_length:
        raise ValidationError(translate("原因请写在 %(n)s 字以内。", n=max_length),
                              fields={field: "too_long"})
    return text
