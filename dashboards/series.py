"""A patient's daily and weekly series of check-in values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DateField,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Value,
)
from django.db.models.functions import Cast

from accounts.models import PatientProfile
from dashboards.sql import DaysBetween, round1
from recovery.models import (
    CheckIn,
)
from recovery.selectors import current_procedure

# --- Patient detail: daily and weekly series --------------------------------------------------------------------------

SERIES_METRICS = ("back_pain", "leg_pain", "walking_minutes", "standing_minutes", "steps")
# Without `bucket`, ranges up to this many days come day by day, longer ones week by week.
DAILY_BUCKET_MAX_DAYS = 120
DEFAULT_RANGE_DAYS = 90


def series_default_range(patient: PatientProfile, now: dt.datetime) -> tuple[dt.date, dt.date, dt.date | None]:
    """(from, to, procedure date): to = the patient's today; from = the current procedure's day, else 90 days back."""
    today = patient.local_today(now)
    procedure = current_procedure(patient, on=today)
    procedure_date = procedure.procedure_date if procedure else None
    return procedure_date or today - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1), today, procedure_date


def series_daily(
    patient: PatientProfile, start: dt.date, end: dt.date, procedure_date: dt.date | None
) -> list[dict[str, Any]]:
    """One point per calendar day from `start` to `end`; a day without a check-in is a point of nulls (a gap), never
    left out, so a chart draws the gap. One query; the days are laid out here (no aggregation)."""
    rows = {
        row["local_date"]: row
        for row in CheckIn.objects.filter(patient=patient, local_date__gte=start, local_date__lte=end).values(
            "local_date", *SERIES_METRICS
        )
    }
    points = []
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        row = rows.get(day)
        points.append(
            {
                "date": day,
                "day": (day - procedure_date).days if procedure_date else None,
                "checked_in": row is not None,
                **{metric: row[metric] if row else None for metric in SERIES_METRICS},
            }
        )
    return points


def series_weekly(
    patient: PatientProfile, start: dt.date, end: dt.date, procedure_date: dt.date | None
) -> list[dict[str, Any]]:
    """Weeks of 7 days counted from `start` (week 0 is start .. start+6; the last may be shorter): per metric the
    mean (one decimal), minimum, maximum and number of days with a value, aggregated in SQL (GROUP BY week). Weeks
    without any check-in are present with nulls and n = 0."""
    week = Cast(DaysBetween(F("local_date"), Value(start, output_field=DateField())) / 7, IntegerField())
    aggregates: dict[str, Any] = {"checkins": Count("id")}
    for metric in SERIES_METRICS:
        aggregates |= {
            f"{metric}__mean": Avg(metric, output_field=FloatField()),
            f"{metric}__min": Min(metric),
            f"{metric}__max": Max(metric),
            f"{metric}__n": Count(metric),
        }
    rows = {
        row["week"]: row
        for row in CheckIn.objects.filter(patient=patient, local_date__gte=start, local_date__lte=end)
        .order_by()
        .annotate(week=week)
        .values("week")
        .annotate(**aggregates)
    }
    points = []
    for index in range((end - start).days // 7 + 1):
        first = start + dt.timedelta(days=7 * index)
        last = min(first + dt.timedelta(days=6), end)
        row = rows.get(index, {})
        points.append(
            {
                "week": index,
                "start": first,
                "end": last,
                "day": (first - procedure_date).days if procedure_date else None,
                "days": (last - first).days + 1,
                "checkins": row.get("checkins", 0),
                **{
                    metric: {
                        "mean": round1(row.get(f"{metric}__mean")),
                        "min": row.get(f"{metric}__min"),
                        "max": row.get(f"{metric}__max"),
                        "n": row.get(f"{metric}__n", 0),
                    }
                    for metric in SERIES_METRICS
                },
            }
        )
    return points
