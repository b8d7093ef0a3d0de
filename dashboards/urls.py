"""Routes of the clinician dashboards (included by config/urls.py under /api/v1/)."""

from django.urls import path

from dashboards import api

urlpatterns = [
    path("clinician/patients", api.ClinicianRosterApi.as_view(), name="clinician-roster"),
    path("clinician/alert-response", api.ClinicianAlertResponseApi.as_view(), name="clinician-alert-response"),
    path("clinician/cohort", api.ClinicianCohortApi.as_view(), name="clinician-cohort"),
    path("patients/<uuid:patient_id>/series", api.PatientSeriesApi.as_view(), name="patient-series"),
    path("patients/<uuid:patient_id>/outcomes", api.PatientOutcomesApi.as_view(), name="patient-outcomes"),
    path("patients/<uuid:patient_id>/timeline", api.PatientTimelineApi.as_view(), name="patient-timeline"),
    path("patients/<uuid:patient_id>/export.csv", api.PatientExportCsvApi.as_view(), name="patient-export-csv"),
]
