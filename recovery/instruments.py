"""Patient-reported outcome instruments: questions, answer checking, scoring, change from baseline.

Pure Python (stdlib only) so the rules can be tested without a database and reused by models, services and the API.
The clinical rules come from /work/shared/CLINICAL.md, "Measuring recovery":

- ODI (Oswestry Disability Index): 10 sections scored 0-5; percent = sum / (5 x sections answered) x 100; fewer than
  8 sections answered gives no score. Bands 0-20 minimal ... 81-100 bed-bound. MCID and responder: 10 points.
- ZCQ (Zurich Claudication Questionnaire): symptom severity (7 items, 1-5), physical function (5 items, 1-4),
  satisfaction (6 items, 1-4, after treatment only); each subscale is the mean of its items. MCID about 0.5.
- NPRS pain 0-10, back and leg recorded separately. MCID 2 points.
- Standing and walking tolerance in minutes.

The patient-facing wording is our own plain-English paraphrase for readers aged 60-85; it is not the copyrighted
published text. The scoring structure (number of sections, option values) follows the published instruments.

Numbers: all arithmetic is exact (``fractions.Fraction`` for means and percentages, ``decimal.Decimal`` for changes)
and rounded once, at the end, to one decimal place, rounding halves up (3.25 -> 3.3, as a clinician would by hand;
Python's ``round()`` would give 3.2). The rounded numbers are what ``score()`` returns for storage and display, and
``compare_to_baseline()`` works on those stored numbers, so the change and responder flag a clinician sees always agree
with the two scores shown next to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypedDict

__all__ = [
    "INSTRUMENTS",
    "ODI",
    "ODI_MCID",
    "PAIN",
    "PAIN_MCID",
    "TOLERANCE",
    "ZCQ",
    "ZCQ_MCID",
    "Instrument",
    "Item",
    "OdiScore",
    "Option",
    "PainScore",
    "ScoreChange",
    "ToleranceScore",
    "ZcqScore",
    "compare_to_baseline",
    "odi_band",
    "score",
    "score_odi",
    "score_pain",
    "score_tolerance",
    "score_zcq",
    "validate_answers",
]

# Minimal clinically important differences (CLINICAL.md). An improvement of at least this much from baseline makes
# the patient a responder on that score.
ODI_MCID = 10  # percentage points; also the MiDAS ENCORE responder definition
PAIN_MCID = 2  # NPRS points, applied to back pain and leg pain separately
ZCQ_MCID = 0.5  # subscale points, severity and physical function

# The ODI rule: with fewer than 8 of the 10 sections answered the index is not reported.
ODI_MIN_ANSWERED = 8

TOLERANCE_MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class Option:
    """One answer a patient can choose; ``value`` is what is stored and scored."""

    value: int
    label: str


@dataclass(frozen=True)
class Item:
    """One question (an ODI section, a ZCQ item, a pain rating, a tolerance in minutes).

    Choice questions list their ``options``; number-entry questions (tolerance minutes) have no options and accept
    any whole number from ``minimum`` to ``maximum`` in ``unit``.
    """

    key: str
    text: str
    options: tuple[Option, ...] = ()
    subscale: str | None = None
    # An unanswered ODI section or ZCQ item is allowed (the scoring rules handle it); a pain rating is not.
    required: bool = False
    # ZCQ satisfaction asks about the result of treatment, so it means nothing before the procedure.
    post_treatment_only: bool = False
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        if not self.options and (self.minimum is None or self.maximum is None):
            raise ValueError(f"Item {self.key!r} needs either options or a minimum and maximum.")

    @property
    def values(self) -> frozenset[int] | range:
        """Every value this question accepts."""
        if self.options:
            return frozenset(option.value for option in self.options)
        if self.minimum is None or self.maximum is None:  # ruled out by __post_init__; narrows the types
            raise ValueError(f"Item {self.key!r} has no allowed values.")
        return range(self.minimum, self.maximum + 1)


@dataclass(frozen=True)
class Instrument:
    """A questionnaire. ``version`` changes whenever wording or scoring changes, so stored answers stay traceable."""

    key: str
    version: str
    title: str
    instructions: str
    items: tuple[Item, ...]

    def item(self, key: str) -> Item | None:
        for item in self.items:
            if item.key == key:
                return item
        return None

    def subscale_items(self, subscale: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.subscale == subscale)


def _options(*labels: str, start: int = 0) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in enumerate(labels, start=start))


# --- ODI ---------------------------------------------------------------------------------------------------------

ODI = Instrument(
    key="odi",
    version="2.1a-mild-1",
    title="Oswestry Disability Index",
    instructions=(
        "These questions ask how your back or leg pain affects your everyday life. In each section, choose the one "
        "sentence that fits you best today. If two seem to fit, choose the one nearer the bottom of the list."
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


# --- ZCQ ---------------------------------------------------------------------------------------------------------

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


# --- Pain (NPRS) and tolerance ---------------------------------------------------------------------------------------

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
)

INSTRUMENTS: dict[str, Instrument] = {instrument.key: instrument for instrument in (ODI, ZCQ, PAIN, TOLERANCE)}


def _instrument(instrument_key: str) -> Instrument:
    try:
        return INSTRUMENTS[instrument_key]
    except KeyError:
        raise ValueError(f"Unknown instrument {instrument_key!r}.") from None


# --- Validation --------------------------------------------------------------------------------------------------


def _allowed_values_message(item: Item) -> str:
    values = sorted(item.values)
    if values == list(range(values[0], values[-1] + 1)):
        return f"Must be a whole number from {values[0]} to {values[-1]}."
    return f"Must be one of {', '.join(str(value) for value in values[:-1])} or {values[-1]}."


def validate_answers(
    instrument: Instrument, answers: Mapping[str, object], *, post_treatment: bool
) -> dict[str, list[str]]:
    """Check one set of answers; return error messages per question key (an empty dict means valid).

    ``answers`` usually comes straight from JSON, so anything may be in it. An answer must be a whole number
    (``int``; ``True``/``False`` and floats such as ``2.0`` or ``2.5`` are refused, because a float is not a choice
    the patient could have made) among the question's allowed values. ``None`` means "not answered": allowed for
    ODI sections and ZCQ items (their scoring rules handle gaps), refused for the pain ratings and tolerance minutes,
    which are single numbers with nothing to score without them. A missing required key counts as unanswered.
    ZCQ satisfaction asks about the result of treatment, so answering it before treatment is an error.
    """
    errors: dict[str, list[str]] = {}
    for key, value in answers.items():
        item = instrument.item(key)
        if item is None:
            errors[str(key)] = [f"Not a question in the {instrument.title}."]
            continue
        if value is None:
            if item.required:
                errors[key] = ["This question needs an answer."]
            continue
        if item.post_treatment_only and not post_treatment:
            errors[key] = ["This question is only asked after the procedure."]
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in item.values:
            errors[key] = [_allowed_values_message(item)]
    for item in instrument.items:
        if item.required and item.key not in answers:
            errors[item.key] = ["This question needs an answer."]
    return errors


def _check(instrument: Instrument, answers: Mapping[str, int | None]) -> None:
    """Refuse to score answers that would not pass validation.

    Scoring cannot know when the answers were given, so the satisfaction-before-treatment rule is enforced by
    ``validate_answers`` at input time, not here.
    """
    errors = validate_answers(instrument, answers, post_treatment=True)
    if errors:
        raise ValueError(f"Invalid {instrument.key} answers: {errors}")


def _answered(answers: Mapping[str, int | None], key: str) -> int:
    """The answer to a required question, after ``_check`` has made sure there is one."""
    value = answers.get(key)
    if value is None:
        raise ValueError(f"{key} needs an answer.")
    return value


def _round1(value: Fraction) -> float:
    """Round half up to one decimal place (3.25 -> 3.3), from the exact value."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- Scoring -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OdiScore:
    percent: float | None
    answered: int
    band: str | None


@dataclass(frozen=True)
class ZcqScore:
    symptom_severity: float | None
    physical_function: float | None
    satisfaction: float | None


@dataclass(frozen=True)
class PainScore:
    back_pain: int
    leg_pain: int


@dataclass(frozen=True)
class ToleranceScore:
    standing_minutes: int
    walking_minutes: int


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


def score_odi(answers: Mapping[str, int | None]) -> OdiScore:
    """Score the Oswestry Disability Index.

    Rule (ODI 2.1a, CLINICAL.md): percent = sum of answered sections / (5 x sections answered) x 100, so an unanswered
    section shrinks the denominator instead of counting as zero. With fewer than 8 of the 10 sections answered the
    index is not reported (``percent`` and ``band`` are None). The band is taken from the exact percentage; the
    percentage is rounded half up to one decimal.
    """
    _check(ODI, answers)
    values = [value for value in answers.values() if value is not None]
    if len(values) < ODI_MIN_ANSWERED:
        return OdiScore(percent=None, answered=len(values), band=None)
    exact = Fraction(sum(values) * 100, 5 * len(values))
    return OdiScore(percent=_round1(exact), answered=len(values), band=odi_band(exact))


def _subscale_mean(items: tuple[Item, ...], answers: Mapping[str, int | None]) -> float | None:
    """Mean of the answered items, or None when fewer than half the subscale's items are answered."""
    values = [value for item in items if (value := answers.get(item.key)) is not None]
    if 2 * len(values) < len(items):
        return None
    return _round1(Fraction(sum(values), len(values)))


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
        symptom_severity=subscales[SYMPTOM_SEVERITY],
        physical_function=subscales[PHYSICAL_FUNCTION],
        satisfaction=subscales[SATISFACTION],
    )


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


def score(instrument_key: str, answers: Mapping[str, int | None]) -> dict[str, float | None]:
    """Score answers into a flat, JSON-ready dict of named scores.

    Names: odi -> ``odi_percent``; zcq -> ``zcq_symptom_severity``, ``zcq_physical_function``, ``zcq_satisfaction``;
    pain -> ``back_pain``, ``leg_pain``; tolerance -> ``standing_minutes``, ``walking_minutes``. Every name is always
    present (None when the rules give no score). Raises ValueError for an unknown instrument or invalid answers.
    """
    instrument = _instrument(instrument_key)
    if instrument is ODI:
        return {"odi_percent": score_odi(answers).percent}
    if instrument is ZCQ:
        zcq = score_zcq(answers)
        return {
            "zcq_symptom_severity": zcq.symptom_severity,
            "zcq_physical_function": zcq.physical_function,
            "zcq_satisfaction": zcq.satisfaction,
        }
    if instrument is PAIN:
        pain = score_pain(answers)
        return {"back_pain": pain.back_pain, "leg_pain": pain.leg_pain}
    tolerance = score_tolerance(answers)
    return {"standing_minutes": tolerance.standing_minutes, "walking_minutes": tolerance.walking_minutes}


# --- Change from baseline ----------------------------------------------------------------------------------------


class ScoreChange(TypedDict):
    baseline: float | None
    current: float | None
    change: float | None  # current - baseline
    improvement: float | None  # change with the sign turned so that positive is better
    responder: bool | None  # improvement >= MCID; None when there is no MCID or a side is missing


@dataclass(frozen=True)
class _ChangeRule:
    lower_is_better: bool
    mcid: Decimal | None
    has_baseline: bool = True


# Per score name: which direction is better and the MCID that makes a responder (CLINICAL.md).
_CHANGE_RULES: dict[str, dict[str, _ChangeRule]] = {
    "odi": {"odi_percent": _ChangeRule(lower_is_better=True, mcid=Decimal(ODI_MCID))},
    "zcq": {
        "zcq_symptom_severity": _ChangeRule(lower_is_better=True, mcid=Decimal(str(ZCQ_MCID))),
        "zcq_physical_function": _ChangeRule(lower_is_better=True, mcid=Decimal(str(ZCQ_MCID))),
        # Satisfaction is only asked after treatment, so there is nothing to compare it with.
        "zcq_satisfaction": _ChangeRule(lower_is_better=True, mcid=None, has_baseline=False),
    },
    "pain": {
        "back_pain": _ChangeRule(lower_is_better=True, mcid=Decimal(PAIN_MCID)),
        "leg_pain": _ChangeRule(lower_is_better=True, mcid=Decimal(PAIN_MCID)),
    },
    # More minutes is better; CLINICAL.md gives no MCID for tolerance, so no responder flag.
    "tolerance": {
        "standing_minutes": _ChangeRule(lower_is_better=False, mcid=None),
        "walking_minutes": _ChangeRule(lower_is_better=False, mcid=None),
    },
}


def _exact(value: float) -> Decimal:
    # str() gives the shortest repr, so a stored 3.1 becomes exactly Decimal("3.1") and 3.5 - 3.0 is exactly 0.5.
    return Decimal(value) if isinstance(value, int) else Decimal(str(value))


def _number(value: Decimal) -> float:
    return int(value) if value == value.to_integral_value() else float(value)


def compare_to_baseline(
    instrument_key: str, baseline: Mapping[str, float | None], current: Mapping[str, float | None]
) -> dict[str, ScoreChange]:
    """Change from baseline for each score of an instrument, and whether it is clinically meaningful.

    ``baseline`` and ``current`` are ``score()`` results (as stored). A missing name counts as None. For each score:
    ``change`` = current - baseline; ``improvement`` is the change signed so that positive is better (ODI, pain and
    ZCQ severity/function: lower is better; tolerance minutes: higher is better); ``responder`` is True when the
    improvement reaches the MCID (ODI 10 points, the MiDAS ENCORE responder definition; pain 2 points, each pain
    score on its own; ZCQ 0.5), None when the score has no MCID (tolerance) or no baseline (ZCQ satisfaction).
    All three are None when either side is None. Differences are computed in Decimal, so 3.5 -> 3.0 improves by
    exactly 0.5 and counts. Raises ValueError for an unknown instrument or score name.
    """
    _instrument(instrument_key)
    rules = _CHANGE_RULES[instrument_key]
    unknown = (set(baseline) | set(current)) - set(rules)
    if unknown:
        raise ValueError(f"Not {instrument_key} scores: {sorted(unknown)}.")
    result: dict[str, ScoreChange] = {}
    for name, rule in rules.items():
        before = baseline.get(name) if rule.has_baseline else None
        after = current.get(name)
        if before is None or after is None:
            result[name] = ScoreChange(baseline=before, current=after, change=None, improvement=None, responder=None)
            continue
        change = _exact(after) - _exact(before)
        improvement = -change if rule.lower_is_better else change
        result[name] = ScoreChange(
            baseline=before,
            current=after,
            change=_number(change),
            improvement=_number(improvement),
            responder=None if rule.mcid is None else improvement >= rule.mcid,
        )
    return result
