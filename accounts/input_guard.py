"""Requests every endpoint refuses before any view runs (ours and allauth's alike): JSON nested deeper than anything
the API takes (a deep body makes a recursive parser or validator overflow Python's stack), and NUL characters in the
query string (PostgreSQL cannot compare or store them in text: a search would fail at the database). NUL characters
in a JSON body are refused per field by the serializers (DRF's text fields refuse them; a value the database still
cannot hold is a 400 through accounts.errors)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

# Deeper than any request body the API documents (the deepest, a protocol revision, is about 5 levels).
MAX_JSON_DEPTH = 32

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub(b"", raw)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def json_refusal(raw: bytes) -> str | None:
    """Why this JSON body is refused before parsing, or None."""
    if json_depth(raw) > MAX_JSON_DEPTH:
        return f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."
    return None


def _is_json(request: HttpRequest) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            return self._refuse("The address may not contain NUL characters (%00).")
        # Larger bodies are refused by the size limit further on (with its own message); chunked ones by the parser.
        length = _declared_length(request)
        if _is_json(request) and 0 < length <= int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE):
            reason = json_refusal(request.body)
            if reason:
                return self._refuse(reason)
        return self.get_response(request)

    @staticmethod
    def _refuse(detail: str) -> HttpResponse:
        # Imported here: accounts.errors imports DRF, whose settings import our parser, which imports this module.
        from accounts.errors import error_body

        return JsonResponse(error_body(400, "parse_error", detail), status=400)
