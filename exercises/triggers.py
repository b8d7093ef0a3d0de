"""What an exercise-pain alert shows its clinician (recovery.triggers reads it through the reader registered in
ExercisesConfig.ready): the exercise and the sessions that raised it, each with what the patient answered and when,
like a check-in trigger. The alert's details list the two sessions (earlier first) by occurrence key; the trigger's
record is the later one."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q

from exercises.models import ExerciseRecord
from exercises.selectors import parse_occurrence_key
from recovery.models import Alert


def _session(record: ExerciseRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "occurrence": record.occurrence_key,
        "local_date": record.local_date,
        "local_time": f"{record.local_time:%H:%M}",
        "recorded_at": record.recorded_at,
        "state": record.state,
        "state_label": record.get_state_display(),
        "pain_during": record.pain_during,
        "difficulty": record.difficulty or None,
        "difficulty_label": record.get_difficulty_display() if record.difficulty else None,
        "dose": record.version.dose,
    }


def exercise_trigger(alert: Alert, record_id: uuid.UUID) -> dict[str, Any] | None:
    """{exercise, prescription, sessions}: the sessions named in the alert (oldest first), else the triggering one;
    None when the triggering record is not the patient's."""
    record = (
        ExerciseRecord.objects.select_related("prescription__exercise", "version")
        .filter(patient_id=alert.patient_id, pk=record_id)
        .first()
    )
    if record is None:
        return None
    named = Q()
    for session in (alert.details or {}).get("sessions", []):
        parsed = parse_occurrence_key(str(session.get("occurrence", "")))
        if parsed is not None and parsed[0] == record.prescription_id:
            named |= Q(local_date=parsed[1], local_time=parsed[2])
    sessions = [record]
    if named:
        sessions = list(
            ExerciseRecord.objects.select_related("version")
            .filter(named, patient_id=alert.patient_id, prescription_id=record.prescription_id)
            .order_by("local_date", "local_time")
        ) or [record]
    return {
        "exercise": record.prescription.exercise.name,
        "prescription": record.prescription_id,
        "sessions": [_session(s) for s in sessions],
    }
