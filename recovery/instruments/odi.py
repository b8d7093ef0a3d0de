"""ODI (Oswestry Disability Index): the questions, the bands and the score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from recovery.instruments.base import ODI_MIN_ANSWERED, Instrument, Item, _check, _options, _round1

ODI = Instrument(
    key="odi",
    version="2.1a-mild-2",
    title="Oswestry Disability Index",
    # ODI 2.1a: in each section, mark the one statement that most closely describes the problem today; when two
    # statements seem to fit, the higher-scoring one (nearer the bottom) counts.
    instructions=(
        "These questions ask how your back or leg problem affects your everyday life today. In each section, mark "
        "the one sentence that most closely describes your problem today. If two sentences seem to fit, mark the one "
        "nearer the bottom of the list."
    ),
    items=(
        Item(
            "pain_intensity",
            "Your pain right now",
            _options(
                "I am not in pain right now.",
                "My pain is slight.",
                "My pain is moderate.",
                "My pain is quite bad.",
                "My pain is very bad.",
                "My pain is as bad as I can imagine.",
            ),
        ),
        Item(
            "personal_care",
            "Looking after yourself (washing, dressing)",
            _options(
                "I wash and dress myself as usual and it does not make my pain worse.",
                "I wash and dress myself as usual, but it hurts.",
                "Washing and dressing hurt, so I take it slowly and carefully.",
                "I need a little help, but I manage most of my washing and dressing.",
                "I need help every day with most of my washing and dressing.",
                "I cannot dress myself, washing is hard, and I stay in bed.",
            ),
        ),
        Item(
            "lifting",
            "Lifting",
            _options(
                "I can lift heavy things and it does not make my pain worse.",
                "I can lift heavy things, but it makes my pain worse.",
                "Pain stops me lifting heavy things off the floor, but I can if they are at a handy height, "
                "such as on a table.",
                "Pain stops me lifting heavy things, but I can lift light or medium things at a handy height.",
                "I can only lift very light things.",
                "I cannot lift or carry anything.",
            ),
        ),
        Item(
            "walking",
            "Walking",
            _options(
                "Pain does not limit how far I can walk.",
                "Pain stops me walking more than about a mile (1.5 km).",
                "Pain stops me walking more than about half a mile (800 metres).",
                "Pain stops me walking more than about 100 yards (100 metres).",
                "I can only walk with a stick, cane or crutches.",
                "I am in bed most of the time.",
            ),
        ),
        Item(
            "sitting",
            "Sitting",
            _options(
                "I can sit in any chair for as long as I like.",
                "I can sit for as long as I like, but only in my favourite chair.",
                "Pain stops me sitting for more than an hour.",
                "Pain stops me sitting for more than half an hour.",
                "Pain stops me sitting for more than 10 minutes.",
                "Pain stops me sitting at all.",
            ),
        ),
        Item(
            "standing",
            "Standing",
            _options(
                "I can stand for as long as I like and it does not make my pain worse.",
                "I can stand for as long as I like, but it makes my pain worse.",
                "Pain stops me standing for more than an hour.",
                "Pain stops me standing for more than half an hour.",
                "Pain stops me standing for more than 10 minutes.",
                "Pain stops me standing at all.",
            ),
        ),
        Item(
            "sleeping",
            "Sleeping",
            _options(
                "Pain never wakes me or keeps me awake.",
                "Pain sometimes wakes me or keeps me awake.",
                "Because of pain I sleep less than 6 hours a night.",
                "Because of pain I sleep less than 4 hours a night.",
                "Because of pain I sleep less than 2 hours a night.",
                "Pain stops me sleeping at all.",
            ),
        ),
        Item(
            "sex_life",
            "Sex life (skip this section if it does not apply to you)",
            _options(
                "My sex life is normal and does not make my pain worse.",
                "My sex life is normal, but it makes my pain worse.",
                "My sex life is nearly normal, but it is very painful.",
                "Pain limits my sex life a great deal.",
                "Because of pain I have almost no sex life.",
                "Pain stops me having any sex life.",
            ),
        ),
        Item(
            "social_life",
            "Social life",
            _options(
                "My social life is normal and does not make my pain worse.",
                "My social life is normal, but it makes my pain worse.",
                "Pain does not change my social life much, apart from more active things such as sport or dancing.",
                "Pain limits my social life and I go out less often.",
                "Because of pain my social life is limited to my home.",
                "Because of pain I have no social life.",
            ),
        ),
        Item(
            "travelling",
            "Travelling (by car, bus or train)",
            _options(
                "I can travel anywhere and it does not hurt.",
                "I can travel anywhere, but it makes my pain worse.",
                "The pain is bad, but I can manage journeys of more than two hours.",
                "Because of pain I can only manage journeys of less than an hour.",
                "Because of pain I only make short, necessary journeys of less than half an hour.",
                "Pain stops me travelling, except to see a doctor or go to hospital.",
            ),
        ),
    ),
)


@dataclass(frozen=True)
class OdiScore:
    percent: float | None
    answered: int
    band: str | None


# Upper bound (inclusive) of each ODI band, in order.
_ODI_BANDS: tuple[tuple[int, str], ...] = (
    (20, "minimal"),
    (40, "moderate"),
    (60, "severe"),
    (80, "crippling"),
    (100, "bed-bound"),
)


def odi_band(percent: float | Fraction) -> str:
    """Name the ODI disability band for a percentage.

    The published bands are written for whole numbers (0-20 minimal, 21-40 moderate, 41-60 severe, 61-80 crippling,
    81-100 bed-bound). We read each upper figure as an inclusive ceiling, so a value between bands belongs to the
    higher one: 20 is minimal, 20.5 and 21 are moderate, 40 is moderate, 40.5 severe. In practice this never matters
    for a real score: with 8, 9 or 10 sections answered the percentage moves in steps of 2.5, 2.2 or 2 points from
    each band edge, so no score falls strictly between 20 and 21, 40 and 41, and so on.
    """
    if not 0 <= percent <= 100:
        raise ValueError(f"ODI percent must be from 0 to 100, not {percent}.")
    for ceiling, band in _ODI_BANDS:
        if percent <= ceiling:
            return band
    raise AssertionError("unreachable: 100 is the last ceiling")


def _odi_exact(answers: Mapping[str, int | None]) -> Fraction | None:
    values = [value for value in answers.values() if value is not None]
    if len(values) < ODI_MIN_ANSWERED:
        return None
    return Fraction(sum(values) * 100, 5 * len(values))


def score_odi(answers: Mapping[str, int | None]) -> OdiScore:
    """Score the Oswestry Disability Index.

    Rule (ODI 2.1a, CLINICAL.md): percent = sum of answered sections / (5 x sections answered) x 100, so an unanswered
    section shrinks the denominator instead of counting as zero. With fewer than 8 of the 10 sections answered the
    index is not reported (``percent`` and ``band`` are None). The band is taken from the exact percentage; the
    percentage is rounded half up to one decimal.
    """
    _check(ODI, answers)
    answered = sum(value is not None for value in answers.values())
    exact = _odi_exact(answers)
    if exact is None:
        return OdiScore(percent=None, answered=answered, band=None)
    return OdiScore(percent=_round1(exact), answered=answered, band=odi_band(exact))
