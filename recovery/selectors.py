"""Reads for recovery. Anything reachable over HTTP is first narrowed by accounts.scoping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.utils import timezone

from accounts.models import PatientProfile, User
from accounts.scoping import scope_to_visible_patients
from recovery import instruments
from recovery.content.protocol_default import TIER_INSTRUCTIONS
from recovery.models import (
    TIER_RANK,
    Alert,
    AlertState,
    Assessment,
    CheckIn,
    MilestoneStatus,
    PatientMilestone,
    Procedure,
    ProcedureStatus,
    ProtocolPhase,
)
from recovery.rules import highest_red_flag_tier


def current_procedure(patient: PatientProfile, on: dt.date | None = None) -> Procedure | None:
    """The procedure that drives the timeline: the latest done one on or before `on` (the patient's today)."""
    procedures = Procedure.objects.filter(patient=patient, status=ProcedureStatus.DONE)
    if on is not None:
        procedures = procedures.filter(procedure_date__lte=on)
    return procedures.select_related("protocol").order_by("-procedure_date", "-completed_at").first()


def milestone_statuses_open_for_assessment() -> tuple[str, ...]:
    return (MilestoneStatus.OPEN, MilestoneStatus.OVERDUE)


def baseline_scores(procedure: Procedure, instrument: str) -> dict[str, Any] | None:
    scores = (
        Assessment.objects.filter(procedure=procedure, timepoint=Assessment.BASELINE, instrument=instrument)
        .values_list("scores", flat=True)
        .first()
    )
    return scores


def baseline_pain(procedure: Procedure) -> tuple[int | None, int | None] | None:
    """The baseline back and leg pain of the procedure's baseline pain assessment, if one was taken."""
    scores = baseline_scores(procedure, "pain")
    if scores is None:
        return None
    back, leg = scores.get("back_pain"), scores.get("leg_pain")
    return (int(back) if back is not None else None, int(leg) if leg is not None else None)


def assessment_comparisons(procedure: Procedure, timepoint: str) -> dict[str, dict[str, instruments.ScoreChange]]:
    """For each measure taken at `timepoint`: change from the procedure's baseline and responder status."""
    taken = Assessment.objects.filter(procedure=procedure, timepoint__in=(timepoint, Assessment.BASELINE))
    by_key: dict[tuple[str, str], dict[str, Any]] = {(a.timepoint, a.instrument): a.scores for a in taken}
    return {
        instrument: instruments.compare_to_baseline(instrument, by_key[(Assessment.BASELINE, instrument)], scores)
        for (tp, instrument), scores in by_key.items()
        if tp == timepoint and (Assessment.BASELINE, instrument) in by_key
    }


def assessment_comparison(assessment: Assessment) -> dict[str, instruments.ScoreChange] | None:
    if assessment.timepoint == Assessment.BASELINE:
        return None
    baseline = baseline_scores(assessment.procedure, assessment.instrument)
    if baseline is None:
        return None
    return instruments.compare_to_baseline(assessment.instrument, baseline, assessment.scores)


def checkin_streak(patient: PatientProfile, today: dt.date) -> int:
    """Consecutive days with a check-in, ending today (or yesterday, when today's is not in yet)."""
    dates = set(
        CheckIn.objects.filter(patient=patient, local_date__lte=today, local_date__gt=today - dt.timedelta(days=800))
        .order_by("-local_date")
        .values_list("local_date", flat=True)
    )
    day = today if today in dates else today - dt.timedelta(days=1)
    streak = 0
    while day in dates:
        streak += 1
        day -= dt.timedelta(days=1)
    return streak


def phase_on(procedure: Procedure, day: int) -> ProtocolPhase | None:
    for phase in procedure.protocol.phases.all():
        if phase.covers(day):
            return phase
    return None


def recovery_summary(patient: PatientProfile, now: dt.datetime | None = None) -> dict[str, Any]:
    """Where the patient is today, in their own time zone: day N, phase, today's check-in, next milestone, streak."""
    now = now or timezone.now()
    today = patient.local_today(now)
    procedure = current_procedure(patient, on=today)
    todays = CheckIn.objects.filter(patient=patient, local_date=today).values_list("pk", flat=True).first()
    summary: dict[str, Any] = {
        "today": today,
        "time_zone": patient.time_zone,
        "procedure": procedure,
        "day": None,
        "phase": None,
        "checkin_today": {"done": todays is not None, "id": todays},
        "next_milestone": None,
        "streak_days": checkin_streak(patient, today),
        "upcoming_procedure": Procedure.objects.filter(
            patient=patient, status=ProcedureStatus.SCHEDULED, procedure_date__gte=today
        )
        .order_by("procedure_date")
        .first(),
    }
    if procedure is None:
        return summary
    day = procedure.day_number(today)
    summary["day"] = day
    summary["phase"] = phase_on(procedure, day)
    milestones = PatientMilestone.objects.filter(procedure=procedure).order_by("opens_on")
    for milestone in milestones:
        status = milestone.status_on(today)
        if status in (MilestoneStatus.OPEN, MilestoneStatus.OVERDUE, MilestoneStatus.UPCOMING):
            summary["next_milestone"] = {"milestone": milestone, "status": status}
            break
    return summary


def red_flag_instruction(patient: PatientProfile, red_flags: list[str]) -> dict[str, str] | None:
    """What the patient must do now, for the most serious red flag they reported; None when they reported none."""
    tier = highest_red_flag_tier(red_flags)
    if tier is None:
        return None
    clinic = patient.user.clinic
    instruction = TIER_INSTRUCTIONS[tier]  # type: ignore[index]
    text = instruction.text.format(
        clinic_name=clinic.name if clinic else "your clinic", clinic_phone=clinic.phone if clinic else ""
    )
    return {"tier": tier, "title": instruction.title, "text": text, "clinic_phone": clinic.phone if clinic else ""}


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    return scope_to_visible_patients(user, Alert.objects.all()).select_related(
        "patient__user", "acknowledged_by", "resolved_by", "assigned_to"
    )


def open_alert_states() -> tuple[str, ...]:
    return (AlertState.OPEN, AlertState.ACKNOWLEDGED)


def alerts_in_triage_order(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Unresolved before resolved, then emergency, urgent, watch, then newest first."""
    return alerts.annotate(
        _resolved=Case(When(state=AlertState.RESOLVED, then=Value(1)), default=Value(0)),
        _tier_rank=Case(*[When(tier=tier, then=Value(rank)) for tier, rank in TIER_RANK.items()], default=Value(9)),
    ).order_by("_resolved", "_tier_rank", "-raised_at", "id")


# --- What is due: read by the notifications app to decide who hears what ---------------------------------------------

# Daily check-in reminders run through the first three months after a procedure.
CHECKIN_REMINDER_DAYS = 90


def patients_expecting_checkin(local_date: dt.date, time_zone: str) -> QuerySet[PatientProfile]:
    """Active patients in `time_zone` for whom `local_date` is a check-in day (days 1-90 after their latest done
    procedure) and who have not checked in that day yet. Annotated with `missed_two_days`: no check-in on either of
    the two days before (they get a gentler nudge instead of the plain reminder)."""
    done_recently = Procedure.objects.filter(
        patient=OuterRef("pk"),
        status=ProcedureStatus.DONE,
        procedure_date__lt=local_date,
        procedure_date__gte=local_date - dt.timedelta(days=CHECKIN_REMINDER_DAYS),
    )
    checked_in_today = CheckIn.objects.filter(patient=OuterRef("pk"), local_date=local_date)
    recent = CheckIn.objects.filter(
        patient=OuterRef("pk"), local_date__in=(local_date - dt.timedelta(days=1), local_date - dt.timedelta(days=2))
    )
    started_two_days_ago = Procedure.objects.filter(
        patient=OuterRef("pk"), status=ProcedureStatus.DONE, procedure_date__lte=local_date - dt.timedelta(days=3)
    )
    return (
        PatientProfile.objects.filter(time_zone=time_zone, user__is_active=True)
        .filter(Exists(done_recently))
        .exclude(Exists(checked_in_today))
        .annotate(missed_two_days=~Exists(recent) & Exists(started_two_days_ago))
    )


def milestones_closing_between(start: dt.date, end: dt.date) -> QuerySet[PatientMilestone]:
    """Open milestones (not completed) of active patients whose window closes between two dates (inclusive)."""
    return PatientMilestone.objects.filter(
        closes_on__gte=start,
        closes_on__lte=end,
        completed_at__isnull=True,
        procedure__status=ProcedureStatus.DONE,
        patient__user__is_active=True,
    ).select_related("patient__user")


def alerts_unacknowledged(tier: str, raised_before: dt.datetime) -> QuerySet[Alert]:
    """Alerts of `tier` still open (nobody acknowledged them) that were raised before `raised_before`."""
    return Alert.objects.filter(tier=tier, state=AlertState.OPEN, raised_at__lt=raised_before).select_related(
        "patient__user"
    )


def watch_alerts_raised_between(patient_ids: QuerySet[Any], start: dt.datetime, end: dt.datetime) -> QuerySet[Alert]:
    return Alert.objects.filter(
        patient_id__in=patient_ids, tier="watch", raised_at__gte=start, raised_at__lt=end
    ).select_related("patient__user")


def checkin_days(patient_ids: Iterable[Any], dates: Iterable[dt.date]) -> set[tuple[Any, dt.date]]:
    """Which (patient, local date) pairs among these have a check-in: one query for a whole batch."""
    return set(
        CheckIn.objects.filter(patient_id__in=set(patient_ids), local_date__in=set(dates)).values_list(
            "patient_id", "local_date"
        )
    )
