"""Domain errors shared by every package, and how pages and the API show them."""


class DomainError(Exception):
    """A rule of the domain was broken; carries an HTTP status and a machine code."""

    status = 400
    code = "bad_request"

    def __init__(self, message, *, fields=None, code=None, status=None):
        super().__init__(message)
        self.message = str(message)
        self.fields = fields or {}
        if code:
            self.code = code
        if status:
            self.status = status


class ValidationError(DomainError):
    """Input was well-formed but not acceptable (422)."""

    status = 422
    code = "validation_error"


class PermissionDenied(DomainError):
    """The user's role or organisation may not do this (403)."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """The object does not exist, or is not visible to the user (404)."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request conflicts with the current state: a duplicate, a wrong status (409)."""

    status = 409
    code = "conflict"


class StateError(Conflict):
    """A transition is not allowed from the object's current state (409)."""

    code = "invalid_state"


class InsufficientStock(Conflict):
    """Not enough stock for the quantity asked (409)."""

    code = "insufficient_stock"
