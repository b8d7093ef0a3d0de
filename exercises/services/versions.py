"""How every prescription change is written (see exercises.models): the open version is closed and the next one
opened at the same boundary, the next occurrence that is neither due nor recorded yet, so the past never changes.
Changes to one plan are serialised by locking the plan's row (`plan_locked`). Shared by plans, sessions and holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from accounts.models import User
from exercises.models import Exercise, ExercisePlan, ExerciseRecord, Prescription, PrescriptionSlot, PrescriptionVersion
from exercises.selectors import local_boundary_key, minute_key, minute_of_day, parse_hhmm

_DOSE_STYLE_NAMES = {
    frozenset({"sets", "reps"}): "sets and repetitions",
    frozenset({"sets", "hold_seconds", "reps"}): "sets, seconds to hold and repetitions",
    frozenset({"minutes"}): "minutes",
}


@dataclass(frozen=True)
class Schedule:
    """What a version asks for."""

    dose: dict[str, int]
    days_of_week: list[int]
    times_of_day: list[str]
    first_day: int
    last_day: int | None

    @classmethod
    def of(cls, version: PrescriptionVersion) -> Schedule:
        return cls(
            dose=dict(version.dose),
            days_of_week=list(version.days_of_week),
            times_of_day=list(version.times_of_day),
            first_day=version.first_day,
            last_day=version.last_day,
        )

    def with_changes(self, changes: dict[str, Any]) -> Schedule:
        fields = {**self.__dict__, **changes}
        return Schedule(
            dose=dict(fields["dose"]),
            days_of_week=sorted(set(fields["days_of_week"])),
            times_of_day=sorted(set(fields["times_of_day"])),
            first_day=fields["first_day"],
            last_day=fields["last_day"],
        )


def version_rows(
    prescription: Prescription,
    schedule: Schedule,
    *,
    number: int,
    change: str,
    from_key: int,
    by: User | None,
    now: dt.datetime,
    held: bool = False,
    note: str = "",
) -> PrescriptionVersion:
    return PrescriptionVersion(
        prescription=prescription, version=number, change=change, dose=schedule.dose,
        days_of_week=sorted(set(schedule.days_of_week)), times_of_day=sorted(set(schedule.times_of_day)),
        first_day=schedule.first_day, last_day=schedule.last_day, held=held, from_key=from_key, created_at=now,
        created_by=by, note=note,
    )  # fmt: skip


def slots_create(versions: Sequence[PrescriptionVersion]) -> None:
    PrescriptionSlot.objects.bulk_create(
        [
            PrescriptionSlot(version=version, weekday=weekday, local_time=time, minute=minute_of_day(time))
            for version in versions
            for weekday in version.days_of_week
            for time in map(parse_hhmm, version.times_of_day)
        ]
    )


def open_version(prescription: Prescription) -> PrescriptionVersion | None:
    return PrescriptionVersion.objects.filter(prescription=prescription, until_key__isnull=True).first()


def next_occurrence_key(prescription: Prescription, now: dt.datetime) -> int:
    """Where a change made now takes effect: the next occurrence not yet due, and after any already recorded."""
    key = local_boundary_key(now, prescription.plan.patient.zone)
    latest = (
        ExerciseRecord.objects.filter(prescription=prescription)
        .order_by("-local_date", "-local_time")
        .values_list("local_date", "local_time")
        .first()
    )
    if latest is not None:
        key = max(key, minute_key(latest[0], minute_of_day(latest[1])) + 1)
    return key


def version_next(
    prescription: Prescription,
    current: PrescriptionVersion,
    schedule: Schedule,
    *,
    change: str,
    by: User | None,
    now: dt.datetime,
    held: bool,
    note: str = "",
) -> PrescriptionVersion:
    """Close `current` at the next occurrence and open the next version there."""
    boundary = max(next_occurrence_key(prescription, now), current.from_key)
    closed = PrescriptionVersion.objects.filter(pk=current.pk, until_key__isnull=True).update(until_key=boundary)
    if not closed:
        raise ValidationError("This prescription was changed at the same moment; reload it and try again.")
    version = version_rows(
        prescription, schedule, number=current.version + 1, change=change, from_key=boundary, by=by, now=now,
        held=held, note=note,
    )  # fmt: skip
    version.save()
    slots_create([version])
    return version


def schedule_check(exercise: Exercise, schedule: Schedule) -> None:
    errors: dict[str, list[str]] = {}
    if frozenset(schedule.dose) != exercise.dose_style:
        style = _DOSE_STYLE_NAMES.get(exercise.dose_style, ", ".join(sorted(exercise.dose_style)))
        errors["dose"] = [f"{exercise.name} is dosed in {style}."]
    if schedule.first_day < exercise.earliest_day:
        errors["first_day"] = [
            f"{exercise.name} suits day {exercise.earliest_day} after the procedure at the earliest."
        ]
    if schedule.last_day is not None and schedule.last_day < schedule.first_day:
        errors["last_day"] = ["The last day comes before the first day."]
    if errors:
        raise ValidationError(errors)


def plan_locked(plan: ExercisePlan) -> ExercisePlan:
    return ExercisePlan.objects.select_for_update().select_related("patient", "procedure").get(pk=plan.pk)
