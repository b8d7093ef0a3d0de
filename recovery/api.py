"""Recovery API: the patient's own timeline and check-ins (/me/...), their care team's view (/patients/{id}/...),
alerts, and the clinic's protocol."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import own_patient, patient_accessed
from accounts.authentication import signed_in
from accounts.models import PatientProfile
from accounts.permissions import IsClinicAdmin, IsClinicStaff, IsPatient, PatientOr404
from accounts.phi import phi_access_record
from recovery import instruments, selectors, services
from recovery.content.protocol_default import RED_FLAG_QUESTIONS, SYMPTOMS, TIER_INSTRUCTIONS
from recovery.models import (
    Alert,
    Assessment,
    CheckIn,
    PatientMilestone,
    Procedure,
    Protocol,
)
from recovery.serializers import (
    AlertDetailOut,
    AlertFilterIn,
    AlertNoteIn,
    AlertOut,
    AlertResolveIn,
    AssessmentIn,
    AssessmentOut,
    CheckInDetailOut,
    CheckInFilterIn,
    CheckInIn,
    CheckInOut,
    MilestoneOut,
    ProcedureIn,
    ProcedureOut,
    ProtocolOut,
    ProtocolRevisionIn,
    RecoverySummaryOut,
)


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = "This check-in exists; send If-Match with its ETag to change it."


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = "This check-in was changed since you loaded it; reload it and try again."


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
        "red_flag_questions": serializers.ListField(child=serializers.DictField()),
        "tier_instructions": serializers.DictField(child=serializers.DictField()),
        "instruments": serializers.ListField(child=serializers.DictField()),
    },
)


class RecoveryFormsApi(GenericAPIView[CheckIn]):
    """The wording and choices of the check-in and the outcome measures, for rendering the forms (also offline)."""

    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=FormsOut)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "symptoms": [{"key": s.key, "label": s.label} for s in SYMPTOMS],
                "red_flag_questions": [
                    {"key": q.key, "tier": q.tier, "question": q.question, "help_text": q.help_text}
                    for q in RED_FLAG_QUESTIONS
                ],
                "tier_instructions": {t: {"title": i.title, "text": i.text} for t, i in TIER_INSTRUCTIONS.items()},
                "instruments": [
                    {
                        "key": ins.key,
                        "version": ins.version,
                        "title": ins.title,
                        "instructions": ins.instructions,
                        "items": [
                            {
                                "key": item.key,
                                "text": item.text,
                                "subscale": item.subscale,
                                "post_treatment_only": item.post_treatment_only,
                                "minimum": item.minimum,
                                "maximum": item.maximum,
                                "unit": item.unit,
                                "options": [{"value": o.value, "label": o.label} for o in item.options],
                            }
                            for item in ins.items
                        ],
                    }
                    for ins in instruments.INSTRUMENTS.values()
                ],
            }
        )


# --- The patient's own recovery ---------------------------------------------------------------------------------------


def _summary_response(patient: PatientProfile) -> Response:
    return Response(RecoverySummaryOut(selectors.recovery_summary(patient)).data)


class MyRecoveryApi(GenericAPIView[CheckIn]):
    """Today, in the patient's time zone: day N since the procedure, the phase and its instructions, today's check-in,
    the next milestone and the check-in streak."""

    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    permission_classes = (*GenericAPIView.permission_classes, IsPatient)

    @extend_schema(responses=RecoverySummaryOut)
    def get(self, request: Request) -> Response:
        return _summary_response(own_patient(request))


class MyCheckInListApi(GenericAPIView[CheckIn]):
    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping
    permission_classes = (*GenericAPIView.permission_classes, IsPatient)

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="First day (inclusive)."),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day (inclusive)."),
        ],
        responses=CheckInOut(many=True),
    )
    def get(self, request: Request) -> Response:
        return _checkin_list(self, request, own_patient(request))


def _checkin_list(view: GenericAPIView[Any], request: Request, patient: PatientProfile) -> Response:
    filters = CheckInFilterIn(data=request.query_params.dict())
    filters.is_valid(raise_exception=True)
    checkins = CheckIn.objects.filter(patient=patient).select_related("procedure", "patient__user__clinic")
    if "from" in filters.validated_data:
        checkins = checkins.filter(local_date__gte=filters.validated_data["from"])
    if "to" in filters.validated_data:
        checkins = checkins.filter(local_date__lte=filters.validated_data["to"])
    return _paginated(view, request, checkins.order_by("-local_date"), CheckInOut)


def _checkin_response(checkin: CheckIn, status_code: int = 200, detail: bool = False) -> Response:
    serializer = CheckInDetailOut if detail else CheckInOut
    response = Response(serializer(checkin).data, status=status_code)
    response["ETag"] = checkin.etag
    return response


class MyCheckInApi(GenericAPIView[CheckIn]):
    """One day's check-in, addressed by the id the app generated for it.

    PUT creates it, or answers a replay of the same request with the stored result (nothing new is stored), or
    changes it when the body differs, which needs `If-Match` with the ETag the app last saw (428 without, 412 when
    stale). A second id for a day that already has a check-in is refused with 409 naming the existing one.
    Staff have no check-ins: 404 for them, as for any id that is not yours.
    """

    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    permission_classes = (*GenericAPIView.permission_classes, PatientOr404)

    def _get(self, request: Request, checkin_id: uuid.UUID) -> CheckIn:
        try:
            return (
                CheckIn.objects.select_related("procedure", "patient__user__clinic")
                .prefetch_related("revisions__changed_by")
                .get(pk=checkin_id, patient__user=signed_in(request))
            )
        except CheckIn.DoesNotExist as exc:
            raise Http404("No check-in with this id.") from exc

    @extend_schema(responses=CheckInDetailOut)
    def get(self, request: Request, checkin_id: uuid.UUID) -> Response:
        return _checkin_response(self._get(request, checkin_id), detail=True)

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
        patient = own_patient(request)
        data = CheckInIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = services.checkin_put(
                patient=patient,
                by=signed_in(request),
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
                {"detail": "This day already has a check-in.", "existing_id": str(conflict.existing_id)}
            ) from None
        checkin = self._get(request, result.checkin.pk)
        created = result.outcome == services.CheckInOutcome.CREATED or (
            result.outcome == services.CheckInOutcome.REPLAYED and checkin.version == 1
        )
        return _checkin_response(checkin, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _milestone_list(patient: PatientProfile) -> Response:
    today = patient.local_today()
    milestones = PatientMilestone.objects.filter(patient=patient).order_by("-procedure__procedure_date", "opens_on")
    done: dict[Any, set[str]] = defaultdict(set)
    for procedure_id, timepoint, instrument in Assessment.objects.filter(patient=patient).values_list(
        "procedure_id", "timepoint", "instrument"
    ):
        done[(procedure_id, timepoint)].add(instrument)
    return Response(MilestoneOut(milestones, many=True, context={"today": today, "done_by_milestone": done}).data)


class MyMilestoneListApi(GenericAPIView[PatientMilestone]):
    queryset = PatientMilestone.objects.none()  # for the schema; every read goes through scoping
    pagination_class = None  # a short list, returned whole
    permission_classes = (*GenericAPIView.permission_classes, IsPatient)

    @extend_schema(responses=MilestoneOut(many=True))
    def get(self, request: Request) -> Response:
        return _milestone_list(own_patient(request))


class MyProcedureListApi(GenericAPIView[Procedure]):
    queryset = Procedure.objects.none()  # for the schema; every read goes through scoping
    pagination_class = None  # a short list, returned whole
    permission_classes = (*GenericAPIView.permission_classes, IsPatient)

    @extend_schema(responses=ProcedureOut(many=True))
    def get(self, request: Request) -> Response:
        procedures = Procedure.objects.filter(patient=own_patient(request)).select_related("protocol", "performed_by")
        return Response(ProcedureOut(procedures, many=True).data)


class MyAssessmentListApi(GenericAPIView[Assessment]):
    """Outcome measures: the baseline before the procedure, then at each milestone. Scored on the server."""

    queryset = Assessment.objects.none()  # for the schema; every read goes through scoping
    pagination_class = None  # a short list, returned whole

    permission_classes = (*GenericAPIView.permission_classes, IsPatient)

    @extend_schema(responses=AssessmentOut(many=True))
    def get(self, request: Request) -> Response:
        assessments = Assessment.objects.filter(patient=own_patient(request)).select_related("procedure")
        return Response(AssessmentOut(assessments, many=True).data)

    @extend_schema(request=AssessmentIn, responses={201: AssessmentOut, 409: OpenApiResponse(description="Done.")})
    def post(self, request: Request) -> Response:
        data = AssessmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assessment = services.assessment_record(
                patient=own_patient(request), by=signed_in(request), **data.validated_data
            )
        except services.AssessmentExists as exists:
            raise Conflict(
                {
                    "detail": "This measure was already recorded for this timepoint.",
                    "existing_id": str(exists.existing_id),
                }
            ) from None
        return Response(AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)


# --- The care team's view of a patient --------------------------------------------------------------------------------


class PatientRecoveryApi(GenericAPIView[CheckIn]):
    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=RecoverySummaryOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _summary_response(patient_accessed(request, patient_id, resource="recovery.summary"))


class PatientCheckInListApi(GenericAPIView[CheckIn]):
    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(
        parameters=[OpenApiParameter("date_from", OpenApiTypes.DATE), OpenApiParameter("date_to", OpenApiTypes.DATE)],
        responses=CheckInOut(many=True),
    )
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _checkin_list(self, request, patient_accessed(request, patient_id, resource="recovery.checkins"))


class PatientCheckInDetailApi(GenericAPIView[CheckIn]):
    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=CheckInDetailOut)
    def get(self, request: Request, patient_id: uuid.UUID, checkin_id: uuid.UUID) -> Response:
        patient = patient_accessed(request, patient_id, resource="recovery.checkin")
        try:
            checkin = (
                CheckIn.objects.select_related("procedure", "patient__user__clinic")
                .prefetch_related("revisions__changed_by")
                .get(pk=checkin_id, patient=patient)
            )
        except CheckIn.DoesNotExist as exc:
            raise Http404("No check-in with this id.") from exc
        return _checkin_response(checkin, detail=True)


class PatientMilestoneListApi(GenericAPIView[PatientMilestone]):
    queryset = PatientMilestone.objects.none()  # for the schema; every read goes through scoping
    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=MilestoneOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _milestone_list(patient_accessed(request, patient_id, resource="recovery.milestones"))


class PatientAssessmentListApi(GenericAPIView[Assessment]):
    queryset = Assessment.objects.none()  # for the schema; every read goes through scoping
    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=AssessmentOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = patient_accessed(request, patient_id, resource="recovery.assessments")
        assessments = Assessment.objects.filter(patient=patient).select_related("procedure")
        return Response(AssessmentOut(assessments, many=True).data)


class PatientProcedureListApi(GenericAPIView[Procedure]):
    """A patient's procedure episodes. Clinic staff schedule a new one here (it starts on the clinic's current
    protocol version)."""

    queryset = Procedure.objects.none()  # for the schema; every read goes through scoping
    pagination_class = None  # a short list, returned whole

    @extend_schema(responses=ProcedureOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = patient_accessed(request, patient_id, resource="recovery.procedures")
        procedures = Procedure.objects.filter(patient=patient).select_related("protocol", "performed_by")
        return Response(ProcedureOut(procedures, many=True).data)

    @extend_schema(request=ProcedureIn, responses={201: ProcedureOut})
    def post(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = patient_accessed(request, patient_id, resource="recovery.procedures")
        if not IsClinicStaff().has_permission(request, self):
            self.permission_denied(request, message=IsClinicStaff.message)
        data = ProcedureIn(data=request.data)
        data.is_valid(raise_exception=True)
        procedure = services.procedure_schedule(patient=patient, by=signed_in(request), **data.validated_data)
        return Response(ProcedureOut(procedure).data, status=status.HTTP_201_CREATED)


def _procedure(request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Procedure:
    patient = patient_accessed(request, patient_id, resource="recovery.procedure")
    try:
        return Procedure.objects.select_related("protocol", "performed_by", "patient__user").get(
            pk=procedure_id, patient=patient
        )
    except Procedure.DoesNotExist as exc:
        raise Http404("No procedure with this id.") from exc


class PatientProcedureDetailApi(GenericAPIView[Procedure]):
    queryset = Procedure.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=ProcedureOut)
    def get(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        return Response(ProcedureOut(_procedure(request, patient_id, procedure_id)).data)

    @extend_schema(request=ProcedureIn, responses=ProcedureOut)
    def patch(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        procedure = _procedure(request, patient_id, procedure_id)
        if not IsClinicStaff().has_permission(request, self):
            self.permission_denied(request, message=IsClinicStaff.message)
        data = ProcedureIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        procedure = services.procedure_update(procedure=procedure, **data.validated_data)
        return Response(ProcedureOut(procedure).data)


class PatientProcedureCompleteApi(GenericAPIView[Procedure]):
    """Mark the procedure done: its milestones are laid out from the procedure date in the patient's time zone."""

    queryset = Procedure.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(request=None, responses=ProcedureOut)
    def post(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        procedure = _procedure(request, patient_id, procedure_id)  # 404 first for whoever may not see the patient
        if not IsClinicStaff().has_permission(request, self):
            self.permission_denied(request, message=IsClinicStaff.message)
        procedure = services.procedure_complete(procedure=procedure, by=signed_in(request))
        return Response(
            ProcedureOut(Procedure.objects.select_related("protocol", "performed_by").get(pk=procedure.pk)).data
        )


class PatientProcedureCancelApi(GenericAPIView[Procedure]):
    queryset = Procedure.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(request=None, responses=ProcedureOut)
    def post(self, request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID) -> Response:
        procedure = _procedure(request, patient_id, procedure_id)  # 404 first for whoever may not see the patient
        if not IsClinicStaff().has_permission(request, self):
            self.permission_denied(request, message=IsClinicStaff.message)
        procedure = services.procedure_cancel(procedure=procedure)
        return Response(ProcedureOut(procedure).data)


# --- Alerts -----------------------------------------------------------------------------------------------------------


class AlertListApi(GenericAPIView[Alert]):
    """Alerts on the signed-in clinician's patients (a clinic admin: the clinic's), most serious and newest first."""

    queryset = Alert.objects.none()  # for the schema; every read goes through scoping

    permission_classes = (*GenericAPIView.permission_classes, IsClinicStaff)

    @extend_schema(
        parameters=[
            OpenApiParameter("tier", str, many=True, enum=["emergency", "urgent", "watch"]),
            OpenApiParameter("state", str, many=True, enum=["open", "acknowledged", "resolved"]),
            OpenApiParameter("patient", uuid.UUID),
            OpenApiParameter("assigned_to", str, description="'me', 'nobody', or a clinician's id."),
        ],
        responses=AlertOut(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = AlertFilterIn(data=request.query_params)
        filters.is_valid(raise_exception=True)
        alerts = selectors.alerts_visible_to(signed_in(request))
        if filters.validated_data.get("tier"):
            alerts = alerts.filter(tier__in=filters.validated_data["tier"])
        if filters.validated_data.get("state"):
            alerts = alerts.filter(state__in=filters.validated_data["state"])
        if "patient" in filters.validated_data:
            alerts = alerts.filter(patient_id=filters.validated_data["patient"])
        if "assigned_to" in filters.validated_data:
            assigned = filters.validated_data["assigned_to"]
            me = signed_in(request).pk
            alerts = alerts.filter(assigned_to=None if assigned == "nobody" else me if assigned == "me" else assigned)
        page = self.paginate_queryset(selectors.alerts_in_triage_order(alerts))
        assert page is not None  # noqa: S101
        phi_access_record(
            actor=signed_in(request),
            patient_ids=[a.patient_id for a in page],
            resource="recovery.alerts",
            request=request,
        )
        return self.get_paginated_response(AlertOut(page, many=True).data)


def _alert(request: Request, alert_id: uuid.UUID) -> Alert:
    """The alert, for the care team and clinic admins (logged). Looked up before the role gate, so whoever may not
    see it gets 404 whatever their role; the patient it is about gets 403: alerts are the clinicians' triage tool."""
    try:
        alert = selectors.alerts_visible_to(signed_in(request)).get(pk=alert_id)
    except Alert.DoesNotExist as exc:
        raise Http404("No alert with this id.") from exc
    if not IsClinicStaff().has_permission(request, None):
        raise PermissionDenied(IsClinicStaff.message)
    phi_access_record(
        actor=signed_in(request), patient_ids=[alert.patient_id], resource="recovery.alert", request=request
    )
    return alert


class AlertDetailApi(GenericAPIView[Alert]):
    queryset = Alert.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=AlertDetailOut)
    def get(self, request: Request, alert_id: uuid.UUID) -> Response:
        return Response(AlertDetailOut(_alert(request, alert_id)).data)


class AlertAcknowledgeApi(GenericAPIView[Alert]):
    queryset = Alert.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(request=AlertNoteIn, responses=AlertDetailOut)
    def post(self, request: Request, alert_id: uuid.UUID) -> Response:
        alert = _alert(request, alert_id)
        data = AlertNoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        alert = services.alert_acknowledge(alert=alert, by=signed_in(request), note=data.validated_data["note"])
        return Response(AlertDetailOut(selectors.alerts_visible_to(signed_in(request)).get(pk=alert.pk)).data)


class AlertResolveApi(GenericAPIView[Alert]):
    queryset = Alert.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(request=AlertResolveIn, responses=AlertDetailOut)
    def post(self, request: Request, alert_id: uuid.UUID) -> Response:
        alert = _alert(request, alert_id)
        data = AlertResolveIn(data=request.data)
        data.is_valid(raise_exception=True)
        alert = services.alert_resolve(alert=alert, by=signed_in(request), note=data.validated_data["note"])
        return Response(AlertDetailOut(selectors.alerts_visible_to(signed_in(request)).get(pk=alert.pk)).data)


# --- Protocols --------------------------------------------------------------------------------------------------------


def _protocols_visible(request: Request) -> QuerySet[Protocol]:
    user = signed_in(request)
    default = Protocol.objects.filter(clinic__isnull=True)
    return default if user.clinic_id is None else default | Protocol.objects.filter(clinic_id=user.clinic_id)


def _protocol(request: Request, protocol_id: uuid.UUID) -> Protocol:
    try:
        return _protocols_visible(request).prefetch_related("phases", "milestones").get(pk=protocol_id)
    except Protocol.DoesNotExist as exc:
        raise Http404("No protocol with this id.") from exc


def _protocol_gated(request: Request, protocol_id: uuid.UUID, gate: IsClinicStaff | IsClinicAdmin) -> Protocol:
    """The protocol, looked up before the role gate: another clinic's protocol is 404 whatever the role (paths with an
    id never say 403 to outsiders); then 403 for a role `gate` refuses."""
    protocol = _protocol(request, protocol_id)
    if not gate.has_permission(request, None):
        raise PermissionDenied(gate.message)
    return protocol


class ProtocolListApi(GenericAPIView[Protocol]):
    """Every version of the shipped default and of the clinic's own protocol, newest first."""

    queryset = Protocol.objects.none()  # for the schema; every read goes through scoping
    pagination_class = None  # a short list, returned whole

    permission_classes = (*GenericAPIView.permission_classes, IsClinicStaff)

    @extend_schema(responses=ProtocolOut(many=True))
    def get(self, request: Request) -> Response:
        protocols = _protocols_visible(request).prefetch_related("phases", "milestones").order_by("clinic", "-version")
        return Response(ProtocolOut(protocols, many=True).data)


class ProtocolDetailApi(GenericAPIView[Protocol]):
    queryset = Protocol.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=ProtocolOut)
    def get(self, request: Request, protocol_id: uuid.UUID) -> Response:
        return Response(ProtocolOut(_protocol_gated(request, protocol_id, IsClinicStaff())).data)


class ProtocolCopyApi(GenericAPIView[Protocol]):
    """Make the clinic's own editable copy of a protocol (once)."""

    queryset = Protocol.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(request=None, responses={201: ProtocolOut})
    def post(self, request: Request, protocol_id: uuid.UUID) -> Response:
        source = _protocol_gated(request, protocol_id, IsClinicAdmin())
        user = signed_in(request)
        assert user.clinic is not None  # noqa: S101 (clinic admins always have a clinic)
        copy = services.protocol_copy_for_clinic(clinic=user.clinic, by=user, source=source)
        return Response(ProtocolOut(_protocol(request, copy.pk)).data, status=status.HTTP_201_CREATED)


class ProtocolReviseApi(GenericAPIView[Protocol]):
    """Save an edited protocol as its next version (send the whole definition). Procedures already started keep
    their version; new ones start on this one."""

    queryset = Protocol.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(request=ProtocolRevisionIn, responses={201: ProtocolOut})
    def post(self, request: Request, protocol_id: uuid.UUID) -> Response:
        protocol = _protocol_gated(request, protocol_id, IsClinicAdmin())
        data = ProtocolRevisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        revised = services.protocol_revise(protocol=protocol, by=signed_in(request), **data.validated_data)
        return Response(ProtocolOut(_protocol(request, revised.pk)).data, status=status.HTTP_201_CREATED)
