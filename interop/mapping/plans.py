"""CarePlan (the recovery protocol of each procedure, and its exercise plan) and Goal (the milestones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from interop.mapping.common import ref
from interop.sources import (
    ExercisePlan,
    PatientMilestone,
    Prescription,
    PrescriptionVersion,
    Procedure,
    ProcedureStatus,
)

PROTOCOL_PREFIX = "protocol-"
EXERCISE_PREFIX = "exercise-"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def plan_status(procedure: Procedure, superseded: bool) -> str:
    """A done procedure's plans are active until a later done procedure takes over; scheduled ones are drafts."""
    if procedure.status == ProcedureStatus.SCHEDULED:
        return "draft"
    if procedure.status == ProcedureStatus.CANCELLED:
        return "revoked"
    return "completed" if superseded else "active"


def _on(procedure: Procedure, day: int | None) -> str | None:
    return None if day is None else (procedure.procedure_date + dt.timedelta(days=day)).isoformat()


def protocol_care_plan(
    procedure: Procedure, milestones: list[PatientMilestone], superseded: bool, today: dt.date
) -> dict[str, Any]:
    status = plan_status(procedure, superseded)
    day = procedure.day_number(today)
    activities = []
    for phase in procedure.protocol.phases.all():
        if status in ("draft", "revoked"):
            state = "not-started" if status == "draft" else "cancelled"
        elif day < phase.start_day:
            state = "not-started"
        elif phase.end_day is None or day <= phase.end_day:
            state = "in-progress"
        else:
            state = "completed"
        period = {"start": _on(procedure, phase.start_day)}
        if phase.end_day is not None:
            period["end"] = _on(procedure, phase.end_day)
        description = " ".join([phase.summary, *phase.instructions])
        activities.append(
            {
                "detail": {
                    "code": {"text": phase.title},
                    "status": state,
                    "scheduledPeriod": period,
                    "description": description,
                }
            }
        )
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": f"{PROTOCOL_PREFIX}{procedure.pk}",
        "status": status,
        "intent": "plan",
        "category": [{"text": "Recovery protocol"}],
        "title": f"{procedure.protocol.name} v{procedure.protocol.version}",
        "subject": ref("Patient", procedure.patient_id),
        "period": {"start": procedure.procedure_date.isoformat()},
        "goal": [ref("Goal", m.pk) for m in milestones],
        "activity": activities,
    }
    if not resource["goal"]:
        del resource["goal"]
    return resource


def dose_text(dose: dict[str, Any]) -> str:
    if "minutes" in dose:
        return f"{dose['minutes']} minutes"
    text = f"{dose.get('sets', 1)} sets of {dose.get('reps', 1)}"
    if "hold_seconds" in dose:
        text += f", hold {dose['hold_seconds']} seconds"
    return text


def _current_version(prescription: Prescription) -> PrescriptionVersion | None:
    versions = list(prescription.versions.all())
    open_versions = [v for v in versions if v.until_key is None]
    return open_versions[0] if open_versions else (versions[-1] if versions else None)


def exercise_care_plan(plan: ExercisePlan, prescriptions: list[Prescription], superseded: bool) -> dict[str, Any]:
    procedure = plan.procedure
    activities = []
    for prescription in prescriptions:
        version = _current_version(prescription)
        if version is None:
            continue
        if prescription.ended_at is not None:
            state = "stopped"
        elif version.held:
            state = "on-hold"
        else:
            state = "scheduled"
        bounds = {"start": _on(procedure, version.first_day)}
        if version.last_day is not None:
            bounds["end"] = _on(procedure, version.last_day)
        repeat: dict[str, Any] = {
            "boundsPeriod": bounds,
            "frequency": max(version.times_per_day, 1),
            "period": 1,
            "periodUnit": "d",
            "dayOfWeek": [WEEKDAYS[d] for d in sorted(version.days_of_week)],
        }
        if version.times_of_day:
            repeat["timeOfDay"] = [f"{t}:00" for t in version.times_of_day]
        activities.append(
            {
                "detail": {
                    "code": {"text": prescription.exercise.name},
                    "status": state,
                    "scheduledTiming": {"repeat": repeat},
                    "description": dose_text(version.dose),
                }
            }
        )
    return {
        "resourceType": "CarePlan",
        "id": f"{EXERCISE_PREFIX}{plan.pk}",
        "status": plan_status(procedure, superseded),
        "intent": "plan",
        "category": [{"text": "Exercise plan"}],
        "title": "Physical therapy: stretching, strengthening and low-impact aerobic exercise",
        "subject": ref("Patient", plan.patient_id),
        "partOf": [ref("CarePlan", f"{PROTOCOL_PREFIX}{procedure.pk}")],
        "period": {"start": procedure.procedure_date.isoformat()},
        "created": plan.created_at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "activity": activities,
    }


ACHIEVEMENT = {
    "upcoming": None,
    "open": "in-progress",
    "overdue": "no-progress",
    "missed": "not-achieved",
    "completed": "achieved",
}


def goal(milestone: PatientMilestone, today: dt.date) -> dict[str, Any]:
    state = str(milestone.status_on(today))
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": str(milestone.pk),
        "lifecycleStatus": "completed" if milestone.completed_at else "active",
        "description": {"text": milestone.title},
        "subject": ref("Patient", milestone.patient_id),
        "startDate": milestone.opens_on.isoformat(),
        "target": [{"dueDate": milestone.target_on.isoformat()}],
    }
    achievement = ACHIEVEMENT.get(state)
    if achievement:
        resource["achievementStatus"] = {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": achievement}]
        }
    if milestone.patient_text:
        resource["note"] = [{"text": milestone.patient_text}]
    return resource
