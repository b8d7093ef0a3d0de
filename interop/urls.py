"""/fhir/r4/...: one search and one read route per served type, built from the registry (as the CapabilityStatement
is), then the operations, and a catch-all that names what is not served."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from interop import api, export_api
from interop.registry import FINDERS
from interop.report import api as report_api

urlpatterns: list[URLPattern] = [
    path("metadata", api.MetadataApi.as_view(), name="fhir-metadata"),
    path("$export", export_api.SystemExportApi.as_view(), name="fhir-export"),
    path("Group/<uuid:group_id>/$export", export_api.GroupExportApi.as_view(), name="fhir-group-export"),
    path("$export-status/<uuid:job_id>", export_api.ExportStatusApi.as_view(), name="fhir-export-status"),
    path("$export-file/<uuid:job_id>/<str:name>", export_api.ExportFileApi.as_view(), name="fhir-export-file"),
    path("Patient/<uuid:patient_id>/$everything", api.EverythingApi.as_view(), name="fhir-patient-everything"),
]
for _name in FINDERS:
    urlpatterns += [
        path(_name, api.SearchApi.as_view(resource_type=_name), name=f"fhir-{_name.lower()}-search"),
        path(f"{_name}/<str:resource_id>", api.ReadApi.as_view(resource_type=_name), name=f"fhir-{_name.lower()}-read"),
    ]
urlpatterns.append(re_path(r"^(?P<path>.+)$", api.UnknownApi.as_view(), name="fhir-unknown"))

# Served under /api/v1/ (config/urls.py): the FHIR Bundle next to the JSON export, and the visit report PDF.
api_urlpatterns: list[URLPattern] = [
    path("me/export.fhir", api.MeExportFhirApi.as_view(), name="me-export-fhir"),
    path("me/report.pdf", report_api.MeReportPdfApi.as_view(), name="me-report-pdf"),
    path("patients/<uuid:patient_id>/report.pdf", report_api.PatientReportPdfApi.as_view(), name="patient-report-pdf"),
]
