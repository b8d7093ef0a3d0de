"""The building blocks of every instrument: questions and options, the MCIDs, answer checking, display rounding."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from recovery.display import round_half_up

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
    # The languages the wording is offered in besides English, frozen with the version: {"es": {"title": ...,
    # "instructions": ..., "items": {item key: text}, "options": {str(value): label}}}. Licensed, validated instruments
    # (ODI, ZCQ) have none: they are shown in English only until a validated translation's wording is available.
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language the form can be shown in, English first."""
        return ("en", *self.translations)

    def item(self, key: str) -> Item | None:
        for item in self.items:
            if item.key == key:
                return item
        return None

    def subscale_items(self, subscale: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.subscale == subscale)


def _options(*labels: str, start: int = 0) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in enumerate(labels, start=start))


# --- Validation --------------------------------------------------------------------------------------------------


def _allowed_values_message(item: Item) -> str:
    values = sorted(item.values)
    if values == list(range(values[0], values[-1] + 1)):
        return _("Must be a whole number from %(low)s to %(high)s.") % {"low": values[0], "high": values[-1]}
    return _("Must be one of %(values)s or %(last)s.") % {
        "values": ", ".join(str(value) for value in values[:-1]),
        "last": values[-1],
    }


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
            errors[str(key)] = [_("Not a question in the %(instrument)s.") % {"instrument": instrument.title}]
            continue
        if value is None:
            if item.required:
                errors[key] = [_("This question needs an answer.")]
            continue
        if item.post_treatment_only and not post_treatment:
            errors[key] = [_("This question is only asked after the procedure.")]
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in item.values:
            errors[key] = [_allowed_values_message(item)]
    for item in instrument.items:
        if item.required and item.key not in answers:
            errors[item.key] = [_("This question needs an answer.")]
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
    return round_half_up(value, 1)
