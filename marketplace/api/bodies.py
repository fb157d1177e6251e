"""Request bodies read as the API's description declares them.

Every endpoint that takes a body reads it with `read_body()`: the route's operation in the
description (marketplace/api/contract) names the body's schema, and that schema says which
properties exist, which are required and what JSON type each has. What the documentation shows
is therefore what the endpoint reads; the services then check the values themselves (lengths,
choices, dates), with the messages the pages show too.
"""
from datetime import date, datetime

from flask import current_app, request

from marketplace.api.checks import described_operation
from marketplace.api.contract import document
from marketplace.api.contract.shapes import MONEY, RATIO
from marketplace.api.core import field, json_body
from marketplace.errors import ValidationError
from marketplace.timeutil import to_cst

# An amount or a ratio is sent as a decimal string or as an integer (never a float).
AMOUNT_PATTERNS = frozenset({MONEY["pattern"], RATIO["pattern"]})
KINDS = {"string": "str", "integer": "int", "boolean": "bool", "array": "list",
         "object": "dict"}


def read_body():
    """The request's JSON body, as the description of this route declares it.

    :returns: {name: value} of the declared properties that were sent (null counts as not
        sent), each of its declared type; properties the schema does not declare are left
        out, and the service's own defaults apply to those not sent.
    :raises Malformed: no JSON object where the operation requires a body (400).
    :raises ValidationError: a required property missing, or one of the wrong type (422).
    """
    op = described_operation(current_app, request.endpoint, request.method)
    declared = op["requestBody"]
    data = json_body(optional=not declared["required"])
    schema = chosen_schema(resolve(declared["content"]["application/json"]["schema"]), data)
    return _declared(data, schema)


def _declared(data, schema):
    """{name: value} of the properties of the object schema `schema` that `data` holds, each
    checked for its type; the objects of a list of objects are read the same way."""
    required = set(schema.get("required", ()))
    read = {}
    for name, prop in schema["properties"].items():
        value = field(data, name, kinds_of(prop), required=name in required)
        items = resolve(resolve(prop).get("items", {}))
        if isinstance(value, list) and "properties" in items:
            value = [_declared(_an_object(item, f"{name}[{index}]"), items)
                     for index, item in enumerate(value)]
        if value is not None:
            read[name] = value
    return read


def _an_object(item, where):
    """:raises ValidationError: an item of a list of objects that is not one."""
    if not isinstance(item, dict):
        raise ValidationError(f"{where} must be an object.", fields={where: "expected object"})
    return item


def calendar_day(value, name):
    """The calendar day in China Standard Time that the body's `name` gives: "YYYY-MM-DD" as
    written, or a moment with its UTC offset ("2026-12-04T16:14:20+00:00" is 5 December in
    Beijing) read as its CST day.

    :raises ValidationError: neither.
    """
    try:
        if len(value) > 10:
            moment = datetime.fromisoformat(value)
            return to_cst(moment).date() if moment.tzinfo else moment.date()
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"'{name}' must be a date (YYYY-MM-DD).",
                              fields={name: "date"}) from None


def chosen_schema(schema, data):
    """The object schema that applies to `data`: the schema itself, or, for a choice of
    schemas told apart by one property (a discriminator), the one whose value was sent.

    :raises ValidationError: a discriminator that names none of the choices.
    """
    if "oneOf" not in schema:
        return schema
    name = schema["discriminator"]["propertyName"]
    choices = {value: choice for choice in map(resolve, schema["oneOf"])
               for value in choice["properties"][name]["enum"]}
    value = field(data, name, "str")
    if value not in choices:
        raise ValidationError(f"'{name}' must be {' or '.join(choices)}.",
                              fields={name: "choice"})
    return choices[value]


def kinds_of(prop):
    """The `field` kinds a described property accepts, e.g. ("int", "str") for an id or a
    name."""
    prop = resolve(prop)
    if prop.get("pattern") in AMOUNT_PATTERNS:
        return ("money",)
    if "oneOf" in prop:
        return tuple(kind for choice in prop["oneOf"] for kind in kinds_of(choice))
    types = prop.get("type", ())
    return tuple(KINDS[name] for name in ([types] if isinstance(types, str) else types)
                 if name != "null")


def resolve(schema):
    """A schema, or the component schema its $ref names."""
    if "$ref" not in schema:
        return schema
    return document()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
