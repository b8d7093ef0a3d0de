"""Every instrument by key, and scoring any of them into named scores (rounded, or exact for comparisons)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from recovery.instruments.base import Instrument, _check
from recovery.instruments.odi import ODI, _odi_exact, score_odi
from recovery.instruments.pain import PAIN, TOLERANCE, score_pain, score_tolerance
from recovery.instruments.zcq import ZCQ, ZCQ_SUBSCALES, _subscale_mean, score_zcq

INSTRUMENTS: dict[str, Instrument] = {instrument.key: instrument for instrument in (ODI, ZCQ, PAIN, TOLERANCE)}


def _instrument(instrument_key: str) -> Instrument:
    try:
        return INSTRUMENTS[instrument_key]
    except KeyError:
        raise ValueError(f"Unknown instrument {instrument_key!r}.") from None


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


def exact_scores(instrument_key: str, answers: Mapping[str, int | None]) -> dict[str, Fraction | int | None]:
    """The same named scores as ``score()``, unrounded: what every comparison with a threshold uses."""
    instrument = _instrument(instrument_key)
    _check(instrument, answers)
    if instrument is ODI:
        return {"odi_percent": _odi_exact(answers)}
    if instrument is ZCQ:
        return {f"zcq_{subscale}": _subscale_mean(ZCQ.subscale_items(subscale), answers) for subscale in ZCQ_SUBSCALES}
    return dict(score(instrument_key, answers))  # type: ignore[arg-type]  # pain and tolerance: whole numbers
