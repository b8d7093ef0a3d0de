"""Change from baseline: the direction that is better and the MCID of each score, judged on exact values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TypedDict

from recovery.instruments.base import ODI_MCID, PAIN_MCID, ZCQ_MCID, _round1
from recovery.instruments.scoring import _instrument, exact_scores


class ScoreChange(TypedDict):
    baseline: float | None
    current: float | None
    change: float | None  # current - baseline
    improvement: float | None  # change with the sign turned so that positive is better
    responder: bool | None  # improvement >= MCID; None when there is no MCID or a side is missing


@dataclass(frozen=True)
class _ChangeRule:
    lower_is_better: bool
    mcid: Fraction | None
    has_baseline: bool = True


# Per score name: which direction is better and the MCID that makes a responder (CLINICAL.md).
_CHANGE_RULES: dict[str, dict[str, _ChangeRule]] = {
    "odi": {"odi_percent": _ChangeRule(lower_is_better=True, mcid=Fraction(ODI_MCID))},
    "zcq": {
        "zcq_symptom_severity": _ChangeRule(lower_is_better=True, mcid=Fraction(str(ZCQ_MCID))),
        "zcq_physical_function": _ChangeRule(lower_is_better=True, mcid=Fraction(str(ZCQ_MCID))),
        # Satisfaction is only asked after treatment, so there is nothing to compare it with.
        "zcq_satisfaction": _ChangeRule(lower_is_better=True, mcid=None, has_baseline=False),
    },
    "pain": {
        "back_pain": _ChangeRule(lower_is_better=True, mcid=Fraction(PAIN_MCID)),
        "leg_pain": _ChangeRule(lower_is_better=True, mcid=Fraction(PAIN_MCID)),
    },
    # More minutes is better; CLINICAL.md gives no MCID for tolerance, so no responder flag.
    "tolerance": {
        "standing_minutes": _ChangeRule(lower_is_better=False, mcid=None),
        "walking_minutes": _ChangeRule(lower_is_better=False, mcid=None),
    },
}


Number = float | int | Fraction


def _exact(value: Number) -> Fraction:
    # str() gives the shortest repr, so a stored 3.1 becomes exactly 31/10 and 3.5 - 3.0 is exactly 1/2.
    return (
        value if isinstance(value, Fraction) else Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    )


def _shown(value: Fraction) -> float | int:
    """One decimal place for display (halves up); whole numbers stay whole."""
    return int(value) if value.denominator == 1 else _round1(value)


def compare_to_baseline(
    instrument_key: str, baseline: Mapping[str, Number | None], current: Mapping[str, Number | None]
) -> dict[str, ScoreChange]:
    """Change from baseline for each score of an instrument, and whether it is clinically meaningful.

    ``baseline`` and ``current`` map score names to values: exact ones (``exact_scores()``, as ``compare_answers``
    passes) or stored ``score()`` results. A missing name counts as None. For each score: ``change`` = current -
    baseline; ``improvement`` is the change signed so that positive is better (ODI, pain and ZCQ severity/function:
    lower is better; tolerance minutes: higher is better); ``responder`` is True when the improvement reaches the MCID
    (ODI 10 points, the MiDAS ENCORE responder definition; pain 2 points, each pain score on its own; ZCQ 0.5), None
    when the score has no MCID (tolerance) or no baseline (ZCQ satisfaction). All three are None when either side is
    None. The responder flag is decided on the exact difference; the numbers returned are rounded for display (one
    decimal, halves up). Raises ValueError for an unknown instrument or score name.
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
        shown_before = None if before is None else _shown(_exact(before))
        shown_after = None if after is None else _shown(_exact(after))
        if before is None or after is None:
            result[name] = ScoreChange(
                baseline=shown_before, current=shown_after, change=None, improvement=None, responder=None
            )
            continue
        change = _exact(after) - _exact(before)
        improvement = -change if rule.lower_is_better else change
        result[name] = ScoreChange(
            baseline=shown_before,
            current=shown_after,
            change=_shown(change),
            improvement=_shown(improvement),
            responder=None if rule.mcid is None else improvement >= rule.mcid,
        )
    return result


def recorded_exact(
    instrument_key: str, answers: Mapping[str, int | None], stored: Mapping[str, float | None]
) -> Mapping[str, Number | None]:
    """The exact scores of a stored assessment, recomputed from its answers; its stored scores instead when the
    answers do not give them back once rounded (answers missing, or scored under rules since changed): then the
    stored numbers are the record, and the best there is."""
    try:
        exact = exact_scores(instrument_key, answers)
    except ValueError:
        return stored
    rounded = {name: None if value is None else _shown(_exact(value)) for name, value in exact.items()}
    return exact if rounded == dict(stored) else stored


def compare_recorded(
    instrument_key: str,
    baseline: tuple[Mapping[str, int | None], Mapping[str, float | None]],
    current: tuple[Mapping[str, int | None], Mapping[str, float | None]],
) -> dict[str, ScoreChange]:
    """``compare_to_baseline`` for two stored assessments, each given as (answers, scores), on exact values."""
    return compare_to_baseline(
        instrument_key, recorded_exact(instrument_key, *baseline), recorded_exact(instrument_key, *current)
    )


def compare_answers(
    instrument_key: str, baseline_answers: Mapping[str, int | None], current_answers: Mapping[str, int | None]
) -> dict[str, ScoreChange]:
    """``compare_to_baseline`` on the exact scores of two stored sets of answers: what the API, the dashboards and the
    6-8 week rule use, so that no threshold is ever judged on rounded numbers."""
    return compare_to_baseline(
        instrument_key, exact_scores(instrument_key, baseline_answers), exact_scores(instrument_key, current_answers)
    )
