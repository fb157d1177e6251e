"""The API's own operations: bearer tokens, and this description."""
from marketplace.api.contract.shapes import TIME, obj, operation, ref

SCHEMAS = {
    "TokenRequest": obj({"email": {"type": "string", "format": "email", "maxLength": 254},
                         "password": {"type": "string", "maxLength": 1024}},
                        ("email", "password"),
                        example={"email": "buyer@school.example",
                                 "password": "correct-horse-42"}),
    "Token": obj({"token": {"type": "string"}, "expires_at": TIME}, ("token",)),
}

OPERATIONS = [
    ("/auth/token", "post", operation(
        "token", "Issue a bearer token", module="auth", auth=False, body=ref("TokenRequest"),
        answer=ref("Token"), errors=(401, 429),
        description="Send it as `Authorization: Bearer <token>`. Rate-limited per client "
                    "address. Bad credentials → 401.")),
    ("/auth/token", "delete", operation(
        "token", "Revoke the token of this request", module="auth", ok=204)),
    ("/openapi.json", "get", operation(
        "openapi", "This OpenAPI description", module="openapi", auth=False,
        answer={"type": "object"})),
]
