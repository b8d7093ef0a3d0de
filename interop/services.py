"""Bulk export (FHIR Bulk Data Access): kick-off, the job that writes NDJSON files, cancellation and the purge.

The job streams: each resource type is read with server-side cursors in batches (FHIR_EXPORT_BATCH_SIZE rows) and
written line by line to `<type>.ndjson.part`, renamed when complete, so memory stays flat whatever the clinic's size
and a reader never sees half a file. The job runs once: it is claimed with a conditional UPDATE (queued -> running),
and a running job whose heartbeat stopped for FHIR_EXPORT_STALE_SECONDS (its worker died) may be claimed again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import uuid
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from interop.models import ACTIVE_EXPORT_STATUSES, ExportFile, ExportJob, ExportStatus
from interop.registry import FINDERS
from interop.sources import Clinic, User

logger = logging.getLogger(__name__)

ACTIVE = ACTIVE_EXPORT_STATUSES
EXPORT_TASK = "interop.tasks.fhir_export_run"


def export_dir(job_id: uuid.UUID) -> Path:
    return Path(settings.FHIR_EXPORT_DIR) / str(job_id)


def export_ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.FHIR_EXPORT_TTL_HOURS)


def export_kickoff(
    *, by: User, clinic: Clinic, types: list[str], since: dt.datetime | None, request_url: str
) -> ExportJob:
    """Record the job and queue it after commit. The task gets the id only; it is named rather than imported, so
    services never import the tasks that call them."""
    now = timezone.now()
    job = ExportJob.objects.create(
        clinic=clinic,
        requested_by=by,
        request_url=request_url,
        types=types,
        since=since,
        created_at=now,
        expires_at=now + export_ttl(),
    )
    transaction.on_commit(lambda: current_app.send_task(EXPORT_TASK, args=[str(job.pk)]), robust=True)
    return job


def _claim(job_id: uuid.UUID, now: dt.datetime) -> bool:
    stale = now - dt.timedelta(seconds=settings.FHIR_EXPORT_STALE_SECONDS)
    claimable = Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, heartbeat_at__lt=stale)
    claimed = ExportJob.objects.filter(claimable, pk=job_id, expires_at__gt=now).update(
        status=ExportStatus.RUNNING, heartbeat_at=now, transaction_time=now, progress="Starting."
    )
    return claimed == 1


def _still_running(job_id: uuid.UUID, progress: str) -> bool:
    """Heartbeat; False when the job was cancelled (or purged) meanwhile."""
    return (
        ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
            heartbeat_at=timezone.now(), progress=progress[:200]
        )
        == 1
    )


class _Cancelled(Exception):
    pass


def export_run(job_id: uuid.UUID) -> ExportStatus | None:
    """Write the job's files; None when there was nothing to do (another worker has it, or it is gone)."""
    if not _claim(job_id, timezone.now()):
        return None
    job = ExportJob.objects.get(pk=job_id)
    folder = export_dir(job.pk)
    shutil.rmtree(folder, ignore_errors=True)  # a previous attempt's leftovers
    folder.mkdir(parents=True)
    ExportFile.objects.filter(job=job).delete()
    batch = settings.FHIR_EXPORT_BATCH_SIZE
    try:
        for number, resource_type in enumerate(job.types, start=1):
            step = f"{resource_type} ({number} of {len(job.types)})"
            if not _still_running(job.pk, step):
                raise _Cancelled
            name = f"{resource_type}.ndjson"
            part = folder / f"{name}.part"
            count, patients = 0, set()
            with part.open("w", encoding="utf-8") as out:
                for resource, patient_id in FINDERS[resource_type].for_clinic(job.clinic_id, job.since):
                    out.write(json.dumps(resource, separators=(",", ":"), ensure_ascii=False))
                    out.write("\n")
                    count += 1
                    if patient_id is not None:
                        patients.add(str(patient_id))
                    if count % batch == 0 and not _still_running(job.pk, f"{step}: {count} written"):
                        raise _Cancelled
            if count == 0:
                part.unlink()
                continue
            part.rename(folder / name)
            ExportFile.objects.create(
                job=job, resource_type=resource_type, name=name, count=count, patient_ids=sorted(patients)
            )
    except _Cancelled:
        shutil.rmtree(folder, ignore_errors=True)
        return ExportStatus.CANCELLED
    except Exception as exc:
        logger.exception("FHIR export %s failed", job.pk)
        shutil.rmtree(folder, ignore_errors=True)
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED, error=f"The export stopped: {type(exc).__name__}.", finished_at=timezone.now()
        )
        return ExportStatus.FAILED
    now = timezone.now()
    finished = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE, progress="Done.", finished_at=now, expires_at=now + export_ttl()
    )
    if not finished:  # cancelled during the last file
        shutil.rmtree(folder, ignore_errors=True)
        return ExportStatus.CANCELLED
    return ExportStatus.DONE


def export_cancel(*, job: ExportJob) -> None:
    """DELETE on the status URL: stop the job (a running one notices at its next batch) and delete its files."""
    folder = export_dir(job.pk)
    job.delete()
    shutil.rmtree(folder, ignore_errors=True)


def exports_purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the files and rows of exports past their time. Returns how many jobs went."""
    now = now or timezone.now()
    expired = list(ExportJob.objects.filter(expires_at__lte=now).values_list("pk", flat=True))
    for job_id in expired:
        shutil.rmtree(export_dir(job_id), ignore_errors=True)
    ExportJob.objects.filter(pk__in=expired).delete()
    return len(expired)
