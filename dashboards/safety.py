"""Safety in the cohort view: the rate of adverse events after the procedure (any, and device- or procedure-related)
with a 95% confidence interval, beside the pivotal trial's reference, and the rate of repeat procedures; and the
split of the cohort by a caution of the screening, a risk factor of the patient, or the patient's age band.

Confidence intervals are Wilson score intervals (E. B. Wilson, "Probable inference, the law of succession, and
statistical inference", J. Am. Stat. Assoc. 22 (1927) 209-212), the interval CLINICAL.md asks for and the one
R. G. Newcombe recommends over the plain (Wald) interval for small counts and rates near 0 ("Two-sided confidence
intervals for the single proportion: comparison of seven methods", Stat. Med. 17 (1998) 857-872, method 3).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q

from accounts.models import User
from accounts.scoping import scope_to_visible_patients
from dashboards.sql import YearsBefore
from recovery.content.trial import ADVERSE_EVENT_REFERENCE
from recovery.display import round_half_up
from recovery.models import (
    CAUTIONS,
    RELATED,
    SERIOUS_GRADES,
    AdverseEvent,
    AdverseEventStatus,
    Answer,
    Procedure,
    ProcedureStatus,
)

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile

# What the cohort can be split by, key -> title:
# - each caution of the screening, and diabetes as the screening asked it (any diabetes, controlled or not): the
#   episodes whose screening answered yes, no, and unknown (answered unknown, or not screened);
# - each risk factor of the patient, as the roster and every alert show it (recovery.risk): yes, or no (not recorded);
#   the screening writes a yes to the patient's profile;
# - the patient's age on the day of the procedure, in bands: under 65, 65 to 74, 75 and over.
SCREENING_SPLIT_VALUES = {"yes": "yes", "no": "no", "unknown": "unknown"}
RISK_FACTOR_SPLITS = {
    "risk_diabetes": ("has_diabetes", "Risk factor: diabetes"),
    "risk_heart_disease": ("has_heart_disease", "Risk factor: heart disease"),
    "risk_previous_spinal_surgery": ("had_previous_spinal_surgery", "Risk factor: previous spinal surgery"),
}
RISK_FACTOR_SPLIT_VALUES = {"yes": "yes", "no": "no"}
# Band -> (lowest age, first age past it); None: open-ended.
AGE_BANDS: dict[str, tuple[int | None, int | None]] = {"under_65": (None, 65), "65_74": (65, 75), "75_over": (75, None)}
AGE_BAND_VALUES = {"under_65": "under 65", "65_74": "65 to 74", "75_over": "75 and over"}
SPLITS: dict[str, str] = {
    **CAUTIONS,
    "diabetes": "Diabetes",
    **{key: title for key, (_field, title) in RISK_FACTOR_SPLITS.items()},
    "age_band": "Age on the day of the procedure",
}
# Split -> its values (in order) -> label.
SPLIT_VALUES: dict[str, dict[str, str]] = {
    **dict.fromkeys((*CAUTIONS, "diabetes"), SCREENING_SPLIT_VALUES),
    **dict.fromkeys(RISK_FACTOR_SPLITS, RISK_FACTOR_SPLIT_VALUES),
    "age_band": AGE_BAND_VALUES,
}
ALL_SPLIT_VALUES = sorted({value for values in SPLIT_VALUES.values() for value in values})


def wilson_interval(events: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of events / n (None when n is 0)."""
    if n <= 0:
        return None
    p = events / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _age_band_q(band: str, prefix: str) -> Q:
    """Episodes whose patient's age on the procedure's date is in `band` (age A or more: born on or before the
    procedure's date A years back, the way PatientProfile.age counts birthdays)."""
    low, high = AGE_BANDS[band]
    born, day = f"{prefix}patient__date_of_birth", F(f"{prefix}procedure_date")
    q = Q()
    if low is not None:
        q &= Q(**{f"{born}__lte": YearsBefore(day, low)})
    if high is not None:
        q &= Q(**{f"{born}__gt": YearsBefore(day, high)})
    return q


def episodes_q(split: str, value: str, prefix: str = "") -> Q:
    """Procedure episodes whose screening answers `split` with `value` ("unknown" includes episodes not screened),
    whose patient has the risk factor or not, or whose patient's age on the day was in the band (SPLITS). `prefix`
    reaches the procedure from another model, e.g. "procedure__" from a check-in."""
    if split == "age_band":
        return _age_band_q(value, prefix)
    if split in RISK_FACTOR_SPLITS:
        flag = Q(**{f"{prefix}patient__{RISK_FACTOR_SPLITS[split][0]}": True})
        return flag if value == Answer.YES else ~flag
    screening = f"{prefix}screening__"
    if split == "diabetes":
        either = Q(**{f"{screening}diabetes": Answer.YES}) | Q(**{f"{screening}uncontrolled_diabetes": Answer.YES})
        neither = Q(**{f"{screening}diabetes": Answer.NO}) & Q(**{f"{screening}uncontrolled_diabetes": Answer.NO})
        if value == Answer.YES:
            return either
        if value == Answer.NO:
            return neither
        return ~either & ~neither | Q(**{f"{screening}isnull": True})
    if value == Answer.UNKNOWN:
        return Q(**{f"{screening}{split}": Answer.UNKNOWN}) | Q(**{f"{screening}isnull": True})
    return Q(**{f"{screening}{split}": value})


def _rate(events: int, n: int) -> dict[str, Any]:
    interval = wilson_interval(events, n)
    return {
        "events": events,
        "rate": round_half_up(Fraction(events, n), 4) if n else None,
        "ci95_low": round(interval[0], 4) if interval else None,
        "ci95_high": round(interval[1], 4) if interval else None,
    }


def safety_rates(user: User, episodes: Q | None = None) -> dict[str, Any]:
    """Of the done procedure episodes of the patients `user` may see (narrowed by `episodes`): how many had at least
    one recorded adverse event, one device- or procedure-related, one serious (Clavien-Dindo III or higher) and
    related; and of their patients, how many had more than one procedure. Two queries."""
    done = scope_to_visible_patients(user, Procedure.objects.all()).filter(status=ProcedureStatus.DONE)
    if episodes is not None:
        done = done.filter(episodes)
    recorded = AdverseEvent.objects.filter(procedure=OuterRef("pk"), status=AdverseEventStatus.RECORDED)
    counts = (
        done.order_by()
        .annotate(
            any_event=Exists(recorded),
            related_event=Exists(recorded.filter(relatedness__in=RELATED)),
            serious_related=Exists(recorded.filter(relatedness__in=RELATED, grade__in=SERIOUS_GRADES)),
        )
        .aggregate(
            n=Count("pk"),
            any=Count("pk", filter=Q(any_event=True)),
            related=Count("pk", filter=Q(related_event=True)),
            serious=Count("pk", filter=Q(serious_related=True)),
        )
    )
    per_patient = list(done.order_by().values("patient_id").annotate(done=Count("pk")).values_list("done", flat=True))
    n = int(counts["n"] or 0)
    return {
        "procedures": n,
        "any": _rate(int(counts["any"] or 0), n),
        "related": _rate(int(counts["related"] or 0), n),
        "serious_related": _rate(int(counts["serious"] or 0), n),
        "repeat_procedures": {
            "patients": len(per_patient),
            **_rate(sum(1 for c in per_patient if c > 1), len(per_patient)),
        },
        "reference": ADVERSE_EVENT_REFERENCE,
        "method": (
            "Per done procedure episode: episodes with at least one recorded adverse event (drafts and dismissed "
            "drafts do not count). 95% confidence interval: Wilson score interval. Repeat procedures: patients "
            "with more than one done procedure, of the patients with one or more."
        ),
    }
