"""Physical therapy API: the exercise library, the patient's sessions and plan (/me/exercises/...), the care team's
view and prescriptions (/patients/{id}/exercise-...), adherence, and the private calendar feed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from drf_spectacular.utils import OpenApiResponse, extend_schema
from icalendar import Calendar, Event
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import (
    IsClinician,
    PatientApi,
    PatientOrCaregiverApi,
    PatientOrCaregiverRecordApi,
    access_acting,
    access_own_patient,
    access_patient,
    patient_read_log,
    role_require,
)
from accounts.authentication import signed_in
from accounts.languages import in_language_of
from accounts.models import Grant, PatientProfile
from accounts.permissions import IsClinicStaff
from exercises import selectors as selectors
from exercises import services as services
from exercises.models import CalendarFeed, Exercise, ExercisePlan, ExerciseRecord, Prescription
from exercises.serializers import (
    AdherenceOut,
    CalendarFeedCreatedOut,
    CalendarFeedOut,
    ExerciseChangeIn,
    ExerciseIn,
    ExerciseLibraryOut,
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
from recovery.selectors import current_procedure, exercise_pause


class Paused(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "exercises_paused"


PRESCRIBER_MESSAGE = "Only a clinician on the patient's care team changes the exercise plan."


def _patient_to_prescribe_for(request: Request, patient_id: uuid.UUID) -> PatientProfile:
    """The patient, if the signed-in user may see them (404 otherwise, as for anyone who does not exist), and only
    for a clinician (403): prescribing is a clinician's decision, and scoping has put them on the care team.

    The PHI read is logged when the answer carries the patient's data (`_read_logged`), so a refused or invalid
    write logs nothing.
    """
    return access_patient(request, patient_id, resource=None, role=IsClinician, role_message=PRESCRIBER_MESSAGE)


def _read_logged(request: Request, patient: PatientProfile) -> None:
    patient_read_log(request, [patient.pk], resource="recovery.exercise_plan")


# --- Library ----------------------------------------------------------------------------------------------------------


class ExerciseListApi(GenericAPIView[Exercise]):
    """The exercise library: the shipped exercises and your clinic's own. Clinicians and clinic admins add their
    clinic's exercises."""

    pagination_class = None

    @extend_schema(responses=ExerciseLibraryOut(many=True))
    def get(self, request: Request) -> Response:
        exercises = selectors.exercise_library(signed_in(request))
        return Response(ExerciseLibraryOut(exercises, many=True).data)

    @extend_schema(request=ExerciseIn, responses={201: ExerciseLibraryOut})
    def post(self, request: Request) -> Response:
        role_require(request, IsClinicStaff, "Clinic staff add exercises to their clinic's library.")
        user = signed_in(request)
        if user.clinic is None:
            raise PermissionDenied("Only staff of a clinic add exercises to its library.")
        data = ExerciseIn(data=request.data)
        data.is_valid(raise_exception=True)
        exercise = services.exercise_create(clinic=user.clinic, by=user, **data.validated_data)
        return Response(ExerciseLibraryOut(exercise).data, status=status.HTTP_201_CREATED)


class ExerciseDetailApi(GenericAPIView[Exercise]):
    """PATCH (clinic staff): the translations of one of your clinic's own exercises (`{"translations": {"es":
    {...}}}`), replacing those of each language sent. The shipped library is translated with the product: its
    exercises, like other clinics', are 404 here."""

    @extend_schema(request=ExerciseChangeIn, responses=ExerciseLibraryOut)
    def patch(self, request: Request, exercise_id: uuid.UUID) -> Response:
        role_require(request, IsClinicStaff, "Clinic staff translate their clinic's exercises.")
        user = signed_in(request)
        data = ExerciseChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        if user.clinic is None:
            raise Http404("No exercise of your clinic with this id.")
        try:
            exercise = services.exercise_translations_set(
                clinic=user.clinic, exercise_id=exercise_id, translations=data.validated_data["translations"]
            )
        except services.NotOwnExercise as exc:
            raise Http404("No exercise of your clinic with this id.") from exc
        return Response(ExerciseLibraryOut(exercise).data)


# --- The patient's own sessions and plan ------------------------------------------------------------------------------


def _sessions_out(sessions: list[selectors.Session]) -> list[dict[str, Any]]:
    exercises = selectors.exercises_by_id(s.occurrence.exercise_id for s in sessions)
    return list(SessionOut(sessions, many=True, context={"exercises": exercises}).data)  # type: ignore[arg-type]


class MyExercisesTodayApi(PatientOrCaregiverApi[ExerciseRecord]):
    """Today's exercise sessions in your time zone, in time order, with what you recorded for each.

    While an emergency or urgent alert of yours is open and no clinician has acknowledged it, your plan is paused:
    no sessions, and `paused` says why and since when (null otherwise)."""

    @extend_schema(responses=TodayOut)
    def get(self, request: Request) -> Response:
        patient = access_own_patient(request, caregiver=Grant.VIEW)
        today = patient.local_today()
        procedure = current_procedure(patient, on=today)
        pause = exercise_pause(patient)
        paused = pause is not None and today >= pause["since_date"]
        return Response(
            {
                "today": today,
                "time_zone": patient.time_zone,
                "day": procedure.day_number(today) if procedure else None,
                "sessions": [] if paused else _sessions_out(selectors.exercise_sessions_on(patient, today)),
                "paused": {k: pause[k] for k in ("reason", "since", "alert_id")} if pause and paused else None,
            }
        )


class MyExerciseOccurrenceApi(PatientOrCaregiverRecordApi[ExerciseRecord]):
    """Record one session: done, partly done or skipped, with pain during it (0-10) and how hard it felt.

    Addressed by the session's key (`<prescription id>:<YYYY-MM-DD>:<HH:MM>`, from /me/exercises/today), so the
    app can record offline and send it later: the same request again changes nothing, a different one corrects the
    record. 201 when first recorded, 200 after. Sessions of a day after today are refused (400); a key that is not
    one of your sessions is 404 (for staff too: they have no sessions). While your plan is paused (an open
    emergency or urgent alert not yet acknowledged), sessions from the day it was raised are refused with 409.
    A caregiver records with the patient's "log" grant; the record says so (`entered_by`).
    """

    @extend_schema(
        request=ExerciseRecordIn,
        responses={200: ExerciseRecordOut, 201: ExerciseRecordOut, 409: OpenApiResponse(description="Plan paused.")},
    )
    def put(self, request: Request, occurrence_key: str) -> Response:
        acting = access_acting(request, caregiver=Grant.LOG)
        data = ExerciseRecordIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = services.exercise_record_put(
                patient=acting.patient, occurrence=occurrence_key, entered_by=acting.link, **data.validated_data
            )
        except services.ExercisesPaused as exc:
            raise Paused(str(exc)) from exc
        record = selectors.exercise_record_with_version(result.record.pk)
        return Response(
            ExerciseRecordOut(record).data, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


def _plan_response(patient: PatientProfile) -> Response:
    today = patient.local_today()
    plan = selectors.exercise_plan_current(patient, today)
    return Response({"plan": PlanOut(plan, context={"today": today}).data if plan else None})


class MyExercisePlanApi(PatientOrCaregiverApi[ExercisePlan]):
    """Your exercise plan: every prescription with its status today and every version (what changed, and when)."""

    @extend_schema(responses=MyPlanOut)
    def get(self, request: Request) -> Response:
        return _plan_response(access_own_patient(request, caregiver=Grant.VIEW))


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


class MyExerciseAdherenceApi(PatientOrCaregiverApi[ExerciseRecord]):
    """How much of your plan you have done so far: completed / scheduled (partly done counts half), per exercise
    and per week."""

    @extend_schema(responses=AdherenceOut)
    def get(self, request: Request) -> Response:
        return _adherence_response(access_own_patient(request, caregiver=Grant.VIEW))


# --- The care team's view and prescriptions ---------------------------------------------------------------------------


class PatientExercisePlanApi(GenericAPIView[ExercisePlan]):
    """A patient's exercise plan with its full version history."""

    @extend_schema(responses=MyPlanOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _plan_response(access_patient(request, patient_id, resource="recovery.exercise_plan"))


class PatientExerciseAdherenceApi(GenericAPIView[ExerciseRecord]):
    @extend_schema(responses=AdherenceOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        return _adherence_response(access_patient(request, patient_id, resource="recovery.exercise_adherence"))


def _prescription_out(prescription_id: uuid.UUID, patient: PatientProfile) -> dict[str, Any]:
    prescription = selectors.prescription_with_history(prescription_id)
    day = prescription.plan.procedure.day_number(patient.local_today())
    return dict(PrescriptionOut(prescription, context={"day": day}).data)


class PatientPrescriptionListApi(GenericAPIView[Prescription]):
    """A clinician on the care team adds an exercise to the patient's current plan; it starts with the next
    session."""

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


class PatientPrescriptionDetailApi(GenericAPIView[Prescription]):
    """Change a prescription (a new version from the next session; the past stays as it was) or remove it (it stops
    from the next session)."""

    @extend_schema(request=PrescriptionChangeIn, responses=PrescriptionOut)
    def patch(self, request: Request, patient_id: uuid.UUID, prescription_id: uuid.UUID) -> Response:
        patient = _patient_to_prescribe_for(request, patient_id)
        prescription = selectors.prescription_of(patient, prescription_id)
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
        prescription = selectors.prescription_of(patient, prescription_id)
        services.prescription_remove(prescription=prescription, by=signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Calendar feed ----------------------------------------------------------------------------------------------------


class MyCalendarFeedApi(PatientApi[CalendarFeed]):
    """Your private calendar address, for a phone's calendar to subscribe to: the next 14 days of exercise sessions
    and your milestone windows, with exercise names and milestone titles only.

    POST makes a new address (the old one stops working) and shows it once; DELETE stops it.
    """

    @extend_schema(responses=CalendarFeedOut)
    def get(self, request: Request) -> Response:
        feed = selectors.calendar_feed_of(access_own_patient(request))
        return Response(CalendarFeedOut({"active": feed is not None, "created_at": feed and feed.created_at}).data)

    @extend_schema(request=None, responses={201: CalendarFeedCreatedOut})
    def post(self, request: Request) -> Response:
        feed, token = services.calendar_feed_rotate(patient=access_own_patient(request))
        return Response(
            CalendarFeedCreatedOut({"url": selectors.calendar_feed_url(token), "created_at": feed.created_at}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: OpenApiResponse(description="The address no longer works.")})
    def delete(self, request: Request) -> Response:
        services.calendar_feed_revoke(patient=access_own_patient(request))
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
    calendar.add("x-wr-calname", _("Recovery exercises"))
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
        with in_language_of(feed.patient.user):  # no sign-in here: the feed speaks its patient's language
            body = calendar_ics(selectors.calendar_content(feed.patient))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        response["X-Robots-Tag"] = "noindex"
        response["Content-Disposition"] = 'inline; filename="recovery-exercises.ics"'
        return response
