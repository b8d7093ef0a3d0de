"""Thin Celery tasks for the bulk export. They take ids only; the services make running twice harmless."""

from __future__ import annotations

import uuid

from celery import shared_task
from django.conf import settings

from interop import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=settings.FHIR_EXPORT_TIME_LIMIT,
    soft_time_limit=settings.FHIR_EXPORT_TIME_LIMIT - 30,
)
def fhir_export_run(job_id: str) -> str | None:
    status = services.export_run(uuid.UUID(job_id))
    return str(status) if status else None


@shared_task(acks_late=True)
def fhir_exports_purge() -> int:
    return services.exports_purge_expired()
