"""A patient's progress in words: back pain, leg pain and walking over the last days against their own level before
the procedure (the baseline assessments), and the expected course (recovery.content.progress and the trial reference).

Every comparison is made on exact values (the mean of the recent check-ins is a Fraction); numbers are rounded only
for display, halves up (recovery.display), and written in the reader's number format. A reader of the screen sees "Your
leg pain is 4.1 points lower than before the procedure" ("4,1 puntos" in Spanish); the API also gives the exact values
the words were made from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.languages import localized
from accounts.models import PatientProfile
from recovery.content import progress as text
from recovery.content.trial import REFERENCE_POPULATION, SCALE_FLOOR, TRIAL_MEAN_IMPROVEMENT
from recovery.display import round_half_up
from recovery.models import CheckIn, Procedure
from recovery.selectors import baseline_scores, current_procedure

# The recent level is the mean of the check-ins of the last RECENT_DAYS days, today included.
RECENT_DAYS = 7


@dataclass(frozen=True)
class Measure:
    key: str  # a check-in field
    label: Any  # as it reads inside a sentence (lazy: in the reader's language)
    instrument: str  # the baseline assessment holding it
    unit: str
    places: int  # decimal places shown
    lower_is_better: bool


MEASURES = (
    Measure("back_pain", gettext_lazy("back pain"), "pain", "points", 1, True),
    Measure("leg_pain", gettext_lazy("leg pain"), "pain", "points", 1, True),
    Measure("walking_minutes", gettext_lazy("walking"), "tolerance", "minutes", 0, False),
)


def content(name: str) -> str:
    """A text of recovery.content.progress in the active language."""
    english: str = getattr(text, name)
    return str(localized(english, text.TRANSLATIONS, name))


def shown(value: Fraction | Decimal | int, places: int) -> str:
    """A number as the screen shows it: rounded halves up, without a trailing ".0", in the format of the active
    language (Django's locale formats: "4.1" in English, "4,1" in Spanish)."""
    rounded = round_half_up(Fraction(value) if isinstance(value, int) else value, places)
    if rounded == int(rounded):
        return number_format(int(rounded))
    return number_format(rounded, places)


def exact(value: Fraction | None) -> str | None:
    """An exact value for the API: "27/7", or "-4" when it is whole."""
    if value is None:
        return None
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _units(amount: str, unit: str) -> str:
    count = 1 if amount == "1" else 2
    if unit == "minutes":
        return ngettext("%(amount)s minute", "%(amount)s minutes", count) % {"amount": amount}
    return ngettext("%(amount)s point", "%(amount)s points", count) % {"amount": amount}


def _sentence(measure: Measure, change: Fraction) -> str:
    """Whole sentences for each case (not pieced together from words), so every language can say them its own way."""
    amount = shown(abs(change), measure.places)
    about = change != 0 and amount == "0"
    if measure.key == "walking_minutes":
        if change == 0:
            return _("You can walk the same time without stopping as before the procedure.")
        if about:
            return _("You can walk about the same time without stopping as before the procedure.")
        if change > 0:
            return _("You can walk %(amount)s longer without stopping than before the procedure.") % {
                "amount": _units(amount, measure.unit)
            }
        return _("You can walk %(amount)s less without stopping than before the procedure.") % {
            "amount": _units(amount, measure.unit)
        }
    values = {"measure": measure.label, "amount": _units(amount, measure.unit)}
    if change == 0:
        return _("Your %(measure)s is the same as before the procedure.") % values
    if about:
        return _("Your %(measure)s is about the same as before the procedure.") % values
    if change < 0:
        return _("Your %(measure)s is %(amount)s lower than before the procedure.") % values
    return _("Your %(measure)s is %(amount)s higher than before the procedure.") % values


def _expected(measure: Measure, baseline: int) -> dict[str, Any] | None:
    """The trial's 2-year mean improvement applied to this patient's baseline, not below the scale's floor."""
    improvement = TRIAL_MEAN_IMPROVEMENT.get(measure.key, {}).get("year_2")
    if improvement is None:
        return None
    level = max(SCALE_FLOOR[measure.key], Decimal(baseline) - improvement)
    return {
        "improvement": float(improvement),
        "level": float(level),
        "day": 730,
        "source": REFERENCE_POPULATION,
        "sentence": content("TRIAL_PAIN").format(
            improvement=shown(improvement, 1), measure=measure.label, expected=shown(level, 1)
        ),
    }


def _course(day: int) -> dict[str, Any]:
    if day < text.CLEAR_IMPROVEMENT_FROM_DAY:
        sentence = content("COURSE_BEFORE")
    elif day <= text.CLEAR_IMPROVEMENT_TO_DAY:
        sentence = content("COURSE_DURING")
    else:
        sentence = content("COURSE_AFTER")
    return {
        "sentence": sentence.format(day=day),
        "from_day": text.CLEAR_IMPROVEMENT_FROM_DAY,
        "to_day": text.CLEAR_IMPROVEMENT_TO_DAY,
        "label": content("CLEAR_IMPROVEMENT_LABEL"),
        "version": text.PROGRESS_CONTENT_VERSION,
    }


def measure_progress(
    measure: Measure, baseline: int | None, recent: list[int], since: dt.date, until: dt.date
) -> dict[str, Any]:
    """One measure: the exact recent mean and change from baseline, the same rounded for display, and the words."""
    mean = Fraction(sum(recent), len(recent)) if recent else None
    change = mean - baseline if mean is not None and baseline is not None else None
    if mean is None:
        sentence = _("There are no check-ins from the last %(days)s days to compare with.") % {"days": RECENT_DAYS}
    elif change is None:
        sentence = _("There is no score for your %(measure)s from before the procedure to compare with.") % {
            "measure": measure.label
        }
    else:
        sentence = _sentence(measure, change)
    return {
        "key": measure.key,
        "label": str(measure.label),
        "unit": measure.unit,
        "baseline": baseline,
        "recent": {
            "date_from": since,
            "date_to": until,
            "checkins": len(recent),
            "mean_exact": exact(mean),
            "mean": None if mean is None else round_half_up(mean, measure.places),
        },
        "change_exact": exact(change),
        "change": None if change is None else round_half_up(change, measure.places),
        "better": None if change is None or change == 0 else (change < 0) == measure.lower_is_better,
        "sentence": sentence,
        "expected": _expected(measure, baseline) if baseline is not None else None,
    }


def _baseline(procedure: Procedure, measure: Measure) -> int | None:
    scores = baseline_scores(procedure, measure.instrument) or {}
    value = scores.get(measure.key)
    return None if value is None else int(value)


def patient_progress(patient: PatientProfile, now: dt.datetime | None = None) -> dict[str, Any]:
    """The progress screen's words and numbers for the patient's current procedure (nothing to say without one)."""
    today = patient.local_today(now)
    procedure = current_procedure(patient, on=today)
    if procedure is None:
        return {"today": today, "day": None, "procedure_date": None, "measures": [], "course": None}
    since = max(procedure.procedure_date, today - dt.timedelta(days=RECENT_DAYS - 1))
    rows = list(
        CheckIn.objects.filter(patient=patient, local_date__gte=since, local_date__lte=today).values(
            *(m.key for m in MEASURES)
        )
    )
    day = procedure.day_number(today)
    return {
        "today": today,
        "day": day,
        "procedure_date": procedure.procedure_date,
        "measures": [
            measure_progress(measure, _baseline(procedure, measure), [r[measure.key] for r in rows], since, today)
            for measure in MEASURES
        ],
        "course": _course(day),
    }
