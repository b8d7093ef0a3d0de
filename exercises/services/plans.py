"""A procedure's plan and the clinician's changes to it: add, change and remove prescriptions. Each one transaction."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from exercises.models import (
    Exercise,
    ExercisePlan,
    Prescription,
    PrescriptionSource,
    PrescriptionVersion,
    VersionChange,
)
from exercises.selectors import exercises_for_clinic, local_boundary_key
from exercises.services.versions import (
    Schedule,
    next_occurrence_key,
    open_version,
    plan_locked,
    schedule_check,
    slots_create,
    version_next,
    version_rows,
)
from recovery.content import exercises_default as content
from recovery.models import Procedure

logger = logging.getLogger(__name__)


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
                version_rows(
                    prescription, schedule, number=1, change=VersionChange.CREATED, from_key=start, by=by, now=now
                )
            )
        Prescription.objects.bulk_create(prescriptions)
        slots_create(PrescriptionVersion.objects.bulk_create(versions))
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
        plan = plan_locked(plan)
        exercise = exercises_for_clinic(plan.patient.user.clinic_id).filter(pk=exercise_id).first()
        if exercise is None:
            raise ValidationError({"exercise": ["Unknown exercise: choose one from the library."]})
        schedule = Schedule(dict(dose), sorted(set(days_of_week)), sorted(set(times_of_day)), first_day, last_day)
        schedule_check(exercise, schedule)
        prescription = Prescription.objects.create(
            plan=plan, exercise=exercise, source=PrescriptionSource.CLINICIAN, created_at=now, created_by=by
        )
        version = version_rows(
            prescription, schedule, number=1, change=VersionChange.CREATED,
            from_key=local_boundary_key(now, plan.patient.zone), by=by, now=now, note=note,
        )  # fmt: skip
        version.save()
        slots_create([version])
    return prescription


def prescription_change(
    *, prescription: Prescription, by: User, changes: dict[str, Any], note: str = "", now: dt.datetime | None = None
) -> Prescription:
    """A new version with `changes` (dose, days_of_week, times_of_day, first_day, last_day) from the next occurrence.

    Nothing changes when the values are the ones in force. A held step-up stays held until the pain alert is reviewed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        plan_locked(prescription.plan)
        prescription = Prescription.objects.select_related("exercise", "plan__patient").get(pk=prescription.pk)
        current = open_version(prescription)
        if prescription.ended_at is not None or current is None:
            raise ValidationError("This prescription was removed; add the exercise again instead.")
        before = Schedule.of(current)
        after = before.with_changes(changes)
        if after == before:
            return prescription
        schedule_check(prescription.exercise, after)
        version_next(
            prescription, current, after, change=VersionChange.CHANGED, by=by, now=now, held=current.held, note=note
        )
    return prescription


def prescription_remove(*, prescription: Prescription, by: User, now: dt.datetime | None = None) -> Prescription:
    """Stop the prescription from the next occurrence. Its past sessions and records stay. Safe to repeat."""
    now = now or timezone.now()
    with transaction.atomic():
        plan_locked(prescription.plan)
        prescription = Prescription.objects.select_related("plan__patient").get(pk=prescription.pk)
        if prescription.ended_at is not None:
            return prescription
        current = open_version(prescription)
        if current is not None:
            boundary = max(next_occurrence_key(prescription, now), current.from_key)
            PrescriptionVersion.objects.filter(pk=current.pk).update(until_key=boundary)
        prescription.ended_at = now
        prescription.save(update_fields=["ended_at"])
    return prescription
