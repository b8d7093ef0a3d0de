from django.urls import path

from accounts import api, caregiver_api

urlpatterns = [
    path("session", api.SessionStateApi.as_view(), name="session-state"),
    path("me", api.MeApi.as_view(), name="me"),
    path("me/export", api.MeExportApi.as_view(), name="me-export"),
    path("me/deactivate", api.MeDeactivateApi.as_view(), name="me-deactivate"),
    path("me/clinic", api.MyClinicApi.as_view(), name="me-clinic"),
    path("patients", api.PatientListApi.as_view(), name="patient-list"),
    path("patients/<uuid:patient_id>", api.PatientDetailApi.as_view(), name="patient-detail"),
    path("patients/<uuid:patient_id>/care-team", api.PatientCareTeamApi.as_view(), name="patient-care-team"),
    path("staff", api.StaffListApi.as_view(), name="staff-list"),
    path("invitations", api.InvitationListApi.as_view(), name="invitation-list"),
    path("invitations/accept", api.InvitationAcceptApi.as_view(), name="invitation-accept"),
    path("invitations/<uuid:invitation_id>/resend", api.InvitationResendApi.as_view(), name="invitation-resend"),
    path("invitations/<uuid:invitation_id>/revoke", api.InvitationRevokeApi.as_view(), name="invitation-revoke"),
    path("me/caregivers", caregiver_api.MyCaregiverListApi.as_view(), name="me-caregiver-list"),
    path("me/caregivers/<uuid:link_id>", caregiver_api.MyCaregiverApi.as_view(), name="me-caregiver"),
    path(
        "me/caregivers/<uuid:link_id>/revoke", caregiver_api.MyCaregiverRevokeApi.as_view(), name="me-caregiver-revoke"
    ),
    path(
        "me/caregivers/<uuid:link_id>/resend", caregiver_api.MyCaregiverResendApi.as_view(), name="me-caregiver-resend"
    ),
    path("me/caring-for", caregiver_api.MyCaringForApi.as_view(), name="me-caring-for"),
    path(
        "patients/<uuid:patient_id>/caregivers",
        caregiver_api.PatientCaregiverListApi.as_view(),
        name="patient-caregiver-list",
    ),
    path("audit/phi-access", api.PHIAccessListApi.as_view(), name="phi-access-list"),
]
