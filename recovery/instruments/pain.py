"""Pain (NPRS, back and leg apart) and standing and walking tolerance in minutes: each answer is its own score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from recovery.instruments.base import TOLERANCE_MAX_MINUTES, Instrument, Item, Option, _answered, _check

_NPRS_OPTIONS = (
    Option(0, "0 - no pain"),
    *(Option(value, str(value)) for value in range(1, 10)),
    Option(10, "10 - the worst pain you can imagine"),
)

PAIN = Instrument(
    key="pain",
    version="nprs-1",
    title="Pain rating",
    instructions="Pick a number from 0 (no pain) to 10 (the worst pain you can imagine).",
    items=(
        Item(
            "back_pain",
            "On average over the last 24 hours, how bad has the pain in your back been?",
            _NPRS_OPTIONS,
            required=True,
        ),
        Item(
            "leg_pain",
            "On average over the last 24 hours, how bad has the pain in your legs been?",
            _NPRS_OPTIONS,
            required=True,
        ),
    ),
    translations={
        "es": {
            "title": "Nivel de dolor",
            "instructions": "Elija un número del 0 (sin dolor) al 10 (el peor dolor que se pueda imaginar).",
            "items": {
                "back_pain": "En promedio, en las últimas 24 horas, ¿qué tan fuerte ha sido el dolor de espalda?",
                "leg_pain": "En promedio, en las últimas 24 horas, ¿qué tan fuerte ha sido el dolor de piernas?",
            },
            "options": {"0": "0 - sin dolor", "10": "10 - el peor dolor que se pueda imaginar"},
        }
    },
)

TOLERANCE = Instrument(
    key="tolerance",
    version="mild-1",
    title="Standing and walking",
    instructions="Give your best guess in minutes. If you cannot do it at all, enter 0.",
    items=(
        Item(
            "standing_minutes",
            "How many minutes can you stand in one place before you have to sit down or lean on something?",
            required=True,
            minimum=0,
            maximum=TOLERANCE_MAX_MINUTES,
            unit="minutes",
        ),
        Item(
            "walking_minutes",
            "How many minutes can you walk on your own, without help and without stopping to rest?",
            required=True,
            minimum=0,
            maximum=TOLERANCE_MAX_MINUTES,
            unit="minutes",
        ),
    ),
    translations={
        "es": {
            "title": "Estar de pie y caminar",
            "instructions": "Calcule los minutos lo mejor que pueda. Si no puede hacerlo, escriba 0.",
            "items": {
                "standing_minutes": (
                    "¿Cuántos minutos puede estar de pie en un lugar antes de tener que sentarse o apoyarse en algo?"
                ),
                "walking_minutes": "¿Cuántos minutos puede caminar solo, sin ayuda y sin parar a descansar?",
            },
            "units": {"minutes": "minutos"},
        }
    },
)


@dataclass(frozen=True)
class PainScore:
    back_pain: int
    leg_pain: int


@dataclass(frozen=True)
class ToleranceScore:
    standing_minutes: int
    walking_minutes: int


def score_pain(answers: Mapping[str, int | None]) -> PainScore:
    """NPRS needs no arithmetic: each 0-10 rating is its own score (back and leg kept apart, per CLINICAL.md)."""
    _check(PAIN, answers)
    return PainScore(back_pain=_answered(answers, "back_pain"), leg_pain=_answered(answers, "leg_pain"))


def score_tolerance(answers: Mapping[str, int | None]) -> ToleranceScore:
    """Standing and walking tolerance are reported as the minutes given."""
    _check(TOLERANCE, answers)
    return ToleranceScore(
        standing_minutes=_answered(answers, "standing_minutes"), walking_minutes=_answered(answers, "walking_minutes")
    )
