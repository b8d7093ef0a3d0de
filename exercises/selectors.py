"""Reads for physical therapy: occurrences of the plan, today's sessions, the plan, adherence, the calendar feed.

Occurrences are not stored. An occurrence is a (prescription, local date, local time) the plan schedules, generated
from the prescription versions: the version whose window holds that local minute, if it covers the day after the
procedure, the weekday and the time, and is not a held step-up. Its key, "<prescription id>:<YYYY-MM-DD>:<HH:MM>", is
stable across versions, so a reminder or record made for it survives a dose change.

For the notifications engine (notifications reads recovery, never the other way round):

- `exercise_occurrences_on(patient, local_date) -> list[Occurrence]`: one patient's sessions on one of their days.
- `exercise_occurrences_due_between(*, start, end, patient_ids=None) -> list[Occurrence]`: every session due in
  [start, end) (UTC instants) for many patients, in one query: the dispatcher's batch read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import PatientProfile, User
from exercises.models import (
    MINUTES_PER_DAY,
    CalendarFeed,
    Exercise,
    ExercisePlan,
    ExerciseRecord,
    Prescription,
    PrescriptionVersion,
)
from exercises.sql import AdherenceWindow, Tally, adherence_rows
from recovery.display import iso_week_label
from recovery.models import PatientMilestone, Procedure
from recovery.selectors import current_procedure
from recovery.timing import local_to_utc

EPOCH = dt.date(1970, 1, 1)
CALENDAR_FEED_DAYS = 14
_OCCURRENCE_KEY = re.compile(
    r"^(?P<prescription>[0-9a-fA-F-]{32,36}):(?P<date>\d{4}-\d{2}-\d{2}):(?P<time>(?:[01]\d|2[0-3]):[0-5]\d)$"
)

# --- Local time -------------------------------------------------------------------------------------------------------


def epoch_day(day: dt.date) -> int:
    return (day - EPOCH).days


def minute_of_day(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def parse_hhmm(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def minute_key(day: dt.date, minute: int) -> int:
    """A local date and minute of the day as one integer that orders like local date and time."""
    return epoch_day(day) * MINUTES_PER_DAY + minute


def key_to_local(key: int) -> dt.datetime:
    """The wall-clock (naive) date and time of a local minute key."""
    days, minute = divmod(key, MINUTES_PER_DAY)
    return dt.datetime.combine(EPOCH + dt.timedelta(days=days), dt.time(minute // 60, minute % 60))


def due_at(local_date: dt.date, local_time: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant a session at this wall-clock time is due (recovery.timing's rules: a time skipped by the
    spring change moves to the next valid minute, 02:30 on the America/New_York spring-forward day is due at 03:00
    EDT; a repeated time is due once, at its first occurrence)."""
    return local_to_utc(local_date, local_time, zone)


def _key_due_at(key: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    local = key_to_local(key)
    return due_at(local.date(), local.time(), zone)


def local_boundary_key(instant: dt.datetime, zone: zoneinfo.ZoneInfo) -> int:
    """The first local minute key whose occurrence is due at or after `instant`.

    Due instants never go down as wall-clock time goes up (skipped times move forward, repeated ones fire at their
    first occurrence), so "due at or after `instant`" and "local key at or after this boundary" pick the same
    occurrences: a change made at `instant` governs exactly the occurrences not yet due.
    """
    local = instant.astimezone(zone)
    naive = local.replace(tzinfo=None, fold=0)
    start = naive.replace(second=0, microsecond=0)
    if start < naive:
        start += dt.timedelta(minutes=1)
    key = minute_key(start.date(), start.hour * 60 + start.minute)
    # In the second pass of a repeated hour, that hour's wall-clock times were due at their first pass, already gone.
    for _attempt in range(2 * MINUTES_PER_DAY):
        if _key_due_at(key, zone) >= instant:
            break
        key += 1
    return key


def local_key_label(key: int | None) -> str | None:
    """A local minute key as 'YYYY-MM-DDTHH:MM' (the patient's wall clock)."""
    return None if key is None else key_to_local(key).strftime("%Y-%m-%dT%H:%M")


# --- Occurrences ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One scheduled exercise session of one patient.

    `key` is stable and unique per patient occurrence: "<prescription id>:<YYYY-MM-DD>:<HH:MM>". `local_time` is the
    prescribed wall-clock time; `due_at` (UTC) is when it is due, DST-corrected (see `due_at`).
    """

    key: str
    patient_id: uuid.UUID
    prescription_id: uuid.UUID
    version_id: int
    exercise_id: uuid.UUID
    exercise_key: str
    exercise_name: str
    kind: str
    dose: dict[str, int] = field(hash=False, compare=False)
    local_date: dt.date
    local_time: str
    due_at: dt.datetime
    time_zone: str


def occurrence_key(prescription_id: uuid.UUID, local_date: dt.date, local_time: str) -> str:
    return f"{prescription_id}:{local_date.isoformat()}:{local_time}"


def parse_occurrence_key(key: str) -> tuple[uuid.UUID, dt.date, dt.time] | None:
    """(prescription id, local date, local time) of an occurrence key, or None when it is not one."""
    match = _OCCURRENCE_KEY.match(key)
    if match is None:
        return None
    try:
        return (
            uuid.UUID(match["prescription"]),
            dt.date.fromisoformat(match["date"]),
            parse_hhmm(match["time"]),
        )
    except ValueError:
        return None


def _versions() -> QuerySet[PrescriptionVersion]:
    return PrescriptionVersion.objects.filter(held=False).select_related(
        "prescription__exercise", "prescription__plan__procedure", "prescription__plan__patient"
    )


def _in_window(versions: QuerySet[PrescriptionVersion], lo: int, hi: int) -> QuerySet[PrescriptionVersion]:
    """Versions whose window overlaps local keys [lo, hi)."""
    return versions.filter(Q(until_key__isnull=True) | Q(until_key__gt=lo), from_key__lt=hi)


def _occurrences_on(
    versions: Iterable[PrescriptionVersion], local_date: dt.date, zone: zoneinfo.ZoneInfo
) -> list[Occurrence]:
    """The occurrences these versions schedule on one local date (versions carry their plan and exercise)."""
    weekday = local_date.weekday()
    base = epoch_day(local_date) * MINUTES_PER_DAY
    found: list[Occurrence] = []
    for version in versions:
        prescription = version.prescription
        day = (local_date - prescription.plan.procedure.procedure_date).days
        if version.held or not version.covers_day(day) or weekday not in version.days_of_week:
            continue
        for hhmm in version.times_of_day:
            time = parse_hhmm(hhmm)
            if not version.governs(base + minute_of_day(time)):
                continue
            exercise = prescription.exercise
            found.append(
                Occurrence(
                    key=occurrence_key(prescription.pk, local_date, hhmm),
                    patient_id=prescription.plan.patient_id,
                    prescription_id=prescription.pk,
                    version_id=version.pk,
                    exercise_id=exercise.pk,
                    exercise_key=exercise.key,
                    exercise_name=str(exercise.text("name")),
                    kind=exercise.kind,
                    dose=dict(version.dose),
                    local_date=local_date,
                    local_time=hhmm,
                    due_at=due_at(local_date, time, zone),
                    time_zone=str(zone.key),
                )
            )
    return sorted(found, key=lambda o: (o.due_at, o.local_time, o.exercise_name, o.key))


def exercise_occurrences_on(patient: PatientProfile, local_date: dt.date) -> list[Occurrence]:
    """The exercise sessions `patient` is scheduled for on `local_date` (a date in their own time zone), in due order.

    For the notifications engine: each has a stable `key`, the exercise name, the local date and "HH:MM" time, and
    `due_at` in UTC computed with zoneinfo. One query.
    """
    lo = minute_key(local_date, 0)
    versions = _in_window(_versions().filter(prescription__plan__patient=patient), lo, lo + MINUTES_PER_DAY)
    return _occurrences_on(versions, local_date, patient.zone)


def exercise_occurrences_due_between(
    *, start: dt.datetime, end: dt.datetime, patient_ids: Iterable[uuid.UUID] | None = None
) -> list[Occurrence]:
    """Every exercise session due in [start, end) (aware instants), for the given patients or for all, in due order.

    One query, whatever the number of patients: versions whose window overlaps the period on any wall clock, with
    their prescription, exercise, plan and patient; occurrences are then generated per patient in their own zone.
    Patients whose account is closed have none. Pass `patient_ids` in chunks (the dispatcher's batches) to bound the
    rows read.
    """
    if end <= start:
        return []
    # Any zone's wall clock is within a day of UTC's.
    lo = minute_key(start.astimezone(dt.UTC).date() - dt.timedelta(days=1), 0)
    hi = minute_key(end.astimezone(dt.UTC).date() + dt.timedelta(days=2), 0)
    versions = _in_window(_versions(), lo, hi).filter(prescription__plan__patient__user__is_active=True)
    if patient_ids is not None:
        versions = versions.filter(prescription__plan__patient_id__in=list(patient_ids))
    by_patient: dict[uuid.UUID, list[PrescriptionVersion]] = defaultdict(list)
    for version in versions:
        by_patient[version.prescription.plan.patient_id].append(version)
    found: list[Occurrence] = []
    for patient_versions in by_patient.values():
        zone = patient_versions[0].prescription.plan.patient.zone
        day = start.astimezone(zone).date()
        while day <= end.astimezone(zone).date():
            found += [o for o in _occurrences_on(patient_versions, day, zone) if start <= o.due_at < end]
            day += dt.timedelta(days=1)
    return sorted(found, key=lambda o: (o.due_at, str(o.patient_id), o.key))


def patients_with_exercises_between(
    *, start: dt.datetime, end: dt.datetime, patient_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, list[Occurrence]]:
    """`exercise_occurrences_due_between`, grouped by patient id (patients with no session are left out)."""
    grouped: dict[uuid.UUID, list[Occurrence]] = defaultdict(list)
    for occurrence in exercise_occurrences_due_between(start=start, end=end, patient_ids=patient_ids):
        grouped[occurrence.patient_id].append(occurrence)
    return dict(grouped)


def exercise_record_with_version(record_id: uuid.UUID) -> ExerciseRecord:
    return ExerciseRecord.objects.select_related("version", "entered_by__caregiver").get(pk=record_id)


@dataclass(frozen=True)
class Session:
    occurrence: Occurrence
    record: ExerciseRecord | None


def exercise_sessions_on(patient: PatientProfile, local_date: dt.date) -> list[Session]:
    """The day's occurrences with what the patient recorded for each."""
    occurrences = exercise_occurrences_on(patient, local_date)
    records = {
        (r.prescription_id, f"{r.local_time:%H:%M}"): r
        for r in ExerciseRecord.objects.filter(patient=patient, local_date=local_date)
    }
    return [Session(o, records.get((o.prescription_id, o.local_time))) for o in occurrences]


def exercise_occurrence_find(
    prescription: Prescription, local_date: dt.date, local_time: dt.time, zone: zoneinfo.ZoneInfo
) -> Occurrence | None:
    """The occurrence of `prescription` at this local date and time, if its plan schedules one."""
    lo = minute_key(local_date, 0)
    versions = _in_window(_versions().filter(prescription=prescription), lo, lo + MINUTES_PER_DAY)
    hhmm = f"{local_time:%H:%M}"
    return next((o for o in _occurrences_on(versions, local_date, zone) if o.local_time == hhmm), None)


# --- The plan ---------------------------------------------------------------------------------------------------------


def dose_text(dose: dict[str, int]) -> str:
    """A dose as the patient reads it, in the active language: "2 sets of 10 repetitions, holding each for 5
    seconds", "15 minutes"."""
    if "minutes" in dose:
        return ngettext("%(n)d minute", "%(n)d minutes", dose["minutes"]) % {"n": dose["minutes"]}
    sets = ngettext("%(n)d set", "%(n)d sets", dose.get("sets", 1)) % {"n": dose.get("sets", 1)}
    reps = ngettext("%(n)d repetition", "%(n)d repetitions", dose.get("reps", 1)) % {"n": dose.get("reps", 1)}
    if "hold_seconds" in dose:
        hold = ngettext("%(n)d second", "%(n)d seconds", dose["hold_seconds"]) % {"n": dose["hold_seconds"]}
        return _("%(sets)s of %(reps)s, holding each for %(hold)s") % {"sets": sets, "reps": reps, "hold": hold}
    return _("%(sets)s of %(reps)s") % {"sets": sets, "reps": reps}


def exercises_visible_to(user: User) -> QuerySet[Exercise]:
    """The shipped library and the user's own clinic's exercises."""
    return exercises_for_clinic(user.clinic_id)


def exercise_library(user: User) -> QuerySet[Exercise]:
    """`exercises_visible_to` in the library's order: by kind, then the earliest day each suits, then name."""
    return exercises_visible_to(user).order_by("kind", "earliest_day", "name")


def exercises_by_id(exercise_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Exercise]:
    return Exercise.objects.in_bulk(set(exercise_ids))


def exercises_for_clinic(clinic_id: uuid.UUID | None) -> QuerySet[Exercise]:
    shipped = Q(clinic__isnull=True)
    return Exercise.objects.filter(shipped | Q(clinic_id=clinic_id) if clinic_id else shipped)


def prescriptions_in_plan_order() -> QuerySet[Prescription]:
    """Prescriptions as a plan lists them: in the order they were made, then by first day and exercise name, each
    with its exercise and every version (oldest first)."""
    return (
        Prescription.objects.select_related("exercise")
        .annotate(_first_day=Min("versions__first_day"))
        .order_by("created_at", "_first_day", "exercise__name", "id")
        .prefetch_related(
            Prefetch("versions", PrescriptionVersion.objects.select_related("created_by").order_by("version"))
        )
    )


def exercise_plans_with_history() -> QuerySet[ExercisePlan]:
    return (
        ExercisePlan.objects.select_related("procedure", "patient")
        .prefetch_related(Prefetch("prescriptions", prescriptions_in_plan_order()))
        .order_by("created_at")
    )


def exercise_plan_current(patient: PatientProfile, today: dt.date | None = None) -> ExercisePlan | None:
    """The plan of the procedure that drives the timeline (the latest done one), with its prescriptions and every
    version, ready to show."""
    procedure = current_procedure(patient, on=today or patient.local_today())
    if procedure is None:
        return None
    return exercise_plan_of(procedure)


def exercise_plan_of(procedure: Procedure) -> ExercisePlan | None:
    """The exercise plan of one procedure episode (None before it is laid out), with its prescriptions and every
    version."""
    return exercise_plans_with_history().filter(procedure=procedure).first()


def prescription_of(patient: PatientProfile, prescription_id: uuid.UUID) -> Prescription:
    """One prescription of the patient's plans, with its exercise and plan; Http404 for any other id."""
    try:
        return Prescription.objects.select_related("plan__patient", "exercise").get(
            pk=prescription_id, plan__patient=patient
        )
    except Prescription.DoesNotExist as exc:
        raise Http404("No prescription with this id.") from exc


def prescription_with_history(prescription_id: uuid.UUID) -> Prescription:
    """A prescription with its exercise, its plan's procedure and every version with who made it: what its detail
    shows."""
    return (
        Prescription.objects.select_related("exercise", "plan__procedure")
        .prefetch_related("versions__created_by")
        .get(pk=prescription_id)
    )


def prescription_status(prescription: Prescription, day: int | None) -> str:
    """removed, held (a step-up waiting for review), upcoming, active or finished, on day N after the procedure."""
    if prescription.ended_at is not None:
        return "removed"
    versions = list(prescription.versions.all())
    current = versions[-1] if versions else None
    if current is None:
        return "removed"
    if current.held:
        return "held"
    if day is None or day < current.first_day:
        return "upcoming"
    if current.last_day is not None and day > current.last_day:
        return "finished"
    return "active"


# --- Adherence --------------------------------------------------------------------------------------------------------


def _week_label(iso_year: int, iso_week: int) -> dict[str, Any]:
    return {
        "week": iso_week_label(dt.date.fromisocalendar(iso_year, iso_week, 1)),
        "starts_on": dt.date.fromisocalendar(iso_year, iso_week, 1),
    }


def adherence_window(
    plan_id: uuid.UUID, procedure_date: dt.date, zone: zoneinfo.ZoneInfo, now: dt.datetime, since: dt.date | None = None
) -> AdherenceWindow:
    """What exercises.sql counts for a plan: its sessions due before `now` in the patient's `zone`, from `since` (a
    local date) or, without it, from the procedure."""
    day0 = epoch_day(procedure_date)
    return AdherenceWindow(
        plan_id=plan_id,
        day0=day0,
        first_day=day0 if since is None else max(day0, epoch_day(since)),
        now_key=local_boundary_key(now, zone),
    )


def exercise_adherence(plan: ExercisePlan, now: dt.datetime | None = None) -> dict[str, Any]:
    """Adherence of a plan so far: completed / scheduled, partly done counting half, per prescription, per ISO week,
    per prescription and week, and overall. Only sessions already due count as scheduled.

    The counting is one SQL aggregate (exercises.sql.adherence_rows); the per-week and overall figures add up its few
    rows.
    """
    now = now or timezone.now()
    rows = adherence_rows([adherence_window(plan.pk, plan.procedure.procedure_date, plan.patient.zone, now)])
    overall = Tally()
    by_week: dict[tuple[int, int], Tally] = defaultdict(Tally)
    by_prescription: dict[uuid.UUID, Tally] = defaultdict(Tally)
    weeks_of: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.iso_year, r.iso_week)):
        pid, year, week, tally = row.prescription_id, row.iso_year, row.iso_week, row.tally
        overall.add(tally)
        by_week[(year, week)].add(tally)
        by_prescription[pid].add(tally)
        weeks_of[pid].append({**_week_label(year, week), **tally.as_dict()})
    prescriptions = prescriptions_in_plan_order().filter(plan=plan)
    return {
        "plan": plan.pk,
        "as_of": now,
        "today": plan.patient.local_today(now),
        "time_zone": plan.patient.time_zone,
        "overall": overall.as_dict(),
        "by_week": [{**_week_label(y, w), **t.as_dict()} for (y, w), t in sorted(by_week.items())],
        "by_prescription": [
            {
                "prescription": p.pk,
                "exercise": {"id": p.exercise.pk, "key": p.exercise.key, "name": str(p.exercise.text("name"))},
                **by_prescription[p.pk].as_dict(),
                "weeks": weeks_of[p.pk],
            }
            for p in prescriptions
        ],
    }


# --- Calendar feed ----------------------------------------------------------------------------------------------------


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_live(token: str) -> CalendarFeed | None:
    """The live (not revoked) feed with this token, or None."""
    if not token or len(token) > 200:
        return None
    return (
        CalendarFeed.objects.filter(token_hash=calendar_token_hash(token), revoked_at__isnull=True)
        .select_related("patient")
        .first()
    )


def calendar_feed_of(patient: PatientProfile) -> CalendarFeed | None:
    """The patient's live (not revoked) feed, or None."""
    return CalendarFeed.objects.filter(patient=patient, revoked_at__isnull=True).first()


def calendar_feed_url(token: str) -> str:
    return f"{settings.APP_URL}/calendar/{token}.ics"


@dataclass(frozen=True)
class CalendarContent:
    """What the feed shows: exercise names at their times and milestone titles over their windows, nothing else."""

    patient: PatientProfile
    generated_at: dt.datetime
    first_day: dt.date
    occurrences: Sequence[Occurrence]
    milestones: Sequence[PatientMilestone]


def calendar_content(patient: PatientProfile, now: dt.datetime | None = None) -> CalendarContent:
    """The next CALENDAR_FEED_DAYS days of sessions (from today, in the patient's zone) and the windows of the
    current procedure's milestones not yet completed nor closed."""
    now = now or timezone.now()
    today = patient.local_today(now)
    lo = minute_key(today, 0)
    hi = lo + CALENDAR_FEED_DAYS * MINUTES_PER_DAY
    versions = list(_in_window(_versions().filter(prescription__plan__patient=patient), lo, hi))
    occurrences: list[Occurrence] = []
    for offset in range(CALENDAR_FEED_DAYS):
        occurrences += _occurrences_on(versions, today + dt.timedelta(days=offset), patient.zone)
    procedure = current_procedure(patient, on=today)
    milestones = (
        list(
            PatientMilestone.objects.filter(
                procedure=procedure, completed_at__isnull=True, closes_on__gte=today
            ).order_by("opens_on")
        )
        if procedure is not None
        else []
    )
    return CalendarContent(patient, now, today, occurrences, milestones)
