"""Questionnaire (ODI, ZCQ, pain rating, standing and walking, the daily check-in) and QuestionnaireResponse (each
answered one). The scored values are Observations whose `derivedFrom` points back at the response."""

from __future__ import annotations

from typing import Any

from interop import codes
from interop.mapping.clinical import ASSESSMENT_PREFIX, CHECKIN_PREFIX
from interop.mapping.common import instant, meta, ref
from interop.sources import RED_FLAG_QUESTIONS, RULE_SET_VERSION, SYMPTOMS, Assessment, CheckIn, Medication, instruments

DAILY_CHECKIN = "daily-check-in"
RED_FLAG_PREFIX = "red-flag."


def _instrument_item(item: instruments.Item) -> dict[str, Any]:
    question: dict[str, Any] = {"linkId": item.key, "text": item.text, "required": item.required}
    if item.options:
        question["type"] = "choice"
        question["answerOption"] = [{"valueCoding": {"code": str(o.value), "display": o.label}} for o in item.options]
    else:
        question["type"] = "integer"
    return question


def _questionnaire(key: str, version: str, title: str, description: str, items: list[dict[str, Any]]) -> dict:
    return {
        "resourceType": "Questionnaire",
        "id": key,
        "url": codes.questionnaire_url(key),
        "version": version,
        "name": "".join(part.capitalize() for part in key.replace("-", "_").split("_")),
        "title": title,
        "status": "active",
        "subjectType": ["Patient"],
        "description": description,
        "item": items,
    }


def instrument_questionnaire(instrument: instruments.Instrument) -> dict[str, Any]:
    return _questionnaire(
        instrument.key,
        instrument.version,
        instrument.title,
        instrument.instructions,
        [_instrument_item(item) for item in instrument.items],
    )


def _integer(link_id: str, text: str, required: bool = True) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "type": "integer", "required": required}


def checkin_questionnaire() -> dict[str, Any]:
    items = [
        _integer("back_pain", "Back pain today, 0 (none) to 10 (worst imaginable)"),
        _integer("leg_pain", "Leg pain today, 0 (none) to 10 (worst imaginable)"),
        _integer("walking_minutes", "Minutes walked without stopping"),
        _integer("standing_minutes", "Minutes stood without having to sit"),
        _integer("steps", "Steps today (from a phone or watch)", required=False),
        {
            "linkId": "medication",
            "text": "Pain medication taken today",
            "type": "choice",
            "required": True,
            "answerOption": [{"valueCoding": {"code": m.value, "display": str(m.label)}} for m in Medication],
        },
        {
            "linkId": "symptoms",
            "text": "Symptoms today",
            "type": "choice",
            "repeats": True,
            "required": False,
            "answerOption": [{"valueCoding": {"code": s.key, "display": s.label}} for s in SYMPTOMS],
        },
        *[
            {"linkId": f"{RED_FLAG_PREFIX}{q.key}", "text": q.question, "type": "boolean", "required": False}
            for q in RED_FLAG_QUESTIONS
        ],
        {"linkId": "note", "text": "Anything else for the care team", "type": "text", "required": False},
    ]
    return _questionnaire(
        DAILY_CHECKIN,
        str(RULE_SET_VERSION),
        "Daily check-in",
        "How the patient is today: pain, walking and standing, steps, medication, symptoms and warning signs.",
        items,
    )


def questionnaires() -> dict[str, dict[str, Any]]:
    """Every Questionnaire we serve, by id."""
    served = {key: instrument_questionnaire(ins) for key, ins in instruments.INSTRUMENTS.items()}
    served[DAILY_CHECKIN] = checkin_questionnaire()
    return served


def _answered(link_id: str, answers: list[dict[str, Any]], text: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link_id, "answer": answers}
    if text:
        item["text"] = text
    return item


def checkin_response(row: CheckIn) -> dict[str, Any]:
    symptoms = {s.key: s.label for s in SYMPTOMS}
    items = [
        _answered(field, [{"valueInteger": getattr(row, field)}])
        for field in ("back_pain", "leg_pain", "walking_minutes", "standing_minutes", "steps")
        if getattr(row, field) is not None
    ]
    items.append(
        _answered(
            "medication", [{"valueCoding": {"code": row.medication, "display": str(Medication(row.medication).label)}}]
        )
    )
    if row.symptoms:
        items.append(
            _answered("symptoms", [{"valueCoding": {"code": k, "display": symptoms.get(k, k)}} for k in row.symptoms])
        )
    flagged = set(row.red_flags)
    items += [_answered(f"{RED_FLAG_PREFIX}{q.key}", [{"valueBoolean": q.key in flagged}]) for q in RED_FLAG_QUESTIONS]
    if row.note:
        items.append(_answered("note", [{"valueString": row.note}]))
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"{CHECKIN_PREFIX}{row.pk}",
        **meta(row.updated_at),
        "questionnaire": codes.questionnaire_url(DAILY_CHECKIN),
        "status": "amended" if row.version > 1 else "completed",
        "subject": ref("Patient", row.patient_id),
        "authored": instant(row.recorded_at),
        "author": ref("Patient", row.patient_id),
        "source": ref("Patient", row.patient_id),
        "item": items,
    }
    if row.procedure_id:
        resource["partOf"] = [ref("Procedure", row.procedure_id)]
    return resource


def assessment_response(row: Assessment) -> dict[str, Any]:
    instrument = instruments.INSTRUMENTS.get(row.instrument)
    items: list[dict[str, Any]] = []
    for key, value in row.answers.items():
        if value is None:
            continue
        item = instrument.item(key) if instrument else None
        labels = {o.value: o.label for o in item.options} if item else {}
        if labels:
            answer = {"valueCoding": {"code": str(value), "display": labels.get(value, str(value))}}
        else:
            answer = {"valueInteger": value}
        items.append(_answered(key, [answer]))
    author = "Patient" if row.recorded_by_id == row.patient_id else "Practitioner"
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"{ASSESSMENT_PREFIX}{row.pk}",
        **meta(row.completed_at),
        "questionnaire": f"{codes.questionnaire_url(row.instrument)}|{row.instrument_version}",
        "status": "completed",
        "subject": ref("Patient", row.patient_id),
        "partOf": [ref("Procedure", row.procedure_id)],
        "authored": instant(row.completed_at),
        "author": ref(author, row.recorded_by_id),
        "source": ref("Patient", row.patient_id),
        "item": items,
    }
