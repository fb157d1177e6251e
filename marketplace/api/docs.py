"""The API page for people (GET /api/v1/docs, and /api leading to it): every operation of the
description with its parameters, body fields, an example body and its answers."""
import json
import re

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext
from markupsafe import Markup, escape

from marketplace import nav
from marketplace.api import bp
from marketplace.api.contract import document
from marketplace.api.contract.shapes import ERROR_TEXT, MONEY, MONEY_OUT

MONEY_PATTERNS = {MONEY["pattern"], MONEY_OUT["pattern"]}

nav.add("api.docs_page", lazy_gettext("接口文档"), roles=("admin", "supplier_staff"), order=95)


def _named(schema, schemas):
    """A schema with its $ref followed."""
    return schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema


def _schema_fields(schema, schemas):
    """(name, type text, required, description) of a body schema, for the API page."""
    schema = _named(schema, schemas)
    if "oneOf" in schema:
        rows = []
        for option in schema["oneOf"]:
            rows.extend(_schema_fields(option, schemas))
        return rows
    required = set(schema.get("required", ()))
    return [(name, _type_text(prop, schemas), name in required, prop.get("description", ""))
            for name, prop in schema.get("properties", {}).items()]


def _example_of(schema, schemas):
    """The example body of a request schema, as indented JSON (None when it has none)."""
    schema = _named(schema, schemas)
    if "example" not in schema:
        return None
    return json.dumps(schema["example"], ensure_ascii=False, indent=2)


def _type_text(prop, schemas):
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[1]
    if "oneOf" in prop:
        return " | ".join(_type_text(option, schemas) for option in prop["oneOf"])
    kind = prop.get("type", "object")
    kind = " | ".join(kind) if isinstance(kind, list) else kind
    if "enum" in prop:
        return " | ".join(f'"{value}"' if isinstance(value, str) else str(value)
                          for value in prop["enum"])
    if kind == "array":
        return f"array of {_type_text(prop.get('items', {}), schemas)}"
    if prop.get("pattern") in MONEY_PATTERNS:
        return "money string"
    return kind


def _operation_entry(path, method, op, schemas):
    """What the page shows of one operation."""
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    ok_status, ok = next(iter(op["responses"].items()))
    answer = ok.get("content", {}).get("application/json", {}).get("schema")
    return {
        "method": method.upper(), "path": path, "summary": op["summary"],
        "description": op.get("description", ""), "id": op["operationId"],
        "auth": op.get("security") != [],
        "params": list(op.get("parameters", ())),
        "body": _schema_fields(body["schema"], schemas) if body else None,
        "example": _example_of(body["schema"], schemas) if body else None,
        "ok": ok_status,
        "answer": _type_text(answer, schemas) if answer else
        ", ".join(ok.get("content", {})) or "—",
        "errors": [status for status in op["responses"] if status != ok_status],
    }


@bp.get("/docs")
def docs_page():
    spec = document()
    schemas = spec["components"]["schemas"]
    sections = {}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            sections.setdefault(op["tags"][0], []).append(
                _operation_entry(path, method, op, schemas))
    return render_template("api/docs.html", spec=spec, sections=sections,
                           error_text=ERROR_TEXT, code=inline_code)


def inline_code(text):
    """Text with `backquoted` parts as <code>, everything else escaped."""
    parts = re.split(r"`([^`]+)`", str(text))
    return Markup("".join(f"<code>{escape(part)}</code>" if index % 2 else str(escape(part))
                          for index, part in enumerate(parts)))


@bp.record_once
def _api_index(state):
    state.app.add_url_rule("/api", "api_index", lambda: redirect(url_for("api.docs_page")))
