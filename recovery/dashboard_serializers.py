"""HTTP shapes of the clinician dashboards. Inputs refuse unknown parameters (StrictInputSerializer); outputs list
every field, so the OpenAPI schema says exactly what a chart gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from accounts.inputs import StrictInputSerializer
from recovery.dashboard_selectors import COHORT_MAX_WEEKS, RISK_FACTOR_FIELDS
from recovery.models import MilestoneStatus, Tier
from recovery.serializers import AlertDetailOut, MilestoneOut, PersonOut

# A date range (series, procedure dates) may span at most this many years.
MAX_RANGE_YEARS = 3


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_range_errors(start: dt.date | None, end: dt.date | None, start_name: str, end_name: str) -> dict[str, Any]:
    """Per-field messages for a reversed range or one longer than MAX_RANGE_YEARS (both ends inclusive)."""
    if start is None or end is None:
        return {}
    if start > end:
        return {start_name: [f"Must be on or before {end_name} ({end.isoformat()})."]}
    if end >= _years_after(start, MAX_RANGE_YEARS):
        return {end_name: [f"The range can be at most {MAX_RANGE_YEARS} years; choose a date before "
                           f"{_years_after(start, MAX_RANGE_YEARS).isoformat()}."]}  # fmt: skip
    return {}


# --- Roster -----------------------------------------------------------------------------------------------------------


class RosterFilterIn(StrictInputSerializer):
    """The roster's query parameters. `phase` is checked against the phase keys of the protocols in use
    (context["phase_keys"], a callable, so the lookup runs only when a phase is asked for)."""

    phase = serializers.ListField(child=serializers.SlugField(max_length=50), required=False)
    alert_tier = serializers.MultipleChoiceField(choices=Tier.choices, required=False)
    overdue_milestone = serializers.BooleanField(required=False, allow_null=True, default=None)
    no_checkin_days = serializers.IntegerField(required=False, min_value=1, max_value=MAX_RANGE_YEARS * 366)
    procedure_from = serializers.DateField(required=False)
    procedure_to = serializers.DateField(required=False)
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)

    def validate_phase(self, value: list[str]) -> list[str]:
        known: Callable[[], set[str]] = self.context["phase_keys"]
        keys = known()
        unknown = sorted(set(value) - keys)
        if unknown:
            raise serializers.ValidationError(
                f"Unknown phase {', '.join(repr(k) for k in unknown)}; choose from {', '.join(sorted(keys))}."
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = date_range_errors(
            attrs.get("procedure_from"), attrs.get("procedure_to"), "procedure_from", "procedure_to"
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ProcedureRefOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    procedure_date = serializers.DateField()


class PhaseRefOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()


class PainSummaryOut(serializers.Serializer[Any]):
    latest = serializers.IntegerField(allow_null=True, help_text="The latest check-in's rating (0-10).")
    mean_7d = serializers.FloatField(allow_null=True, help_text="Mean of the check-ins of the last 7 days.")
    baseline = serializers.FloatField(allow_null=True, help_text="The pre-procedure pain assessment.")
    change_from_baseline = serializers.FloatField(allow_null=True, help_text="mean_7d - baseline: negative is better.")


class OdiSummaryOut(serializers.Serializer[Any]):
    baseline = serializers.FloatField(allow_null=True)
    latest = serializers.FloatField(allow_null=True, help_text="The latest ODI after the procedure.")
    change_from_baseline = serializers.FloatField(allow_null=True, help_text="latest - baseline: negative is better.")


class CheckInAdherenceOut(serializers.Serializer[Any]):
    checkins = serializers.IntegerField()
    expected = serializers.IntegerField(
        help_text="Days of the last 14 on which a daily check-in was asked for (days 1-90 after the procedure; "
        "today only once today's check-in is in)."
    )
    adherence = serializers.FloatField(allow_null=True, help_text="checkins / expected; null when none expected.")


class ExerciseWeekOut(serializers.Serializer[Any]):
    week = serializers.CharField(help_text="ISO week, e.g. 2027-W21, in the patient's time zone.")
    starts_on = serializers.DateField()
    scheduled = serializers.IntegerField(help_text="Sessions due so far.")
    completed = serializers.FloatField(help_text="Done sessions, partly done ones counting half.")
    adherence = serializers.FloatField(allow_null=True)


class RosterMilestoneOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    key = serializers.CharField()
    title = serializers.CharField()
    opens_on = serializers.DateField()
    target_on = serializers.DateField()
    closes_on = serializers.DateField()
    status = serializers.ChoiceField(choices=MilestoneStatus.choices)


class OpenAlertsOut(serializers.Serializer[Any]):
    emergency = serializers.IntegerField()
    urgent = serializers.IntegerField()
    watch = serializers.IntegerField()


class RosterEntryOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    full_name = serializers.CharField()
    age = serializers.IntegerField()
    time_zone = serializers.CharField()
    today = serializers.DateField(help_text="Today in the patient's time zone.")
    procedure = ProcedureRefOut(allow_null=True, help_text="The current (latest done) procedure.")
    day = serializers.IntegerField(allow_null=True, help_text="Days since the procedure (0 = procedure day).")
    phase = PhaseRefOut(allow_null=True)
    last_checkin_on = serializers.DateField(allow_null=True)
    days_without_checkin = serializers.IntegerField(
        help_text="Days since the last check-in (never checked in: since enrolment)."
    )
    back_pain = PainSummaryOut()
    leg_pain = PainSummaryOut()
    odi = OdiSummaryOut()
    checkin_adherence_14d = CheckInAdherenceOut()
    exercise_adherence_week = ExerciseWeekOut(allow_null=True, help_text="This ISO week; null without a plan.")
    milestone = RosterMilestoneOut(allow_null=True, help_text="The next milestone, or the overdue one.")
    open_alerts = OpenAlertsOut(help_text="Alerts not resolved yet, by tier.")
    risk_factors = serializers.ListField(child=serializers.ChoiceField(choices=sorted(RISK_FACTOR_FIELDS)))


# --- Patient detail: series -------------------------------------------------------------------------------------------


class SeriesIn(StrictInputSerializer):
    """?from=&to=&bucket= ('from' is a Python keyword, hence get_fields)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "from": serializers.DateField(required=False),
            "to": serializers.DateField(required=False),
            "bucket": serializers.ChoiceField(choices=["day", "week"], required=False),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = date_range_errors(attrs.get("from"), attrs.get("to"), "from", "to")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class DayPointOut(serializers.Serializer[Any]):
    date = serializers.DateField()
    day = serializers.IntegerField(allow_null=True, help_text="Days since the current procedure.")
    checked_in = serializers.BooleanField()
    back_pain = serializers.IntegerField(allow_null=True)
    leg_pain = serializers.IntegerField(allow_null=True)
    walking_minutes = serializers.IntegerField(allow_null=True)
    standing_minutes = serializers.IntegerField(allow_null=True)
    steps = serializers.IntegerField(allow_null=True)


class MetricWeekOut(serializers.Serializer[Any]):
    mean = serializers.FloatField(allow_null=True)
    min = serializers.IntegerField(allow_null=True)
    max = serializers.IntegerField(allow_null=True)
    n = serializers.IntegerField(help_text="Days with a value.")


class WeekPointOut(serializers.Serializer[Any]):
    week = serializers.IntegerField(help_text="Week index from `from` (0 = from .. from + 6).")
    start = serializers.DateField()
    end = serializers.DateField()
    day = serializers.IntegerField(allow_null=True, help_text="Days since the current procedure at `start`.")
    days = serializers.IntegerField(help_text="Days in this week (the last may be shorter).")
    checkins = serializers.IntegerField()
    back_pain = MetricWeekOut()
    leg_pain = MetricWeekOut()
    walking_minutes = MetricWeekOut()
    standing_minutes = MetricWeekOut()
    steps = MetricWeekOut()


class SeriesOut(serializers.Serializer[Any]):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "patient": serializers.UUIDField(),
            "time_zone": serializers.CharField(),
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            "bucket": serializers.ChoiceField(choices=["day", "week"]),
            "procedure_date": serializers.DateField(allow_null=True),
            "days": DayPointOut(many=True, allow_null=True, help_text="bucket=day: one point per day, gaps null."),
            "weeks": WeekPointOut(many=True, allow_null=True, help_text="bucket=week: one point per week."),
        }


# --- Patient detail: outcomes -----------------------------------------------------------------------------------------


class ScoreChangeOut(serializers.Serializer[Any]):
    baseline = serializers.FloatField(allow_null=True)
    current = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    improvement = serializers.FloatField(allow_null=True, help_text="Positive is better.")
    responder = serializers.BooleanField(allow_null=True, help_text="Improvement reached the MCID.")


class AssessmentPointOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    timepoint = serializers.CharField()
    instrument = serializers.CharField()
    local_date = serializers.DateField()
    day = serializers.IntegerField()
    scores = serializers.DictField(child=serializers.FloatField(allow_null=True))
    change_from_baseline = serializers.DictField(child=ScoreChangeOut(), allow_null=True)


class ReferencePointOut(serializers.Serializer[Any]):
    timepoint = serializers.CharField()
    day = serializers.IntegerField()
    expected_improvement = serializers.FloatField()
    expected_score = serializers.FloatField(allow_null=True, help_text="baseline - expected improvement.")


class ReferenceKnotOut(serializers.Serializer[Any]):
    day = serializers.IntegerField()
    share = serializers.FloatField()


class ReferenceOut(serializers.Serializer[Any]):
    # Named like Field.source, which DRF's metaclass keeps apart from declared fields; mypy sees only the name.
    source = serializers.CharField()  # type: ignore[assignment]
    method = serializers.CharField()
    knots = ReferenceKnotOut(many=True)
    series = serializers.DictField(child=ReferencePointOut(many=True), help_text="odi_percent, back_pain, leg_pain.")


class OutcomeProcedureOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    procedure_date = serializers.DateField()
    status = serializers.CharField()


class OutcomesOut(serializers.Serializer[Any]):
    procedure = OutcomeProcedureOut(allow_null=True)
    assessments = AssessmentPointOut(many=True)
    reference = ReferenceOut()


# --- Patient detail: timeline -----------------------------------------------------------------------------------------


class RevisionOut(serializers.Serializer[Any]):
    checkin = serializers.UUIDField(source="checkin_id")
    local_date = serializers.DateField(source="checkin.local_date")
    version = serializers.IntegerField()
    changed_by = PersonOut()
    changed_at = serializers.DateTimeField()
    changes = serializers.DictField(child=serializers.ListField(), help_text="field -> [before, after].")


class TimelineOut(serializers.Serializer[Any]):
    today = serializers.DateField()
    milestones = MilestoneOut(many=True)
    alerts = AlertDetailOut(many=True)
    checkin_revisions = RevisionOut(many=True, source="revisions")
    exercise_adherence = ExerciseWeekOut(many=True, source="exercise_weeks")


# --- Alerts -----------------------------------------------------------------------------------------------------------


class AlertAssignIn(StrictInputSerializer):
    assignee = serializers.UUIDField(
        allow_null=True, help_text="A clinician on the patient's care team; null gives the alert back to the team."
    )
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


# --- Cohort -----------------------------------------------------------------------------------------------------------


class CohortIn(StrictInputSerializer):
    weeks = serializers.IntegerField(required=False, min_value=1, max_value=COHORT_MAX_WEEKS, default=13)


class CohortCellOut(serializers.Serializer[Any]):
    n = serializers.IntegerField(allow_null=True, help_text="Patients; null when suppressed.")
    median = serializers.FloatField(allow_null=True)
    p25 = serializers.FloatField(allow_null=True)
    p75 = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()


class CohortWeekOut(serializers.Serializer[Any]):
    week = serializers.IntegerField(help_text="Weeks since the procedure (0 = days 0-6).")
    back_pain = CohortCellOut()
    leg_pain = CohortCellOut()
    walking_minutes = CohortCellOut()


class ResponderCellOut(serializers.Serializer[Any]):
    n = serializers.IntegerField(allow_null=True, help_text="Patients with a baseline and this timepoint.")
    responders = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()


class CohortRespondersOut(serializers.Serializer[Any]):
    timepoint = serializers.CharField()
    odi = ResponderCellOut()
    pain = ResponderCellOut(help_text="Back or leg pain improved by 2+ points.")


class CohortOut(serializers.Serializer[Any]):
    scope = serializers.ChoiceField(choices=["care_team", "clinic"])
    suppression_threshold = serializers.IntegerField(allow_null=True)
    weeks = CohortWeekOut(many=True)
    responders = CohortRespondersOut(many=True)
