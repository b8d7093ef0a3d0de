"""OpenAPI descriptions of our authentication classes and error responses, so the schema says how to call the API."""

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": "The session token from allauth's app sign-in (POST /_allauth/app/v1/auth/login).",
        }


class LanguageSessionScheme(SessionScheme):
    """The PWA's session cookie (accounts.authentication.LanguageSessionAuthentication), as DRF's own."""

    target_class = "accounts.authentication.LanguageSessionAuthentication"


# The one error format of accounts.errors, as an OpenAPI component.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "Stable, for programs."},
        "detail": {"type": "string", "description": "For people."},
        "errors": {
            "type": "object",
            "description": "Validation failures only: messages keyed by field name (nested fields joined with dots).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["status", "code", "detail"],
}
_ERROR_DESCRIPTIONS = {
    "400": "Not valid: the request body, a query parameter or the action itself (see `errors`).",
    "401": "Not signed in.",
    "403": "Signed in but not allowed: role, missing two-factor set-up, CSRF, or a recent sign-in is needed.",
    "404": "No such thing, or not yours: the two look the same.",
    "409": "The record's state does not allow this (an alert already resolved, a done procedure) or it exists "
    "already; the body says which, in the same form as a 400.",
    "415": "The request body must be JSON.",
    "429": "Too many requests; try again later.",
}
_METHODS = {"get", "put", "post", "patch", "delete"}


def document_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation lists the 4xx answers it can give, all in ERROR_SCHEMA.

    drf-spectacular documents success responses only. Which errors apply follows from the operation itself: a body,
    query parameters or a write the record's state forbids can be invalid (400), a body can have the wrong type (415);
    signed-in operations answer
    anonymous callers with 401 and disallowed ones with 403; a path id can be unknown or not yours, and a page number
    out of range (404); every operation is throttled (429). Responses a view documents itself are left alone.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _METHODS:
                continue
            parameters = operation.get("parameters", [])
            has_body = "requestBody" in operation
            codes = {"429"}
            if has_body or method != "get" or any(p.get("in") == "query" for p in parameters):
                codes.add("400")
            if has_body:
                codes.add("415")
            if method != "get":
                codes.add("409")
            if operation.get("security"):
                codes |= {"401", "403"}
            if any(p.get("in") == "path" or p.get("name") == "page" for p in parameters):
                codes.add("404")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code,
                    {
                        "description": _ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result


def refuse_undeclared_properties(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Request bodies take only the properties they declare (accounts.inputs.StrictInputSerializer answers 400 for any
    other, naming it): the schema says so with additionalProperties: false."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object" and "properties" in component:
            component.setdefault("additionalProperties", False)
    return result


# The NUL character is refused in every string the API reads (accounts.input_guard: query strings and JSON bodies).
NO_NUL = "^[^\\u0000]*$"
# A text that may not be blank needs more than white space: the serializers trim it first (DRF's trim_whitespace).
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _refuse_nul(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and not ({"pattern", "enum", "format"} & set(node)):
            node["pattern"] = NOT_BLANK if node.get("minLength", 0) >= 1 else NO_NUL
        for value in node.values():
            _refuse_nul(value)
    elif isinstance(node, list):
        for value in node:
            _refuse_nul(value)


def refuse_nul_characters(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Strings the API reads (request bodies, query parameters) say that they may not hold a NUL character."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _refuse_nul(component)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in _METHODS:
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "query":
                        _refuse_nul(parameter.get("schema"))
    return result
