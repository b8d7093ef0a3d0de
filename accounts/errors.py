"""One error format for every 4xx the API returns.

    {"status": 400, "code": "invalid", "detail": "Some fields are not valid.",
     "errors": {"email": ["Enter a valid email address."], "care_team.0": ["..."]}}

A refusal that points at something carries it at the top level too (409: "existing_id"). `errors` appears only for
validation failures and is keyed by field name (nested fields joined with dots; errors that
belong to no single field under "non_field_errors"). `code` is stable and meant for programs; `detail` for people.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class StateConflict(DjangoValidationError):
    """A request that is well formed but that the record's current state refuses: an alert already resolved, a done
    procedure, a clinic that already has its own protocol, an email address already registered. Services raise it
    like any ValidationError (code that catches those still does); the API answers 409 Conflict, in the same body as a
    400, so a client can tell "fix your input" from "the record has moved on"."""


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                flat.setdefault(k, []).extend(v)
    elif isinstance(errors, list) and errors and all(not isinstance(e, dict | list) for e in errors):
        flat[prefix or "non_field_errors"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if value in ({}, []):
                continue
            name = f"{prefix}.{index}" if prefix else str(index)
            for k, v in _flatten(value, name).items():
                flat.setdefault(k, []).extend(v)
    else:
        flat[prefix or "non_field_errors"] = [str(errors)]
    return flat


def error_body(status_code: int, code: str, detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status_code, "code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        # DRF reads request.body for JSON, where Django checks the declared length against the limit.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = exceptions.ParseError(f"The request body is larger than the limit of {limit} bytes.", "body_too_large")
    elif isinstance(exc, DataError):
        # A value the database cannot hold (a number out of range, text too long) that validation let through: the
        # transaction it was in has rolled back, so nothing is stored. Validation should name the field; this is
        # the safety net that keeps it a 400.
        exc = exceptions.ValidationError("A value is out of the range the server can store.")
    elif isinstance(exc, StateConflict):
        errors = _flatten(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        only = errors.get("non_field_errors", [])
        detail = only[0] if set(errors) == {"non_field_errors"} and len(only) == 1 else "Some fields are not valid."
        return Response(error_body(status.HTTP_409_CONFLICT, "conflict", detail, errors), status=409)
    elif isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError (they know nothing of HTTP); it is a 400 like any other.
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if set(errors) == {"non_field_errors"} and len(errors["non_field_errors"]) == 1:
            detail = errors["non_field_errors"][0]
        else:
            detail = "Some fields are not valid."
        response.data = error_body(status.HTTP_400_BAD_REQUEST, "invalid", detail, errors)
        return response
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    if isinstance(exc.detail, dict) and "detail" in exc.detail:
        # A refusal that names something, e.g. 409 {"detail": "...", "existing_id": "..."}: the names stay at the top.
        extra = {key: str(value) for key, value in exc.detail.items() if key != "detail"}
        response.data = {**error_body(response.status_code, exc.default_code, str(exc.detail["detail"])), **extra}
    elif isinstance(exc.detail, list | dict):
        response.data = error_body(response.status_code, str(code), "The request was not valid.", _flatten(exc.detail))
    else:
        response.data = error_body(response.status_code, str(code), str(exc.detail))
    return response
