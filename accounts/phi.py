"""Writing the PHI access log: one row per patient whose data a clinician, clinic admin or caregiver reads."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import PHIAccess, Role, User
from accounts.request_id import current_request_id


def client_ip(request: HttpRequest | Request) -> str | None:
    """The client's address, the one notion of it used by throttles, allauth's rate limits, django-axes and this log.

    With TRUSTED_PROXY_COUNT = 0 (no proxy in front), the socket's address; X-Forwarded-For is anyone's to write and
    is ignored. With N trusted proxies, the address the N-th proxy from us saw: the N-th entry from the right of
    X-Forwarded-For (each proxy appends the address it received from), never one further left that a client chose.
    """
    meta = request.META
    count = int(settings.TRUSTED_PROXY_COUNT)
    if count > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            candidate = forwarded[-min(count, len(forwarded))]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass  # a proxy that appends garbage: fall back to the socket address
    return meta.get("REMOTE_ADDR") or None


def phi_access_record(
    *, actor: User, patient_ids: Iterable[object], resource: str, request: HttpRequest | Request | None = None
) -> int:
    """Append one log row per patient read. Patients reading their own data are not logged (it is theirs)."""
    if actor.role == Role.PATIENT:
        return 0
    ip = client_ip(request) if request is not None else None
    request_id = current_request_id() if request is not None else ""
    rows = [
        PHIAccess(actor=actor, patient_id=pid, resource=resource, ip=ip, request_id=request_id)
        for pid in dict.fromkeys(patient_ids)
    ]
    PHIAccess.objects.bulk_create(rows)
    return len(rows)
