"""Health endpoints for load balancers and orchestrators.

- `/health/live`: the process answers. It touches no dependency, so a slow database or Redis never gets a healthy
  process restarted.
- `/health/ready`: whether this process can serve. PostgreSQL holds the truth, so without it the answer is 503 and the
  load balancer sends traffic elsewhere. Redis (cache, rate limits) and the broker are reported as "degraded" with 200:
  the web tier keeps serving without them (sessions fall back to the database, alert work waits as database rows), and
  a Redis blink must not drain every web process at once.
- `/health/` answers exactly like `/health/ready` (load balancers configured with it keep working).
"""

from __future__ import annotations

from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

# Seconds a readiness probe waits for Redis or the broker before calling it degraded.
PROBE_TIMEOUT = 2


@never_cache
def health_live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def health_ready(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_state(), "cache": _cache_state(), "broker": _broker_state()}
    if checks["database"] != "ok":
        return JsonResponse({"status": "down", **checks}, status=503)
    degraded = any(state not in ("ok", "not used") for state in checks.values())
    return JsonResponse({"status": "degraded" if degraded else "ok", **checks}, status=200)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        # A dead connection must not stay in the pool for the next request.
        connection.close_if_unusable_or_obsolete()
        return f"error: {type(exc).__name__}"
    return "ok"


def _cache_state() -> str:
    if not settings.REDIS_URL:
        return "not used"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT
        )
        with client:
            client.ping()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _broker_state() -> str:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=PROBE_TIMEOUT, **_broker_options()) as broker:
            broker.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _broker_options() -> dict[str, Any]:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    return {"transport_options": options} if settings.CELERY_BROKER_URL.startswith("filesystem://") else {}
