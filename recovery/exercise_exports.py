"""The physical therapy part of a patient's own data export: every plan with its full version history, and every
exercise session recorded."""

from __future__ import annotations

from typing import Any

from accounts.models import PatientProfile
from recovery.exercise_selectors import exercise_plans_with_history
from recovery.exercise_serializers import ExerciseRecordOut, PlanOut
from recovery.models import ExerciseRecord


def exercise_plans_export(patient: PatientProfile) -> list[dict[str, Any]]:
    plans = exercise_plans_with_history().filter(patient=patient)
    return list(PlanOut(plans, many=True, context={"today": patient.local_today()}).data)


def exercise_records_export(patient: PatientProfile) -> list[dict[str, Any]]:
    records = (
        ExerciseRecord.objects.filter(patient=patient)
        .select_related("version", "prescription__exercise")
        .order_by("local_date", "local_time")
    )
    return [{**ExerciseRecordOut(record).data, "exercise": record.prescription.exercise.name} for record in records]
