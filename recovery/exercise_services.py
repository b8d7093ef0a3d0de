"""Writes for physical therapy. Each service is one transaction.

Prescription changes follow one rule (see recovery.models.exercises): the open version is closed and the next one
opened at the same boundary, the next occurrence that is neither due nor recorded yet, so the past never changes.
Changes to one plan are serialised by locking the plan's row.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Clinic, PatientProfile, User
from recovery import rules
from recovery.content import exercises_default as content
from recovery.content.protocol_default import EXERCISE_PAIN_SCORE
from recovery.exercise_selectors import (
    calendar_token_hash,
    exercise_occurrence_find,
    exercises_for_clinic,
    local_boundary_key,
    minute_key,
    minute_of_day,
    parse_hhmm,
    parse_occurrence_key,
)
from recovery.models import (
    Alert,
    AlertState,
    CalendarFeed,
    Exercise,
    ExercisePlan,
    ExerciseRecord,
    Prescription,
    PrescriptionSlot,
    PrescriptionSource,
    PrescriptionVersion,
    Procedure,
    ProgressionHold,
    RecordState,
    VersionChange,
)

logger = logging.getLogger(__name__)

EXERCISE_PAIN_RULE = "exercise_pain_7_plus_twice"
_DOSE_STYLE_NAMES = {
    frozenset({"sets", "reps"}): "sets and repetitions",
    frozenset({"sets", "hold_seconds", "reps"}): "sets, seconds to hold and repetitions",
    frozenset({"minutes"}): "minutes",
}

# --- Library ----------------------------------------------------------------------------------------------------------


def exercise_create(
    *,
    clinic: Clinic,
    by: User,
    name: str,
    kind: str,
    steps: Sequence[str],
    default_dose: dict[str, int],
    earliest_day: int,
    precautions: Sequence[str] = (),
    media_url: str = "",
    key: str | None = None,
) -> Exercise:
    """Add a clinic's own exercise to the library (seen by that clinic's people only)."""
    key = key or slugify(name).replace("-", "_")[:60]
    if not key:
        raise ValidationError({"key": ["Give the exercise a key of letters, digits and underscores."]})
    if Exercise.objects.filter(Q(clinic=clinic) | Q(clinic__isnull=True), key=key).exists():
        raise ValidationError({"key": [f"The library already has an exercise with the key '{key}'."]})
    try:
        with transaction.atomic():
            return Exercise.objects.create(
                clinic=clinic, key=key, name=name, kind=kind, steps=list(steps), default_dose=dict(default_dose),
                earliest_day=earliest_day, precautions=list(precautions), media_url=media_url, created_by=by,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"key": [f"The library already has an exercise with the key '{key}'."]}) from None


# --- Versions ---------------------------------------------------------------------------------------------------------


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


def _version_rows(
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


def _slots_create(versions: Sequence[PrescriptionVersion]) -> None:
    PrescriptionSlot.objects.bulk_create(
        [
            PrescriptionSlot(version=version, weekday=weekday, local_time=time, minute=minute_of_day(time))
            for version in versions
            for weekday in version.days_of_week
            for time in map(parse_hhmm, version.times_of_day)
        ]
    )


def _open_version(prescription: Prescription) -> PrescriptionVersion | None:
    return PrescriptionVersion.objects.filter(prescription=prescription, until_key__isnull=True).first()


def _next_occurrence_key(prescription: Prescription, now: dt.datetime) -> int:
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


def _version_next(
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
    boundary = max(_next_occurrence_key(prescription, now), current.from_key)
    closed = PrescriptionVersion.objects.filter(pk=current.pk, until_key__isnull=True).update(until_key=boundary)
    if not closed:
        raise ValidationError("This prescription was changed at the same moment; reload it and try again.")
    version = _version_rows(
        prescription, schedule, number=current.version + 1, change=change, from_key=boundary, by=by, now=now,
        held=held, note=note,
    )  # fmt: skip
    version.save()
    _slots_create([version])
    return version


def _schedule_check(exercise: Exercise, schedule: Schedule) -> None:
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


def _plan_locked(plan: ExercisePlan) -> ExercisePlan:
    return ExercisePlan.objects.select_for_update().select_related("patient", "procedure").get(pk=plan.pk)


# --- Plans ------------------------------------------------------------------------------------------------------------


def exercise_plan_create_for_procedure(
    *, procedure: Procedure, by: User | None, now: dt.datetime | None = None
) -> ExercisePlan:
    """The procedure's exercise plan from the protocol's default plan (content.DEFAULT_PLAN), phase by phase.

    Called when the procedure is marked done, in the same transaction. Sessions start with the next occurrence
    after `now`; a patient's earlier plans (an earlier procedure episode) stop there. Safe to repeat.
    """
    now = now or timezone.now()
    with transaction.atomic():
        plan, created = ExercisePlan.objects.get_or_create(
            procedure=procedure, defaults={"patient_id": procedure.patient_id, "created_at": now, "created_by": by}
        )
        if not created:
            return plan
        start = local_boundary_key(now, procedure.patient.zone)
        earlier = PrescriptionVersion.objects.filter(
            prescription__plan__patient_id=procedure.patient_id, until_key__isnull=True
        ).exclude(prescription__plan=plan)
        earlier.filter(from_key__lte=start).update(until_key=start)
        earlier.filter(from_key__gt=start).update(until_key=F("from_key"))
        library = {e.key: e for e in Exercise.objects.filter(clinic__isnull=True)}
        prescriptions: list[Prescription] = []
        versions: list[PrescriptionVersion] = []
        for item in content.DEFAULT_PLAN:
            exercise = library.get(item.exercise_key)
            if exercise is None:
                logger.warning("Default plan names exercise %r, which is not installed; skipped.", item.exercise_key)
                continue
            prescription = Prescription(
                id=uuid.uuid4(), plan=plan, exercise=exercise, source=PrescriptionSource.PROTOCOL, created_at=now,
                created_by=by,
            )  # fmt: skip
            prescriptions.append(prescription)
            schedule = Schedule(
                dict(cast(Mapping[str, int], item.dose)),
                list(item.days_of_week),
                list(item.times_of_day),
                item.first_day,
                item.last_day,
            )
            versions.append(
                _version_rows(
                    prescription, schedule, number=1, change=VersionChange.CREATED, from_key=start, by=by, now=now
                )
            )
        Prescription.objects.bulk_create(prescriptions)
        _slots_create(PrescriptionVersion.objects.bulk_create(versions))
    return plan


def prescription_add(
    *,
    plan: ExercisePlan,
    by: User,
    exercise_id: uuid.UUID,
    dose: dict[str, int],
    days_of_week: Sequence[int],
    times_of_day: Sequence[str],
    first_day: int,
    last_day: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Prescription:
    """A clinician adds an exercise to the plan; it starts with the next occurrence."""
    now = now or timezone.now()
    with transaction.atomic():
        plan = _plan_locked(plan)
        exercise = exercises_for_clinic(plan.patient.user.clinic_id).filter(pk=exercise_id).first()
        if exercise is None:
            raise ValidationError({"exercise": ["Unknown exercise: choose one from the library."]})
        schedule = Schedule(dict(dose), sorted(set(days_of_week)), sorted(set(times_of_day)), first_day, last_day)
        _schedule_check(exercise, schedule)
        prescription = Prescription.objects.create(
            plan=plan, exercise=exercise, source=PrescriptionSource.CLINICIAN, created_at=now, created_by=by
        )
        version = _version_rows(
            prescription, schedule, number=1, change=VersionChange.CREATED,
            from_key=local_boundary_key(now, plan.patient.zone), by=by, now=now, note=note,
        )  # fmt: skip
        version.save()
        _slots_create([version])
    return prescription


def prescription_change(
    *, prescription: Prescription, by: User, changes: dict[str, Any], note: str = "", now: dt.datetime | None = None
) -> Prescription:
    """A new version with `changes` (dose, days_of_week, times_of_day, first_day, last_day) from the next occurrence.

    Nothing changes when the values are the ones in force. A held step-up stays held until the pain alert is reviewed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _plan_locked(prescription.plan)
        prescription = Prescription.objects.select_related("exercise", "plan__patient").get(pk=prescription.pk)
        current = _open_version(prescription)
        if prescription.ended_at is not None or current is None:
            raise ValidationError("This prescription was removed; add the exercise again instead.")
        before = Schedule.of(current)
        after = before.with_changes(changes)
        if after == before:
            return prescription
        _schedule_check(prescription.exercise, after)
        _version_next(
            prescription, current, after, change=VersionChange.CHANGED, by=by, now=now, held=current.held, note=note
        )
    return prescription


def prescription_remove(*, prescription: Prescription, by: User, now: dt.datetime | None = None) -> Prescription:
    """Stop the prescription from the next occurrence. Its past sessions and records stay. Safe to repeat."""
    now = now or timezone.now()
    with transaction.atomic():
        _plan_locked(prescription.plan)
        prescription = Prescription.objects.select_related("plan__patient").get(pk=prescription.pk)
        if prescription.ended_at is not None:
            return prescription
        current = _open_version(prescription)
        if current is not None:
            boundary = max(_next_occurrence_key(prescription, now), current.from_key)
            PrescriptionVersion.objects.filter(pk=current.pk).update(until_key=boundary)
        prescription.ended_at = now
        prescription.save(update_fields=["ended_at"])
    return prescription


# --- Records ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordResult:
    record: ExerciseRecord
    created: bool
    alerts: list[Alert]


def _exercise_pain_findings(record: ExerciseRecord) -> list[rules.Finding]:
    """Watch tier: pain during the exercise of EXERCISE_PAIN_SCORE+ in two consecutive sessions of the same
    prescription. Sessions are the done or partly done records in occurrence order (skipped ones are not sessions:
    they neither count nor break the run). Records may arrive out of order, so the new record is paired with the
    session before it and the one after it; the alert's trigger is the later record of the pair.

    While an alert for the prescription is still open (no clinician has looked yet), further painful sessions raise
    no more: one unread alert says it, and the progression is already held.
    """
    if not record.performed or record.pain_during is None or record.pain_during < EXERCISE_PAIN_SCORE:
        return []
    unread = Alert.objects.filter(
        patient_id=record.patient_id,
        rule=EXERCISE_PAIN_RULE,
        state=AlertState.OPEN,
        details__prescription=str(record.prescription_id),
    )
    if unread.exists():
        return []
    sessions = ExerciseRecord.objects.filter(
        prescription_id=record.prescription_id, state__in=(RecordState.DONE, RecordState.PARTLY_DONE)
    ).exclude(pk=record.pk)
    d, t = record.local_date, record.local_time
    before = sessions.filter(Q(local_date__lt=d) | Q(local_date=d, local_time__lt=t)).order_by(
        "-local_date", "-local_time"
    )
    after = sessions.filter(Q(local_date__gt=d) | Q(local_date=d, local_time__gt=t)).order_by(
        "local_date", "local_time"
    )
    findings: list[rules.Finding] = []
    for earlier, later in ((before.first(), record), (record, after.first())):
        if earlier is None or later is None:
            continue
        if min(earlier.pain_during or 0, later.pain_during or 0) < EXERCISE_PAIN_SCORE:
            continue
        details = {
            "exercise": record.prescription.exercise.name,
            "prescription": str(record.prescription_id),
            "sessions": [
                {"occurrence": r.occurrence_key, "state": r.state, "pain_during": r.pain_during}
                for r in (earlier, later)
            ],
        }
        findings.append(rules.Finding(EXERCISE_PAIN_RULE, f"exercise-record:{later.pk}", details))
    return findings


def exercise_record_put(
    *,
    patient: PatientProfile,
    occurrence: str,
    state: str,
    pain_during: int | None,
    difficulty: str,
    recorded_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> RecordResult:
    """Record what the patient did at one occurrence; the same request again changes nothing (idempotent per
    occurrence), a different one corrects the record.

    Http404 for a key that is not an occurrence of this patient's plan; ValidationError for a day after today (in
    the patient's zone) or before the backfill window. Pain of 7+ twice in a row raises a watch alert and holds the
    prescription's progression.
    """
    from recovery.services import alerts_raise  # recovery.services calls into this module when a procedure is done

    now = now or timezone.now()
    parsed = parse_occurrence_key(occurrence)
    if parsed is None:
        raise Http404("No exercise session with this key.")
    prescription_id, local_date, local_time = parsed
    prescription = (
        Prescription.objects.select_related("exercise", "plan__procedure", "plan__patient")
        .filter(pk=prescription_id, plan__patient=patient)
        .first()
    )
    if prescription is None:
        raise Http404("No exercise session with this key.")
    today = patient.local_today(now)
    backfill = int(settings.CHECKIN_BACKFILL_DAYS)  # the same offline window as daily check-ins
    if local_date > today:
        raise ValidationError({"occurrence": ["This session is on a day after today where you are."]})
    if local_date < today - dt.timedelta(days=backfill):
        raise ValidationError({"occurrence": [f"Sessions can be recorded for the last {backfill} days only."]})
    found = exercise_occurrence_find(prescription, local_date, local_time, patient.zone)
    if found is None:
        raise Http404("No exercise session with this key.")
    values = {
        "state": state,
        "pain_during": pain_during,
        "difficulty": difficulty,
    }
    with transaction.atomic():
        _plan_locked(prescription.plan)
        record = (
            ExerciseRecord.objects.select_for_update()
            .filter(prescription=prescription, local_date=local_date, local_time=local_time)
            .first()
        )
        created = record is None
        if record is None:
            record = ExerciseRecord.objects.create(
                patient=patient, prescription=prescription, version_id=found.version_id, local_date=local_date,
                local_time=local_time, recorded_at=recorded_at or now, received_at=now, updated_at=now, **values,
            )  # fmt: skip
        elif any(getattr(record, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(record, name, value)
            record.recorded_at = recorded_at or now
            record.updated_at = now
            record.save()
        else:
            return RecordResult(record, created=False, alerts=[])
        record.prescription = prescription
        alerts = alerts_raise(patient=patient, findings=_exercise_pain_findings(record), now=now)
        for alert in alerts:
            _progression_hold(prescription, alert, now)
    return RecordResult(record, created=created, alerts=alerts)


# --- Progression holds ------------------------------------------------------------------------------------------------


def _step_ups(prescription: Prescription, last_day: int) -> list[tuple[Prescription, PrescriptionVersion]]:
    """The later phases' prescriptions of the same exercise in the same plan (with their open versions)."""
    found = []
    others = Prescription.objects.filter(
        plan_id=prescription.plan_id, exercise_id=prescription.exercise_id, ended_at__isnull=True
    ).exclude(pk=prescription.pk)
    for other in others.select_related("plan__patient"):
        version = _open_version(other)
        if version is not None and not version.held and version.first_day > last_day:
            found.append((other, version))
    return found


def _progression_hold(prescription: Prescription, alert: Alert, now: dt.datetime) -> None:
    """Hold the prescription's progression: it keeps its current dose past its last day, and its step-ups (the same
    exercise's later phases) do not start, from the next occurrence until the alert is acknowledged.

    Several alerts may hold the same prescription; the versions change when the first one holds it and when the last
    one is acknowledged.
    """
    active = ProgressionHold.objects.filter(prescription=prescription, released_at__isnull=True).first()
    if active is not None:
        ProgressionHold.objects.get_or_create(
            prescription=prescription, alert=alert, defaults={"held_at": now, "last_day": active.last_day}
        )
        return
    current = _open_version(prescription)
    if current is None or current.held or current.last_day is None:
        return  # removed, itself waiting, or open-ended: no step-up to hold
    step_ups = _step_ups(prescription, current.last_day)
    if not step_ups:
        return
    ProgressionHold.objects.create(prescription=prescription, alert=alert, held_at=now, last_day=current.last_day)
    note = "Pain during this exercise twice in a row: the dose stays until a clinician reviews it."
    _version_next(
        prescription, current, Schedule.of(current).with_changes({"last_day": None}), change=VersionChange.HELD,
        by=None, now=now, held=False, note=note,
    )  # fmt: skip
    for step_up, version in step_ups:
        _version_next(
            step_up, version, Schedule.of(version), change=VersionChange.HELD, by=None, now=now, held=True, note=note
        )


def exercise_holds_release(*, alert: Alert, by: User, now: dt.datetime | None = None) -> int:
    """A clinician acknowledged (or resolved) `alert`: lift the progression holds it placed, from the next
    occurrence. The held prescription gets its last day back (unless a clinician set one meanwhile) and its step-ups
    resume. Safe to repeat; returns how many holds were released."""
    now = now or timezone.now()
    released = 0
    with transaction.atomic():
        holds = ProgressionHold.objects.select_for_update(of=("self",)).filter(alert=alert, released_at__isnull=True)
        for hold in holds.select_related("prescription__plan__patient"):
            prescription = hold.prescription
            _plan_locked(prescription.plan)
            hold.released_at, hold.released_by = now, by
            hold.save(update_fields=["released_at", "released_by"])
            released += 1
            still_held = ProgressionHold.objects.filter(
                prescription__plan_id=prescription.plan_id,
                prescription__exercise_id=prescription.exercise_id,
                released_at__isnull=True,
            ).exists()
            if still_held:
                continue
            note = "A clinician reviewed the pain alert: progression resumes."
            current = _open_version(prescription)
            if current is not None and current.last_day is None and hold.last_day is not None:
                _version_next(
                    prescription, current, Schedule.of(current).with_changes({"last_day": hold.last_day}),
                    change=VersionChange.RELEASED, by=by, now=now, held=current.held, note=note,
                )  # fmt: skip
            waiting = PrescriptionVersion.objects.filter(
                prescription__plan_id=prescription.plan_id,
                prescription__exercise_id=prescription.exercise_id,
                prescription__ended_at__isnull=True,
                until_key__isnull=True,
                held=True,
            ).select_related("prescription__plan__patient")
            for version in waiting:
                _version_next(
                    version.prescription, version, Schedule.of(version), change=VersionChange.RELEASED, by=by,
                    now=now, held=False, note=note,
                )  # fmt: skip
    return released


# --- Calendar feed ----------------------------------------------------------------------------------------------------


def calendar_feed_rotate(*, patient: PatientProfile, now: dt.datetime | None = None) -> tuple[CalendarFeed, str]:
    """A new private feed token for the patient; the old one (if any) stops working. The token is returned once
    and only its hash is stored."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        PatientProfile.objects.select_for_update().filter(pk=patient.pk).first()
        CalendarFeed.objects.filter(patient=patient, revoked_at__isnull=True).update(revoked_at=now)
        feed = CalendarFeed.objects.create(patient=patient, token_hash=calendar_token_hash(token), created_at=now)
    return feed, token


def calendar_feed_revoke(*, patient: PatientProfile, now: dt.datetime | None = None) -> int:
    """Stop the patient's feed. Safe to repeat; returns how many feeds were live."""
    return CalendarFeed.objects.filter(patient=patient, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
