from django.urls import include, path

from recovery import api

urlpatterns = [
    path("recovery/forms", api.RecoveryFormsApi.as_view(), name="recovery-forms"),
    path("me/recovery", api.MyRecoveryApi.as_view(), name="me-recovery"),
    path("me/checkins", api.MyCheckInListApi.as_view(), name="me-checkin-list"),
    path("me/checkins/<uuid:checkin_id>", api.MyCheckInApi.as_view(), name="me-checkin"),
    path("me/milestones", api.MyMilestoneListApi.as_view(), name="me-milestone-list"),
    path("me/procedures", api.MyProcedureListApi.as_view(), name="me-procedure-list"),
    path("me/assessments", api.MyAssessmentListApi.as_view(), name="me-assessment-list"),
    path("patients/<uuid:patient_id>/recovery", api.PatientRecoveryApi.as_view(), name="patient-recovery"),
    path("patients/<uuid:patient_id>/checkins", api.PatientCheckInListApi.as_view(), name="patient-checkin-list"),
    path(
        "patients/<uuid:patient_id>/checkins/<uuid:checkin_id>",
        api.PatientCheckInDetailApi.as_view(),
        name="patient-checkin-detail",
    ),
    path("patients/<uuid:patient_id>/milestones", api.PatientMilestoneListApi.as_view(), name="patient-milestone-list"),
    path(
        "patients/<uuid:patient_id>/assessments", api.PatientAssessmentListApi.as_view(), name="patient-assessment-list"
    ),
    path("patients/<uuid:patient_id>/procedures", api.PatientProcedureListApi.as_view(), name="patient-procedure-list"),
    path(
        "patients/<uuid:patient_id>/procedures/<uuid:procedure_id>",
        api.PatientProcedureDetailApi.as_view(),
        name="patient-procedure-detail",
    ),
    path(
        "patients/<uuid:patient_id>/procedures/<uuid:procedure_id>/complete",
        api.PatientProcedureCompleteApi.as_view(),
        name="patient-procedure-complete",
    ),
    path(
        "patients/<uuid:patient_id>/procedures/<uuid:procedure_id>/cancel",
        api.PatientProcedureCancelApi.as_view(),
        name="patient-procedure-cancel",
    ),
    path("alerts", api.AlertListApi.as_view(), name="alert-list"),
    path("alerts/<uuid:alert_id>", api.AlertDetailApi.as_view(), name="alert-detail"),
    path("alerts/<uuid:alert_id>/acknowledge", api.AlertAcknowledgeApi.as_view(), name="alert-acknowledge"),
    path("alerts/<uuid:alert_id>/resolve", api.AlertResolveApi.as_view(), name="alert-resolve"),
    path("protocols", api.ProtocolListApi.as_view(), name="protocol-list"),
    path("protocols/<uuid:protocol_id>", api.ProtocolDetailApi.as_view(), name="protocol-detail"),
    path("protocols/<uuid:protocol_id>/copy", api.ProtocolCopyApi.as_view(), name="protocol-copy"),
    path("protocols/<uuid:protocol_id>/revisions", api.ProtocolReviseApi.as_view(), name="protocol-revise"),
    path("", include("recovery.exercise_urls")),
    path("", include("recovery.dashboard_urls")),
]
