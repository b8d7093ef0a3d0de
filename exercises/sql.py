"""Exercise adherence counted in SQL: the one builder behind the patient's own figures (every week of their plan,
exercises.selectors.exercise_adherence) and the roster's (this week of every plan on the page,
dashboards.exercise.exercise_this_week).

Scheduled sessions are a generated series: each version's (weekday, time) slots joined to the CalendarDay table, kept
to the version's days after the procedure and its window of local minute keys, and to what is already due. A calendar
table instead of generate_series, so the same SQL runs on PostgreSQL and on the SQLite of `make run`. Records are
joined on (prescription, date, time), so a session counts as done only if it was scheduled: early records for sessions
not yet due wait until they are.

The query starts from the given plans: their prescriptions by plan id, then the versions, slots and records through
their indexes, so it reads those plans' rows only, however many other plans the database holds; and from the calendar
only the days between the earliest window's first day and the latest one's today (given as constants, so the
calendar's (weekday, epoch_day) index narrows to them: bounds that vary per plan would leave it at the weekday, every
one of 26 years' Mondays for a Monday slot).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import connection

from exercises.models import (
    MINUTES_PER_DAY,
    CalendarDay,
    ExercisePlan,
    ExerciseRecord,
    Prescription,
    PrescriptionSlot,
    PrescriptionVersion,
    RecordState,
)
from recovery.display import round_half_up

_ADHERENCE_SQL = """
WITH w (plan_id, day0, first_day, last_day, now_key) AS (VALUES {windows})
SELECT p.plan_id, p.id, c.iso_year, c.iso_week, COUNT(*) AS scheduled,
       SUM(CASE WHEN r.state = %s THEN 1 ELSE 0 END) AS done,
       SUM(CASE WHEN r.state = %s THEN 1 ELSE 0 END) AS partly,
       SUM(CASE WHEN r.state = %s THEN 1 ELSE 0 END) AS skipped
FROM w
JOIN {prescription} p ON p.plan_id = w.plan_id
JOIN {version} v ON v.prescription_id = p.id
JOIN {slot} s ON s.version_id = v.id
JOIN {day} c ON c.weekday = s.weekday
LEFT JOIN {record} r ON r.prescription_id = p.id AND r.local_date = c.date AND r.local_time = s.local_time
WHERE p.plan_id IN ({plans})
  AND c.epoch_day BETWEEN %s AND %s
  AND v.held = %s
  AND c.epoch_day BETWEEN w.first_day AND w.last_day
  AND c.epoch_day >= w.day0 + v.first_day
  AND (v.last_day IS NULL OR c.epoch_day <= w.day0 + v.last_day)
  AND c.epoch_day * {minutes} + s.minute >= v.from_key
  AND (v.until_key IS NULL OR c.epoch_day * {minutes} + s.minute < v.until_key)
  AND c.epoch_day * {minutes} + s.minute < w.now_key
GROUP BY p.plan_id, p.id, c.iso_year, c.iso_week
"""


@dataclass
class Tally:
    scheduled: int = 0
    done: int = 0
    partly_done: int = 0
    skipped: int = 0

    def add(self, other: Tally) -> None:
        self.scheduled += other.scheduled
        self.done += other.done
        self.partly_done += other.partly_done
        self.skipped += other.skipped

    @property
    def completed(self) -> float:
        """Done sessions, with partly done ones counting half."""
        return self.done + self.partly_done / 2

    @property
    def adherence(self) -> float | None:
        return (
            round_half_up(Fraction(self.done * 2 + self.partly_done, 2 * self.scheduled), 4) if self.scheduled else None
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheduled": self.scheduled,
            "done": self.done,
            "partly_done": self.partly_done,
            "skipped": self.skipped,
            "not_recorded": self.scheduled - self.done - self.partly_done - self.skipped,
            "completed": self.completed,
            "adherence": self.adherence,
        }


@dataclass(frozen=True)
class AdherenceWindow:
    """What to count for one plan: the sessions on epoch days `first_day` onwards that are due before the local
    minute key `now_key` (in the patient's zone). `day0` is the epoch day of the plan's procedure (day 0)."""

    plan_id: uuid.UUID
    day0: int
    first_day: int
    now_key: int


@dataclass(frozen=True)
class AdherenceRow:
    plan_id: uuid.UUID
    prescription_id: uuid.UUID
    iso_year: int
    iso_week: int
    tally: Tally


def adherence_rows(windows: Sequence[AdherenceWindow]) -> list[AdherenceRow]:
    """The sessions due in each window, counted per (plan, prescription, ISO week), in one query (none when there is
    no window). Weeks with nothing scheduled have no row."""
    if not windows:
        return []
    plan_ids = [ExercisePlan._meta.pk.get_db_prep_value(window.plan_id, connection) for window in windows]
    params: list[Any] = []
    for plan_id, window in zip(plan_ids, windows, strict=True):
        params += [plan_id, window.day0, window.first_day, window.now_key // MINUTES_PER_DAY, window.now_key]
    sql = _ADHERENCE_SQL.format(
        windows=", ".join(["(%s, %s, %s, %s, %s)"] * len(windows)),
        plans=", ".join(["%s"] * len(windows)),
        prescription=Prescription._meta.db_table,
        version=PrescriptionVersion._meta.db_table,
        slot=PrescriptionSlot._meta.db_table,
        day=CalendarDay._meta.db_table,
        record=ExerciseRecord._meta.db_table,
        minutes=MINUTES_PER_DAY,
    )
    states = [RecordState.DONE.value, RecordState.PARTLY_DONE.value, RecordState.SKIPPED.value]
    with connection.cursor() as cursor:
        days = [min(w.first_day for w in windows), max(w.now_key // MINUTES_PER_DAY for w in windows)]
        cursor.execute(sql, [*params, *states, *plan_ids, *days, False])
        rows = cursor.fetchall()
    return [
        AdherenceRow(
            uuid.UUID(str(plan)),
            uuid.UUID(str(prescription)),
            int(year),
            int(week),
            Tally(int(n), int(done), int(partly), int(skipped)),
        )
        for plan, prescription, year, week, n, done, partly, skipped in rows
    ]
