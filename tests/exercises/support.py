"""Helpers the physical therapy tests share: a done procedure with its plan, instants on the plan's days, keys.

Alice lives in New York. Her procedure is on Monday 10 May 2027 (day 0) and is marked done at 16:00 that day, so
her plan's sessions start with the first one after that.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import PatientProfile, User
from exercises.models import ExercisePlan, ExerciseRecord, Prescription, PrescriptionVersion
from recovery.models import Procedure
from tests import support

NEW_YORK = ZoneInfo("America/New_York")
DAY0 = dt.date(2027, 5, 10)  # a Monday

TODAY = "/api/v1/me/exercises/today"
MY_PLAN = "/api/v1/me/exercises/plan"
MY_ADHERENCE = "/api/v1/me/exercises/adherence"
OCCURRENCES = "/api/v1/me/exercises/occurrences"
LIBRARY = "/api/v1/exercises"
FEED = "/api/v1/me/calendar-feed"


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def at(n: int, hour: int, minute: int = 0, zone: ZoneInfo = NEW_YORK) -> dt.datetime:
    """Wall-clock time on day N after the procedure, in `zone` (Alice's by default)."""
    return dt.datetime.combine(day(n), dt.time(hour, minute), tzinfo=zone)


def procedure_done(patient: PatientProfile, by: User, procedure_date: dt.date = DAY0) -> Procedure:
    """tests.support.procedure_done, on DAY0 unless told otherwise."""
    return support.procedure_done(patient, by, procedure_date)


def plan_of(procedure: Procedure) -> ExercisePlan:
    return ExercisePlan.objects.get(procedure=procedure)


def prescription(plan: ExercisePlan, exercise_key: str, first_day: int) -> Prescription:
    """The plan's prescription of this exercise whose first version starts on `first_day`."""
    return Prescription.objects.get(
        plan=plan, exercise__key=exercise_key, versions__version=1, versions__first_day=first_day
    )


def versions(p: Prescription) -> list[PrescriptionVersion]:
    return list(PrescriptionVersion.objects.filter(prescription=p).order_by("version"))


def key(p: Prescription, n: int, hhmm: str) -> str:
    return f"{p.pk}:{day(n).isoformat()}:{hhmm}"


def record_body(
    state: str = "done", pain: int | None = 2, difficulty: str | None = "ok", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"state": state, "pain_during": pain, "difficulty": difficulty}
    return body | extra


def records_count() -> int:
    return ExerciseRecord.objects.count()
