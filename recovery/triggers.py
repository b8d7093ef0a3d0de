"""What raised an alert, for the clinician who opens it: the check-in or assessments behind it with every answer, the
rule's plain explanation, and how to reach the patient (recovery.api.alerts, GET /alerts/{id}).

Alert.trigger is "<kind>:<ref>" (recovery.rules): "checkin:<uuid>" for the red flags, pain and leg-weakness rules,
"milestone:<uuid>" for the milestone rules (the assessments done for it), "gap-since:<date>" for missed check-ins, and
"exercise-record:<id>" for the exercise-pain rule. Recovery does not read the apps above it: an app whose records raise
alerts registers a reader for its kind at start-up (trigger_reader_register, as exercises does for its sessions), and
its answer is the trigger's part under that kind's name.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from accounts.models import PatientProfile
from recovery.content.healthcare_use import HEALTHCARE_USE_RULE
from recovery.content.protocol_default import SYMPTOMS
from recovery.content.red_flags import RULE_SETS, RuleSet
from recovery.models import Alert, Assessment, CheckIn

_SYMPTOM_LABELS = {s.key: s.label for s in SYMPTOMS}
_KINDS = {"checkin": "checkin", "milestone": "milestone", "gap-since": "missed_checkins", "exercise-record": "exercise"}

# kind -> reader(alert, reference id) -> that kind's part of the trigger (None when the record is gone).
TriggerReader = Callable[[Alert, uuid.UUID], dict[str, Any] | None]
_readers: dict[str, TriggerReader] = {}


def trigger_reader_register(kind: str, reader: TriggerReader) -> None:
    """An app above recovery says how to read the records of `kind` (one of _KINDS' values) that raise alerts."""
    if kind not in _KINDS.values():
        raise ValueError(f"Unknown trigger kind: {kind}")
    _readers[kind] = reader


def _rule_set(version: int) -> RuleSet:
    return RULE_SETS.get(version, RULE_SETS[max(RULE_SETS)])


def _checkin(checkin: CheckIn, rule_set: RuleSet) -> dict[str, Any]:
    questions = {q.key: q for q in rule_set.questions}
    # Every question of the alert's rule-set version, with the patient's answer (keys the version did not ask, from
    # a check-in answered under another version, are listed after them with their key as wording).
    answered = set(checkin.red_flags)
    red_flags = [
        {"key": q.key, "tier": q.tier, "question": q.question, "answer": q.key in answered} for q in rule_set.questions
    ]
    red_flags += [
        {"key": key, "tier": None, "question": key, "answer": True} for key in checkin.red_flags if key not in questions
    ]
    return {
        "id": checkin.pk,
        "local_date": checkin.local_date,
        "recorded_at": checkin.recorded_at,
        "back_pain": checkin.back_pain,
        "leg_pain": checkin.leg_pain,
        "walking_minutes": checkin.walking_minutes,
        "standing_minutes": checkin.standing_minutes,
        "steps": checkin.steps,
        "medication": checkin.medication,
        "medication_label": checkin.get_medication_display(),
        "symptoms": [{"key": key, "label": _SYMPTOM_LABELS.get(key, key)} for key in checkin.symptoms],
        "red_flags": red_flags,
        "healthcare_use": checkin.healthcare_use,
        "note": checkin.note,
    }


def _assessment(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "instrument": assessment.instrument,
        "instrument_version": assessment.instrument_version,
        "timepoint": assessment.timepoint,
        "local_date": assessment.local_date,
        "completed_at": assessment.completed_at,
        "answers": assessment.answers,
        "scores": assessment.scores,
    }


def alert_trigger(alert: Alert) -> dict[str, Any]:
    """{key, kind, reference, explanation, checkin, assessments, exercise}: checkin is null unless a check-in raised
    the alert, exercise unless exercise sessions did; assessments is empty unless a milestone did."""
    rule_set = _rule_set(alert.rule_set_version)
    rule = next((r for r in rule_set.rules if r.key == alert.rule), None)
    if alert.rule == HEALTHCARE_USE_RULE.key:  # versioned apart from the red-flag rule sets
        rule = HEALTHCARE_USE_RULE
    prefix, _, reference = alert.trigger.partition(":")
    result: dict[str, Any] = {
        "key": alert.trigger,
        "kind": _KINDS.get(prefix, "other"),
        "reference": reference,
        "explanation": rule.explanation if rule else None,
        "checkin": None,
        "assessments": [],
        "exercise": None,
    }
    try:
        reference_id = uuid.UUID(reference)
    except ValueError:
        return result
    if prefix == "checkin":
        checkin = CheckIn.objects.filter(patient_id=alert.patient_id, pk=reference_id).first()
        result["checkin"] = _checkin(checkin, rule_set) if checkin else None
    elif prefix == "milestone":
        assessments = Assessment.objects.filter(patient_id=alert.patient_id, milestone_id=reference_id).order_by(
            "completed_at", "instrument"
        )
        result["assessments"] = [_assessment(a) for a in assessments]
    elif result["kind"] in _readers:
        result[result["kind"]] = _readers[result["kind"]](alert, reference_id)
    return result


def patient_contact(patient: PatientProfile) -> dict[str, Any]:
    """How to reach the patient and their emergency contact (what PatientProfile holds; blank fields are null)."""
    return {
        "name": patient.user.full_name or patient.user.email,
        "phone": patient.phone or None,
        "email": patient.user.email,
        "emergency_contact": {
            "name": patient.emergency_contact_name or None,
            "phone": patient.emergency_contact_phone or None,
            "relationship": patient.emergency_contact_relationship or None,
        }
        if (patient.emergency_contact_name or patient.emergency_contact_phone)
        else None,
    }
