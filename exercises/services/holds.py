"""Progression holds: a pain alert keeps a prescription at its dose and its step-ups waiting, until a clinician
acknowledges the alert."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from exercises.models import Prescription, PrescriptionVersion, ProgressionHold, VersionChange
from exercises.services.versions import Schedule, open_version, plan_locked, version_next
from recovery.models import Alert


def _step_ups(prescription: Prescription, last_day: int) -> list[tuple[Prescription, PrescriptionVersion]]:
    """The later phases' prescriptions of the same exercise in the same plan (with their open versions)."""
    found = []
    others = Prescription.objects.filter(
        plan_id=prescription.plan_id, exercise_id=prescription.exercise_id, ended_at__isnull=True
    ).exclude(pk=prescription.pk)
    for other in others.select_related("plan__patient"):
        version = open_version(other)
        if version is not None and not version.held and version.first_day > last_day:
            found.append((other, version))
    return found


def progression_hold(prescription: Prescription, alert: Alert, now: dt.datetime) -> None:
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
    current = open_version(prescription)
    if current is None or current.held or current.last_day is None:
        return  # removed, itself waiting, or open-ended: no step-up to hold
    step_ups = _step_ups(prescription, current.last_day)
    if not step_ups:
        return
    ProgressionHold.objects.create(prescription=prescription, alert=alert, held_at=now, last_day=current.last_day)
    note = "Pain during this exercise twice in a row: the dose stays until a clinician reviews it."
    version_next(
        prescription, current, Schedule.of(current).with_changes({"last_day": None}), change=VersionChange.HELD,
        by=None, now=now, held=False, note=note,
    )  # fmt: skip
    for step_up, version in step_ups:
        version_next(
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
            plan_locked(prescription.plan)
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
            current = open_version(prescription)
            if current is not None and current.last_day is None and hold.last_day is not None:
                version_next(
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
                version_next(
                    version.prescription, version, Schedule.of(version), change=VersionChange.RELEASED, by=by,
                    now=now, held=False, note=note,
                )  # fmt: skip
    return released
