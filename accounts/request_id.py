"""The id of the request being served, for logs and the PHI access log, and one log line per request. No model
imports: logging loads this early."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from accounts.redaction import redact_url

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
request_logger = logging.getLogger("mild.request")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Takes the proxy's X-Request-ID when it is well formed, otherwise makes one; echoes it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            request_log(request, response.status_code, started)
        finally:
            _request_id.reset(token)
        return response


def request_log(request: HttpRequest, status: int, started: float) -> None:
    """One line per request: the route pattern (never the raw path's tokens), the path without its query string
    (only the parameter names), the user's id (never a name or email), status and duration."""
    match = request.resolver_match
    request_logger.info(
        "%s %s %s",
        request.method,
        redact_url(request.path),
        status,
        extra={
            "method": request.method,
            "path": redact_url(request.path),
            "route": match.route if match else None,
            "query_keys": sorted(request.GET.keys()),
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "user_id": _user_id(request),
        },
    )


def _user_id(request: HttpRequest) -> str | None:
    # Only a user some layer already loaded: looking one up here would add queries to every request.
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return str(user.pk) if user.is_authenticated else None
