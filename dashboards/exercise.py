"""Exercise adherence per ISO week, for the roster (this week) and the patient detail (every week)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from accounts.models import PatientProfile
from exercises.models import ExercisePlan
from exercises.selectors import adherence_window, exercise_adherence
from exercises.sql import AdherenceWindow, Tally, adherence_rows
from recovery.display import iso_week_label
from recovery.selectors import current_procedure


def _exercise_week(monday: dt.date, tally: Tally) -> dict[str, Any]:
    return {
        "week": iso_week_label(monday),
        "starts_on": monday,
        "scheduled": tally.scheduled,
        "completed": tally.completed,
        "adherence": tally.adherence,
    }


def exercise_this_week(patients: Iterable[PatientProfile], now: dt.datetime) -> dict[Any, dict[str, Any]]:
    """Patient id -> this ISO week's exercise adherence in their zone (sessions due so far), for the roster rows of
    `roster()` that have a plan; one query over those plans only (none when no row has a plan), counted by
    exercises.sql as the patient's own adherence is."""
    windows: list[AdherenceWindow] = []
    weeks: dict[uuid.UUID, tuple[Any, dt.date]] = {}
    for patient in patients:
        row: Any = patient
        if row.exercise_plan_id is None:
            continue
        monday = row.today - dt.timedelta(days=row.today.weekday())
        windows.append(adherence_window(row.exercise_plan_id, row.procedure_current_date, patient.zone, now, monday))
        weeks[row.exercise_plan_id] = (patient.pk, monday)
    counted: dict[uuid.UUID, Tally] = defaultdict(Tally)
    for counts in adherence_rows(windows):
        counted[counts.plan_id].add(counts.tally)
    return {patient_id: _exercise_week(monday, counted[plan_id]) for plan_id, (patient_id, monday) in weeks.items()}


def exercise_weeks(patient: PatientProfile, now: dt.datetime) -> list[dict[str, Any]]:
    """Exercise adherence of the current procedure's plan by ISO week, as physical therapy counts it (one SQL
    aggregate, exercises.selectors.exercise_adherence). Empty without a plan."""
    procedure = current_procedure(patient, on=patient.local_today(now))
    plan = (
        ExercisePlan.objects.filter(procedure=procedure).select_related("patient", "procedure").first()
        if procedure is not None
        else None
    )
    if plan is None:
        return []
    return [
        {key: week[key] for key in ("week", "starts_on", "scheduled", "completed", "adherence")}
        for week in exercise_adherence(plan, now)["by_week"]
    ]
