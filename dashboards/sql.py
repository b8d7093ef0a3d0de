"""SQL building blocks the dashboards share. Every dashboard read starts from accounts.scoping (patients_visible_to /
scope_to_visible_patients).

Portability: the per-patient date arithmetic (`LocalDate`, `DaysBetween`, `DateAddDays`, one form per backend) is
in recovery.expressions, and importable from here.

The cohort's median and quartiles use PostgreSQL's ``percentile_cont`` (linear interpolation). SQLite has no such
aggregate: there the same per-(patient, week) means are read with the same grouped query and
`dashboards.cohort.percentile_cont` computes the identical statistic in Python.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    DateField,
    DateTimeField,
    F,
    FloatField,
    Func,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from recovery.display import round_half_up
from recovery.expressions import DateAddDays as DateAddDays
from recovery.expressions import DaysBetween as DaysBetween
from recovery.expressions import LocalDate as LocalDate


class YearsBefore(Func):
    """`date` (an expression) a whole number of years back, as a date: 29 February falls back to the 28th on both
    backends (PostgreSQL's interval arithmetic, SQLite's date modifiers normalised the same way). Written for those
    two, like recovery.expressions."""

    output_field = DateField()

    def __init__(self, date: Any, years: int) -> None:
        super().__init__(date)
        self.years = int(years)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        date, params = compiler.compile(self.get_source_expressions()[0])
        return f"CAST(CAST({date} AS date) - make_interval(years => %s) AS date)", (*params, self.years)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        date, params = compiler.compile(self.get_source_expressions()[0])
        # SQLite rolls 29 February minus whole years over to 1 March; step back to the 28th as PostgreSQL does.
        shifted, back = f"date({date}, %s)", f"-{self.years} years"
        return (
            f"CASE WHEN strftime('%%m-%%d', {date}) = '02-29' AND strftime('%%m-%%d', {shifted}) = '03-01' "
            f"THEN date({shifted}, '-1 day') ELSE {shifted} END",
            (*params, *params, back, *params, back, *params, back),
        )


def instant(now: dt.datetime) -> Value:
    return Value(now, output_field=DateTimeField())


def one_value(queryset: QuerySet[Any], function: str, field: str, output_field: Any) -> Subquery:
    """A scalar subquery: the aggregate `function` (AVG, COUNT) of `field` over all the rows of `queryset`, without a
    GROUP BY, so exactly one row comes back (NULL, or 0 for COUNT, when there are none)."""
    value = Func(F(field), function=function, output_field=output_field)
    return Subquery(queryset.order_by().annotate(value=value).values("value"), output_field=output_field)


def score_of(key: str) -> Cast:
    return Cast(KeyTextTransform(key, "scores"), FloatField())


def round1(value: float | Decimal | None) -> float | None:
    """One decimal place, halves up (3.25 -> 3.3): recovery.display.round_half_up, as recovery.instruments rounds."""
    return round_half_up(value, 1)


@contextlib.contextmanager
def tuned_reads(*, work_mem_mb: int | None = None) -> Iterator[None]:
    """Run a dashboard's queries inside this. On PostgreSQL, for this transaction only (SET LOCAL), in one statement:

    - the JIT compiler is off: the planner prices the roster page's correlated subqueries as if each ran for every
      patient, the estimate passes jit_above_cost, and compiling the plan took longer (~150 ms at 5,000 patients)
      than running it;
    - `work_mem_mb`, when given, raises the sort/hash memory: the cohort groups every check-in by (patient, week) and
      with the default 4 MB spilled its sorts to disk from a few thousand patients.

    Nothing on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    settings = ["SET LOCAL jit = off"]
    if work_mem_mb is not None:
        settings.append(f"SET LOCAL work_mem = '{int(work_mem_mb)}MB'")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("; ".join(settings))
        yield
