"""Procedure, Observation and Flag."""

from __future__ import annotations

import uuid
from typing import Any

from interop import codes
from interop.codes import Measure
from interop.mapping.common import instant, meta, ref
from interop.sources import Alert, Assessment, CheckIn, Medication, Procedure, ProcedureStatus, Side

PROCEDURE_STATUS = {
    ProcedureStatus.SCHEDULED: "preparation",
    ProcedureStatus.DONE: "completed",
    ProcedureStatus.CANCELLED: "not-done",
}
SIDE_TEXT = {Side.LEFT: "left side", Side.RIGHT: "right side", Side.BILATERAL: "both sides"}


def procedure(row: Procedure) -> dict[str, Any]:
    side = SIDE_TEXT.get(row.side, row.side)  # type: ignore[call-overload]
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": str(row.pk),
        "status": PROCEDURE_STATUS[row.status],  # type: ignore[index]
        "code": {
            "coding": [{"system": codes.CPT, "code": codes.MILD_CPT_CODE}],
            "text": codes.MILD_TEXT,
        },
        "subject": ref("Patient", row.patient_id),
        "performedDateTime": row.procedure_date.isoformat(),
        "bodySite": [{"text": f"Lumbar {level}, {side}"} for level in row.levels],
    }
    if row.performed_by_id:
        resource["performer"] = [{"actor": ref("Practitioner", row.performed_by_id)}]
    if row.created_by_id:
        resource["recorder"] = ref("Practitioner", row.created_by_id)
    if row.notes:
        resource["note"] = [{"text": row.notes}]
    return resource


# --- Observations -----------------------------------------------------------------------------------------------------

CHECKIN_PREFIX = "ci-"
ASSESSMENT_PREFIX = "as-"


def observation_id(prefix: str, row_id: uuid.UUID, measure: Measure) -> str:
    return f"{prefix}{row_id}-{measure.key}"


def parse_observation_id(value: str) -> tuple[codes.Source, uuid.UUID, str] | None:
    """("checkin" | "assessment", row id, measure key) from an Observation id, or None when it is not one of ours."""
    for prefix, source in ((CHECKIN_PREFIX, "checkin"), (ASSESSMENT_PREFIX, "assessment")):
        if value.startswith(prefix) and len(value) > len(prefix) + 37 and value[len(prefix) + 36] == "-":
            try:
                row_id = uuid.UUID(value[len(prefix) : len(prefix) + 36])
            except ValueError:
                return None
            return source, row_id, value[len(prefix) + 37 :]  # type: ignore[return-value]
    return None


def _value(measure: Measure, value: Any) -> dict[str, Any]:
    if measure.unit is None:
        return {"valueCodeableConcept": {"text": str(Medication(value).label)}}
    ucum, unit = measure.unit
    return {"valueQuantity": {"value": value, "unit": unit, "system": codes.UCUM, "code": ucum}}


def _observation(
    measure: Measure, resource_id: str, patient_id: object, value: Any, questionnaire_response: str
) -> dict[str, Any]:
    display = codes.OWN_CONCEPTS[measure.key][0] if measure.own else (measure.loinc[1] if measure.loinc else "")
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": measure.category}]}],
        "code": {"coding": measure.codings(), "text": display},
        "subject": ref("Patient", patient_id),
        **_value(measure, value),
        "derivedFrom": [ref("QuestionnaireResponse", questionnaire_response)],
    }
    if measure.body_site:
        resource["bodySite"] = {"text": measure.body_site}
    return resource


def checkin_observation(row: CheckIn, measure: Measure) -> dict[str, Any] | None:
    value = getattr(row, measure.field)
    if value is None:
        return None
    resource = _observation(
        measure, observation_id(CHECKIN_PREFIX, row.pk, measure), row.patient_id, value, f"{CHECKIN_PREFIX}{row.pk}"
    )
    if row.version > 1:
        resource["status"] = "amended"
    resource.update(meta(row.updated_at))
    resource["effectiveDateTime"] = instant(row.recorded_at)
    resource["issued"] = instant(row.received_at)
    if row.procedure_id:
        resource["partOf"] = [ref("Procedure", row.procedure_id)]
    return resource


def assessment_observation(row: Assessment, measure: Measure) -> dict[str, Any] | None:
    value = row.scores.get(measure.field)
    if value is None:
        return None
    resource = _observation(
        measure,
        observation_id(ASSESSMENT_PREFIX, row.pk, measure),
        row.patient_id,
        value,
        f"{ASSESSMENT_PREFIX}{row.pk}",
    )
    resource.update(meta(row.completed_at))
    resource["effectiveDateTime"] = instant(row.completed_at)
    resource["issued"] = instant(row.completed_at)
    resource["partOf"] = [ref("Procedure", row.procedure_id)]
    return resource


def checkin_observations(row: CheckIn) -> list[dict[str, Any]]:
    return [o for m in codes.CHECKIN_MEASURES if (o := checkin_observation(row, m)) is not None]


def assessment_observations(row: Assessment) -> list[dict[str, Any]]:
    return [
        o for m in codes.ASSESSMENT_MEASURES if m.instrument == row.instrument and (o := assessment_observation(row, m))
    ]


# --- Flags ------------------------------------------------------------------------------------------------------------


def flag(alert: Alert) -> dict[str, Any]:
    """An unresolved alert (open or acknowledged) as an active Flag, with its tier as code and priority."""
    priority, priority_display = codes.TIER_PRIORITY[alert.tier]
    tier_code = f"red-flag-{alert.tier}"
    last = max(t for t in (alert.raised_at, alert.acknowledged_at, alert.resolved_at) if t is not None)
    return {
        "resourceType": "Flag",
        "id": str(alert.pk),
        **meta(last),
        "extension": [
            {
                "url": codes.FLAG_PRIORITY_EXTENSION,
                "valueCodeableConcept": {
                    "coding": [{"system": codes.FLAG_PRIORITY, "code": priority, "display": priority_display}]
                },
            }
        ],
        "status": "active",
        "category": [{"coding": [{"system": codes.FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}],
        "code": {
            "coding": [{"system": codes.own_system(), "code": tier_code, "display": codes.OWN_CONCEPTS[tier_code][0]}],
            "text": alert.title,
        },
        "subject": ref("Patient", alert.patient_id),
        "period": {"start": instant(alert.raised_at)},
    }
