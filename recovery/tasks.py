"""Periodic recovery work. Tasks take ids only and are safe to run twice (see recovery.services)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from accounts.models import PatientProfile
from recovery.models import Procedure, ProcedureStatus
from recovery.services import time_rules_run_for_patient


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def recovery_time_rules_dispatch() -> int:
    """Beat entry: fan out the time-based rules in chunks of patient ids (patients with a done procedure)."""
    patient_ids = list(
        Procedure.objects.filter(status=ProcedureStatus.DONE).values_list("patient_id", flat=True).distinct()
    )
    size = int(settings.RECOVERY_RULES_CHUNK_SIZE)
    for start in range(0, len(patient_ids), size):
        recovery_time_rules_run.delay([str(pk) for pk in patient_ids[start : start + size]])
    return len(patient_ids)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def recovery_time_rules_run(patient_ids: list[str]) -> None:
    for patient in PatientProfile.objects.filter(pk__in=patient_ids).select_related("user"):
        time_rules_run_for_patient(patient=patient)
