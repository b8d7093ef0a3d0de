"""A patient's outcomes against the pivotal trial's reference curve (recovery.content.trial)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from accounts.models import PatientProfile
from dashboards.sql import round1
from recovery import instruments
from recovery.content.trial import (
    REFERENCE_INSTRUMENT,
    REFERENCE_METHOD,
    REFERENCE_POPULATION,
    REFERENCE_SOURCE,
    REFERENCE_VERSION,
    SCALE_FLOOR,
    TRIAL_MEAN_IMPROVEMENT,
    TRIAL_VISITS,
)
from recovery.models import (
    Assessment,
    Procedure,
    ProcedureStatus,
)
from recovery.selectors import current_procedure

# --- Patient detail: outcomes against the pivotal trial ---------------------------------------------------------------


def reference_series(baselines: dict[str, float | None]) -> dict[str, list[dict[str, Any]]]:
    """Per score, one point per trial visit (6 months, 1 year, 2 years): the trial's mean improvement where the
    source publishes one (else null) and, with a baseline, the expected score (baseline - improvement, not below the
    scale's floor). Nothing before 6 months (recovery.content.trial)."""
    series: dict[str, list[dict[str, Any]]] = {}
    for score, by_visit in TRIAL_MEAN_IMPROVEMENT.items():
        baseline = baselines.get(score)
        points = []
        for timepoint, day, _label in TRIAL_VISITS:
            improvement = by_visit.get(timepoint)
            expected = (
                None
                if baseline is None or improvement is None
                else max(SCALE_FLOOR[score], Decimal(str(baseline)) - improvement)
            )
            points.append(
                {
                    "timepoint": timepoint,
                    "day": day,
                    "expected_improvement": round1(improvement),
                    "expected_score": round1(expected),
                }
            )
        series[score] = points
    return series


def outcomes_procedure(patient: PatientProfile, now: dt.datetime) -> Procedure | None:
    """The episode whose outcomes are shown: the current (latest done) procedure, else the next one not cancelled."""
    today = patient.local_today(now)
    procedure = current_procedure(patient, on=today)
    if procedure is None:
        procedure = (
            Procedure.objects.filter(patient=patient)
            .exclude(status=ProcedureStatus.CANCELLED)
            .order_by("-procedure_date", "-created_at")
            .first()
        )
    return procedure


def outcomes(patient: PatientProfile, procedure: Procedure | None) -> dict[str, Any]:
    """A procedure's assessments in time order, each with its change from the baseline and responder status
    (recovery.instruments.compare_recorded: ODI MCID 10, NPRS 2, ZCQ 0.5), and the trial reference series."""
    if procedure is None:
        return {"procedure": None, "assessments": [], "reference": _reference(None)}
    assessments = list(Assessment.objects.filter(procedure=procedure).order_by("completed_at", "instrument"))
    baselines = {a.instrument: a.scores for a in assessments if a.timepoint == Assessment.BASELINE}
    # Responder status is judged on the exact scores, recomputed from the answers (rounding is for display only).
    recorded = {a.instrument: (a.answers, a.scores) for a in assessments if a.timepoint == Assessment.BASELINE}
    rows = [
        {
            "id": a.pk,
            "timepoint": a.timepoint,
            "instrument": a.instrument,
            "local_date": a.local_date,
            "day": procedure.day_number(a.local_date),
            "scores": a.scores,
            "change_from_baseline": (
                instruments.compare_recorded(a.instrument, recorded[a.instrument], (a.answers, a.scores))
                if a.timepoint != Assessment.BASELINE and a.instrument in baselines
                else None
            ),
        }
        for a in assessments
    ]
    return {
        "procedure": {"id": procedure.pk, "procedure_date": procedure.procedure_date, "status": procedure.status},
        "assessments": rows,
        "reference": _reference(baselines),
    }


def _reference(baselines: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    baselines = baselines or {}
    values = {score: (baselines.get(instrument) or {}).get(score) for score, instrument in REFERENCE_INSTRUMENT.items()}
    return {
        "version": REFERENCE_VERSION,
        "population": REFERENCE_POPULATION,
        "source": REFERENCE_SOURCE,
        "method": REFERENCE_METHOD,
        "visits": [
            {
                "timepoint": timepoint,
                "day": day,
                "label": label,
                "mean_improvement": {
                    score: round1(by_visit[timepoint]) for score, by_visit in TRIAL_MEAN_IMPROVEMENT.items()
                },
            }
            for timepoint, day, label in TRIAL_VISITS
        ],
        "series": reference_series(values),
    }
