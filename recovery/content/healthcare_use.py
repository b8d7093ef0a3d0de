"""The weekly health-care use question of the check-in, versioned like the red-flag questions: a check-in stores the
version it answered, and changing the wording means a new version here (the old ones stay, for the check-ins that
answered them). A "yes" raises a watch alert (rule HEALTHCARE_USE_RULE) and opens a draft adverse event for the care
team to complete or dismiss (recovery.safety).

Asked once a week: on a check-in day of a done procedure when the patient has not answered it on any of the
ASK_EVERY_DAYS - 1 days before (read with the streak in recovery.selectors.latest_checkin_days).

Source: /work/shared/CLINICAL.md, "Adverse events". Patient-facing text is for readers aged 60-85.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from recovery.content.protocol_default import AlertRule

ASK_EVERY_DAYS: Final = 7


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthcareUseQuestion:
    version: int
    question: str
    help_text: str
    # Every other language, frozen with the version: {"es": {"question": ..., "help_text": ...}}.
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


QUESTIONS: Final[Mapping[int, HealthcareUseQuestion]] = {
    1: HealthcareUseQuestion(
        version=1,
        question="Since last week, have you been to an emergency department, or stayed in hospital?",
        help_text=(
            "Please answer yes for any visit or stay, even if it was not about your back. "
            "Your care team will get in touch to hear what happened."
        ),
        translations={
            "es": {
                "question": (
                    "Desde la semana pasada, ¿ha ido a una sala de emergencias, o ha pasado la noche en un hospital?"
                ),
                "help_text": (
                    "Por favor, responda que sí por cualquier visita o estadía, aunque no haya sido por su espalda. "
                    "Su equipo de atención se comunicará con usted para saber qué pasó."
                ),
            }
        },
    ),
}
CURRENT: Final = QUESTIONS[max(QUESTIONS)]

HEALTHCARE_USE_RULE: Final = AlertRule(
    key="healthcare_use",
    title="Emergency visit or hospital stay reported",
    tier="watch",
    explanation=(
        "At the weekly question the patient said they went to an emergency department or stayed in hospital since "
        "last week. A draft adverse event was opened for this procedure: find out what happened, then complete the "
        "record (what, Clavien-Dindo grade, dates, relation to the device or procedure, outcome) or dismiss it."
    ),
)
