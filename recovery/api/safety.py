"""The care team's safety records of a patient over HTTP: the candidate screening of a procedure episode, and adverse
events. Read by clinic staff (PHI-logged); written by clinicians, who decide screenings and record events. The patient
is refused (403): these are the clinicians' records (the patient gets them in their data export)."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import access_patient
from accounts.authentication import signed_in
from accounts.permissions import IsClinician, IsClinicStaff
from recovery import safety, safety_selectors
from recovery.access import access_adverse_event, access_procedure_for
from recovery.models import AdverseEvent, Screening
from recovery.safety_serializers import (
    AdverseEventDismissIn,
    AdverseEventFilterIn,
    AdverseEventIn,
    AdverseEventOut,
    ScreeningIn,
    ScreeningOut,
)

_CLINICIANS_DECIDE = "Only a clinician can record this."


class PatientProcedureScreeningApi(GenericAPIView[Screening]):
    """The latest candidate screening of one procedure episode: criteria, cautions, outcome, who decided it and when.
    PUT records a new one (a re-screening); the earlier ones stay in the episode's history (.../screenings). A
    procedure is marked done only with a screening whose outcome
    is 'candidate' (or a clinician's override with a reason: POST .../complete)."""

    @extend_schema(responses=ScreeningOut)
    def get(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        procedure = access_procedure_for(
            request, patient_id, procedure_id, role=IsClinicStaff, resource="recovery.screening"
        )
        return Response(ScreeningOut(safety_selectors.screening_of(procedure)).data)

    @extend_schema(request=ScreeningIn, responses=ScreeningOut)
    def put(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        procedure = access_procedure_for(
            request, patient_id, procedure_id, role=IsClinician, resource="recovery.screening",
            role_message=_CLINICIANS_DECIDE,
        )  # fmt: skip
        data = ScreeningIn(data=request.data)
        data.is_valid(raise_exception=True)
        screening = safety.screening_save(procedure=procedure, by=signed_in(request), data=dict(data.validated_data))
        return Response(ScreeningOut(screening).data)


class PatientProcedureScreeningHistoryApi(GenericAPIView[Screening]):
    """Every screening of one procedure episode, the latest first: who decided it, when, the outcome and the answers.
    A re-screening (PUT .../screening) adds to this list; the latest (`latest: true`) decides the done-gate."""

    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=ScreeningOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        procedure = access_procedure_for(
            request, patient_id, procedure_id, role=IsClinicStaff, resource="recovery.screening_history"
        )
        return Response(ScreeningOut(safety_selectors.screenings_of(procedure), many=True).data)


class PatientAdverseEventListApi(GenericAPIView[AdverseEvent]):
    """The patient's adverse events, newest first: recorded ones, drafts opened by the weekly question (to complete
    or dismiss), and dismissed drafts. POST records one against a procedure episode that was done."""

    pagination_class = None  # a short list, returned whole

    @extend_schema(
        parameters=[AdverseEventFilterIn],
        responses=AdverseEventOut(many=True),
    )
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        filters = AdverseEventFilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        patient = access_patient(request, patient_id, resource="recovery.adverse_events", role=IsClinicStaff)
        statuses = tuple(sorted(filters.validated_data.get("status", ())))
        return Response(AdverseEventOut(safety_selectors.adverse_events_of(patient, statuses=statuses), many=True).data)

    @extend_schema(request=AdverseEventIn, responses={201: AdverseEventOut})
    def post(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(
            request, patient_id, resource="recovery.adverse_events", role=IsClinician, role_message=_CLINICIANS_DECIDE
        )
        data = AdverseEventIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        procedure = safety_selectors.procedure_of_patient(patient, values.pop("procedure"))
        if procedure is None:
            raise ValidationError({"procedure": ["This patient has no procedure with this id."]})
        event = safety.adverse_event_record(procedure=procedure, by=signed_in(request), data=values)
        event = safety_selectors.adverse_event_of(patient, event.pk)
        return Response(AdverseEventOut(event).data, status=status.HTTP_201_CREATED)


class PatientAdverseEventDetailApi(GenericAPIView[AdverseEvent]):
    """One adverse event. PATCH changes a recorded event, or completes a draft (it is then recorded)."""

    @extend_schema(responses=AdverseEventOut)
    def get(self, request: Request, patient_id: uuid.UUID, event_id: uuid.UUID) -> Response:
        event = access_adverse_event(request, patient_id, event_id, role=IsClinicStaff)
        return Response(AdverseEventOut(event).data)

    @extend_schema(request=AdverseEventIn, responses=AdverseEventOut)
    def patch(self, request: Request, patient_id: uuid.UUID, event_id: uuid.UUID) -> Response:
        event = access_adverse_event(request, patient_id, event_id, role=IsClinician, role_message=_CLINICIANS_DECIDE)
        data = AdverseEventIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "procedure" in data.validated_data:
            raise ValidationError({"procedure": ["An adverse event stays with its procedure; record a new one."]})
        safety.adverse_event_update(event=event, by=signed_in(request), data=dict(data.validated_data))
        return Response(AdverseEventOut(safety_selectors.adverse_event_of(event.patient, event_id)).data)


class PatientAdverseEventDismissApi(GenericAPIView[AdverseEvent]):
    """Dismiss a draft the weekly question opened, with the reason (for example a visit unrelated to the procedure)."""

    @extend_schema(request=AdverseEventDismissIn, responses=AdverseEventOut)
    def post(self, request: Request, patient_id: uuid.UUID, event_id: uuid.UUID) -> Response:
        event = access_adverse_event(request, patient_id, event_id, role=IsClinician, role_message=_CLINICIANS_DECIDE)
        data = AdverseEventDismissIn(data=request.data)
        data.is_valid(raise_exception=True)
        safety.adverse_event_dismiss(event=event, by=signed_in(request), reason=data.validated_data["reason"])
        return Response(AdverseEventOut(safety_selectors.adverse_event_of(event.patient, event_id)).data)
