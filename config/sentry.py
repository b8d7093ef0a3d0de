"""Optional error reporting to Sentry (SENTRY_DSN), with nothing about patients in what is sent.

The SDK is told to send no personal data (`send_default_pii=False`), no local variables and no request bodies, and
`scrub_event` then keeps only what debugging needs from every event: the exception types and stack (without the
exception's message, which can quote data), the route, the request's method and path (redacted: no query string, no
link tokens), the task's name, and breadcrumbs' categories (and log breadcrumbs' redacted messages). Cookies, headers,
query strings, bodies, user names and emails, and any extra data are dropped.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from accounts.redaction import redact_url

MESSAGE_REMOVED = "(message not reported: it may quote patient data)"
_KEPT_CONTEXTS = ("trace", "runtime", "os")


def sentry_init(dsn: str, *, environment: str = "production", release: str | None = None) -> None:
    parts = urlsplit(dsn)
    if parts.scheme not in ("http", "https") or not parts.hostname or not parts.username or not parts.path.strip("/"):
        raise ImproperlyConfigured("SENTRY_DSN must look like https://<key>@<host>/<project id>.")
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(transaction_style="url"), CeleryIntegration()],
        # Collect nothing about people: send_default_pii stays off (its default; sentry-sdk 2.75 supersedes the flag
        # with data_collection, which is set here to collect none of these).
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
            "gen_ai": {"inputs": False, "outputs": False},
        },
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,  # type: ignore[arg-type]  # sentry types the event as a TypedDict
        before_breadcrumb=scrub_breadcrumb,
        # Errors only: performance traces would carry SQL and URLs of their own.
        traces_sample_rate=0,
    )


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request") or {}
    if request:
        event["request"] = {"method": request.get("method"), "url": redact_url(str(request.get("url") or ""))}
    event.pop("user", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = MESSAGE_REMOVED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    if "logentry" in event:
        entry = event["logentry"] or {}
        event["logentry"] = {"message": redact_url(str(entry.get("message") or ""))}
    if "message" in event:
        event["message"] = redact_url(str(event["message"]))
    job = (event.get("extra") or {}).get("celery-job") or {}
    event["extra"] = {"celery-job": {"task_name": job.get("task_name")}} if job else {}
    event["contexts"] = {k: v for k, v in (event.get("contexts") or {}).items() if k in _KEPT_CONTEXTS}
    if "transaction" in event:
        event["transaction"] = redact_url(str(event["transaction"]))
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        breadcrumbs["values"] = [scrub_breadcrumb(crumb) for crumb in breadcrumbs.get("values") or []]
    elif isinstance(breadcrumbs, list):
        event["breadcrumbs"] = [scrub_breadcrumb(crumb) for crumb in breadcrumbs]
    return event


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """A breadcrumb's kind and time; a message only for log records (SQL and Redis commands name session keys)."""
    kept = {key: crumb[key] for key in ("type", "category", "level", "timestamp") if key in crumb}
    if crumb.get("type") == "log" and crumb.get("message"):
        kept["message"] = redact_url(str(crumb["message"]))
    return kept
