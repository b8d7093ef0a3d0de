"""Date arithmetic in SQL, per patient, in the patient's own time zone: the expressions recovery's QuerySet methods and
the dashboards' queries share.

Portability (PostgreSQL is the database of record; `make run` uses SQLite)
----------------------------------------------------------------------------
The roster computes "today" and "day N after the procedure" per patient, in the patient's own IANA time zone, inside
the SQL, so that ordering, filtering and pagination happen in one query whatever the number of patients. Three small
expressions below do the date arithmetic, each with one form per backend:

- `LocalDate(instant, zone)`: the calendar date of an instant on a per-row zone's wall clock (DST-correct).
  PostgreSQL: ``CAST(timezone(zone, instant) AS date)``. SQLite: Django's own registered function
  ``django_datetime_cast_date(instant, zone, 'UTC')``, the one behind ``TruncDate(tzinfo=...)``, which converts with
  zoneinfo in Python; SQLite itself knows no time zones.
- `DaysBetween(later, earlier)`: whole days between two dates. PostgreSQL ``date - date``; SQLite the difference of
  ``julianday()``.
- `DateAddDays(date, n)`: PostgreSQL ``date + n``; SQLite ``date(d, '+n days')``.

The instant "now" is passed in as a parameter (the request's `timezone.now()`), not read with SQL ``now()``: one
request sees one instant, and tests can move the clock with time_machine.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateField, Func, IntegerField
from django.db.models.sql.compiler import SQLCompiler


class _PortableDateFunc(Func):
    """A date expression written for PostgreSQL and SQLite (as_postgresql / as_sqlite); other backends refuse it."""

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        raise NotSupportedError(f"{type(self).__name__} is written for PostgreSQL and SQLite only.")

    def _compiled(self, compiler: SQLCompiler) -> list[tuple[str, tuple[Any, ...]]]:
        return [(sql, tuple(params)) for sql, params in map(compiler.compile, self.get_source_expressions())]


class LocalDate(_PortableDateFunc):
    """The date of `instant` (a UTC datetime expression) on the wall clock of `zone` (an IANA name expression)."""

    output_field = DateField()

    def __init__(self, instant: Any, zone: Any) -> None:
        super().__init__(instant, zone)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        (instant, instant_params), (zone, zone_params) = self._compiled(compiler)
        return f"CAST(timezone({zone}, CAST({instant} AS timestamptz)) AS date)", (*zone_params, *instant_params)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        # Django's own function for TruncDate(tzinfo=...): zoneinfo in Python, DST included.
        (instant, instant_params), (zone, zone_params) = self._compiled(compiler)
        return (
            f"django_datetime_cast_date({instant}, {zone}, %s)",
            (*instant_params, *zone_params, connection.timezone_name),
        )


class DaysBetween(_PortableDateFunc):
    """Whole days from `earlier` to `later` (two date expressions): later - earlier."""

    output_field = IntegerField()

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        (later, later_params), (earlier, earlier_params) = self._compiled(compiler)
        return f"(CAST({later} AS date) - CAST({earlier} AS date))", (*later_params, *earlier_params)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        (later, later_params), (earlier, earlier_params) = self._compiled(compiler)
        return f"CAST(julianday({later}) - julianday({earlier}) AS integer)", (*later_params, *earlier_params)


class DateAddDays(_PortableDateFunc):
    """`date` plus a constant number of days (negative goes back)."""

    output_field = DateField()

    def __init__(self, date: Any, days: int) -> None:
        super().__init__(date)
        self.days = int(days)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        [(date, params)] = self._compiled(compiler)
        return f"(CAST({date} AS date) + %s)", (*params, self.days)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        [(date, params)] = self._compiled(compiler)
        return f"date({date}, %s)", (*params, f"{self.days:+d} days")
