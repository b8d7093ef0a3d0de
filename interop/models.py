"""Bulk export jobs (FHIR Bulk Data Access): what was asked, how far it got, and the NDJSON files it wrote."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


# A job still to finish: one at a time per clinic.
ACTIVE_EXPORT_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ExportJob(models.Model):
    """One `$export` kick-off by a clinic admin, for their clinic. Files live under FHIR_EXPORT_DIR/<id>/ until
    `expires_at`, then the periodic purge deletes them and the job."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    request_url = models.CharField(max_length=2000)
    types = models.JSONField(help_text="Resource types to export, in order.")
    since = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    # The time the export's data is as of (the manifest's transactionTime): when the job started reading.
    transaction_time = models.DateTimeField(null=True, blank=True)
    # Touched by the running job after every batch; a running job whose heartbeat stopped is taken over.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("expires_at",)), models.Index(fields=("clinic", "-created_at"))]

    def __str__(self) -> str:
        return f"FHIR export {self.pk} ({self.status})"


class ExportFile(models.Model):
    """One NDJSON file of a finished export: one resource type."""

    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="files")
    resource_type = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    count = models.PositiveIntegerField()
    # The patients whose data the file holds: each download is logged as a read of each of them.
    patient_ids = models.JSONField(default=list)

    class Meta:
        ordering = ("job", "id")
        constraints = [models.UniqueConstraint(fields=("job", "name"), name="export_file_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} of {self.job_id}"
