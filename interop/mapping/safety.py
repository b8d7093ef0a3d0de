"""AdverseEvent: the adverse events clinicians recorded after a procedure (drafts the weekly question opened, and
dismissed drafts, are not served: they are not events).

FHIR R4 has no element for a surgical complication grade or for the health care an event led to, so both are
extensions under this installation's address (adverse_event_extension_url); the grade is also published as codes of
our CodeSystem, and seriousness follows it: serious from Clavien-Dindo IIIa (an intervention under anaesthesia, ICU or
death), or with a hospital admission or further surgery.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from interop import codes
from interop.mapping.common import instant, meta, ref
from interop.sources import SERIOUS_GRADES, AdverseEvent

SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
CATEGORY = "http://terminology.hl7.org/CodeSystem/adverse-event-category"
# Our outcome -> FHIR's (adverse-event-outcome has no "resolved with lasting effects" of another name).
OUTCOMES = {
    "ongoing": ("ongoing", "Ongoing"),
    "resolved": ("resolved", "Resolved"),
    "resolved_with_sequelae": ("resolvedWithSequelae", "Resolved with Sequelae"),
    "fatal": ("fatal", "Fatal"),
    "unknown": ("unknown", "Unknown"),
}


def adverse_event_extension_url(name: str) -> str:
    return f"{settings.APP_URL}/fhir/StructureDefinition/adverse-event-{name}"


def _own(code: str) -> dict[str, Any]:
    return {"coding": [{"system": codes.own_system(), "code": code, "display": codes.OWN_CONCEPTS[code][0]}]}


def adverse_event(row: AdverseEvent) -> dict[str, Any]:
    serious = row.grade in SERIOUS_GRADES or row.hospital_admission or row.further_surgery or row.outcome == "fatal"
    outcome_code, outcome_display = OUTCOMES[row.outcome]
    kind = {**_own(f"adverse-event-{row.kind}"), "text": row.kind_other or row.get_kind_display()}
    grade = adverse_event_extension_url("clavien-dindo-grade")
    seriousness = ("serious", "Serious") if serious else ("non-serious", "Non-serious")
    resource: dict[str, Any] = {
        "resourceType": "AdverseEvent",
        "id": str(row.pk),
        **meta(row.updated_at),
        "extension": [
            {"url": grade, "valueCodeableConcept": _own(f"clavien-dindo-{row.grade}")},
            {"url": adverse_event_extension_url("emergency-visit"), "valueBoolean": row.emergency_visit},
            {"url": adverse_event_extension_url("hospital-admission"), "valueBoolean": row.hospital_admission},
            {"url": adverse_event_extension_url("further-surgery"), "valueBoolean": row.further_surgery},
        ],
        "actuality": "actual",
        "category": [{"coding": [{"system": CATEGORY, "code": "procedure", "display": "Procedure"}]}],
        "event": kind,
        "subject": ref("Patient", row.patient_id),
        "date": row.onset_date.isoformat() if row.onset_date else None,
        "seriousness": {"coding": [{"system": SERIOUSNESS, "code": seriousness[0], "display": seriousness[1]}]},
        "outcome": {"coding": [{"system": OUTCOME, "code": outcome_code, "display": outcome_display}]},
        "suspectEntity": [
            {
                "instance": ref("Procedure", row.procedure_id),
                "causality": [{"assessment": _own(f"relatedness-{row.relatedness}")}],
            }
        ],
    }
    if row.recorded_at is not None:
        resource["recordedDate"] = instant(row.recorded_at)
    if row.recorded_by_id:
        resource["recorder"] = ref("Practitioner", row.recorded_by_id)
    return {key: value for key, value in resource.items() if value is not None}
