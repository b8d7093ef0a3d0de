"""Accounts API: the signed-in person, patients and care teams, staff, invitations, the PHI access log."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors, services
from accounts.access import (
    PatientApi,
    access_own_patient,
    access_patient,
    patient_read_log,
    role_require,
)
from accounts.authentication import request_session, signed_in
from accounts.exports import patient_export
from accounts.models import Invitation, PatientProfile, PHIAccess, Role, User
from accounts.permissions import IsClinicAdmin, IsClinicStaff, IsNotCaregiver
from accounts.serializers import (
    CareTeamIn,
    ClinicOut,
    ClinicUpdateIn,
    InvitationAcceptIn,
    InvitationAcceptOut,
    InvitationOut,
    MeOut,
    PatientEnrolIn,
    PatientOut,
    PatientSelfUpdateIn,
    PatientStaffUpdateIn,
    PHIAccessOut,
    StaffInviteIn,
    StaffOut,
)
from accounts.throttling import InvitationAcceptThrottle


class ReauthenticationRequired(APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "reauthentication_required"
    default_detail = (
        "Please confirm your password first (POST /_allauth/{client}/v1/auth/reauthenticate), then try again."
    )


def require_recent_authentication(request: Request) -> None:
    """Sensitive actions need a sign-in or password confirmation within ACCOUNT_REAUTHENTICATION_TIMEOUT."""
    session = request_session(request)
    if session.get("account_authentication_methods_user") not in (str(signed_in(request).pk), None):
        raise ReauthenticationRequired()
    records = session.get("account_authentication_methods") or []
    latest = max((r.get("at", 0) for r in records if isinstance(r, dict)), default=0)
    if time.time() - latest >= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
        raise ReauthenticationRequired()


SessionStateOut = inline_serializer("SessionStateOut", {"signed_in": serializers.BooleanField()})


class SessionStateApi(GenericAPIView[Any]):
    """Whether this browser is signed in, answered 200 either way: the app asks it on every start, and a signed-out
    start is ordinary, not an error (allauth's own session endpoint answers 401, which browsers log as an error)."""

    permission_classes = (AllowAny,)

    @extend_schema(responses=SessionStateOut)
    def get(self, request: Request) -> Response:
        response = Response({"signed_in": bool(request.user and request.user.is_authenticated)})
        response["Cache-Control"] = "no-store"
        return response


class MeApi(GenericAPIView[User]):
    """The signed-in person. Everyone can change their name and language here; patients also their contact details and
    time zone."""

    serializer_class = MeOut

    def get(self, request: Request) -> Response:
        return Response(MeOut(signed_in(request)).data)

    @extend_schema(request=PatientSelfUpdateIn, responses=MeOut)
    def patch(self, request: Request) -> Response:
        user = signed_in(request)
        data = PatientSelfUpdateIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if user.role == Role.PATIENT:
            services.patient_profile_update(patient=access_own_patient(request), by=user, **fields)
        else:
            extra = sorted(set(fields) - {"full_name", "language"})
            if extra:
                raise ValidationError({name: ["Only patients have this field."] for name in extra})
            if fields:
                services.user_update(user=user, **fields)
        user.refresh_from_db()
        return Response(MeOut(user).data)


class MeExportApi(PatientApi[User]):
    """Everything we hold about the signed-in patient, as one JSON document. Needs a recent sign-in."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        require_recent_authentication(request)
        response = Response(patient_export(access_own_patient(request)))
        response["Content-Disposition"] = 'attachment; filename="my-recovery-data.json"'
        response["Cache-Control"] = "no-store"
        return response


class MeDeactivateApi(PatientApi[User]):
    """Close the patient's own account: sign-in stops everywhere; the clinic keeps the records."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        require_recent_authentication(request)
        services.account_deactivate(user=signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyClinicApi(GenericAPIView[Any]):
    """The clinic the signed-in person belongs to: its phone number and the local emergency number to call. Clinic
    admins change the phone, emergency number and country here."""

    serializer_class = ClinicOut

    def get(self, request: Request) -> Response:
        return Response(ClinicOut(signed_in(request).clinic).data)

    @extend_schema(request=ClinicUpdateIn, responses=ClinicOut)
    def patch(self, request: Request) -> Response:
        role_require(request, IsClinicAdmin)
        data = ClinicUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = signed_in(request)
        assert user.clinic is not None  # noqa: S101 (clinic admins always have a clinic)
        return Response(ClinicOut(services.clinic_update(clinic=user.clinic, **data.validated_data)).data)


class PatientListApi(ListAPIView[PatientProfile]):
    """Patients the signed-in person may see (a patient sees only themself). Clinic staff enrol patients here."""

    serializer_class = PatientOut

    @extend_schema(parameters=[OpenApiParameter("search", str, description="Part of the patient's name.")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[PatientProfile]:
        return selectors.patient_list(
            user=signed_in(self.request), search=self.request.query_params.get("search", "")[:100]
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 (pagination is always on)
        patient_read_log(request, [p.pk for p in page], resource="patient.list")
        return self.get_paginated_response(PatientOut(page, many=True).data)

    @extend_schema(request=PatientEnrolIn, responses={201: PatientOut})
    def post(self, request: Request) -> Response:
        role_require(request, IsClinicStaff)
        data = PatientEnrolIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        patient = services.patient_enrol(
            by=signed_in(request),
            primary_clinician_id=fields.pop("primary_clinician", None),
            care_team=fields.pop("care_team", []),
            **fields,
        )
        enrolled = selectors.patient_enrolled(by=signed_in(request), patient_id=patient.pk)
        return Response(PatientOut(enrolled).data, status=201)


class PatientDetailApi(GenericAPIView[PatientProfile]):
    serializer_class = PatientOut

    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="patient.detail")
        return Response(PatientOut(selectors.patient_listed(user=signed_in(request), patient_id=patient.pk)).data)

    @extend_schema(request=PatientStaffUpdateIn, responses=PatientOut)
    def patch(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="patient.update", role=IsNotCaregiver)
        serializer = PatientStaffUpdateIn if signed_in(request).is_clinic_staff else PatientSelfUpdateIn
        data = serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.patient_profile_update(patient=patient, by=signed_in(request), **data.validated_data)
        return Response(PatientOut(selectors.patient_listed(user=signed_in(request), patient_id=patient.pk)).data)


class PatientCareTeamApi(GenericAPIView[PatientProfile]):
    """Replace a patient's care team: one primary clinician and any others, all of the patient's clinic."""

    @extend_schema(request=CareTeamIn, responses=PatientOut)
    def put(self, request: Request, patient_id: uuid.UUID) -> Response:
        # Scope first, role second: whoever may not see the patient gets 404, as for an unknown id (a 403 would be
        # "not yours" answered differently); the patient herself, who may see her record, gets 403.
        patient = access_patient(request, patient_id, resource="patient.care_team", role=IsClinicStaff)
        data = CareTeamIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.care_team_set(
            patient=patient,
            primary_clinician_id=data.validated_data["primary_clinician"],
            care_team=data.validated_data.get("care_team", []),
        )
        return Response(PatientOut(selectors.patient_listed(user=signed_in(request), patient_id=patient.pk)).data)


class StaffListApi(ListAPIView[User]):
    """Clinicians and admins of the signed-in staff member's clinic. Clinic admins invite new staff here."""

    serializer_class = StaffOut
    permission_classes = (*GenericAPIView.permission_classes, IsClinicStaff)

    def get_queryset(self) -> QuerySet[User]:
        return selectors.staff_list(user=signed_in(self.request))

    @extend_schema(request=StaffInviteIn, responses={201: StaffOut})
    def post(self, request: Request) -> Response:
        role_require(request, IsClinicAdmin)
        data = StaffInviteIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.staff_invite(by=signed_in(request), **data.validated_data)
        return Response(StaffOut(user).data, status=201)


class InvitationListApi(ListAPIView[Invitation]):
    serializer_class = InvitationOut
    permission_classes = (*GenericAPIView.permission_classes, IsClinicStaff)

    def get_queryset(self) -> QuerySet[Invitation]:
        return selectors.invitations_visible_to(signed_in(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 (pagination is always on)
        _invitation_reads_log(request, page, "invitation.list")
        return self.get_paginated_response(InvitationOut(page, many=True).data)


def _invitation_reads_log(request: Request, invitations: list[Invitation], resource: str) -> None:
    """A patient's invitation shows their name and email: that is a read of their data like any other."""
    patient_ids = [i.user_id for i in invitations if i.user.role == Role.PATIENT]
    patient_read_log(request, patient_ids, resource=resource)


class InvitationResendApi(GenericAPIView[Any]):
    """Send a new link (the previous one stops working).

    No role gate before the lookup: only clinic staff see invitations (selectors.invitations_visible_to), so anyone
    else gets 404 for any id, like every other "not yours"."""

    @extend_schema(request=None, responses=InvitationOut)
    def post(self, request: Request, invitation_id: uuid.UUID) -> Response:
        invitation = selectors.invitation_get(user=signed_in(request), invitation_id=invitation_id)
        invitation = services.invitation_resend(invitation=invitation, by=signed_in(request))
        _invitation_reads_log(request, [invitation], "invitation.resend")
        return Response(InvitationOut(invitation).data)


class InvitationRevokeApi(GenericAPIView[Any]):
    """Withdraw an invitation; its link stops working. Not-yours is 404, as for resend."""

    @extend_schema(request=None, responses=InvitationOut)
    def post(self, request: Request, invitation_id: uuid.UUID) -> Response:
        invitation = selectors.invitation_get(user=signed_in(request), invitation_id=invitation_id)
        invitation = services.invitation_revoke(invitation=invitation)
        _invitation_reads_log(request, [invitation], "invitation.revoke")
        return Response(InvitationOut(invitation).data)


class InvitationAcceptApi(GenericAPIView[Any]):
    """Choose a password with the token from the invitation email; the account becomes active. Then sign in."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (InvitationAcceptThrottle,)

    @extend_schema(request=InvitationAcceptIn, responses=InvitationAcceptOut, auth=[])
    def post(self, request: Request) -> Response:
        data = InvitationAcceptIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.invitation_accept(**data.validated_data)
        return Response({"email": user.email, "detail": "Your password is set. You can sign in now."})


class PHIAccessListApi(ListAPIView[PHIAccess]):
    """Who read which patient's data, when, from where: the clinic's PHI access log (clinic admins)."""

    serializer_class = PHIAccessOut
    permission_classes = (*GenericAPIView.permission_classes, IsClinicAdmin)

    def get_queryset(self) -> QuerySet[PHIAccess]:
        patient = self.request.query_params.get("patient")
        try:
            patient_id = uuid.UUID(patient) if patient else None
        except ValueError:
            raise ValidationError({"patient": ["Must be a patient id (UUID)."]}) from None
        return selectors.phi_access_list(user=signed_in(self.request), patient_id=patient_id)

    @extend_schema(parameters=[OpenApiParameter("patient", uuid.UUID, description="Only this patient's rows.")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
