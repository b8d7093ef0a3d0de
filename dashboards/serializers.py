"""HTTP shapes of the clinician dashboards. Inputs refuse unknown parameters (StrictInputSerializer); outputs list
every field, so the OpenAPI schema says exactly what a chart gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from accounts.caregiver_serializers import EnteredByOut
from accounts.inputs import PagedQueryIn, StrictInputSerializer
from dashboards.cohort import COHORT_MAX_WEEKS
from dashboards.roster import RISK_FACTOR_KEYS
from dashboards.safety import ALL_SPLIT_VALUES, SPLITS
from recovery.models import SCREENING_STATUSES, MilestoneStatus, Tier
from recovery.serializers import AlertHistoryOut, MilestoneOut, PersonOut

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


class RosterFilterIn(PagedQueryIn):
    """The roster's query parameters. `phase` is checked against the phase keys of the protocols in use
    (context["phase_keys"], a callable, so the lookup runs only when a phase is asked for)."""

    phase = serializers.ListField(
        child=serializers.SlugField(max_length=50), required=False, help_text="Current phase key(s), e.g. weeks_3_8."
    )
    alert_tier = serializers.MultipleChoiceField(choices=Tier.choices, required=False, help_text="Has open alerts.")
    overdue_milestone = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Has (or has not) an overdue milestone."
    )
    no_checkin_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_RANGE_YEARS * 366,
        help_text="No check-in for at least this many days.",
    )
    procedure_from = serializers.DateField(required=False, help_text="Current procedure on or after.")
    procedure_to = serializers.DateField(required=False, help_text="Current procedure on or before.")
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Words of the patient's name."
    )

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


class RosterScreeningOut(serializers.Serializer[Any]):
    procedure_id = serializers.UUIDField()
    procedure_status = serializers.CharField(help_text="scheduled or done.")
    status = serializers.ChoiceField(
        choices=SCREENING_STATUSES,
        help_text="The screening's outcome; 'override': marked done by a clinician without a 'candidate' one.",
    )


class RosterPreparationOut(serializers.Serializer[Any]):
    procedure_date = serializers.DateField()
    items_open = serializers.IntegerField(help_text="Checklist items the patient has not ticked.")
    items_total = serializers.IntegerField()
    baseline_missing = serializers.BooleanField(help_text="Some baseline measures are not answered yet.")


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
    daily_checkins_expected = serializers.BooleanField(
        help_text="Daily check-ins are asked for today (days 0 to 90 after the procedure): days without one matter."
    )
    back_pain = PainSummaryOut()
    leg_pain = PainSummaryOut()
    odi = OdiSummaryOut()
    checkin_adherence_14d = CheckInAdherenceOut()
    exercise_adherence_week = ExerciseWeekOut(allow_null=True, help_text="This ISO week; null without a plan.")
    milestone = RosterMilestoneOut(allow_null=True, help_text="The next milestone, or the overdue one.")
    open_alerts = OpenAlertsOut(help_text="Alerts not resolved yet, by tier.")
    risk_factors = serializers.ListField(child=serializers.ChoiceField(choices=RISK_FACTOR_KEYS))
    screening = RosterScreeningOut(
        allow_null=True, help_text="The screening of the latest procedure episode not cancelled (null: none)."
    )
    preparation = RosterPreparationOut(
        allow_null=True, required=False, help_text="While a procedure is scheduled: what is not done before it."
    )


# --- Patient detail: series -------------------------------------------------------------------------------------------


class SeriesIn(StrictInputSerializer):
    """?from=&to=&bucket= ('from' is a Python keyword, hence get_fields)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "from": serializers.DateField(required=False, help_text="First day (inclusive)."),
            "to": serializers.DateField(required=False, help_text="Last day (inclusive)."),
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
    timepoint = serializers.CharField(help_text="The trial visit: month_6, year_1, year_2.")
    day = serializers.IntegerField(help_text="182, 365, 730.")
    expected_improvement = serializers.FloatField(
        allow_null=True, help_text="The trial's mean improvement at this visit; null where none is published."
    )
    expected_score = serializers.FloatField(
        allow_null=True, help_text="baseline - mean improvement; null without a baseline or a published mean."
    )


class ReferenceVisitOut(serializers.Serializer[Any]):
    timepoint = serializers.CharField()
    day = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    mean_improvement = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="Per score; null where the source gives no mean."
    )


class ReferenceOut(serializers.Serializer[Any]):
    # Named like Field.source, which DRF's metaclass keeps apart from declared fields; mypy sees only the name.
    source = serializers.CharField()  # type: ignore[assignment]
    version = serializers.IntegerField(help_text="The version of the reference content (recovery.content.trial).")
    population = serializers.CharField(help_text="Label for the chart: whose means these are.")
    method = serializers.CharField()
    visits = ReferenceVisitOut(many=True, help_text="The trial's visits, with null where no mean is published.")
    series = serializers.DictField(
        child=ReferencePointOut(many=True),
        help_text="odi_percent, back_pain, leg_pain, zcq_symptom_severity, zcq_physical_function.",
    )


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
    entered_by = EnteredByOut(allow_null=True, help_text='The caregiver who made it ("Anna Ellis, daughter"), or null.')
    changed_at = serializers.DateTimeField()
    changes = serializers.DictField(child=serializers.ListField(), help_text="field -> [before, after].")


class TimelineOut(serializers.Serializer[Any]):
    today = serializers.DateField()
    milestones = MilestoneOut(many=True)
    alerts = AlertHistoryOut(many=True)
    checkin_revisions = RevisionOut(many=True, source="revisions")
    exercise_adherence = ExerciseWeekOut(many=True, source="exercise_weeks")


# --- Cohort -----------------------------------------------------------------------------------------------------------


class CohortIn(StrictInputSerializer):
    weeks = serializers.IntegerField(
        required=False, min_value=1, max_value=COHORT_MAX_WEEKS, default=13, help_text="Weeks since the procedure."
    )
    split = serializers.ChoiceField(
        choices=sorted(SPLITS),
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "Split the cohort by a caution of the episodes' screening (heart_disease, uncontrolled_diabetes, "
            "spinal_instability, previous_spinal_surgery; diabetes: any diabetes as screened): groups yes, no, "
            "unknown (or not screened); by a risk factor of the patient (risk_diabetes, risk_heart_disease, "
            "risk_previous_spinal_surgery): groups yes, no (not recorded); or by the patient's age on the day of the "
            "procedure (age_band): groups under_65, 65_74, 75_over."
        ),
    )


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


class RateOut(serializers.Serializer[Any]):
    events = serializers.IntegerField(allow_null=True, help_text="Episodes (or patients) with it.")
    rate = serializers.FloatField(allow_null=True)
    ci95_low = serializers.FloatField(allow_null=True, help_text="Wilson score interval, 95%.")
    ci95_high = serializers.FloatField(allow_null=True)


class RepeatRateOut(RateOut):
    patients = serializers.IntegerField(allow_null=True, help_text="Patients with a done procedure.")


class SafetyReferenceOut(serializers.Serializer[Any]):
    related_rate = serializers.FloatField(help_text="Any device- or procedure-related adverse event.")
    serious_related_rate = serializers.FloatField()
    population = serializers.CharField()
    text = serializers.CharField()


class CohortSafetyOut(serializers.Serializer[Any]):
    procedures = serializers.IntegerField(allow_null=True, help_text="Done procedure episodes (the denominator).")
    any = RateOut(help_text="Episodes with any recorded adverse event.")
    related = RateOut(help_text="Episodes with a device- or procedure-related adverse event.")
    serious_related = RateOut(help_text="Episodes with a related adverse event of Clavien-Dindo grade III or more.")
    repeat_procedures = RepeatRateOut()
    reference = SafetyReferenceOut(help_text="The pivotal trial's rates.")
    method = serializers.CharField()
    suppressed = serializers.BooleanField()


class CohortGroupOut(serializers.Serializer[Any]):
    value = serializers.ChoiceField(
        choices=ALL_SPLIT_VALUES,
        help_text="The group: yes, no, unknown (a caution; unknown: or not screened); yes, no (a risk factor); "
        "under_65, 65_74, 75_over (age_band).",
    )
    title = serializers.CharField()
    weeks = CohortWeekOut(many=True)
    responders = CohortRespondersOut(many=True)
    safety = CohortSafetyOut()


class CohortOut(serializers.Serializer[Any]):
    scope = serializers.ChoiceField(choices=["care_team", "clinic"])
    suppression_threshold = serializers.IntegerField(allow_null=True)
    weeks = CohortWeekOut(many=True)
    responders = CohortRespondersOut(many=True)
    safety = CohortSafetyOut()
    split = serializers.CharField(allow_null=True)
    groups = CohortGroupOut(many=True, help_text="With `split`: the same for each answer; empty otherwise.")


class AlertResponseTierOut(serializers.Serializer[Any]):
    tier = serializers.CharField()
    raised = serializers.IntegerField(help_text="Alerts of this tier raised in the window.")
    acknowledged = serializers.IntegerField(help_text="Of those, how many were acknowledged (the percentiles' n).")
    waiting = serializers.IntegerField(help_text="Of those, how many nobody has acknowledged yet.")
    median_minutes = serializers.FloatField(allow_null=True, help_text="Median minutes from raised to acknowledged.")
    p90_minutes = serializers.FloatField(allow_null=True, help_text="90th percentile (percentile_cont), minutes.")


class AlertResponseOut(serializers.Serializer[Any]):
    window_days = serializers.IntegerField()
    since = serializers.DateTimeField(help_text="Alerts raised after this instant...")
    until = serializers.DateTimeField(help_text="...and up to this one (now).")
    tiers = AlertResponseTierOut(many=True, help_text="Emergency, urgent, watch.")
