"""The codes our FHIR resources carry: LOINC where LOINC has the measure, CPT for the procedure, and our own code
system (served as a CodeSystem resource and named in the CapabilityStatement) for what no public system codes.

Choices, with reasons:
- NPRS back and leg pain: LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] - Reported", plus our own
  `back-pain` / `leg-pain` so a client can tell the two sites apart by code as well as by bodySite text.
- Steps: LOINC 41950-7 "Number of steps in 24 hour Measured".
- ODI: LOINC 97909-6 (the Oswestry Disability Index total score, CLINICAL.md).
- Walking and standing tolerance (minutes), the three ZCQ subscale means: no LOINC code found for these, so our own.
- The procedure: CPT 0275T (percutaneous laminotomy/laminectomy, interlaminar approach, under indirect image guidance,
  lumbar), the code MILD is billed under, in the CPT system URI http://www.ama-assn.org/go/cpt; the display is our own
  short wording (CPT descriptors are the AMA's text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings

LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
FLAG_PRIORITY_EXTENSION = "http://hl7.org/fhir/StructureDefinition/flag-priority"
FLAG_PRIORITY = "http://terminology.hl7.org/CodeSystem/flag-priority-code"

MILD_CPT_CODE = "0275T"
MILD_TEXT = "MILD (minimally invasive lumbar decompression)"


def own_system() -> str:
    """Our code system's canonical URL, under the public address of this installation."""
    return f"{settings.APP_URL}/fhir/CodeSystem/mild-recovery"


def questionnaire_url(key: str) -> str:
    return f"{settings.APP_URL}/fhir/Questionnaire/{key}"


# code -> (display, definition). Published as the CodeSystem "mild-recovery".
OWN_CONCEPTS: dict[str, tuple[str, str]] = {
    "back-pain": (
        "Back pain, 0-10",
        "Numeric rating of back pain, 0 (none) to 10 (worst imaginable), patient-reported.",
    ),
    "leg-pain": ("Leg pain, 0-10", "Numeric rating of leg pain, 0 (none) to 10 (worst imaginable), patient-reported."),
    "walking-tolerance": ("Walking tolerance", "Minutes the patient can walk unassisted without stopping."),
    "standing-tolerance": ("Standing tolerance", "Minutes the patient can stand before having to sit or lean."),
    "pain-medication": ("Pain medication taken", "Pain medication taken that day: none, over-the-counter, prescribed."),
    "zcq-symptom-severity": ("ZCQ symptom severity", "Zurich Claudication Questionnaire symptom severity, mean 1-5."),
    "zcq-physical-function": (
        "ZCQ physical function",
        "Zurich Claudication Questionnaire physical function, mean 1-4.",
    ),
    "zcq-satisfaction": ("ZCQ satisfaction", "Zurich Claudication Questionnaire satisfaction, mean 1-4."),
    "red-flag-emergency": ("Emergency red flag", "Go to the emergency department now."),
    "red-flag-urgent": ("Urgent red flag", "Call the clinic within 24 hours."),
    "red-flag-watch": ("Watch", "For the care team to review at the next opportunity."),
    # Adverse events (interop.mapping.safety): what happened, its Clavien-Dindo grade, its relation to the procedure.
    "adverse-event-infection": ("Infection", "Infection after the procedure."),
    "adverse-event-bleeding": ("Bleeding or haematoma", "Bleeding or a haematoma after the procedure."),
    "adverse-event-nerve_injury": ("Nerve injury", "Nerve injury: numbness, tingling or weakness in the legs."),
    "adverse-event-dural_tear": ("Dural tear", "A tear of the dura, the membrane around the spinal fluid."),
    "adverse-event-other": ("Other adverse event", "Another adverse event; the text says what."),
    **{
        f"clavien-dindo-{grade}": (f"Clavien-Dindo grade {grade}", definition)
        for grade, definition in (
            ("I", "Any deviation from the normal course without the need for treatment beyond allowed regimens."),
            ("II", "Requiring pharmacological treatment beyond allowed regimens, transfusion or parenteral nutrition."),
            ("IIIa", "Requiring intervention not under general anaesthesia."),
            ("IIIb", "Requiring intervention under general anaesthesia."),
            ("IVa", "Life-threatening, requiring intensive care: single organ dysfunction."),
            ("IVb", "Life-threatening, requiring intensive care: multi-organ dysfunction."),
            ("V", "Death of the patient."),
        )
    },
    "relatedness-device": ("Device-related", "Related to the device used for the procedure."),
    "relatedness-procedure": ("Procedure-related", "Related to the procedure."),
    "relatedness-not_related": ("Not related", "Not related to the device or the procedure."),
    "relatedness-unknown": ("Relation not yet known", "Relation to the device or procedure not yet assessed."),
}

# Flag priority (http://hl7.org/fhir/StructureDefinition/flag-priority) by alert tier.
TIER_PRIORITY = {
    "emergency": ("PH", "High priority"),
    "urgent": ("PM", "Medium priority"),
    "watch": ("PL", "Low priority"),
}

Source = Literal["checkin", "assessment"]


@dataclass(frozen=True)
class Measure:
    """One kind of Observation: where its value comes from and how it is coded."""

    key: str  # part of the Observation id; our own code unless `loinc` says otherwise
    source: Source
    field: str  # CheckIn field, or score name of the assessment's `scores`
    instrument: str | None  # assessments only
    loinc: tuple[str, str] | None  # (code, display)
    own: bool  # carries our own code too (or only)
    category: str  # observation-category code
    unit: tuple[str, str] | None  # (UCUM code, human unit); None: a coded value
    body_site: str | None = None

    def codings(self) -> list[dict[str, Any]]:
        codings: list[dict[str, Any]] = []
        if self.loinc:
            codings.append({"system": LOINC, "code": self.loinc[0], "display": self.loinc[1]})
        if self.own:
            codings.append({"system": own_system(), "code": self.key, "display": OWN_CONCEPTS[self.key][0]})
        return codings

    def code_tokens(self) -> set[tuple[str, str]]:
        """(system, code) pairs a `code` search may name this measure by."""
        return {(coding["system"], coding["code"]) for coding in self.codings()}


PAIN_LOINC = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
STEPS_LOINC = ("41950-7", "Number of steps in 24 hour Measured")
ODI_LOINC = ("97909-6", "Oswestry Disability Index total score")
SCORE = ("{score}", "score")
MINUTES = ("min", "minutes")

MEASURES: tuple[Measure, ...] = (
    Measure("back-pain", "checkin", "back_pain", None, PAIN_LOINC, True, "survey", SCORE, "Lower back"),
    Measure("leg-pain", "checkin", "leg_pain", None, PAIN_LOINC, True, "survey", SCORE, "Legs"),
    Measure("walking-tolerance", "checkin", "walking_minutes", None, None, True, "survey", MINUTES),
    Measure("standing-tolerance", "checkin", "standing_minutes", None, None, True, "survey", MINUTES),
    Measure("steps", "checkin", "steps", None, STEPS_LOINC, False, "activity", ("/d", "steps per day")),
    Measure("pain-medication", "checkin", "medication", None, None, True, "survey", None),
    Measure("back-pain", "assessment", "back_pain", "pain", PAIN_LOINC, True, "survey", SCORE, "Lower back"),
    Measure("leg-pain", "assessment", "leg_pain", "pain", PAIN_LOINC, True, "survey", SCORE, "Legs"),
    Measure("odi", "assessment", "odi_percent", "odi", ODI_LOINC, False, "survey", ("%", "%")),
    Measure("zcq-symptom-severity", "assessment", "zcq_symptom_severity", "zcq", None, True, "survey", SCORE),
    Measure("zcq-physical-function", "assessment", "zcq_physical_function", "zcq", None, True, "survey", SCORE),
    Measure("zcq-satisfaction", "assessment", "zcq_satisfaction", "zcq", None, True, "survey", SCORE),
    Measure("walking-tolerance", "assessment", "walking_minutes", "tolerance", None, True, "survey", MINUTES),
    Measure("standing-tolerance", "assessment", "standing_minutes", "tolerance", None, True, "survey", MINUTES),
)

CHECKIN_MEASURES = tuple(m for m in MEASURES if m.source == "checkin")
ASSESSMENT_MEASURES = tuple(m for m in MEASURES if m.source == "assessment")
OBSERVATION_CATEGORIES = ("survey", "activity")


def measure_of(source: Source, key: str) -> Measure | None:
    for measure in MEASURES:
        if measure.source == source and measure.key == key:
            return measure
    return None


def code_system_resource() -> dict[str, Any]:
    return {
        "resourceType": "CodeSystem",
        "id": "mild-recovery",
        "url": own_system(),
        "version": "1",
        "name": "MildRecovery",
        "title": "MILD Recovery measures, flags and adverse events",
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "description": (
            "Codes for recovery measures, red-flag tiers and adverse events (kind, Clavien-Dindo grade, relation "
            "to the procedure) that LOINC and FHIR's own code systems do not cover."
        ),
        "count": len(OWN_CONCEPTS),
        "concept": [
            {"code": code, "display": display, "definition": definition}
            for code, (display, definition) in OWN_CONCEPTS.items()
        ],
    }
