"""A patient's timeline of alerts, check-in revisions and milestones."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Prefetch,
)

from accounts.models import PatientProfile
from dashboards.exercise import exercise_weeks
from recovery.models import (
    Alert,
    AlertEvent,
    Assessment,
    CheckInRevision,
    PatientMilestone,
)

# --- Patient detail: timeline -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    today: dt.date
    milestones: Sequence[PatientMilestone]
    done_by_milestone: dict[Any, set[str]]
    alerts: Sequence[Alert]
    revisions: Sequence[CheckInRevision]
    exercise_weeks: Sequence[dict[str, Any]]


def timeline(patient: PatientProfile, now: dt.datetime) -> Timeline:
    """Milestones of every episode (newest episode first), alert history with every event, the edits of check-ins
    (revisions after the first: version 1 is the check-in as first stored, shown by the series) and exercise
    adherence by week. A fixed number of queries."""
    today = patient.local_today(now)
    done: dict[Any, set[str]] = defaultdict(set)
    for procedure_id, timepoint, instrument in Assessment.objects.filter(patient=patient).values_list(
        "procedure_id", "timepoint", "instrument"
    ):
        done[(procedure_id, timepoint)].add(instrument)
    alerts = (
        Alert.objects.filter(patient=patient)
        .select_related("patient__user", "acknowledged_by", "resolved_by", "assigned_to")
        .prefetch_related(
            Prefetch("events", AlertEvent.objects.select_related("actor", "assignee").order_by("at", "id"))
        )
        .order_by("-raised_at", "id")
    )
    revisions = (
        CheckInRevision.objects.filter(checkin__patient=patient, version__gt=1)
        .select_related("checkin", "changed_by", "entered_by__caregiver")
        .order_by("-changed_at", "-id")
    )
    return Timeline(
        today=today,
        milestones=list(
            PatientMilestone.objects.filter(patient=patient).order_by("-procedure__procedure_date", "opens_on")
        ),
        done_by_milestone=done,
        alerts=list(alerts),
        revisions=list(revisions),
        exercise_weeks=exercise_weeks(patient, now),
    )


# The roster's count of this week's exercise sessions, for many plans at once. The rules are physical therapy's
# (exercises.selectors._ADHERENCE_SQL, which counts one plan): scheduled sessions are the prescription
# versions' (weekday, time) slots joined to the CalendarDay table within each version's days and window of local minute
# keys, only those already due; a record counts if it is for that very occurrence; partly done counts half. Here one
# CTE row per plan carries that plan's own bounds (its procedure day, this ISO week's Monday in the patient's zone,
# and the patient's current local minute), so one query serves the whole page, on PostgreSQL and SQLite alike.
