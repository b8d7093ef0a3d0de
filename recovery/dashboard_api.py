"""Clinician dashboards over HTTP: the roster, a patient's series, outcomes, timeline and CSV export, alert assignment
and the cohort curve. Views are thin: validate the input, reach the patient through accounts.access (404 when not
yours, PHI-logged), call a selector or service, serialize."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import ValidationError

from accounts.access import patient_accessed
from accounts.authentication import signed_in
from accounts.models import PatientProfile
from accounts.permissions import IsClinicStaff
from accounts.phi import phi_access_record
from accounts.scoping import get_visible_patient
from recovery import dashboard_selectors as dashboards
from recovery import selectors, services
from recovery.dashboard_serializers import (
    MAX_RANGE_YEARS,
    AlertAssignIn,
    CohortIn,
    CohortOut,
    OutcomesOut,
    RosterEntryOut,
    RosterFilterIn,
    SeriesIn,
    SeriesOut,
    TimelineOut,
    date_range_errors,
)
from recovery.models import Alert, CheckIn, Tier
from recovery.serializers import AlertDetailOut

# --- Roster -----------------------------------------------------------------------------------------------------------


class ClinicianRosterApi(GenericAPIView[PatientProfile]):
    """The signed-in clinician's patients (a clinic admin: the clinic's), one row each: who needs attention first.

    Default order: most open (unresolved) emergency alerts, then urgent, then watch, then longest without a check-in.
    "Today" and "day N" are each patient's own, in their time zone. Every patient on the page is PHI-logged."""

    queryset = PatientProfile.objects.none()  # for the schema; every read goes through scoping
    permission_classes = (*GenericAPIView.permission_classes, IsClinicStaff)

    @extend_schema(
        parameters=[
            OpenApiParameter("phase", str, many=True, description="Current phase key(s), e.g. weeks_3_8."),
            OpenApiParameter(
                "alert_tier", str, many=True, enum=[t.value for t in Tier], description="Has open alerts."
            ),
            OpenApiParameter("overdue_milestone", bool, description="Has (or has not) an overdue milestone."),
            OpenApiParameter("no_checkin_days", int, description="No check-in for at least this many days."),
            OpenApiParameter("procedure_from", OpenApiTypes.DATE, description="Current procedure on or after."),
            OpenApiParameter("procedure_to", OpenApiTypes.DATE, description="Current procedure on or before."),
            OpenApiParameter("search", str, description="Words of the patient's name."),
        ],
        responses=RosterEntryOut(many=True),
    )
    def get(self, request: Request) -> Response:
        user = signed_in(request)
        filters = RosterFilterIn(
            data=request.query_params, context={"phase_keys": lambda: dashboards.phase_keys_for(user)}
        )
        filters.is_valid(raise_exception=True)
        given = filters.validated_data
        now = timezone.now()
        patients = dashboards.roster(
            user,
            now=now,
            filters=dashboards.RosterFilters(
                phases=tuple(given.get("phase", ())),
                alert_tiers=tuple(sorted(given.get("alert_tier", ()))),
                overdue_milestone=given.get("overdue_milestone"),
                no_checkin_days=given.get("no_checkin_days"),
                procedure_from=given.get("procedure_from"),
                procedure_to=given.get("procedure_to"),
                search=given.get("search", ""),
            ),
        )
        with dashboards.tuned_reads():
            page = self.paginate_queryset(patients)
        assert page is not None  # noqa: S101 (pagination is always on)
        phi_access_record(actor=user, patient_ids=[p.pk for p in page], resource="dashboard.roster", request=request)
        exercise = dashboards.exercise_this_week(page, now)
        rows = [dashboards.roster_entry(patient, exercise.get(patient.pk)) for patient in page]
        return self.get_paginated_response(RosterEntryOut(rows, many=True).data)


# --- Patient detail ---------------------------------------------------------------------------------------------------


def _staff_patient(view: GenericAPIView[Any], request: Request, patient_id: uuid.UUID, resource: str) -> PatientProfile:
    """The patient, for their care team and clinic admins. Whoever may not see them gets 404 (and nothing is
    logged); the patient themself gets 403: these are the clinicians' views (triage notes included)."""
    patient = patient_accessed(request, patient_id, resource=resource)
    if not IsClinicStaff().has_permission(request, view):
        view.permission_denied(request, message=IsClinicStaff.message)
    return patient


class PatientSeriesApi(GenericAPIView[CheckIn]):
    """Back pain, leg pain, walking and standing minutes and steps over a date range (days in the patient's zone).

    `bucket=day`: one point per day, with nulls on days without a check-in (gaps are explicit). `bucket=week`: weeks
    of 7 days from `from`, with mean, min, max and n per measure. Defaults: `to` = the patient's today, `from` = the
    current procedure's day (else 90 days back); `bucket` = day up to 120 days, week beyond. At most 3 years."""

    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (inclusive)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (inclusive)."),
            OpenApiParameter("bucket", str, enum=["day", "week"]),
        ],
        responses=SeriesOut,
    )
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        params = SeriesIn(data=request.query_params)
        params.is_valid(raise_exception=True)
        # Looked up without logging first: the defaults depend on the patient's today, and a range refused for
        # them reads nothing. The read is logged below, once the request is valid.
        user = signed_in(request)
        patient = get_visible_patient(user, patient_id)
        if not IsClinicStaff().has_permission(request, self):
            self.permission_denied(request, message=IsClinicStaff.message)
        default_from, today, procedure_date = dashboards.series_default_range(patient, timezone.now())
        end: dt.date = params.validated_data.get("to", today)
        start: dt.date | None = params.validated_data.get("from")
        if start is None:
            start = default_from if default_from <= end else end - dt.timedelta(days=dashboards.DEFAULT_RANGE_DAYS - 1)
            start = max(start, end - dt.timedelta(days=365 * MAX_RANGE_YEARS - 1))
        errors = date_range_errors(start, end, "from", "to")
        if errors:
            raise ValidationError(errors)
        length = (end - start).days + 1
        bucket = params.validated_data.get("bucket") or (
            "day" if length <= dashboards.DAILY_BUCKET_MAX_DAYS else "week"
        )
        phi_access_record(actor=user, patient_ids=[patient.pk], resource="dashboard.series", request=request)
        body: dict[str, Any] = {
            "patient": patient.pk,
            "time_zone": patient.time_zone,
            "from": start,
            "to": end,
            "bucket": bucket,
            "procedure_date": procedure_date,
            "days": dashboards.series_daily(patient, start, end, procedure_date) if bucket == "day" else None,
            "weeks": dashboards.series_weekly(patient, start, end, procedure_date) if bucket == "week" else None,
        }
        return Response(SeriesOut(body).data)


class PatientOutcomesApi(GenericAPIView[CheckIn]):
    """The current procedure's outcome measures over time, each with its change from the baseline and responder
    status, and the pivotal trial's average trajectory as a reference (`reference.method` says how it is drawn)."""

    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=OutcomesOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = _staff_patient(self, request, patient_id, "dashboard.outcomes")
        procedure = dashboards.outcomes_procedure(patient, timezone.now())
        return Response(OutcomesOut(dashboards.outcomes(patient, procedure)).data)


class PatientTimelineApi(GenericAPIView[CheckIn]):
    """Milestones (every episode), alert history with every event, check-in edits, exercise adherence by week."""

    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(responses=TimelineOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = _staff_patient(self, request, patient_id, "dashboard.timeline")
        timeline = dashboards.timeline(patient, timezone.now())
        context = {"today": timeline.today, "done_by_milestone": timeline.done_by_milestone}
        return Response(TimelineOut(timeline, context=context).data)


class PatientExportCsvApi(GenericAPIView[CheckIn]):
    """The patient's check-ins and assessments as one CSV table (see recovery.dashboard_selectors.export_csv)."""

    queryset = CheckIn.objects.none()  # for the schema; every read goes through scoping

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The file is written here, not by a renderer; errors are JSON like everywhere else, even for Accept: text/csv.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="A CSV file.")})
    def get(self, request: Request, patient_id: uuid.UUID) -> HttpResponse:
        patient = _staff_patient(self, request, patient_id, "dashboard.export_csv")
        response = HttpResponse(dashboards.export_csv(patient), content_type="text/csv; charset=utf-8")
        # The file name carries the id only: names are PHI and file names end up in download folders and logs.
        response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-recovery.csv"'
        response["Cache-Control"] = "no-store"
        return response


# --- Alerts -----------------------------------------------------------------------------------------------------------


class AlertAssignApi(GenericAPIView[Alert]):
    """Assign an unresolved alert to a clinician on the patient's care team (`assignee: null` gives it back to the
    team). Recorded as an "assigned" or "unassigned" event. A colleague not on the care team is refused (400)."""

    queryset = Alert.objects.none()  # for the schema; every read goes through scoping

    @extend_schema(request=AlertAssignIn, responses=AlertDetailOut)
    def post(self, request: Request, alert_id: uuid.UUID) -> Response:
        user = signed_in(request)
        try:
            alert = selectors.alerts_visible_to(user).get(pk=alert_id)
        except Alert.DoesNotExist as exc:
            raise Http404("No alert with this id.") from exc
        if not IsClinicStaff().has_permission(request, self):
            self.permission_denied(request, message=IsClinicStaff.message)
        data = AlertAssignIn(data=request.data)
        data.is_valid(raise_exception=True)
        phi_access_record(actor=user, patient_ids=[alert.patient_id], resource="recovery.alert", request=request)
        services.alert_assign(
            alert=alert, by=user, assignee_id=data.validated_data["assignee"], note=data.validated_data["note"]
        )
        alert = selectors.alerts_visible_to(user).prefetch_related("events__actor", "events__assignee").get(pk=alert.pk)
        return Response(AlertDetailOut(alert).data)


# --- Cohort -----------------------------------------------------------------------------------------------------------


class ClinicianCohortApi(GenericAPIView[PatientProfile]):
    """The recovery curve of the clinician's patients (a clinic admin: the whole clinic): per week since the
    procedure, n, median and interquartile range of back pain, leg pain and walking minutes (each patient's weekly
    mean counts once); the share of ODI and pain responders at 6-8 weeks, 6 months and 1 year.

    In the clinic-wide view cells of fewer than 5 patients are suppressed (null, `suppressed: true`) and, being
    de-identified aggregates, are not PHI-logged; a clinician's own view is logged for each of their patients."""

    queryset = PatientProfile.objects.none()  # for the schema; every read goes through scoping
    permission_classes = (*GenericAPIView.permission_classes, IsClinicStaff)
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("weeks", int, description="Weeks since the procedure (1-105).")])
    @extend_schema(responses=CohortOut)
    def get(self, request: Request) -> Response:
        user = signed_in(request)
        params = CohortIn(data=request.query_params)
        params.is_valid(raise_exception=True)
        weeks = params.validated_data["weeks"]
        with dashboards.tuned_reads(work_mem_mb=dashboards.COHORT_WORK_MEM_MB):
            body = dashboards.cohort(user, weeks=weeks)
        if not dashboards.cohort_is_clinic_wide(user):
            phi_access_record(
                actor=user,
                patient_ids=dashboards.cohort_patient_ids(user),
                resource="dashboard.cohort",
                request=request,
            )
        return Response(CohortOut(body).data)
