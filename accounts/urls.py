from django.urls import path

from accounts import api

urlpatterns = [
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
    path("audit/phi-access", api.PHIAccessListApi.as_view(), name="phi-access-list"),
]
