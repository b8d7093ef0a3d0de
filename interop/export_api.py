"""FHIR Bulk Data export over HTTP: kick-off (system and Group level), status, files, cancel."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from interop import selectors, services
from interop.api import FhirView, log_reads
from interop.errors import FhirError, operation_outcome
from interop.models import ExportJob, ExportStatus
from interop.registry import EXPORT_TYPES
from interop.search import lenient, parse_date, unknown_params
from interop.sources import Clinic, Role, signed_in

NDJSON_FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")
KICKOFF_PARAMS = {"_type", "_since", "_outputFormat"}


def _kickoff(request: Request, clinic: Clinic) -> Response:
    user = signed_in(request)
    if user.role != Role.CLINIC_ADMIN:
        raise FhirError(403, "Only clinic admins may export the clinic's data.")
    prefer = request.headers.get("Prefer", "")
    if "respond-async" not in prefer.replace(" ", "").split(","):
        raise FhirError(400, "A bulk export runs in the background: send 'Prefer: respond-async'.")
    unknown_params(request.query_params, KICKOFF_PARAMS, lenient(prefer))
    output_format = request.query_params.get("_outputFormat", NDJSON_FORMATS[0])
    if output_format not in NDJSON_FORMATS:
        raise FhirError(400, f"_outputFormat: only NDJSON is written ({', '.join(NDJSON_FORMATS)}).")
    types = list(EXPORT_TYPES)
    if "_type" in request.query_params:
        asked = [t.strip() for value in request.query_params.getlist("_type") for t in value.split(",") if t.strip()]
        unknown = sorted(set(asked) - set(EXPORT_TYPES))
        if unknown or not asked:
            raise FhirError(400, f"_type: not exported: {', '.join(unknown) or '(none named)'}.")
        types = [t for t in EXPORT_TYPES if t in asked]
    since: dt.datetime | None = None
    if "_since" in request.query_params:
        bound = parse_date("_since", request.query_params["_since"])
        if bound.prefix != "eq":
            raise FhirError(400, "_since: an instant, without a prefix.")
        since = bound.start
    if selectors.export_running(clinic, timezone.now()):
        raise FhirError(429, "An export of this clinic is already running; wait for it to finish.", code="throttled")
    job = services.export_kickoff(
        by=user, clinic=clinic, types=types, since=since, request_url=request.build_absolute_uri()
    )
    status_url = request.build_absolute_uri(reverse("fhir-export-status", kwargs={"job_id": job.pk}))
    body = operation_outcome(202, [f"Export started; poll {status_url}."], code="informational")
    return Response(body, status=202, headers={"Content-Location": status_url})


class SystemExportApi(FhirView):
    """GET /fhir/r4/$export with 'Prefer: respond-async': everything of the admin's clinic."""

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        user = signed_in(request)
        if user.clinic is None:
            raise FhirError(403, "Only clinic admins may export the clinic's data.")
        return _kickoff(request, user.clinic)


class GroupExportApi(FhirView):
    """GET /fhir/r4/Group/{clinic id}/$export: the Group is the clinic's patients. Another clinic's id is 404."""

    @extend_schema(exclude=True)
    def get(self, request: Request, group_id: uuid.UUID) -> Response:
        user = signed_in(request)
        if user.clinic_id != group_id or user.clinic is None:
            raise FhirError(404, f"Group/{group_id} is not known here.")
        return _kickoff(request, user.clinic)


def _job_visible(request: Request, job_id: uuid.UUID) -> ExportJob:
    """The job, for an admin of its clinic, while it has not expired; 404 for anyone and anything else."""
    user = signed_in(request)
    if user.role != Role.CLINIC_ADMIN or user.clinic_id is None:
        raise FhirError(404, "No such export (it may have expired or been cancelled).")
    job = selectors.export_job_of_clinic(user.clinic_id, job_id, timezone.now())
    if job is None:
        raise FhirError(404, "No such export (it may have expired or been cancelled).")
    return job


class ExportStatusApi(FhirView):
    """GET: 202 with X-Progress while running, 200 with the manifest when done. DELETE: cancel and delete."""

    @extend_schema(exclude=True)
    def get(self, request: Request, job_id: uuid.UUID) -> Response:
        job = _job_visible(request, job_id)
        if job.status in services.ACTIVE:
            body = operation_outcome(202, [job.progress or "Queued."], code="informational")
            return Response(body, status=202, headers={"X-Progress": job.progress or "Queued", "Retry-After": "5"})
        if job.status != ExportStatus.DONE:
            raise FhirError(500, job.error or "The export did not finish.", code="exception")
        files = selectors.export_files_of(job)
        manifest = {
            "transactionTime": job.transaction_time.isoformat().replace("+00:00", "Z")
            if job.transaction_time
            else None,
            "request": job.request_url,
            "requiresAccessToken": True,
            "output": [
                {
                    "type": f.resource_type,
                    "url": request.build_absolute_uri(
                        reverse("fhir-export-file", kwargs={"job_id": job.pk, "name": f.name})
                    ),
                    "count": f.count,
                }
                for f in files
            ],
            "error": [],
        }
        response = Response(manifest, headers={"Expires": job.expires_at.strftime("%a, %d %b %Y %H:%M:%S GMT")})
        response["Content-Type"] = "application/json"
        return response

    @extend_schema(exclude=True)
    def delete(self, request: Request, job_id: uuid.UUID) -> Response:
        services.export_cancel(job=_job_visible(request, job_id))
        return Response(operation_outcome(202, ["Export cancelled; its files are deleted."], code="informational"),
                        status=202)  # fmt: skip


class ExportFileApi(FhirView):
    """GET one NDJSON file of a finished export; each download is a logged read of every patient in the file."""

    @extend_schema(exclude=True)
    def get(self, request: Request, job_id: uuid.UUID, name: str) -> FileResponse:
        job = _job_visible(request, job_id)
        exported = selectors.export_file_of(job, name)
        path = services.export_dir(job.pk) / name
        if exported is None or not path.is_file():
            raise FhirError(404, f"No file {name!r} in this export.")
        log_reads(request, [uuid.UUID(p) for p in exported.patient_ids], f"fhir.$export.{exported.resource_type}")
        response = FileResponse(path.open("rb"), content_type="application/fhir+ndjson")
        response["Cache-Control"] = "no-store"
        return response


__all__ = ["ExportFileApi", "ExportStatusApi", "GroupExportApi", "SystemExportApi"]
