"""A patient's record as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from accounts.models import PatientProfile
from recovery.models import (
    Assessment,
    CheckIn,
)

# --- Patient detail: CSV export ---------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "record", "local_date", "day", "procedure_id", "timepoint", "instrument",
    "back_pain", "leg_pain", "walking_minutes", "standing_minutes", "steps", "medication", "symptoms", "red_flags",
    "note", "odi_percent", "zcq_symptom_severity", "zcq_physical_function", "zcq_satisfaction",
    "recorded_at", "received_at", "version",
)  # fmt: skip
# A cell starting with one of these is read as a formula by spreadsheet programs; patients type free text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def export_csv(patient: PatientProfile) -> str:
    """The patient's check-ins and assessments as one CSV table, in date order (check-ins before assessments on the
    same day). `record` says which a row is; assessment rows fill the columns of their instrument's scores (pain:
    back_pain and leg_pain; tolerance: walking_minutes and standing_minutes; odi; zcq). Two queries."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    rows: list[tuple[dt.date, int, str, dict[str, Any]]] = []
    for checkin in CheckIn.objects.filter(patient=patient).select_related("procedure").order_by("local_date"):
        rows.append(
            (
                checkin.local_date,
                0,
                "",
                {
                    "record": "checkin",
                    "local_date": checkin.local_date.isoformat(),
                    "day": checkin.procedure.day_number(checkin.local_date) if checkin.procedure else "",
                    "procedure_id": checkin.procedure_id or "",
                    "back_pain": checkin.back_pain,
                    "leg_pain": checkin.leg_pain,
                    "walking_minutes": checkin.walking_minutes,
                    "standing_minutes": checkin.standing_minutes,
                    "steps": "" if checkin.steps is None else checkin.steps,
                    "medication": checkin.medication,
                    "symptoms": ";".join(checkin.symptoms),
                    "red_flags": ";".join(checkin.red_flags),
                    "note": checkin.note,
                    "recorded_at": checkin.recorded_at.isoformat(),
                    "received_at": checkin.received_at.isoformat(),
                    "version": checkin.version,
                },
            )
        )
    for assessment in Assessment.objects.filter(patient=patient).select_related("procedure").order_by("completed_at"):
        scores = {name: ("" if value is None else value) for name, value in assessment.scores.items()}
        rows.append(
            (
                assessment.local_date,
                1,
                assessment.instrument,
                {
                    "record": "assessment",
                    "local_date": assessment.local_date.isoformat(),
                    "day": assessment.procedure.day_number(assessment.local_date),
                    "procedure_id": assessment.procedure_id,
                    "timepoint": assessment.timepoint,
                    "instrument": assessment.instrument,
                    **scores,
                    "recorded_at": assessment.completed_at.isoformat(),
                },
            )
        )
    for _, _, _, row in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()
