"""Input every API endpoint refuses at once, before its view runs: NUL characters, and query
parameters the description declares as integers that are not."""
import re

from flask import current_app, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from marketplace.api.contract import document
from marketplace.api.core import INT_MAX, INT_MIN, Malformed
from marketplace.errors import NotFound, ValidationError

_tables = None


def guard_inputs():
    """Refuse, for every endpoint at once, input no database column can take.

    NUL characters (PostgreSQL refuses them in text) are malformed (400); integer query
    parameters of the description must be integers (422), and an id among them beyond INTEGER
    becomes 0, an id no row has.
    """
    # Integer ids in paths need no check here: the app's `int` converter already turns one
    # beyond INTEGER into 0 (marketplace.register_blueprints).
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and "\x00" in value:
            raise NotFound("No such object.", code="not_found")
    for name, value in request.args.items(multi=True):
        if "\x00" in name or "\x00" in value:
            raise Malformed("Query parameters must not contain NUL characters.",
                            code="malformed", fields={name: "invalid"})
    replaced = {}
    for name in integer_query_params(current_app, request.endpoint, request.method):
        for value in request.args.getlist(name):
            try:
                number = int(value)
            except ValueError:
                raise ValidationError(f"'{name}' must be an integer.",
                                      fields={name: "expected int"}) from None
            if not INT_MIN <= number <= INT_MAX and name.endswith("_id"):
                # As for ids in paths (marketplace.IdConverter): an id no row can have is 0.
                replaced[name] = "0"
    if replaced:
        args = request.args.copy()
        for name, value in replaced.items():
            args.setlist(name, [value])
        request.args = ImmutableMultiDict(args)


def integer_query_params(app, endpoint, method):
    """Names of the query parameters the description declares as integers, for one route."""
    return _described(app)[1].get((endpoint, method), ())


def described_operation(app, endpoint, method):
    """The description's operation of one route (endpoint, METHOD), or None."""
    return _described(app)[0].get((endpoint, method))


def _described(app):
    global _tables
    if _tables is None:
        _tables = _route_tables(app)  # one assignment: other threads see all or nothing
    return _tables


def _route_tables(app):
    """({(endpoint, METHOD): operation}, {(endpoint, METHOD): integer query parameters}) of the
    app's routes, from the description's paths. A route that serves several described paths
    (a report in each of its formats) takes the integer parameters of all of them."""
    operations, integers = {}, {}
    adapter = app.url_map.bind("localhost")
    for path, methods in document()["paths"].items():
        concrete = "/api/v1" + re.sub(r"\{[^}]+\}", "2026", path)
        for op_method, op in methods.items():
            try:
                matched, _ = adapter.match(concrete, method=op_method.upper())
            except HTTPException:
                continue
            key = (matched, op_method.upper())
            operations[key] = op
            integers.setdefault(key, set()).update(
                param["name"] for param in op.get("parameters", ())
                if param["in"] == "query" and param["schema"].get("type") == "integer")
    return operations, integers
