from django.urls import path

from recovery.api import alerts, patients, progress, protocols, safety

urlpatterns = [
    path("recovery/forms", patients.RecoveryFormsApi.as_view(), name="recovery-forms"),
    path("me/recovery", patients.MyRecoveryApi.as_view(), name="me-recovery"),
    path("me/progress", progress.MyProgressApi.as_view(), name="me-progress"),
    path("me/checkins", patients.MyCheckInListApi.as_view(), name="me-checkin-list"),
    path("me/checkins/<uuid:checkin_id>", patients.MyCheckInApi.as_view(), name="me-checkin"),
    path("me/milestones", patients.MyMilestoneListApi.as_view(), name="me-milestone-list"),
    path("me/procedures", patients.MyProcedureListApi.as_view(), name="me-procedure-list"),
    path("me/assessments", patients.MyAssessmentListApi.as_view(), name="me-assessment-list"),
    path("patients/<uuid:patient_id>/recovery", patients.PatientRecoveryApi.as_view(), name="patient-recovery"),
    path("patients/<uuid:patient_id>/checkins", patients.PatientCheckInListApi.as_view(), name="patient-checkin-list"),
    path(
        "patients/<uuid:patient_id>/checkins/<uuid:checkin_id>",
        patients.PatientCheckInDetailApi.as_view(),
        name="patient-checkin-detail",
    ),
    path(
        "patients/<uuid:patient_id>/milestones",
        patients.PatientMilestoneListApi.as_view(),
        name="patient-milestone-list",
    ),
    path(
        "patients/<uuid:patient_id>/assessments",
        patients.PatientAssessmentListApi.as_view(),
        name="patient-assessment-list",
    ),
    path(
        "patients/<uuid:patient_id>/procedures",
        patients.PatientProcedureListApi.as_view(),
        name="patient-procedure-list",
    ),
    path(
        "patients/<uuid:patient_id>/procedures/<uuid:procedure_id>",
        patients.PatientProcedureDetailApi.as_view(),
        name="patient-procedure-detail",
    ),
    path(
        "patients/<uuid:patient_id>/procedures/<uuid:procedure_id>/complete",
        patients.PatientProcedureCompleteApi.as_view(),
        name="patient-procedure-complete",
    ),
    path(
        "patients/<uuid:patient_id>/procedures/<uuid:procedure_id>/cancel",
        patients.PatientProcedureCancelApi.as_view(),
        name="patient-procedure-cancel",
    ),
    path(
        "patients/<uuid:patient_id>/procedures/<uuid:procedure_id>/screening",
        safety.PatientProcedureScreeningApi.as_view(),
        name="patient-procedure-screening",
    ),
    path(
        "patients/<uuid:patient_id>/procedures/<uuid:procedure_id>/screenings",
        safety.PatientProcedureScreeningHistoryApi.as_view(),
        name="patient-procedure-screening-history",
    ),
    path(
        "patients/<uuid:patient_id>/adverse-events",
        safety.PatientAdverseEventListApi.as_view(),
        name="patient-adverse-event-list",
    ),
    path(
        "patients/<uuid:patient_id>/adverse-events/<uuid:event_id>",
        safety.PatientAdverseEventDetailApi.as_view(),
        name="patient-adverse-event-detail",
    ),
    path(
        "patients/<uuid:patient_id>/adverse-events/<uuid:event_id>/dismiss",
        safety.PatientAdverseEventDismissApi.as_view(),
        name="patient-adverse-event-dismiss",
    ),
    path("alerts", alerts.AlertListApi.as_view(), name="alert-list"),
    path("alerts/<uuid:alert_id>", alerts.AlertDetailApi.as_view(), name="alert-detail"),
    path("alerts/<uuid:alert_id>/acknowledge", alerts.AlertAcknowledgeApi.as_view(), name="alert-acknowledge"),
    path("alerts/<uuid:alert_id>/resolve", alerts.AlertResolveApi.as_view(), name="alert-resolve"),
    path("alerts/<uuid:alert_id>/assign", alerts.AlertAssignApi.as_view(), name="alert-assign"),
    path("protocols", protocols.ProtocolListApi.as_view(), name="protocol-list"),
    path("protocols/<uuid:protocol_id>", protocols.ProtocolDetailApi.as_view(), name="protocol-detail"),
    path("protocols/<uuid:protocol_id>/copy", protocols.ProtocolCopyApi.as_view(), name="protocol-copy"),
    path("protocols/<uuid:protocol_id>/revisions", protocols.ProtocolReviseApi.as_view(), name="protocol-revise"),
]
