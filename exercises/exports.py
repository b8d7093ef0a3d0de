"""The physical therapy part of a patient's own data export: every plan with its full version history, and every
exercise session recorded."""

from __future__ import annotations

from typing import Any

from accounts.models import PatientProfile
from exercises.models import ExerciseRecord
from exercises.selectors import exercise_plans_with_history
from exercises.serializers import ExerciseRecordOut, PlanOut


def exercise_plans_export(patient: PatientProfile) -> list[dict[str, Any]]:
    plans = exercise_plans_with_history().filter(patient=patient)
    return list(PlanOut(plans, many=True, context={"today": patient.local_today()}).data)


def exercise_records_export(patient: PatientProfile) -> list[dict[str, Any]]:
    records = (
        ExerciseRecord.objects.filter(patient=patient)
        .select_related("version", "prescription__exercise", "entered_by__caregiver")
        .order_by("local_date", "local_time")
    )
    return [{**ExerciseRecordOut(record).data, "exercise": record.prescription.exercise.name} for record in records]
