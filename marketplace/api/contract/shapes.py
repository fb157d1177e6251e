"""The building blocks of the API's tables: value shapes (money, ids, times), object and page
schemas, parameters, and `operation`, which turns one row of a table into an OpenAPI operation
with the errors its authentication, body and parameters imply."""
from marketplace.database import MAX_ID

MONEY = {"type": "string", "pattern": r"^-?\d{1,10}(\.\d{1,2})?$", "example": "1234.50",
         "description": "An amount in yuan, as a string with up to two decimals."}
MONEY_OUT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "example": "1234.50"}
RATIO = {"type": "string", "pattern": r"^\d(\.\d{1,4})?$", "example": "0.10",
         "description": "A ratio as a decimal string."}
RATIO_OUT = {"type": "string", "pattern": r"^\d+(\.\d+)?$", "example": "0.10"}
REGION_CODE = {"type": "string", "pattern": r"^\d{6}$", "example": "540402",
               "description": "A six-digit GB/T 2260 administrative division code."}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
NULLABLE_ID = {"type": ["integer", "null"]}
TIME = {"type": ["string", "null"], "format": "date-time",
        "description": "ISO 8601 with offset (China Standard Time)."}
TIME_IN = {"type": "string", "format": "date-time", "example": "2026-03-01T10:00:00+08:00"}
QUANTITY = {"type": "integer", "minimum": 1, "maximum": 1000000}
YEAR = {"type": "integer", "minimum": 2000, "maximum": 2100, "example": 2026}
TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The file formats of the exports, by the suffix of their path.
MIMETYPES = {"csv": "text/csv", "xlsx": XLSX, "pdf": "application/pdf"}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def enum(values, **extra):
    """A string schema whose values are one of a domain's constants (a tuple of its model)."""
    return {"type": "string", "enum": list(values), **extra}


def nullable_enum(values, **extra):
    """As `enum`, with null for "none yet"."""
    return {"type": ["string", "null"], "enum": [*values, None], **extra}


def obj(properties, required=(), *, extra=True, description=None, example=None):
    """An object schema; `extra`: whether more properties may appear (answers may grow);
    `example`: a request body the API page shows (the tests check it fits the schema)."""
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if not extra:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    if example is not None:
        schema["example"] = example
    return schema


def page_of(item, **more):
    """The API's list shape around `item`; `more`: properties beside the page's."""
    return obj({"items": {"type": "array", "items": item}, "page": {"type": "integer"},
                "per_page": {"type": "integer"}, "total": {"type": "integer"}, **more},
               ("items", "page", "per_page", "total"))


def list_of(item, required=("items",), description=None):
    """A whole list (no pages): {"items", "total"}."""
    return obj({"items": {"type": "array", "items": item}, "total": {"type": "integer"}},
               required, description=description)


def files(*formats):
    """The media of an answer that is a file, one per format."""
    return {MIMETYPES.get(fmt, fmt): {"schema": {"type": "string", "format": "binary"}}
            for fmt in formats}


ERROR_TEXT = {
    400: "Malformed: the body is not a JSON object, or a header is invalid.",
    401: "No token, or a token that is unknown, expired or revoked (or bad credentials).",
    403: "The role or the organisation scope does not allow this.",
    404: "No such object, or not visible to you.",
    409: "Conflicts with the current state (a duplicate, a wrong status, insufficient stock, "
         "an Idempotency-Key reused with another request).",
    413: "The body is too large.",
    415: "The body is not JSON.",
    422: "Well-formed but not acceptable; `fields` says which and why.",
    429: "Too many requests; try again later.",
    502: "The payment provider (Stripe) refused the request or could not be reached; nothing "
         "was changed, try again.",
}

PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "description": "Capped at 200.",
     "schema": {"type": "integer", "minimum": 1, "default": 50}},
]


def path_param(name, schema=None, description=None):
    param = {"name": name, "in": "path", "required": True, "schema": schema or ID}
    if description:
        param["description"] = description
    return param


def query_param(name, schema=None, description=None):
    param = {"name": name, "in": "query", "required": False,
             "schema": schema or {"type": "string"}}
    if description:
        param["description"] = description
    return param


def operation(op_id, summary, *, module, roles=None, body=None, ok=200, answer=None,
              params=(), errors=(), description=None, auth=True, media=None,
              optional_body=False):
    """One operation: its summary, who may call it, its body and answers, its possible errors.

    :param module: the marketplace/api module implementing it (its tag on the API page).
    :param roles: the roles allowed (None: anyone with a token).
    :param errors: extra error statuses besides those implied by auth, body and path params.
    :param optional_body: the body may be left out.
    """
    text = description or ""
    if roles:
        text = f"Roles: {', '.join(roles)}. {text}".strip()
    op = {"operationId": op_id, "summary": summary, "tags": [module], "x-module": module,
          "responses": {}}
    if text:
        op["description"] = text
    if roles:
        op["x-roles"] = list(roles)
    statuses = set(errors)
    parameters = list(params)
    if auth:
        statuses.add(401)
        if roles:
            statuses.add(403)
    else:
        op["security"] = []
    if body is not None:
        op["requestBody"] = {"required": not optional_body,
                             "content": {"application/json": {"schema": body}}}
        statuses |= {400, 413, 415, 422}
    if any(param["in"] == "path" for param in parameters):
        statuses.add(404)
    if any(param["in"] == "query" for param in parameters):
        statuses.add(422)
    if parameters:
        op["parameters"] = parameters
    if ok == 204:
        op["responses"]["204"] = {"description": "Done."}
    else:
        content = media or {"application/json": {"schema": answer or {"type": "object"}}}
        op["responses"][str(ok)] = {"description": "Created." if ok == 201 else "OK.",
                                    "content": content}
    for status in sorted(statuses):
        op["responses"][str(status)] = {"$ref": f"#/components/responses/E{status}"}
    return op
