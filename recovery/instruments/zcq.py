"""ZCQ (Zurich Claudication Questionnaire): the questions of its three subscales and their means."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from recovery.instruments.base import Instrument, Item, Option, _check, _options, _round1

SYMPTOM_SEVERITY = "symptom_severity"
PHYSICAL_FUNCTION = "physical_function"
SATISFACTION = "satisfaction"
ZCQ_SUBSCALES = (SYMPTOM_SEVERITY, PHYSICAL_FUNCTION, SATISFACTION)

_HOW_BAD = ("None", "Mild", "Moderate", "Severe", "Very severe")
_DID_YOU = ("Yes, comfortably", "Yes, but sometimes with pain", "Yes, but always with pain", "No")
_HOW_SATISFIED = ("Very satisfied", "Fairly satisfied", "Fairly dissatisfied", "Very dissatisfied")


def _severity(key: str, text: str, labels: tuple[str, ...] = _HOW_BAD) -> Item:
    return Item(key, text, _options(*labels, start=1), subscale=SYMPTOM_SEVERITY)


def _function(key: str, text: str, labels: tuple[str, ...] = _DID_YOU) -> Item:
    return Item(key, text, _options(*labels, start=1), subscale=PHYSICAL_FUNCTION)


def _satisfaction(key: str, text: str) -> Item:
    return Item(key, text, _options(*_HOW_SATISFIED, start=1), subscale=SATISFACTION, post_treatment_only=True)


ZCQ = Instrument(
    key="zcq",
    version="mild-1",
    title="Zurich Claudication Questionnaire",
    instructions=(
        "Think about the past month, or the time since your procedure if that is shorter. "
        "For each question, choose the answer that fits you best."
    ),
    items=(
        _severity("pain_overall", "Overall, how bad has your pain been?"),
        _severity(
            "pain_frequency",
            "How often have you had pain in your back, buttocks or legs?",
            (
                "Less than once a week",
                "At least once a week",
                "Every day, for a short while",
                "Every day, for most of the day",
                "All day, every day",
            ),
        ),
        _severity("back_pain", "How bad has the pain in your back or buttocks been?"),
        _severity("leg_pain", "How bad has the pain in your legs or feet been?"),
        _severity("numbness", "How bad has any numbness or tingling in your legs or feet been?"),
        _severity("weakness", "How bad has any weakness in your legs or feet been?"),
        # The published balance item has three answers scored 1, 3 and 5, not five; we keep that scoring so our
        # subscale means stay comparable with the trials.
        Item(
            "balance",
            "Have you had trouble with your balance?",
            (
                Option(1, "No, my balance has been fine"),
                Option(3, "Yes, sometimes I feel unsteady on my feet"),
                Option(5, "Yes, I often feel unsteady on my feet"),
            ),
            subscale=SYMPTOM_SEVERITY,
        ),
        _function(
            "walking_distance",
            "How far can you walk?",
            (
                "More than 2 miles (3 km)",
                "More than 3 street blocks, but less than 2 miles",
                "More than 50 feet (15 metres), but less than 3 street blocks",
                "Less than 50 feet (15 metres)",
            ),
        ),
        _function("walking_for_pleasure", "Have you gone for walks outdoors or in a shopping centre for pleasure?"),
        _function("shopping", "Have you gone shopping for groceries or other things?"),
        _function("walking_at_home", "Have you walked from room to room in your home?"),
        _function("walking_to_bathroom", "Have you walked from your bedroom to the bathroom?"),
        _satisfaction("overall_result", "How satisfied are you with the overall result of your procedure?"),
        _satisfaction("pain_relief", "How satisfied are you with how much your pain has eased since the procedure?"),
        _satisfaction("walking_ability", "How satisfied are you with how far you can walk since the procedure?"),
        _satisfaction(
            "daily_tasks",
            "How satisfied are you with how well you can do housework, garden work or your job since the procedure?",
        ),
        _satisfaction("leg_strength", "How satisfied are you with the strength in your thighs, legs and feet?"),
        _satisfaction("steadiness", "How satisfied are you with your balance, or how steady you feel on your feet?"),
    ),
)


@dataclass(frozen=True)
class ZcqScore:
    symptom_severity: float | None
    physical_function: float | None
    satisfaction: float | None


def _subscale_mean(items: tuple[Item, ...], answers: Mapping[str, int | None]) -> Fraction | None:
    """Exact mean of the answered items, or None when fewer than half the subscale's items are answered."""
    values = [value for item in items if (value := answers.get(item.key)) is not None]
    if 2 * len(values) < len(items):
        return None
    return Fraction(sum(values), len(values))


def _round1_or_none(value: Fraction | None) -> float | None:
    return None if value is None else _round1(value)


def score_zcq(answers: Mapping[str, int | None]) -> ZcqScore:
    """Score the Zurich Claudication Questionnaire: one mean per subscale.

    Rule (Stucki et al. 1996, CLINICAL.md): each subscale score is the mean of its items, so it stays on the items'
    own scale (severity 1-5, function and satisfaction 1-4; lower is better on all three).

    Missing items: the instrument's rule in CLINICAL.md does not say how to handle gaps, so we use the common
    "half rule" for mean-scored scales: a subscale is the mean of the items answered, provided at least half of its
    items are answered (severity 4 of 7, function 3 of 5, satisfaction 3 of 6); otherwise that subscale is None.
    Averaging the answered items means a skipped item does not pull the score towards either end.
    Means are rounded half up to one decimal.
    """
    _check(ZCQ, answers)
    subscales = {subscale: _subscale_mean(ZCQ.subscale_items(subscale), answers) for subscale in ZCQ_SUBSCALES}
    return ZcqScore(
        symptom_severity=_round1_or_none(subscales[SYMPTOM_SEVERITY]),
        physical_function=_round1_or_none(subscales[PHYSICAL_FUNCTION]),
        satisfaction=_round1_or_none(subscales[SATISFACTION]),
    )
