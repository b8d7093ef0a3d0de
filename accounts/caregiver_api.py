"""Caregivers API: a patient's caregivers (/me/caregivers, and /patients/{id}/caregivers for her clinic), and the
patients a caregiver helps (/me/caring-for).

How a caregiver then works for a patient: the patient's own /me/... routes with the patient's id in the X-Patient
header (accounts.access.access_acting), and /patients/{id}/... reads as the patient herself makes them."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import caregivers, selectors
from accounts.access import (
    PatientApi,
    PatientRecordApi,
    access_own_patient,
    access_patient,
    patient_read_log,
    role_require,
)
from accounts.authentication import signed_in
from accounts.caregiver_serializers import (
    CaregiverInviteByClinicIn,
    CaregiverInviteIn,
    CaregiverOut,
    CaregiverUpdateIn,
    CaringForOut,
)
from accounts.models import CaregiverLink
from accounts.permissions import IsCaregiver, IsClinicStaff, IsNotCaregiver


def _caregivers_response(patient_links: list[CaregiverLink], status_code: int = 200) -> Response:
    return Response(CaregiverOut(patient_links, many=True).data, status=status_code)


class MyCaregiverListApi(PatientApi[CaregiverLink]):
    """The patient's caregivers (invited or active), and inviting a new one by email with what they may do."""

    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=CaregiverOut(many=True))
    def get(self, request: Request) -> Response:
        return _caregivers_response(list(selectors.caregiver_links_of(access_own_patient(request))))

    @extend_schema(request=CaregiverInviteIn, responses={201: CaregiverOut})
    def post(self, request: Request) -> Response:
        patient = access_own_patient(request)
        data = CaregiverInviteIn(data=request.data)
        data.is_valid(raise_exception=True)
        link = caregivers.caregiver_invite(patient=patient, by=signed_in(request), **data.validated_data)
        return Response(CaregiverOut(selectors.caregiver_link_shown(patient, link.pk)).data, status=201)


class MyCaregiverApi(PatientRecordApi[CaregiverLink]):
    """Change what one of the patient's caregivers may do (the whole list of grants), or how they are related."""

    @extend_schema(request=CaregiverUpdateIn, responses=CaregiverOut)
    def patch(self, request: Request, link_id: uuid.UUID) -> Response:
        patient = access_own_patient(request)
        link = selectors.caregiver_link_of(patient, link_id)
        data = CaregiverUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        caregivers.caregiver_grants_set(
            link=link, grants=data.validated_data.get("grants"), relationship=data.validated_data.get("relationship")
        )
        return Response(CaregiverOut(selectors.caregiver_link_shown(patient, link.pk)).data)


class MyCaregiverRevokeApi(PatientRecordApi[CaregiverLink]):
    """Remove a caregiver: from their next request on, they can see and do nothing for this patient."""

    @extend_schema(request=None, responses=CaregiverOut)
    def post(self, request: Request, link_id: uuid.UUID) -> Response:
        link = selectors.caregiver_link_of(access_own_patient(request), link_id)
        return Response(CaregiverOut(caregivers.caregiver_revoke(link=link)).data)


class MyCaregiverResendApi(PatientRecordApi[CaregiverLink]):
    """Send an invited caregiver a new link (the previous one stops working; 7 days again)."""

    @extend_schema(request=None, responses=CaregiverOut)
    def post(self, request: Request, link_id: uuid.UUID) -> Response:
        patient = access_own_patient(request)
        link = selectors.caregiver_link_of(patient, link_id)
        caregivers.caregiver_invitation_resend(link=link, by=signed_in(request))
        return Response(CaregiverOut(selectors.caregiver_link_shown(patient, link.pk)).data)


class PatientCaregiverListApi(GenericAPIView[CaregiverLink]):
    """A patient's caregivers, for the patient and her clinic (caregivers: 403). Clinic staff invite one here only
    with the patient's consent, which is recorded with their name."""

    pagination_class = None

    @extend_schema(responses=CaregiverOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="patient.caregivers", role=IsNotCaregiver)
        return _caregivers_response(list(selectors.caregiver_links_of(patient)))

    @extend_schema(request=CaregiverInviteByClinicIn, responses={201: CaregiverOut})
    def post(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="patient.caregivers", role=IsClinicStaff)
        data = CaregiverInviteByClinicIn(data=request.data)
        data.is_valid(raise_exception=True)
        link = caregivers.caregiver_invite(patient=patient, by=signed_in(request), **data.validated_data)
        return Response(CaregiverOut(selectors.caregiver_link_shown(patient, link.pk)).data, status=201)


class MyCaringForApi(GenericAPIView[CaregiverLink]):
    """For a caregiver: the patients they help now, as what, and what each allows (the app's "Who are you helping
    today?"). Each patient listed is a logged read."""

    pagination_class = None

    @extend_schema(responses=CaringForOut(many=True))
    def get(self, request: Request) -> Response:
        role_require(request, IsCaregiver)
        links = list(selectors.caring_for(signed_in(request)))
        patient_read_log(request, [link.patient_id for link in links], resource="caregiver.caring_for")
        return Response(CaringForOut(links, many=True).data)
