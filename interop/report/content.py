"""What the visit report says, gathered through the other apps' selectors (interop/sources.py) and nothing else: the
patient, the procedure episode and day N, the daily (or weekly) pain and walking values since the baseline, outcome
measures with change from baseline and responder status (dashboards.outcomes, on exact values), exercise adherence
(exercises.selectors), alerts with their handling (dashboards.timeline) and the pivotal trial's reference
(recovery.content.trial). Plain data, so the layout (interop.report.pdf) holds no query."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from interop.sources import (
    AdverseEvent,
    AdverseEventStatus,
    Alert,
    Assessment,
    PatientProfile,
    Procedure,
    ProcedureStatus,
    adverse_events_of,
    exercise_adherence,
    exercise_plan_of,
    outcomes,
    outcomes_procedure,
    procedures_of,
    round_half_up,
    series_daily,
    series_weekly,
    timeline,
)

# Longer ranges are drawn as weekly means (as the clinicians' series does: dashboards.series).
DAILY_POINTS_MAX_DAYS = 120
# The chart starts at the baseline assessment, but never more than this many days before the procedure.
BASELINE_LOOKBACK_DAYS = 60
# At most this many alerts are listed (newest first), so the report stays within three pages; the rest are counted.
ALERTS_LISTED = 12
# Exercise adherence: the most recent weeks listed.
EXERCISE_WEEKS_LISTED = 8
# Scores in the order the report lists them, with their names and the MCID that makes a responder (CLINICAL.md).
SCORES: tuple[tuple[str, str, str, str], ...] = (
    ("odi", "odi_percent", "ODI (disability, %)", "10 points"),
    ("zcq", "zcq_symptom_severity", "ZCQ symptom severity (1-5)", "0.5"),
    ("zcq", "zcq_physical_function", "ZCQ physical function (1-4)", "0.5"),
    ("pain", "back_pain", "Back pain (NPRS 0-10)", "2 points"),
    ("pain", "leg_pain", "Leg pain (NPRS 0-10)", "2 points"),
)
TIMEPOINT_LABELS = {
    "baseline": "Baseline",
    "weeks_2_3": "2-3 weeks",
    "weeks_6_8": "6-8 weeks",
    "month_3": "3 months",
    "month_6": "6 months",
    "year_1": "1 year",
    "year_2": "2 years",
}


class ReportInputError(ValueError):
    """A request for a report that cannot be made, keyed by field (answered as 400)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    mcid: str
    timepoint: str
    day: int | None
    baseline: float | None
    current: float | None
    change: float | None
    improvement: float | None
    responder: bool | None


@dataclass(frozen=True)
class AlertRow:
    raised_at: dt.datetime  # in the patient's zone
    day: int | None
    tier: str
    title: str
    state: str
    acknowledged: str  # who and how long after it was raised, or ""
    resolved: str
    note: str


@dataclass(frozen=True)
class ExerciseWeek:
    week: str
    scheduled: int
    completed: float
    adherence: float | None


@dataclass(frozen=True)
class VisitReport:
    generated_at: dt.datetime
    patient_name: str
    date_of_birth: dt.date
    age: int
    clinic: str
    primary_clinician: str
    time_zone: str
    today: dt.date
    procedure: Procedure | None
    episode_end: dt.date | None  # the last day this episode covers (today, or the day before the next episode)
    day: int | None
    visit: str
    bucket: str  # "day" or "week" (weekly means)
    points: Sequence[dict[str, Any]]
    baseline_pain: tuple[float | None, float | None] | None
    outcome_rows: Sequence[OutcomeRow]
    exercise_overall: ExerciseWeek | None
    exercise_weeks: Sequence[ExerciseWeek]
    alerts: Sequence[AlertRow]
    alerts_not_listed: int
    reference: dict[str, Any]
    # Adverse events the care team recorded against this episode (not drafts, not dismissed), by onset.
    adverse_events: Sequence[AdverseEvent] = ()
    # Sections a later version adds put their data here by name.
    extra: dict[str, Any] = field(default_factory=dict)


def report_procedure(patient: PatientProfile, procedure_id: uuid.UUID | None, now: dt.datetime) -> Procedure | None:
    """The episode the report is about: the one asked for (one of the patient's own, not cancelled), else the current
    one (dashboards.outcomes.outcomes_procedure). ReportInputError for any other id."""
    if procedure_id is None:
        return outcomes_procedure(patient, now)
    found = procedures_of(patient).exclude(status=ProcedureStatus.CANCELLED).filter(pk=procedure_id).first()
    if found is None:
        raise ReportInputError({"procedure": ["This patient has no procedure with this id."]})
    return found


def visit_report(patient: PatientProfile, procedure: Procedure | None, now: dt.datetime) -> VisitReport:
    """Everything the report shows, as of `now`, for `procedure` (None: a report with the patient and no episode)."""
    today = patient.local_today(now)
    user: Any = patient.user
    found = timeline(patient, now)
    primary = next((m.clinician.full_name for m in patient.care_team.all() if m.is_primary), "")
    common = {
        "generated_at": now,
        "patient_name": user.full_name,
        "date_of_birth": patient.date_of_birth,
        "age": patient.age(today),
        "clinic": user.clinic.name if user.clinic else "",
        "primary_clinician": primary,
        "time_zone": patient.time_zone,
        "today": today,
        "reference": outcomes(patient, procedure)["reference"],
    }
    if procedure is None:
        return VisitReport(
            **common, procedure=None, episode_end=None, day=None, visit="No procedure recorded", bucket="day",
            points=[], baseline_pain=None, outcome_rows=[], exercise_overall=None, exercise_weeks=[],
            alerts=[], alerts_not_listed=0,
        )  # fmt: skip
    end = _episode_end(patient, procedure, today)
    measured = outcomes(patient, procedure)
    start = _chart_start(procedure, measured["assessments"])
    if (end - start).days + 1 <= DAILY_POINTS_MAX_DAYS:
        bucket, points = "day", series_daily(patient, start, end, procedure.procedure_date)
    else:
        bucket = "week"
        points = [
            {
                "day": week["day"],
                **{metric: week[metric]["mean"] for metric in ("back_pain", "leg_pain", "walking_minutes")},
                **{"standing_minutes": week["standing_minutes"]["mean"]},
            }
            for week in series_weekly(patient, start, end, procedure.procedure_date)
        ]
    milestones = [m for m in found.milestones if m.procedure_id == procedure.pk and m.opens_on <= end]
    visit = milestones[-1].title if milestones else "Before the first milestone"
    alerts = [a for a in found.alerts if start <= a.raised_at.astimezone(patient.zone).date() <= end]
    overall, weeks = _exercise(procedure, now)
    return VisitReport(
        **common,
        procedure=procedure,
        episode_end=end,
        day=procedure.day_number(end) if procedure.status == ProcedureStatus.DONE else None,
        visit=visit,
        bucket=bucket,
        points=points,
        baseline_pain=_baseline_pain(measured["assessments"]),
        outcome_rows=_outcome_rows(measured["assessments"]),
        exercise_overall=overall,
        exercise_weeks=weeks,
        alerts=[_alert_row(a, patient, procedure) for a in alerts[:ALERTS_LISTED]],
        alerts_not_listed=max(0, len(alerts) - ALERTS_LISTED),
        adverse_events=sorted(
            (
                e
                for e in adverse_events_of(patient, statuses=(AdverseEventStatus.RECORDED,))
                if e.procedure_id == procedure.pk
            ),
            key=lambda e: (e.onset_date or dt.date.max, e.created_at),
        ),
    )


def _episode_end(patient: PatientProfile, procedure: Procedure, today: dt.date) -> dt.date:
    later = (
        procedures_of(patient)
        .exclude(status=ProcedureStatus.CANCELLED)
        .filter(procedure_date__gt=procedure.procedure_date)
        .order_by("procedure_date")
        .values_list("procedure_date", flat=True)
        .first()
    )
    end = min(today, later - dt.timedelta(days=1)) if later else today
    return max(end, procedure.procedure_date) if procedure.procedure_date <= today else today


def _chart_start(procedure: Procedure, assessments: Sequence[dict[str, Any]]) -> dt.date:
    earliest = procedure.procedure_date - dt.timedelta(days=BASELINE_LOOKBACK_DAYS)
    baselines = [a["local_date"] for a in assessments if a["timepoint"] == Assessment.BASELINE]
    first = min(baselines, default=procedure.procedure_date)
    return max(earliest, min(first, procedure.procedure_date))


def _baseline_pain(assessments: Sequence[dict[str, Any]]) -> tuple[float | None, float | None] | None:
    for row in assessments:
        if row["timepoint"] == Assessment.BASELINE and row["instrument"] == "pain":
            return row["scores"].get("back_pain"), row["scores"].get("leg_pain")
    return None


def _outcome_rows(assessments: Sequence[dict[str, Any]]) -> list[OutcomeRow]:
    """One row per score and follow-up assessment (with its change from baseline), in the order of SCORES; a score
    with a baseline and no follow-up yet is one row with the baseline alone."""
    rows: list[OutcomeRow] = []
    for instrument, score, label, mcid in SCORES:
        baseline = next(
            (a for a in assessments if a["instrument"] == instrument and a["timepoint"] == Assessment.BASELINE), None
        )
        followups = [a for a in assessments if a["instrument"] == instrument and a["timepoint"] != Assessment.BASELINE]
        for a in followups:
            changed = (a["change_from_baseline"] or {}).get(score)
            current = a["scores"].get(score)
            rows.append(
                OutcomeRow(
                    label=label, mcid=mcid, timepoint=TIMEPOINT_LABELS.get(a["timepoint"], a["timepoint"]),
                    day=a["day"], baseline=changed["baseline"] if changed else None,
                    current=changed["current"] if changed else current,
                    change=changed["change"] if changed else None,
                    improvement=changed["improvement"] if changed else None,
                    responder=changed["responder"] if changed else None,
                )
            )  # fmt: skip
        if baseline is not None and not followups:
            rows.append(
                OutcomeRow(
                    label=label, mcid=mcid, timepoint="Baseline only", day=baseline["day"],
                    baseline=baseline["scores"].get(score), current=None, change=None, improvement=None,
                    responder=None,
                )
            )  # fmt: skip
    return rows


def _exercise(procedure: Procedure, now: dt.datetime) -> tuple[ExerciseWeek | None, list[ExerciseWeek]]:
    plan = exercise_plan_of(procedure)
    if plan is None:
        return None, []
    counted = exercise_adherence(plan, now)
    overall = counted["overall"]
    weeks = [
        ExerciseWeek(w["week"], w["scheduled"], w["completed"], w["adherence"])
        for w in counted["by_week"][-EXERCISE_WEEKS_LISTED:]
    ]
    return ExerciseWeek("Since the plan began", overall["scheduled"], overall["completed"], overall["adherence"]), weeks


def _alert_row(alert: Alert, patient: PatientProfile, procedure: Procedure) -> AlertRow:
    raised = alert.raised_at.astimezone(patient.zone)
    return AlertRow(
        raised_at=raised,
        day=procedure.day_number(raised.date()),
        tier=alert.get_tier_display(),
        title=alert.title,
        state=alert.get_state_display(),
        acknowledged=_handled(alert.acknowledged_by, alert.acknowledged_at, alert.raised_at),
        resolved=_handled(alert.resolved_by, alert.resolved_at, alert.raised_at),
        note=alert.note,
    )


def _handled(by: Any, at: dt.datetime | None, raised_at: dt.datetime) -> str:
    if at is None:
        return ""
    who = by.full_name if by is not None else "automatically"
    return f"{who}, after {_duration(at - raised_at)}"


def _duration(elapsed: dt.timedelta) -> str:
    minutes = max(0, int(elapsed.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{round_half_up(minutes / 60)} h"
    return f"{round_half_up(minutes / 1440)} days"
