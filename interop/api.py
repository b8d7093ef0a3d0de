"""FHIR R4 over HTTP: read, search, $everything, metadata, and the patient's own Bundle. HTTP only: the reads are in
selectors/registry, the export in services (see export_api.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient
from interop.capability import capability_statement
from interop.errors import FhirError, operation_outcome
from interop.registry import EXPORT_TYPES, FINDERS
from interop.search import JSON_FORMATS, Criteria, lenient, parse, unknown_params
from interop.sources import (
    PatientProfile,
    access_own_patient,
    access_patient,
    phi_access_record,
    require_recent_authentication,
    signed_in,
)

FHIR_JSON = "application/fhir+json"


class FhirJsonRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "fhir"
    charset = "utf-8"


def fhir_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every refusal as an OperationOutcome (401 keeps its WWW-Authenticate, 429 its Retry-After)."""
    headers: dict[str, str] = {}
    if isinstance(exc, FhirError):
        return Response(operation_outcome(exc.status, exc.diagnostics, exc.code), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    detail = exc.detail
    if isinstance(detail, dict):
        texts = [f"{key}: {value}" for key, value in detail.items()]
    elif isinstance(detail, list):
        texts = [str(item) for item in detail]
    else:
        texts = [str(detail)]
    return Response(operation_outcome(exc.status_code, texts), status=exc.status_code, headers=headers)


class FhirView(APIView):
    """Answers application/fhir+json whatever the Accept header asks (FHIR has no other JSON flavour), and refuses in
    OperationOutcomes."""

    renderer_classes = (FhirJsonRenderer,)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        return FhirJsonRenderer(), FHIR_JSON

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return fhir_exception_handler


def base_url(request: Request) -> str:
    return request.build_absolute_uri("/fhir/r4/")


def entry(request: Request, resource: dict[str, Any], mode: str | None = "match") -> dict[str, Any]:
    item: dict[str, Any] = {"fullUrl": f"{base_url(request)}{resource['resourceType']}/{resource['id']}"}
    item["resource"] = resource
    if mode:
        item["search"] = {"mode": mode}
    return item


def page_links(request: Request, criteria: Criteria, total: int) -> list[dict[str, str]]:
    path = request.build_absolute_uri(request.path)

    def url(offset: int) -> str:
        return f"{path}?{urlencode([*criteria.used, ('_count', criteria.count), ('_offset', offset)])}"

    links = [{"relation": "self", "url": url(criteria.offset)}]
    if criteria.count and criteria.offset + criteria.count < total:
        links.append({"relation": "next", "url": url(criteria.offset + criteria.count)})
    if criteria.offset > 0:
        links.append({"relation": "previous", "url": url(max(criteria.offset - criteria.count, 0))})
    return links


def log_reads(request: Request, patient_ids: Iterable[uuid.UUID], resource: str) -> None:
    phi_access_record(actor=signed_in(request), patient_ids=patient_ids, resource=resource, request=request)


class MetadataApi(FhirView):
    """The CapabilityStatement: what this server serves. Public, as FHIR clients read it before signing in."""

    permission_classes = (AllowAny,)

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        unknown_params(request.query_params, {"_format", "mode"}, lenient(request.headers.get("Prefer", "")))
        return Response(capability_statement())


class SearchApi(FhirView):
    """GET /fhir/r4/{type}?...: a searchset Bundle, one page at a time."""

    resource_type = ""

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        finder = FINDERS[self.resource_type]
        criteria = parse(finder.params, request.query_params, lenient=lenient(request.headers.get("Prefer", "")))
        page = finder.search(signed_in(request), criteria)
        if finder.patient_data:
            log_reads(request, page.patient_ids, f"fhir.{self.resource_type}.search")
        bundle = {
            "resourceType": "Bundle",
            "type": "searchset",
            "meta": {"lastUpdated": timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z")},
            "total": page.total,
            "link": page_links(request, criteria, page.total),
            "entry": [entry(request, resource) for resource in page.resources],
        }
        if not bundle["entry"]:
            del bundle["entry"]
        return Response(bundle)


class ReadApi(FhirView):
    """GET /fhir/r4/{type}/{id}: one resource, or 404 (also when it is not yours)."""

    resource_type = ""

    @extend_schema(exclude=True)
    def get(self, request: Request, resource_id: str) -> Response:
        finder = FINDERS[self.resource_type]
        resource, patient_id = finder.read(signed_in(request), resource_id)
        if finder.patient_data and patient_id is not None:
            log_reads(request, [patient_id], f"fhir.{self.resource_type}.read")
        return Response(resource)


def patient_everything(patient: PatientProfile) -> list[dict[str, Any]]:
    """Every resource about one patient, Patient first, then the people and places the record refers to."""
    return [resource for name in EXPORT_TYPES for resource in FINDERS[name].for_patient(patient)]


class EverythingApi(FhirView):
    """GET /fhir/r4/Patient/{id}/$everything: the whole record in one searchset Bundle (one logged read)."""

    @extend_schema(exclude=True)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        unknown_params(request.query_params, {"_format"}, lenient(request.headers.get("Prefer", "")))
        if request.query_params.get("_format", "json") not in JSON_FORMATS:
            raise FhirError(406, "_format: only JSON is served.")
        patient = access_patient(request, patient_id, resource="fhir.Patient.$everything")
        resources = patient_everything(patient)
        return Response(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(resources),
                "link": [{"relation": "self", "url": request.build_absolute_uri()}],
                "entry": [entry(request, resource) for resource in resources],
            }
        )


class UnknownApi(FhirView):
    """Anything else under /fhir/r4/: an unknown resource type is a 400 naming it; a known type with an interaction
    we do not serve is a 404."""

    @extend_schema(exclude=True)
    def get(self, request: Request, path: str) -> Response:
        resource_type = path.split("/", 1)[0]
        if resource_type not in FINDERS:
            raise FhirError(
                400,
                f"Unknown resource type {resource_type!r}. Served: {', '.join(sorted(FINDERS))} "
                "(see /fhir/r4/metadata).",
                code="not-supported",
            )
        raise FhirError(404, f"{path} is not served here (see /fhir/r4/metadata).", code="not-supported")


class MeExportFhirApi(FhirView):
    """GET /api/v1/me/export.fhir: the patient's own record as a FHIR Bundle (collection). Needs a recent sign-in,
    as the JSON export does."""

    permission_classes = (*APIView.permission_classes, IsPatient)

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        require_recent_authentication(request)
        patient = access_own_patient(request)
        resources = patient_everything(patient)
        response = Response(
            {
                "resourceType": "Bundle",
                "type": "collection",
                "timestamp": timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z"),
                "entry": [entry(request, resource, mode=None) for resource in resources],
            }
        )
        response["Content-Disposition"] = 'attachment; filename="my-recovery-data.fhir.json"'
        response["Cache-Control"] = "no-store"
        return response
