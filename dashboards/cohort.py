"""The cohort recovery curve: median and quartiles per week after the procedure, and responders per timepoint."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Round

from accounts.models import Role, User
from accounts.scoping import patients_visible_to, scope_to_visible_patients
from dashboards import safety
from dashboards.sql import DateAddDays, DaysBetween, round1, score_of
from recovery import instruments
from recovery.display import round_half_up
from recovery.models import (
    Assessment,
    CheckIn,
    ProcedureStatus,
)

# --- Cohort -----------------------------------------------------------------------------------------------------------

COHORT_METRICS = ("back_pain", "leg_pain", "walking_minutes")
COHORT_TIMEPOINTS = ("weeks_6_8", "month_6", "year_1")
# Clinic-wide views hide any cell describing fewer patients than this (small-cell suppression).
SUPPRESS_BELOW = 5
COHORT_MAX_WEEKS = 105
# Enough to group 5,000 patients x 15 weeks in memory (see tuned_reads).
COHORT_WORK_MEM_MB = 16


def percentile_cont(values: Sequence[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: linear interpolation between the closest ranks of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def cohort_is_clinic_wide(user: User) -> bool:
    return user.role == Role.CLINIC_ADMIN


def _cohort_checkins(user: User, weeks: int, episodes: Q) -> QuerySet[CheckIn]:
    """The check-ins of the patients `user` may see, in the first `weeks` weeks after their own (done) procedure
    episode (narrowed by `episodes`, reached through "procedure__"), annotated with the day number (`day_n`)."""
    return (
        scope_to_visible_patients(user, CheckIn.objects.all())
        .filter(_in_first_weeks(weeks), episodes)
        .order_by()
        .annotate(day_n=DaysBetween(F("local_date"), F("procedure__procedure_date")))
    )


def _in_first_weeks(weeks: int) -> Q:
    return Q(
        procedure__status=ProcedureStatus.DONE,
        local_date__gte=F("procedure__procedure_date"),
        local_date__lt=DateAddDays(F("procedure__procedure_date"), 7 * weeks),
    )


def _cohort_weekly_means(user: User, weeks: int, episodes: Q) -> QuerySet[CheckIn, dict[str, Any]]:
    """One row per (patient, week since the procedure) with the patient's mean of each metric that week.

    A patient counts once per week whatever their number of check-ins, so the curve describes patients, not the most
    diligent patients' days. Weeks are counted from the check-in's own procedure episode (days 0-6 = week 0)."""
    return (
        _cohort_checkins(user, weeks, episodes)
        .annotate(week=Cast(F("day_n") / 7, IntegerField()))
        .values("patient_id", "week")
        .annotate(**{metric: Cast(Avg(metric), FloatField()) for metric in COHORT_METRICS})
    )


def _cohort_assessments(user: User, episodes: Q) -> QuerySet[Assessment]:
    return (
        scope_to_visible_patients(user, Assessment.objects.all())
        .filter(procedure__status=ProcedureStatus.DONE, timepoint__in=COHORT_TIMEPOINTS, instrument__in=("odi", "pain"))
        .filter(episodes)
        .order_by()
    )


_PERCENTILES = "ARRAY[0.25, 0.5, 0.75]"


def _cohort_weekly_stats(user: User, weeks: int, episodes: Q) -> dict[int, dict[str, tuple[int, list[float | None]]]]:
    """week -> metric -> (n patients, [p25, median, p75]). PostgreSQL: percentile_cont over the grouped rows, one
    query. SQLite: the grouped rows, then the same statistic in Python."""
    inner = _cohort_weekly_means(user, weeks, episodes)
    stats: dict[int, dict[str, tuple[int, list[float | None]]]] = {}
    if connection.vendor == "postgresql":
        sql, params = inner.query.get_compiler(using=inner.db).as_sql()
        columns = ", ".join(
            f'COUNT(pw."{m}"), percentile_cont({_PERCENTILES}) WITHIN GROUP (ORDER BY pw."{m}")' for m in COHORT_METRICS
        )
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT pw."week", {columns} FROM ({sql}) pw GROUP BY pw."week"', params)  # noqa: S608
            for week, *values in cursor.fetchall():
                stats[int(week)] = {
                    metric: (int(values[2 * i]), list(values[2 * i + 1] or [None, None, None]))
                    for i, metric in enumerate(COHORT_METRICS)
                }
        return stats
    grouped: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in inner:
        for metric in COHORT_METRICS:
            if row[metric] is not None:
                grouped[int(row["week"])][metric].append(float(row[metric]))
    for week, metrics in grouped.items():
        stats[week] = {
            metric: (len(values), [percentile_cont(values, f) for f in (0.25, 0.5, 0.75)])
            for metric, values in metrics.items()
        }
    return stats


def _cohort_responders(user: User, episodes: Q) -> dict[tuple[str, str], tuple[int, int]]:
    """(timepoint, "odi" | "pain") -> (patients with a baseline and that timepoint, responders), counted in SQL.

    Responder: ODI improved by ODI_MCID (10) points or more; pain: back or leg pain improved by PAIN_MCID (2) or
    more, either site (the rule no_improvement_6_8_weeks uses the same reading). Scores are stored with one decimal,
    so the comparison is made in tenths, rounded, to be exact on floating-point storage too."""

    def improvement(score: str) -> Any:
        baseline = Cast(KeyTextTransform(score, "baseline__scores"), FloatField())
        return Round((baseline - score_of(score)) * 10)

    rows = (
        _cohort_assessments(user, episodes)
        .annotate(
            # The same procedure's baseline of the same instrument, joined (one join, no correlated subqueries).
            baseline=FilteredRelation(
                "procedure__assessments",
                condition=Q(
                    procedure__assessments__timepoint=Assessment.BASELINE,
                    procedure__assessments__instrument=F("instrument"),
                ),
            )
        )
        .annotate(
            odi_gain=improvement("odi_percent"),
            back_gain=improvement("back_pain"),
            leg_gain=improvement("leg_pain"),
        )
        .annotate(
            compared=Case(
                When(Q(instrument="odi", odi_gain__isnull=False), then=Value(1)),
                When(
                    Q(instrument="pain", back_gain__isnull=False) | Q(instrument="pain", leg_gain__isnull=False),
                    then=Value(1),
                ),
                default=Value(0),
            ),
            responder=Case(
                When(Q(instrument="odi", odi_gain__gte=10 * instruments.ODI_MCID), then=Value(1)),
                When(
                    Q(instrument="pain")
                    & (Q(back_gain__gte=10 * instruments.PAIN_MCID) | Q(leg_gain__gte=10 * instruments.PAIN_MCID)),
                    then=Value(1),
                ),
                default=Value(0),
            ),
        )
        .values("timepoint", "instrument")
        .annotate(n=Sum("compared"), responders=Sum("responder"))
    )
    return {(r["timepoint"], r["instrument"]): (int(r["n"] or 0), int(r["responders"] or 0)) for r in rows}


def _cell_out(n: int, values: dict[str, Any], suppress: bool) -> dict[str, Any]:
    if suppress and 0 < n < SUPPRESS_BELOW:
        return {"n": None, **dict.fromkeys(values), "suppressed": True}
    return {"n": n, **values, "suppressed": False}


def cohort(user: User, *, weeks: int, split: str | None = None) -> dict[str, Any]:
    """The recovery curve of the patients `user` may see: per week since the procedure, n, median and interquartile
    range of the patients' weekly mean back pain, leg pain and walking minutes; the share of ODI and pain responders
    at 6-8 weeks, 6 months and 1 year; the safety rates (dashboards.safety). A clinic admin's view is clinic-wide,
    and there any cell describing fewer than SUPPRESS_BELOW patients is suppressed (its numbers null, `suppressed`
    true). With `split` (a key of dashboards.safety.SPLITS) the same for each of its values (an answer of the
    episodes' screening, a risk factor present or not, an age band), in `groups`."""
    body = _cohort_part(user, weeks, Q(), Q())
    suppress = cohort_is_clinic_wide(user)
    body |= {
        "scope": "clinic" if suppress else "care_team",
        "suppression_threshold": SUPPRESS_BELOW if suppress else None,
    }
    body["split"] = split
    body["groups"] = (
        [] if split is None else [_cohort_group(user, weeks, split, value) for value in safety.SPLIT_VALUES[split]]
    )
    return body


def _cohort_group(user: User, weeks: int, split: str, value: str) -> dict[str, Any]:
    episodes, procedures = safety.episodes_q(split, value, "procedure__"), safety.episodes_q(split, value)
    part = _cohort_part(user, weeks, episodes, procedures)
    return {"value": value, "title": f"{safety.SPLITS[split]}: {safety.SPLIT_VALUES[split][value]}", **part}


def _cohort_part(user: User, weeks: int, episodes: Q, procedures: Q) -> dict[str, Any]:
    """The curve, the responders and the safety rates of the episodes `episodes` selects (from a check-in or an
    assessment; `procedures`: the same from a procedure)."""
    suppress = cohort_is_clinic_wide(user)
    stats = _cohort_weekly_stats(user, weeks, episodes)
    curve = []
    for week in range(weeks):
        metrics = stats.get(week, {})
        point: dict[str, Any] = {"week": week}
        for metric in COHORT_METRICS:
            n, (p25, median, p75) = metrics.get(metric, (0, [None, None, None]))
            point[metric] = _cell_out(n, {"median": round1(median), "p25": round1(p25), "p75": round1(p75)}, suppress)
        curve.append(point)
    responders = _cohort_responders(user, episodes)
    shares = []
    for timepoint in COHORT_TIMEPOINTS:
        entry: dict[str, Any] = {"timepoint": timepoint}
        for measure in ("odi", "pain"):
            n, count = responders.get((timepoint, measure), (0, 0))
            share = round_half_up(Fraction(count, n), 3) if n else None
            entry[measure] = _cell_out(n, {"responders": count, "share": share}, suppress)
        shares.append(entry)
    return {
        "weeks": curve,
        "responders": shares,
        "safety": _safety_out(safety.safety_rates(user, procedures), suppress),
    }


def _safety_out(rates: dict[str, Any], suppress: bool) -> dict[str, Any]:
    """Clinic-wide, rates over fewer than SUPPRESS_BELOW episodes (or patients) are suppressed like any cell."""
    n, patients = rates["procedures"], rates["repeat_procedures"]["patients"]
    hidden = {"events": None, "rate": None, "ci95_low": None, "ci95_high": None}
    small = suppress and 0 < n < SUPPRESS_BELOW
    out = {**rates, "suppressed": small}
    if small:
        out |= {"procedures": None, **dict.fromkeys(("any", "related", "serious_related"), hidden)}
    if suppress and 0 < patients < SUPPRESS_BELOW:
        out["repeat_procedures"] = {"patients": None, **hidden}
    return out


def cohort_patient_ids(user: User) -> list[Any]:
    """The patients a clinician's cohort covers, for the PHI access log: every patient they may see, since the
    cohort reads each one's check-ins and assessments (finding none is a read too). One query."""
    return list(patients_visible_to(user).values_list("pk", flat=True))
