"""Clinician dashboards over HTTP: the roster, a patient's series, outcomes, timeline and CSV export, alert assignment
and the cohort curve. Views are thin: validate the input, reach the patient through accounts.access (404 when not
yours, PHI-logged), call a selector or service, serialize."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import ValidationError

from accounts.access import (
    StaffApi,
    access_patient,
    patient_read_log,
)
from accounts.authentication import signed_in
from accounts.models import PatientProfile
from accounts.pagination import TotalInRowPagination
from accounts.permissions import IsClinicStaff
from dashboards import alert_response, cohort, exercise, export, outcomes, roster, series, sql, timeline
from dashboards.serializers import (
    MAX_RANGE_YEARS,
    AlertResponseOut,
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
from journey import selectors as journey_selectors
from recovery.models import CheckIn

# --- Roster -----------------------------------------------------------------------------------------------------------


class ClinicianRosterApi(StaffApi[PatientProfile]):
    """The signed-in clinician's patients (a clinic admin: the clinic's), one row each: who needs attention first.

    Default order: most open (unresolved) emergency alerts, then urgent, then watch, then longest without a check-in.
    "Today" and "day N" are each patient's own, in their time zone. Every patient on the page is PHI-logged."""

    pagination_class = TotalInRowPagination  # each row of roster.roster() carries the total: no COUNT query

    @extend_schema(
        parameters=[RosterFilterIn],
        responses=RosterEntryOut(many=True),
    )
    def get(self, request: Request) -> Response:
        user = signed_in(request)
        filters = RosterFilterIn(data=request.query_params, context={"phase_keys": lambda: roster.phase_keys_for(user)})
        filters.is_valid(raise_exception=True)
        given = filters.validated_data
        now = timezone.now()
        patients = roster.roster(
            user,
            now=now,
            filters=roster.RosterFilters(
                phases=tuple(given.get("phase", ())),
                alert_tiers=tuple(sorted(given.get("alert_tier", ()))),
                overdue_milestone=given.get("overdue_milestone"),
                no_checkin_days=given.get("no_checkin_days"),
                procedure_from=given.get("procedure_from"),
                procedure_to=given.get("procedure_to"),
                search=given.get("search", ""),
            ),
        )
        with sql.tuned_reads():
            page = self.paginate_queryset(patients)
            assert page is not None  # noqa: S101 (pagination is always on)
            roster.add_procedure_columns(page, now)
        patient_read_log(request, [p.pk for p in page], resource="dashboard.roster")
        this_week = exercise.exercise_this_week(page, now)
        preparing = journey_selectors.preparation_flags(page, now)
        rows = [
            {**roster.roster_entry(patient, this_week.get(patient.pk)), "preparation": preparing.get(patient.pk)}
            for patient in page
        ]
        return self.get_paginated_response(RosterEntryOut(rows, many=True).data)


# --- Patient detail ---------------------------------------------------------------------------------------------------


class PatientSeriesApi(GenericAPIView[CheckIn]):
    """Back pain, leg pain, walking and standing minutes and steps over a date range (days in the patient's zone).

    `bucket=day`: one point per day, with nulls on days without a check-in (gaps are explicit). `bucket=week`: weeks
    of 7 days from `from`, with mean, min, max and n per measure. Defaults: `to` = the patient's today, `from` = the
    current procedure's day (else 90 days back); `bucket` = day up to 120 days, week beyond. At most 3 years."""

    @extend_schema(
        parameters=[SeriesIn],
        responses=SeriesOut,
    )
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        params = SeriesIn(data=request.query_params)
        params.is_valid(raise_exception=True)
        # Looked up without logging first: the defaults depend on the patient's today, and a range refused for
        # them reads nothing. The read is logged below, once the request is valid.
        patient = access_patient(request, patient_id, resource=None, role=IsClinicStaff)
        default_from, today, procedure_date = series.series_default_range(patient, timezone.now())
        end: dt.date = params.validated_data.get("to", today)
        start: dt.date | None = params.validated_data.get("from")
        if start is None:
            start = default_from if default_from <= end else end - dt.timedelta(days=series.DEFAULT_RANGE_DAYS - 1)
            start = max(start, end - dt.timedelta(days=365 * MAX_RANGE_YEARS - 1))
        errors = date_range_errors(start, end, "from", "to")
        if errors:
            raise ValidationError(errors)
        length = (end - start).days + 1
        bucket = params.validated_data.get("bucket") or ("day" if length <= series.DAILY_BUCKET_MAX_DAYS else "week")
        patient_read_log(request, [patient.pk], resource="dashboard.series")
        body: dict[str, Any] = {
            "patient": patient.pk,
            "time_zone": patient.time_zone,
            "from": start,
            "to": end,
            "bucket": bucket,
            "procedure_date": procedure_date,
            "days": series.series_daily(patient, start, end, procedure_date) if bucket == "day" else None,
            "weeks": series.series_weekly(patient, start, end, procedure_date) if bucket == "week" else None,
        }
        return Response(SeriesOut(body).data)


class PatientOutcomesApi(GenericAPIView[CheckIn]):
    """The current procedure's outcome measures over time, each with its change from the baseline and responder
    status, and the pivotal trial's average trajectory as a reference (`reference.method` says how it is drawn)."""

    @extend_schema(responses=OutcomesOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="dashboard.outcomes", role=IsClinicStaff)
        procedure = outcomes.outcomes_procedure(patient, timezone.now())
        return Response(OutcomesOut(outcomes.outcomes(patient, procedure)).data)


class PatientTimelineApi(GenericAPIView[CheckIn]):
    """Milestones (every episode), alert history with every event, check-in edits, exercise adherence by week."""

    @extend_schema(responses=TimelineOut)
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="dashboard.timeline", role=IsClinicStaff)
        found = timeline.timeline(patient, timezone.now())
        context = {"today": found.today, "done_by_milestone": found.done_by_milestone}
        return Response(TimelineOut(found, context=context).data)


class PatientExportCsvApi(GenericAPIView[CheckIn]):
    """The patient's check-ins and assessments as one CSV table (see dashboards.export.export_csv)."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The file is written here, not by a renderer; errors are JSON like everywhere else, even for Accept: text/csv.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="A CSV file.")})
    def get(self, request: Request, patient_id: uuid.UUID) -> HttpResponse:
        patient = access_patient(request, patient_id, resource="dashboard.export_csv", role=IsClinicStaff)
        response = HttpResponse(export.export_csv(patient), content_type="text/csv; charset=utf-8")
        # The file name carries the id only: names are PHI and file names end up in download folders and logs.
        response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-recovery.csv"'
        response["Cache-Control"] = "no-store"
        return response


# --- Cohort -----------------------------------------------------------------------------------------------------------


class ClinicianCohortApi(StaffApi[PatientProfile]):
    """The recovery curve of the clinician's patients (a clinic admin: the whole clinic): per week since the
    procedure, n, median and interquartile range of back pain, leg pain and walking minutes (each patient's weekly
    mean counts once); the share of ODI and pain responders at 6-8 weeks, 6 months and 1 year; the rate of adverse
    events (any, and device- or procedure-related) with its 95% Wilson interval beside the pivotal trial's 1.3%, and
    of repeat procedures. `split` gives the same for each answer (yes, no, unknown) of the episodes' screening to a
    caution or risk factor.

    In the clinic-wide view cells of fewer than 5 patients are suppressed (null, `suppressed: true`) and, being
    de-identified aggregates, are not PHI-logged; a clinician's own view is logged for each of their patients."""

    pagination_class = None

    @extend_schema(parameters=[CohortIn], responses=CohortOut)
    def get(self, request: Request) -> Response:
        user = signed_in(request)
        params = CohortIn(data=request.query_params)
        params.is_valid(raise_exception=True)
        weeks = params.validated_data["weeks"]
        with sql.tuned_reads(work_mem_mb=cohort.COHORT_WORK_MEM_MB):
            body = cohort.cohort(user, weeks=weeks, split=params.validated_data["split"])
        if not cohort.cohort_is_clinic_wide(user):
            patient_read_log(request, cohort.cohort_patient_ids(user), resource="dashboard.cohort")
        return Response(CohortOut(body).data)


# --- Alert response times ---------------------------------------------------------------------------------------------


class ClinicianAlertResponseApi(StaffApi[PatientProfile]):
    """How quickly the clinic acknowledges alerts: per tier, for alerts raised in the last 30 days, the median and
    90th percentile of minutes from raised to acknowledged (percentile_cont, linear interpolation), and how many are
    still waiting. The whole clinic's, for its clinicians and admins; an aggregate with no row per patient, not
    PHI-logged (dashboards.alert_response)."""

    pagination_class = None

    @extend_schema(responses=AlertResponseOut)
    def get(self, request: Request) -> Response:
        body = alert_response.alert_response(signed_in(request).clinic, now=timezone.now())
        return Response(AlertResponseOut(body).data)
