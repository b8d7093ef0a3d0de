"""Reference data of the pivotal trial (MiDAS ENCORE), as versioned clinical content: the dashboards draw a patient's
outcomes against it (dashboards.outcomes).

What the source gives (/work/shared/CLINICAL.md, "Pivotal trial"): 302 patients randomised, 143 to MILD; visits at
6 months, 1 year and 2 years; for the MILD arm at 2 years, the mean improvement from baseline: ODI 22.7 points, NPRS
3.6 points, ZCQ symptom severity 1.0 and physical function 0.8. It gives no per-visit means for 6 months or 1 year,
so those visits are listed with no value (None) and nothing is drawn there: the reference is one point per score, at
2 years (day 730), until published per-visit means are added here (as a new content version). Nothing is drawn
before 6 months: the trial had no visit then. The single NPRS figure is applied to back and leg pain alike.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

REFERENCE_VERSION: Final = 2
REFERENCE_POPULATION: Final = "MiDAS ENCORE, MILD arm, 143 patients at 2 years"
REFERENCE_SOURCE: Final = (
    "MiDAS ENCORE pivotal trial (302 patients randomised, 143 to MILD): mean improvement from baseline in the MILD "
    "arm at 2 years (CLINICAL.md)."
)
# The trial's visits: (timepoint key, day after the procedure, label).
TRIAL_VISITS: Final[tuple[tuple[str, int, str], ...]] = (
    ("month_6", 182, "6 months"),
    ("year_1", 365, "1 year"),
    ("year_2", 730, "2 years"),
)
# Mean improvement from baseline (positive = better) per score and visit; None: not published in the source.
TRIAL_MEAN_IMPROVEMENT: Final[dict[str, dict[str, Decimal | None]]] = {
    "odi_percent": {"month_6": None, "year_1": None, "year_2": Decimal("22.7")},
    "back_pain": {"month_6": None, "year_1": None, "year_2": Decimal("3.6")},
    "leg_pain": {"month_6": None, "year_1": None, "year_2": Decimal("3.6")},
    "zcq_symptom_severity": {"month_6": None, "year_1": None, "year_2": Decimal("1.0")},
    "zcq_physical_function": {"month_6": None, "year_1": None, "year_2": Decimal("0.8")},
}
REFERENCE_METHOD: Final = (
    "At each trial visit with a published mean: expected score = the patient's baseline minus the trial's mean "
    "improvement, not below the scale's floor. Only the 2-year means are published in the source; the 6-month and "
    "1-year visits have no value and nothing is drawn there, nor before 6 months."
)
# Which baseline assessment holds each score, and the lowest value of its scale.
REFERENCE_INSTRUMENT: Final = {
    "odi_percent": "odi",
    "back_pain": "pain",
    "leg_pain": "pain",
    "zcq_symptom_severity": "zcq",
    "zcq_physical_function": "zcq",
}
SCALE_FLOOR: Final = {
    "odi_percent": Decimal(0),
    "back_pain": Decimal(0),
    "leg_pain": Decimal(0),
    "zcq_symptom_severity": Decimal(1),
    "zcq_physical_function": Decimal(1),
}

# Safety (CLINICAL.md, "Adverse events"): in the pivotal trial no serious device- or procedure-related adverse events
# were seen, and 1.3% of patients had any device- or procedure-related event. The cohort view shows a clinic's rates
# beside it (dashboards.safety).
ADVERSE_EVENT_REFERENCE: Final = {
    "related_rate": Decimal("0.013"),
    "serious_related_rate": Decimal("0"),
    "population": "MiDAS ENCORE pivotal trial, MILD arm",
    "text": "1.3% had any device- or procedure-related adverse event; none was serious.",
}
