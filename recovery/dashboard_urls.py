"""Routes of the clinician dashboards (included by recovery/urls.py under /api/v1/)."""

from django.urls import path

from recovery import dashboard_api

urlpatterns = [
    path("clinician/patients", dashboard_api.ClinicianRosterApi.as_view(), name="clinician-roster"),
    path("clinician/cohort", dashboard_api.ClinicianCohortApi.as_view(), name="clinician-cohort"),
    path("patients/<uuid:patient_id>/series", dashboard_api.PatientSeriesApi.as_view(), name="patient-series"),
    path("patients/<uuid:patient_id>/outcomes", dashboard_api.PatientOutcomesApi.as_view(), name="patient-outcomes"),
    path("patients/<uuid:patient_id>/timeline", dashboard_api.PatientTimelineApi.as_view(), name="patient-timeline"),
    path(
        "patients/<uuid:patient_id>/export.csv", dashboard_api.PatientExportCsvApi.as_view(), name="patient-export-csv"
    ),
    path("alerts/<uuid:alert_id>/assign", dashboard_api.AlertAssignApi.as_view(), name="alert-assign"),
]
