"""Logging that keeps PHI and secrets out: one JSON object per line in production, readable text in development.

What may reach a log line:
- the message (code logs ids and counts, never names, emails, notes or other free text);
- the request id, and inside a Celery task its task id and name (added to every record by `LogContextFilter`);
- extra fields from `ALLOWED_FIELDS`, or whose name ends in `_id`, `_ids` or `_count`; any other extra is dropped
  (Django attaches the whole request object to its records, and its repr carries the query string);
- exceptions as type and stack only: their messages are dropped, since they can quote data (a database error quotes
  the duplicate email address).

URLs are redacted wherever they appear in a message (`accounts.redaction.redact_url`): query strings are removed, and
the tokens of the calendar feed, unsubscribe and password-reset links are replaced by `[token]`. gunicorn's access log
goes through the same redaction (config/gunicorn.py uses `GunicornLogger`).
"""

from __future__ import annotations

import logging
import os
import traceback
from types import TracebackType
from typing import Any

from celery import current_task
from gunicorn import glogging
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from accounts.redaction import redact_url
from accounts.request_id import current_request_id

ALLOWED_FIELDS = frozenset(
    {
        "method",
        "path",
        "route",
        "status",
        "duration_ms",
        "bytes",
        "remote_addr",
        "query_keys",
        "task_args",
        "task_state",
        "user_agent",
    }
)
_ALLOWED_SUFFIXES = ("_id", "_ids", "_count")


def json_logs() -> bool:
    """JSON lines unless LOG_FORMAT says text (the default in development: DEBUG=true)."""
    default = "text" if os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"} else "json"
    return os.environ.get("LOG_FORMAT", default).strip().lower() == "json"


class RedactFilter(logging.Filter):
    """Formats the message once, redacted; the arguments are dropped so no handler formats the original again."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict) and record.name == "gunicorn.access":
            return True  # gunicorn's access atoms are redacted by GunicornLogger, and its formatter reads them
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep the template only
            message = str(record.msg)
        record.msg = redact_url(message)
        record.args = None
        return True


class LogContextFilter(logging.Filter):
    """Adds the request id, and inside a Celery task its id and name, to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        task = current_task
        request = getattr(task, "request", None) if task else None
        task_id = getattr(request, "id", None)
        record.task_id = task_id or "-"
        record.task_name = getattr(task, "name", None) if task_id else "-"
        return True


def format_exception_safely(exc_info: Any) -> str:
    """A traceback with each exception's type and stack, without its message (messages may quote patient data)."""
    _type, value, tb = exc_info
    parts: list[str] = []
    seen: set[int] = set()
    chain: list[tuple[BaseException, TracebackType | None]] = []
    current: BaseException | None = value
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, current.__traceback__ if current is not value else tb))
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    for index, (exc, exc_tb) in enumerate(reversed(chain)):
        if index:
            parts.append("\nThe above exception led to the following exception:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(exc_tb))
        parts.append(f"{type(exc).__module__}.{type(exc).__qualname__} (message not logged)\n")
    return "".join(parts).rstrip("\n")


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id, task_id, task_name and allowed extras."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__("%(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s %(task_name)s", **kwargs)

    def formatException(self, ei: Any) -> str:
        return format_exception_safely(ei)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        fixed = {"time", "level", "logger", "message", "request_id", "task_id", "task_name", "exc_info"}
        return {
            key: value
            for key, value in log_data.items()
            if key in fixed or key in ALLOWED_FIELDS or key.endswith(_ALLOWED_SUFFIXES)
        }


class TextFormatter(logging.Formatter):
    """Development's readable lines; exceptions without their messages, as in production."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatException(self, ei: Any) -> str:
        return format_exception_safely(ei)


# --- gunicorn -------------------------------------------------------------------------------------------------------

_SENSITIVE_HEADERS = ("cookie", "authorization", "x-session-token", "x-csrftoken", "proxy-authorization")


class GunicornAccessJsonFormatter(JsonFormatter):
    """gunicorn's access record carries its atoms as the record's arguments: one JSON object per request."""

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args if isinstance(record.args, dict) else {}
        record.msg, record.args = "request", None
        for field, atom in (
            ("remote_addr", "h"),
            ("method", "m"),
            ("path", "U"),
            ("status", "s"),
            ("bytes", "B"),
            ("duration_ms", "M"),
            ("user_agent", "a"),
        ):
            setattr(record, field, atoms.get(atom))
        setattr(record, "request_id", atoms.get("{x-request-id}o") or "-")  # noqa: B010 (the filter's field)
        return super().format(record)


class GunicornLogger(glogging.Logger):
    """gunicorn's logger with our redaction: the path without its query string and with link tokens replaced; no
    cookies, tokens or other secrets from the headers; JSON lines unless LOG_FORMAT=text."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        redact = RedactFilter()
        for handler in [*self.error_log.handlers, *self.access_log.handlers]:
            handler.addFilter(redact)
            handler.addFilter(LogContextFilter())
        if json_logs():
            for handler in self.error_log.handlers:
                handler.setFormatter(JsonFormatter())
            for handler in self.access_log.handlers:
                handler.setFormatter(GunicornAccessJsonFormatter())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_url(environ.get("PATH_INFO") or "")
        atoms["U"] = path
        atoms["q"] = "-"
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        atoms["f"] = redact_url(str(atoms.get("f") or "-"))
        for key in list(atoms):
            # The environ atoms ({...}e) hold the raw URI, query string and cookies: none is logged.
            if key.endswith("}e") or (key.endswith("}i") and key[1:-2] in _SENSITIVE_HEADERS):
                del atoms[key]
        return atoms


# --- Celery ---------------------------------------------------------------------------------------------------------

task_logger = logging.getLogger("mild.task")
_ID_LIKE = (int, str)


def _ids_only(value: Any) -> Any:
    """Task arguments are ids by design (no health data in the broker); anything else is logged as its type only."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int) or (isinstance(value, str) and _looks_like_id(value)):
        return value
    if isinstance(value, list | tuple):
        return [_ids_only(item) for item in value]
    return f"[{type(value).__name__}]"


def _looks_like_id(value: str) -> bool:
    return len(value) <= 64 and all(ch.isalnum() or ch in "-_:." for ch in value) and any(ch.isdigit() for ch in value)


def task_started(task_id: str | None = None, task: Any = None, args: Any = (), kwargs: Any = None, **_: Any) -> None:
    """Celery's task_prerun: the task's id and the ids it works on."""
    task_logger.info(
        "task %s started",
        getattr(task, "name", "?"),
        extra={"task_args": _ids_only([*(args or ()), *((kwargs or {}).values())])},
    )


def task_finished(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any) -> None:
    """Celery's task_postrun: how it ended (the exception itself is logged by Celery, without its message here)."""
    task_logger.info("task %s finished: %s", getattr(task, "name", "?"), state, extra={"task_state": state})
