"""Small pieces every mapping uses: references, UTC instants, ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def ref(resource_type: str, resource_id: object, display: str | None = None) -> dict[str, Any]:
    reference: dict[str, Any] = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def instant(value: dt.datetime) -> str:
    """An aware datetime as a FHIR instant in UTC (`2026-11-20T14:03:00Z`)."""
    if timezone.is_naive(value):
        raise ValueError("naive datetime")
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def meta(last_updated: dt.datetime | None) -> dict[str, Any]:
    return {"meta": {"lastUpdated": instant(last_updated)}} if last_updated is not None else {}
