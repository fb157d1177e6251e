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

    def __init__(self, message, *, fields=None, code=None, status=None):
        super().__init__(message)
        self.message = str(message)
        self.fields = fields or {}
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

    def raise_any(self):
        if not self.errors:
            return
        if len(self.errors) == 1:
            raise self.errors[0]
        fields, messages = {}, {}
        for error in self.errors:
            fields.update(error.fields)
            messages.update({name: error.message for name in error.fields})
        combined = ValidationError(" ".join(dict.fromkeys(e.message for e in self.errors)),
                                   fields=fields)
        combined.messages = messages
        raise combined


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
