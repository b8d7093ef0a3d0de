"""GET /api/v1/patients/{id}/report.pdf (the care team and clinic admins; PHI-logged) and GET /api/v1/me/report.pdf
(the patient's own). HTTP only: the content is gathered in interop.report.content, laid out in interop.report.pdf."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.inputs import StrictInputSerializer
from interop.report.content import ReportInputError, report_procedure, visit_report
from interop.report.pdf import render_pdf
from interop.sources import (
    IsClinicStaff,
    IsPatient,
    PatientProfile,
    access_own_patient,
    access_patient,
    patient_read_log,
)

PDF_RESPONSE = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The report, a PDF.")}


class ReportIn(StrictInputSerializer):
    procedure = serializers.UUIDField(
        required=False, help_text="One of the patient's procedure episodes; default: the current one."
    )


PROCEDURE_PARAMETER = ReportIn


class ReportPdfView(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The PDF is written here, not by a renderer; errors are JSON like everywhere else, even for Accept: a PDF.
        return super().perform_content_negotiation(request, force=True)


def _procedure_id(request: Request) -> uuid.UUID | None:
    params = ReportIn(data=request.query_params)
    params.is_valid(raise_exception=True)
    value: uuid.UUID | None = params.validated_data.get("procedure")
    return value


def _report_pdf(patient: PatientProfile, procedure_id: uuid.UUID | None) -> bytes:
    now = timezone.now()
    try:
        procedure = report_procedure(patient, procedure_id, now)
    except ReportInputError as exc:
        raise serializers.ValidationError(exc.errors) from exc
    return render_pdf(visit_report(patient, procedure, now))


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class PatientReportPdfApi(ReportPdfView):
    """The visit report of one patient, for their care team and their clinic's admins (the patient herself: 403,
    she has /me/report.pdf). Not yours: 404. The read is PHI-logged once the request is valid."""

    @extend_schema(parameters=[PROCEDURE_PARAMETER], responses=PDF_RESPONSE)
    def get(self, request: Request, patient_id: uuid.UUID) -> HttpResponse:
        patient = access_patient(request, patient_id, resource=None, role=IsClinicStaff)
        content = _report_pdf(patient, _procedure_id(request))
        patient_read_log(request, [patient.pk], resource="interop.visit_report")
        # The file name carries the id only: names are PHI and file names end up in download folders and logs.
        return _pdf_response(content, f"patient-{patient.pk}-visit-report.pdf")


class MeReportPdfApi(ReportPdfView):
    """The signed-in patient's own visit report (a patient's own reads are not logged); staff have none (403)."""

    permission_classes = (*APIView.permission_classes, IsPatient)

    @extend_schema(parameters=[PROCEDURE_PARAMETER], responses=PDF_RESPONSE)
    def get(self, request: Request) -> HttpResponse:
        patient = access_own_patient(request)
        return _pdf_response(_report_pdf(patient, _procedure_id(request)), "my-visit-report.pdf")
