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

Numbers: all arithmetic is exact (``fractions.Fraction`` for means, percentages and changes). Rounding is for display
only (CLINICAL.md): ``score()`` rounds once, at the end, to one decimal place, rounding halves up (3.25 -> 3.3, as a
clinician would by hand; Python's ``round()`` would give 3.2), and those rounded numbers are what is stored and shown.
Every comparison with a threshold works on the exact values: ``compare_answers()`` recomputes both scores exactly from
the stored answers, so ZCQ severity 25/7 -> 22/7, shown as 3.6 -> 3.1, is an improvement of 3/7 = 0.43 (shown as 0.4)
and not a responder (MCID 0.5).
"""

from recovery.instruments.base import (
    ODI_MCID,
    ODI_MIN_ANSWERED,
    PAIN_MCID,
    TOLERANCE_MAX_MINUTES,
    ZCQ_MCID,
    Instrument,
    Item,
    Option,
    validate_answers,
)
from recovery.instruments.compare import (
    ScoreChange,
    compare_answers,
    compare_recorded,
    compare_to_baseline,
    recorded_exact,
)
from recovery.instruments.odi import ODI, OdiScore, odi_band, score_odi
from recovery.instruments.pain import PAIN, TOLERANCE, PainScore, ToleranceScore, score_pain, score_tolerance
from recovery.instruments.scoring import INSTRUMENTS, exact_scores, score
from recovery.instruments.zcq import (
    PHYSICAL_FUNCTION,
    SATISFACTION,
    SYMPTOM_SEVERITY,
    ZCQ,
    ZCQ_SUBSCALES,
    ZcqScore,
    score_zcq,
)

__all__ = [
    "INSTRUMENTS",
    "ODI",
    "ODI_MCID",
    "ODI_MIN_ANSWERED",
    "PAIN",
    "PAIN_MCID",
    "PHYSICAL_FUNCTION",
    "SATISFACTION",
    "SYMPTOM_SEVERITY",
    "TOLERANCE",
    "TOLERANCE_MAX_MINUTES",
    "ZCQ",
    "ZCQ_MCID",
    "ZCQ_SUBSCALES",
    "Instrument",
    "Item",
    "OdiScore",
    "Option",
    "PainScore",
    "ScoreChange",
    "ToleranceScore",
    "ZcqScore",
    "compare_answers",
    "compare_recorded",
    "compare_to_baseline",
    "exact_scores",
    "odi_band",
    "recorded_exact",
    "score",
    "score_odi",
    "score_pain",
    "score_tolerance",
    "score_zcq",
    "validate_answers",
]
