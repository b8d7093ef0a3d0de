"""Writing the PHI access log: one row per patient whose data a clinician or clinic admin reads."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import PHIAccess, Role, User
from accounts.request_id import current_request_id


def client_ip(request: HttpRequest | Request) -> str | None:
    # REMOTE_ADDR is what the WSGI server saw; behind a proxy, configure the proxy to set it (gunicorn
    # --forwarded-allow-ips) rather than trusting X-Forwarded-For from anyone.
    return request.META.get("REMOTE_ADDR") or None


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
