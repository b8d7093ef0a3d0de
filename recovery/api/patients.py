"""Recovery API: the patient's own timeline and check-ins (/me/...), their care team's view (/patients/{id}/...),
alerts, and the clinic's protocol."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import (
    PatientOrCaregiverApi,
    PatientOrCaregiverRecordApi,
    access_acting,
    access_own_patient,
    access_patient,
)
from accounts.authentication import signed_in
from accounts.models import Grant, PatientProfile
from accounts.permissions import IsClinicStaff
from recovery import instruments, selectors, services, wording
from recovery.access import access_procedure
from recovery.content.healthcare_use import ASK_EVERY_DAYS as HEALTHCARE_USE_EVERY_DAYS
from recovery.content.healthcare_use import CURRENT as HEALTHCARE_USE
from recovery.content.protocol_default import ASKED_SYMPTOMS
from recovery.content.red_flags import CURRENT as RULE_SET
from recovery.models import (
    Assessment,
    CheckIn,
    PatientMilestone,
    Procedure,
)
from recovery.safety_serializers import ProcedureCompleteIn, StaffProcedureOut
from recovery.serializers import (
    AssessmentIn,
    AssessmentOut,
    CheckInDetailOut,
    CheckInFilterIn,
    CheckInIn,
    CheckInOut,
    MilestoneOut,
    ProcedureIn,
    ProcedureOut,
    RecoverySummaryOut,
)


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = gettext_lazy("This check-in exists; send If-Match with its ETag to change it.")


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = gettext_lazy("This check-in was changed since you loaded it; reload it and try again.")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _paginated(
    view: GenericAPIView[Any], request: Request, queryset: QuerySet[Any], serializer: Any, **ctx: Any
) -> Response:
    page = view.paginate_queryset(queryset)
    assert page is not None  # noqa: S101 (pagination is always on)
    return view.get_paginated_response(serializer(page, many=True, context={"request": request, **ctx}).data)


# --- Forms ------------------------------------------------------------------------------------------------------------

FormsOut = inline_serializer(
    "RecoveryFormsOut",
    {
        "symptoms": serializers.ListField(child=serializers.DictField()),
        "rule_set_version": serializers.IntegerField(),
        "red_flag_questions": serializers.ListField(child=serializers.DictField()),
        "tier_instructions": serializers.DictField(child=serializers.DictField()),
        "instruments": serializers.ListField(child=serializers.DictField()),
        "phases": serializers.ListField(child=serializers.DictField()),
        "checkin_backfill_days": serializers.IntegerField(),
        "healthcare_use_question": serializers.DictField(
            help_text="The weekly question ({version, question, help_text, ask_every_days}); the check-in sends the "
            "answer as healthcare_use with healthcare_use_version when /me/recovery says it is due."
        ),
        "when_to_get_help": serializers.DictField(
            help_text="The warning signs by tier in plain words ({title, tiers: [{tier, heading, signs, note}]}), "
            "from the signed-in patient's protocol version (their current procedure's, else the clinic's current "
            "one); staff get the clinic's current one."
        ),
        "call": serializers.ListField(
            child=serializers.DictField(),
            help_text="The call buttons, [{label, tel}]: the clinic's emergency number, then the clinic's phone. "
            "Empty for a user without a clinic.",
        ),
    },
)


class RecoveryFormsApi(GenericAPIView[CheckIn]):
    """The wording and choices of the check-in and the outcome measures, for rendering the forms (also offline)."""

    @extend_schema(responses=FormsOut)
    def get(self, request: Request) -> Response:
        # The phases of the protocol a new procedure of the user's clinic starts on (the roster's phase filter), and
        # how many days back a missed check-in may be added.
        user = signed_in(request)
        protocol = services.protocol_current(user.clinic)
        return Response(
            {
                "symptoms": [wording.symptom_out(s) for s in ASKED_SYMPTOMS],
                "rule_set_version": RULE_SET.version,
                "red_flag_questions": [wording.question_out(q) for q in RULE_SET.questions],
                "tier_instructions": {t: wording.instruction_out(i) for t, i in RULE_SET.instructions.items()},
                "instruments": [wording.instrument_out(ins) for ins in instruments.INSTRUMENTS.values()],
                "phases": [
                    {
                        "key": p.key,
                        "title": wording.text_of(p, "title"),
                        "start_day": p.start_day,
                        "end_day": p.end_day,
                    }
                    for p in selectors.protocol_phases(protocol.pk)
                ],
                "checkin_backfill_days": int(settings.CHECKIN_BACKFILL_DAYS),
                "healthcare_use_question": wording.healthcare_use_out(HEALTHCARE_USE, HEALTHCARE_USE_EVERY_DAYS),
                "when_to_get_help": selectors.when_to_get_help(user, clinic_protocol=protocol),
                "call": selectors.clinic_call_buttons(user.clinic) if user.clinic else [],
            }
        )


# --- The patient's own recovery ---------------------------------------------------------------------------------------


def _summary_response(patient: PatientProfile) -> Response:
    return Response(RecoverySummaryOut(selectors.recovery_summary(patient)).data)


class MyRecoveryApi(PatientOrCaregiverApi[CheckIn]):
    """Today, in the patient's time zone: day N since the procedure, the phase and its instructions, today's check-in,
    the next milestone and the check-in streak."""

    @extend_schema(responses=RecoverySummaryOut)
    def get(self, request: Request) -> Response:
        return _summary_response(access_own_patient(request, caregiver=Grant.VIEW))


class MyCheckInListApi(PatientOrCaregiverApi[CheckIn]):
    @extend_schema(
        parameters=[CheckInFilterIn],
        responses=CheckInOut(many=True),
    )
    def get(self, request: Request) -> Response:
        return _checkin_list(self, request, access_own_patient(request, caregiver=Grant.VIEW))


def _checkin_list(view: GenericAPIView[Any], request: Request, patient: PatientProfile) -> Response:
    filters = CheckInFilterIn(data=request.query_params)  # a QueryDict: its values are strings, not JSON types
    filters.is_valid(raise_exception=True)
    checkins = selectors.checkins_of(
        patient, date_from=filters.validated_data.get("from"), date_to=filters.validated_data.get("to")
    )
    return _paginated(view, request, checkins, CheckInOut)


def _checkin_response(checkin: CheckIn, status_code: int = 200, detail: bool = False) -> Response:
    serializer = CheckInDetailOut if detail else CheckInOut
    response = Response(serializer(checkin).data, status=status_code)
    response["ETag"] = checkin.etag
    return response


class MyCheckInApi(PatientOrCaregiverRecordApi[CheckIn]):
    """One day's check-in, addressed by the id the app generated for it.

    PUT creates it, or answers a replay of the same request with the stored result (nothing new is stored), or
    changes it when the body differs, which needs `If-Match` with the ETag the app last saw (428 without, 412 when
    stale). A second id for a day that already has a check-in is refused with 409 naming the existing one.
    Staff have no check-ins: 404 for them, as for any id that is not yours. A caregiver reads with the patient's
    "view" grant and writes with "log"; what they write records them as `entered_by`.
    """

    @extend_schema(responses=CheckInDetailOut)
    def get(self, request: Request, checkin_id: uuid.UUID) -> Response:
        patient = access_own_patient(request, caregiver=Grant.VIEW)
        return _checkin_response(selectors.checkin_of(patient, checkin_id), detail=True)

    @extend_schema(
        request=CheckInIn,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
        responses={
            200: CheckInOut,
            201: CheckInOut,
            409: OpenApiResponse(description="That day already has a check-in (its id is in `existing_id`)."),
            412: OpenApiResponse(description="If-Match does not match the current version."),
            428: OpenApiResponse(description="Changing a stored check-in needs If-Match."),
        },
    )
    def put(self, request: Request, checkin_id: uuid.UUID) -> Response:
        acting = access_acting(request, caregiver=Grant.LOG)
        data = CheckInIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = services.checkin_put(
                patient=acting.patient,
                by=signed_in(request),
                entered_by=acting.link,
                checkin_id=checkin_id,
                data=dict(data.validated_data),
                if_match=request.headers.get("If-Match"),
            )
        except services.VersionRequired:
            raise PreconditionRequired() from None
        except services.VersionMismatch:
            raise PreconditionFailed() from None
        except services.CheckInConflict as conflict:
            raise Conflict(
                {"detail": _("This day already has a check-in."), "existing_id": str(conflict.existing_id)}
            ) from None
        # Answered from what the write has in hand (the patient came with the signed-in user): nothing is read back.
        checkin = result.checkin
        created = result.outcome == services.CheckInOutcome.CREATED or (
            result.outcome == services.CheckInOutcome.REPLAYED and checkin.version == 1
        )
        return _checkin_response(checkin, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _milestone_list(patient: PatientProfile) -> Response:
    today = patient.local_today()
    milestones = selectors.milestones_of(patient)
    done = selectors.assessments_done_by_milestone(patient)
    return Response(MilestoneOut(milestones, many=True, context={"today": today, "done_by_milestone": done}).data)


class MyMilestoneListApi(PatientOrCaregiverApi[PatientMilestone]):
    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=MilestoneOut(many=True))
    def get(self, request: Request) -> Response:
        return _milestone_list(access_own_patient(request, caregiver=Grant.VIEW))


class MyProcedureListApi(PatientOrCaregiverApi[Procedure]):
    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=ProcedureOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(
            ProcedureOut(selectors.procedures_of(access_own_patient(request, caregiver=Grant.VIEW)), many=True).data
        )


class MyAssessmentListApi(PatientOrCaregiverApi[Assessment]):
    """Outcome measures: the baseline before the procedure, then at each milestone. Scored on the server. They are the
    patient's own answers: a caregiver may help enter them only with the patient's "assessments" grant, and each one
    records who entered it."""

    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=AssessmentOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(
            AssessmentOut(selectors.assessments_of(access_own_patient(request, caregiver=Grant.VIEW)), many=True).data
        )

    @extend_schema(request=AssessmentIn, responses={201: AssessmentOut, 409: OpenApiResponse(description="Done.")})
    def post(self, request: Request) -> Response:
        acting = access_acting(request, caregiver=Grant.ASSESSMENTS)
        data = AssessmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assessment = services.assessment_record(
                patient=acting.patient, by=signed_in(request), entered_by=acting.link, **data.validated_data
            )
        except services.AssessmentExists as exists:
            raise Conflict(
                {
                    "detail": _("This measure was already recorded for this timepoint."),
                    "existing_id": str(exists.existing_id),
                }
            ) from None
        return Response(AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)


# --- The care team's view of a patient --------------------------------------------------------------------------------


class PatientRecoveryApi(GenericAPIView[CheckIn]):
    @extend_schema(responses=RecoverySummaryOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _summary_response(access_patient(request, patient_id, resource="recovery.summary"))


class PatientCheckInListApi(GenericAPIView[CheckIn]):
    @extend_schema(
        parameters=[CheckInFilterIn],
        responses=CheckInOut(many=True),
    )
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _checkin_list(self, request, access_patient(request, patient_id, resource="recovery.checkins"))


class PatientCheckInDetailApi(GenericAPIView[CheckIn]):
    @extend_schema(responses=CheckInDetailOut)
    def get(self, request: Request, patient_id: uuid.UUID, checkin_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="recovery.checkin")
        return _checkin_response(selectors.checkin_of(patient, checkin_id), detail=True)


class PatientMilestoneListApi(GenericAPIView[PatientMilestone]):
    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=MilestoneOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _milestone_list(access_patient(request, patient_id, resource="recovery.milestones"))


class PatientAssessmentListApi(GenericAPIView[Assessment]):
    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=AssessmentOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="recovery.assessments")
        return Response(AssessmentOut(selectors.assessments_of(patient), many=True).data)


class PatientProcedureListApi(GenericAPIView[Procedure]):
    """A patient's procedure episodes. Clinic staff schedule a new one here (it starts on the clinic's current
    protocol version)."""

    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=StaffProcedureOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="recovery.procedures")
        procedures = selectors.procedures_of(patient)
        return Response(StaffProcedureOut(procedures, many=True).data)

    @extend_schema(request=ProcedureIn, responses={201: StaffProcedureOut})
    def post(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="recovery.procedures", role=IsClinicStaff)
        data = ProcedureIn(data=request.data)
        data.is_valid(raise_exception=True)
        procedure = services.procedure_schedule(patient=patient, by=signed_in(request), **data.validated_data)
        return Response(StaffProcedureOut(procedure).data, status=status.HTTP_201_CREATED)


class PatientProcedureDetailApi(GenericAPIView[Procedure]):
    @extend_schema(responses=StaffProcedureOut)
    def get(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        return Response(StaffProcedureOut(access_procedure(request, patient_id, procedure_id)).data)

    @extend_schema(request=ProcedureIn, responses=StaffProcedureOut)
    def patch(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        procedure = access_procedure(request, patient_id, procedure_id, role=IsClinicStaff)
        data = ProcedureIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        procedure = services.procedure_update(procedure=procedure, **data.validated_data)
        return Response(StaffProcedureOut(selectors.procedure_of(procedure.patient, procedure.pk)).data)


class PatientProcedureCompleteApi(GenericAPIView[Procedure]):
    """Mark the procedure done: its milestones are laid out from the procedure date in the patient's time zone.

    Needs a screening of the procedure whose outcome is 'candidate' (PUT .../screening); without one, a clinician
    may override with `override_reason`, which is recorded with who gave it and when."""

    @extend_schema(request=ProcedureCompleteIn, responses=StaffProcedureOut)
    def post(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        procedure = access_procedure(request, patient_id, procedure_id, role=IsClinicStaff)
        data = ProcedureCompleteIn(data=request.data)
        data.is_valid(raise_exception=True)
        procedure = services.procedure_complete(
            procedure=procedure, by=signed_in(request), override_reason=data.validated_data["override_reason"]
        )
        return Response(StaffProcedureOut(selectors.procedure_of(procedure.patient, procedure.pk)).data)


class PatientProcedureCancelApi(GenericAPIView[Procedure]):
    @extend_schema(request=None, responses=StaffProcedureOut)
    def post(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        procedure = access_procedure(request, patient_id, procedure_id, role=IsClinicStaff)
        procedure = services.procedure_cancel(procedure=procedure)
        return Response(StaffProcedureOut(selectors.procedure_of(procedure.patient, procedure.pk)).data)
