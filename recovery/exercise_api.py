"""Physical therapy API: the exercise library, the patient's sessions and plan (/me/exercises/...), the care team's
view and prescriptions (/patients/{id}/exercise-...), adherence, and the private calendar feed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views import View
from drf_spectacular.utils import OpenApiResponse, extend_schema
from icalendar import Calendar, Event
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import own_patient, patient_accessed
from accounts.authentication import signed_in
from accounts.models import PatientProfile, Role
from accounts.permissions import IsClinicStaff, IsPatient, PatientOr404
from accounts.phi import phi_access_record
from accounts.scoping import get_visible_patient
from recovery import exercise_selectors as selectors
from recovery import exercise_services as services
from recovery.exercise_serializers import (
    AdherenceOut,
    CalendarFeedCreatedOut,
    CalendarFeedOut,
    ExerciseIn,
    ExerciseOut,
    ExerciseRecordIn,
    ExerciseRecordOut,
    MyPlanOut,
    PlanOut,
    PrescriptionChangeIn,
    PrescriptionIn,
    PrescriptionOut,
    SessionOut,
    TodayOut,
)
from recovery.models import (
    CalendarFeed,
    Exercise,
    ExercisePlan,
    ExerciseRecord,
    Prescription,
)
from recovery.selectors import current_procedure

PRESCRIBER_MESSAGE = "Only a clinician on the patient's care team changes the exercise plan."


def _patient_to_prescribe_for(request: Request, patient_id: uuid.UUID) -> PatientProfile:
    """The patient, if the signed-in user may see them (404 otherwise, as for anyone who does not exist), and only
    for a clinician (403): prescribing is a clinician's decision, and scoping has put them on the care team.

    The PHI read is logged when the answer carries the patient's data (`_read_logged`), so a refused or invalid
    write logs nothing.
    """
    patient = get_visible_patient(signed_in(request), patient_id)
    if signed_in(request).role != Role.CLINICIAN:
        raise PermissionDenied(PRESCRIBER_MESSAGE)
    return patient


def _read_logged(request: Request, patient: PatientProfile) -> None:
    phi_access_record(
        actor=signed_in(request), patient_ids=[patient.pk], resource="recovery.exercise_plan", request=request
    )


# --- Library ----------------------------------------------------------------------------------------------------------


class ExerciseListApi(GenericAPIView[Exercise]):
    """The exercise library: the shipped exercises and your clinic's own. Clinicians and clinic admins add their
    clinic's exercises."""

    queryset = Exercise.objects.none()  # for the schema; every read goes through exercises_visible_to
    pagination_class = None

    @extend_schema(responses=ExerciseOut(many=True))
    def get(self, request: Request) -> Response:
        exercises = selectors.exercises_visible_to(signed_in(request)).order_by("kind", "earliest_day", "name")
        return Response(ExerciseOut(exercises, many=True).data)

    @extend_schema(request=ExerciseIn, responses={201: ExerciseOut})
    def post(self, request: Request) -> Response:
        if not IsClinicStaff().has_permission(request, self):
            self.permission_denied(request, message="Clinic staff add exercises to their clinic's library.")
        user = signed_in(request)
        if user.clinic is None:
            raise PermissionDenied("Only staff of a clinic add exercises to its library.")
        data = ExerciseIn(data=request.data)
        data.is_valid(raise_exception=True)
        exercise = services.exercise_create(clinic=user.clinic, by=user, **data.validated_data)
        return Response(ExerciseOut(exercise).data, status=status.HTTP_201_CREATED)


# --- The patient's own sessions and plan ------------------------------------------------------------------------------


def _sessions_out(sessions: list[selectors.Session]) -> list[dict[str, Any]]:
    exercises = Exercise.objects.in_bulk({s.occurrence.exercise_id for s in sessions})
    return list(SessionOut(sessions, many=True, context={"exercises": exercises}).data)  # type: ignore[arg-type]


class MyExercisesTodayApi(GenericAPIView[ExerciseRecord]):
    """Today's exercise sessions in your time zone, in time order, with what you recorded for each."""

    queryset = ExerciseRecord.objects.none()  # for the schema; every read goes through scoping
    permission_classes = (*GenericAPIView.permission_classes, IsPatient)

    @extend_schema(responses=TodayOut)
    def get(self, request: Request) -> Response:
        patient = own_patient(request)
        today = patient.local_today()
        procedure = current_procedure(patient, on=today)
        return Response(
            {
                "today": today,
                "time_zone": patient.time_zone,
                "day": procedure.day_number(today) if procedure else None,
                "sessions": _sessions_out(selectors.exercise_sessions_on(patient, today)),
            }
        )


class MyExerciseOccurrenceApi(GenericAPIView[ExerciseRecord]):
    """Record one session: done, partly done or skipped, with pain during it (0-10) and how hard it felt.

    Addressed by the session's key (`<prescription id>:<YYYY-MM-DD>:<HH:MM>`, from /me/exercises/today), so the
    app can record offline and send it later: the same request again changes nothing, a different one corrects the
    record. 201 when first recorded, 200 after. Sessions of a day after today are refused (400); a key that is not
    one of your sessions is 404 (for staff too: they have no sessions).
    """

    queryset = ExerciseRecord.objects.none()  # for the schema; every read goes through scoping
    permission_classes = (*GenericAPIView.permission_classes, PatientOr404)

    @extend_schema(request=ExerciseRecordIn, responses={200: ExerciseRecordOut, 201: ExerciseRecordOut})
    def put(self, request: Request, occurrence_key: str) -> Response:
        patient = own_patient(request)
        data = ExerciseRecordIn(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.exercise_record_put(patient=patient, occurrence=occurrence_key, **data.validated_data)
        record = ExerciseRecord.objects.select_related("version").get(pk=result.record.pk)
        return Response(
            ExerciseRecordOut(record).data, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


def _plan_response(patient: PatientProfile) -> Response:
    today = patient.local_today()
    plan = selectors.exercise_plan_current(patient, today)
    return Response({"plan": PlanOut(plan, context={"today": today}).data if plan else None})


class MyExercisePlanApi(GenericAPIView[ExercisePlan]):
    """Your exercise plan: every prescription with its status today and every version (what changed, and when)."""

    queryset = ExercisePlan.objects.none()  # for the schema; every read goes through scoping
    permission_classes = (*GenericAPIView.permission_classes, IsPatient)

    @extend_schema(responses=MyPlanOut)
    def get(self, request: Request) -> Response:
        return _plan_response(own_patient(request))


def _adherence_response(patient: PatientProfile) -> Response:
    now = timezone.now()
    plan = selectors.exercise_plan_current(patient, patient.local_today(now))
    if plan is not None:
        return Response(AdherenceOut(selectors.exercise_adherence(plan, now)).data)
    empty = selectors.Tally().as_dict()
    return Response(
        AdherenceOut(
            {
                "plan": None,
                "as_of": now,
                "today": patient.local_today(now),
                "time_zone": patient.time_zone,
                "overall": empty,
                "by_week": [],
                "by_prescription": [],
            }
        ).data
    )


class MyExerciseAdherenceApi(GenericAPIView[ExerciseRecord]):
    """How much of your plan you have done so far: completed / scheduled (partly done counts half), per exercise
    and per week."""

    queryset = ExerciseRecord.objects.none()  # for the schema; every read goes through scoping
    permission_classes = (*GenericAPIView.permission_classes, IsPatient)

    @extend_schema(responses=AdherenceOut)
    def get(self, request: Request) -> Response:
        return _adherence_response(own_patient(request))


# --- The care team's view and prescriptions ---------------------------------------------------------------------------


class PatientExercisePlanApi(GenericAPIView[ExercisePlan]):
    """A patient's exercise plan with its full version history."""

    queryset = ExercisePlan.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=MyPlanOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _plan_response(patient_accessed(request, patient_id, resource="recovery.exercise_plan"))


class PatientExerciseAdherenceApi(GenericAPIView[ExerciseRecord]):
    queryset = ExerciseRecord.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=AdherenceOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _adherence_response(patient_accessed(request, patient_id, resource="recovery.exercise_adherence"))


def _prescription_out(prescription_id: uuid.UUID, patient: PatientProfile) -> dict[str, Any]:
    prescription = (
        Prescription.objects.select_related("exercise", "plan__procedure")
        .prefetch_related("versions__created_by")
        .get(pk=prescription_id)
    )
    day = prescription.plan.procedure.day_number(patient.local_today())
    return dict(PrescriptionOut(prescription, context={"day": day}).data)


class PatientPrescriptionListApi(GenericAPIView[Prescription]):
    """A clinician on the care team adds an exercise to the patient's current plan; it starts with the next
    session."""

    queryset = Prescription.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(request=PrescriptionIn, responses={201: PrescriptionOut})
    def post(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = _patient_to_prescribe_for(request, patient_id)
        data = PrescriptionIn(data=request.data)
        data.is_valid(raise_exception=True)
        plan = selectors.exercise_plan_current(patient)
        if plan is None:
            raise ValidationError("This patient has no exercise plan yet: it starts when a procedure is done.")
        fields = dict(data.validated_data)
        prescription = services.prescription_add(
            plan=plan, by=signed_in(request), exercise_id=fields.pop("exercise"), **fields
        )
        body = _prescription_out(prescription.pk, patient)
        _read_logged(request, patient)
        return Response(body, status=status.HTTP_201_CREATED)


def _prescription(patient: PatientProfile, prescription_id: uuid.UUID) -> Prescription:
    try:
        return Prescription.objects.select_related("plan__patient", "exercise").get(
            pk=prescription_id, plan__patient=patient
        )
    except Prescription.DoesNotExist as exc:
        raise Http404("No prescription with this id.") from exc


class PatientPrescriptionDetailApi(GenericAPIView[Prescription]):
    """Change a prescription (a new version from the next session; the past stays as it was) or remove it (it stops
    from the next session)."""

    queryset = Prescription.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(request=PrescriptionChangeIn, responses=PrescriptionOut)
    def patch(self, request: Request, patient_id: uuid.UUID, prescription_id: uuid.UUID) -> Response:
        patient = _patient_to_prescribe_for(request, patient_id)
        prescription = _prescription(patient, prescription_id)
        data = PrescriptionChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        note = changes.pop("note", "")
        services.prescription_change(prescription=prescription, by=signed_in(request), changes=changes, note=note)
        body = _prescription_out(prescription.pk, patient)
        _read_logged(request, patient)
        return Response(body)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Removed from the next session on.")})
    def delete(self, request: Request, patient_id: uuid.UUID, prescription_id: uuid.UUID) -> Response:
        patient = _patient_to_prescribe_for(request, patient_id)
        prescription = _prescription(patient, prescription_id)
        services.prescription_remove(prescription=prescription, by=signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Calendar feed ----------------------------------------------------------------------------------------------------


class MyCalendarFeedApi(GenericAPIView[CalendarFeed]):
    """Your private calendar address, for a phone's calendar to subscribe to: the next 14 days of exercise sessions
    and your milestone windows, with exercise names and milestone titles only.

    POST makes a new address (the old one stops working) and shows it once; DELETE stops it.
    """

    queryset = CalendarFeed.objects.none()  # for the schema; every read goes through scoping
    permission_classes = (*GenericAPIView.permission_classes, IsPatient)

    @extend_schema(responses=CalendarFeedOut)
    def get(self, request: Request) -> Response:
        feed = CalendarFeed.objects.filter(patient=own_patient(request), revoked_at__isnull=True).first()
        return Response(CalendarFeedOut({"active": feed is not None, "created_at": feed and feed.created_at}).data)

    @extend_schema(request=None, responses={201: CalendarFeedCreatedOut})
    def post(self, request: Request) -> Response:
        feed, token = services.calendar_feed_rotate(patient=own_patient(request))
        return Response(
            CalendarFeedCreatedOut({"url": selectors.calendar_feed_url(token), "created_at": feed.created_at}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: OpenApiResponse(description="The address no longer works.")})
    def delete(self, request: Request) -> Response:
        services.calendar_feed_revoke(patient=own_patient(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


PRODID = "-//MILD Recovery//Exercise calendar//EN"
_SESSION_MINUTES_DEFAULT = 15


def calendar_ics(content: selectors.CalendarContent) -> bytes:
    """The feed as iCalendar: sessions at their local times (with TZID and a VTIMEZONE), milestone windows as
    all-day events. Only exercise names and milestone titles: no doses, pain, notes or names of people."""
    zone = content.patient.zone
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Recovery exercises")
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for occurrence in content.occurrences:
        event = Event()
        event.add("uid", f"{occurrence.key}@exercise.mild-recovery")
        event.add("dtstamp", content.generated_at.astimezone(dt.UTC))
        event.add("summary", occurrence.exercise_name)
        event.add("dtstart", occurrence.due_at.astimezone(zone))
        minutes = occurrence.dose.get("minutes", _SESSION_MINUTES_DEFAULT)
        event.add("duration", dt.timedelta(minutes=minutes))
        calendar.add_component(event)
    for milestone in content.milestones:
        event = Event()
        event.add("uid", f"{milestone.pk}@milestone.mild-recovery")
        event.add("dtstamp", content.generated_at.astimezone(dt.UTC))
        event.add("summary", milestone.title)
        event.add("dtstart", milestone.opens_on)
        event.add("dtend", milestone.closes_on + dt.timedelta(days=1))  # all-day DTEND is exclusive
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=content.first_day - dt.timedelta(days=366), last_date=content.first_day + dt.timedelta(days=366)
    )
    return calendar.to_ical()


class CalendarFeedIcsView(View):
    """GET /calendar/{token}.ics: public (the token is the credential), no sign-in. 404 for an unknown or revoked
    token, exactly as for one that never existed."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        feed = selectors.calendar_feed_live(token)
        if feed is None:
            raise Http404("No calendar with this address.")
        body = calendar_ics(selectors.calendar_content(feed.patient))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        response["X-Robots-Tag"] = "noindex"
        response["Content-Disposition"] = 'inline; filename="recovery-exercises.ics"'
        return response
