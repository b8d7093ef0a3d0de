"""Physical therapy: the exercise library, each patient's plan of versioned prescriptions, what the patient recorded,
and their private calendar feed.

Versioned prescriptions
-----------------------
A `Prescription` is one line of a plan ("walking, three times a day, days 7-13") with a stable id: occurrence keys,
records and reminders refer to it. What it asks for (dose, days of the week, times of day, first and last day) lives in
immutable `PrescriptionVersion` rows. A change never edits a version: it closes the open one (sets `until_key`, the
only write a version ever gets, from empty to a value) and opens the next, both at the same boundary, which is the next
occurrence that is neither due nor recorded yet. Everything before the boundary reads exactly as it did when it
happened, and every record still points at an occurrence of the schedule.

Boundaries are *local minute keys*: days since 1970-01-01 x 1440 + minute of the day, on the patient's wall clock
(see `exercises.selectors.local_boundary_key`). The schedule is a wall-clock schedule ("09:00 every day"), so
its boundaries are too; one integer compares the same way in PostgreSQL and SQLite, which lets adherence be counted in
portable SQL. The UTC instant of each change is kept in `created_at`.

Progression hold: pain of 7+ during the same exercise twice in a row raises a watch alert and holds the prescription's
progression until a clinician acknowledges the alert. The hold is written as versions too (the prescription runs on
past its last day, its step-ups get a `held` version that schedules nothing), so every reader, including the SQL
adherence count, sees one schedule. `ProgressionHold` remembers what to restore when the alert is acknowledged.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.utils.translation import gettext_lazy as _

from accounts.languages import localized
from accounts.models import Clinic, PatientProfile
from recovery.models.core import Alert, Procedure

MINUTES_PER_DAY = 24 * 60


class ExerciseKind(models.TextChoices):
    STRETCHING = "stretching", _("Gentle stretching")
    STRENGTHENING = "strengthening", _("Strengthening")
    AEROBIC = "aerobic", _("Low-impact aerobic")


# The fields of an exercise a patient reads, which `translations` may carry in another language.
EXERCISE_TEXT_FIELDS = ("name", "steps", "precautions")


class Exercise(models.Model):
    """One exercise of the library. The shipped ones have no clinic; a clinic adds its own, seen only by its people."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="exercises")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=ExerciseKind.choices)
    steps = models.JSONField(default=list, help_text="Plain-language steps, in order.")
    default_dose = models.JSONField(
        help_text="{'sets', 'reps'}, {'sets', 'hold_seconds', 'reps'} or {'minutes'}; prescriptions keep its style."
    )
    earliest_day = models.PositiveSmallIntegerField(help_text="The first day after the procedure it suits.")
    precautions = models.JSONField(default=list)
    media_url = models.URLField(blank=True)
    translations = models.JSONField(
        default=dict,
        db_default=Value({}, output_field=models.JSONField()),  # rows written by older data migrations, too
        blank=True,
        help_text="Other languages: {'es': {'name': ..., 'steps': [...], 'precautions': [...]}}; English is above.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "recovery_exercise"  # made by recovery's migrations; the tables kept their names
        ordering = ("kind", "earliest_day", "name")
        constraints = [
            models.UniqueConstraint(fields=("clinic", "key"), name="exercise_key_unique_per_clinic"),
            models.UniqueConstraint(
                fields=("key",), condition=Q(clinic__isnull=True), name="exercise_shipped_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def text(self, field: str) -> Any:
        """A text field (EXERCISE_TEXT_FIELDS) in the active language; English where it has no translation."""
        return localized(getattr(self, field), self.translations, field)

    @property
    def dose_style(self) -> frozenset[str]:
        return frozenset(self.default_dose)


class ExercisePlan(models.Model):
    """The exercise plan of one procedure episode, created when the procedure is marked done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="exercise_plans")
    procedure = models.OneToOneField(Procedure, on_delete=models.PROTECT, related_name="exercise_plan")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "recovery_exerciseplan"  # made by recovery's migrations; the tables kept their names
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Exercise plan for {self.procedure}"


class PrescriptionSource(models.TextChoices):
    PROTOCOL = "protocol", "From the protocol's default plan"
    CLINICIAN = "clinician", "Added by a clinician"


class Prescription(models.Model):
    """One line of a plan, with a stable identity across its versions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(ExercisePlan, on_delete=models.CASCADE, related_name="prescriptions")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="prescriptions")
    source = models.CharField(max_length=12, choices=PrescriptionSource.choices)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When a clinician removed it.")

    class Meta:
        db_table = "recovery_prescription"  # made by recovery's migrations; the tables kept their names
        ordering = ("plan", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.exercise} ({self.pk})"


class VersionChange(models.TextChoices):
    CREATED = "created", "Prescribed"
    CHANGED = "changed", "Changed by a clinician"
    HELD = "held", "Progression held after pain during the exercise"
    RELEASED = "released", "Progression resumed after a clinician's review"


class PrescriptionVersion(models.Model):
    """What a prescription asks for, from `from_key` (inclusive) to `until_key` (exclusive; empty: open). Immutable
    but for closing it once."""

    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    change = models.CharField(max_length=10, choices=VersionChange.choices)
    dose = models.JSONField()
    days_of_week = models.JSONField(help_text="0 = Monday ... 6 = Sunday.")
    times_of_day = models.JSONField(help_text="'HH:MM' on the patient's wall clock; times per day = how many.")
    first_day = models.PositiveSmallIntegerField(help_text="Day after the procedure (0 = procedure day).")
    last_day = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Inclusive; empty: open-ended.")
    held = models.BooleanField(default=False, help_text="A step-up waiting for a clinician's review: no sessions.")
    from_key = models.IntegerField(help_text="Local minute key of the first occurrence it governs.")
    until_key = models.IntegerField(null=True, blank=True, help_text="Local minute key it stops at; empty: open.")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        db_table = "recovery_prescriptionversion"  # made by recovery's migrations; the tables kept their names
        ordering = ("prescription", "version")
        constraints = [
            models.UniqueConstraint(fields=("prescription", "version"), name="prescription_version_unique"),
            models.UniqueConstraint(
                fields=("prescription",), condition=Q(until_key__isnull=True), name="prescription_one_open_version"
            ),
            models.CheckConstraint(
                condition=Q(last_day__isnull=True) | Q(last_day__gte=models.F("first_day")),
                name="prescription_version_days_ordered",
            ),
            models.CheckConstraint(
                condition=Q(until_key__isnull=True) | Q(until_key__gte=models.F("from_key")),
                name="prescription_version_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prescription_id} v{self.version}"

    @property
    def times_per_day(self) -> int:
        return len(self.times_of_day)

    def covers_day(self, day: int) -> bool:
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)

    def governs(self, key: int) -> bool:
        """Whether the occurrence at this local minute key falls in this version's window."""
        return self.from_key <= key and (self.until_key is None or key < self.until_key)


class PrescriptionSlot(models.Model):
    """One (weekday, time of day) of a version: its days x times, as rows, so SQL can join them to CalendarDay.

    Derived from the version's `days_of_week` and `times_of_day` when the version is written; versions never change,
    so neither do their slots.
    """

    version = models.ForeignKey(PrescriptionVersion, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField()
    local_time = models.TimeField()
    minute = models.PositiveSmallIntegerField(help_text="Minute of the day of local_time.")

    class Meta:
        db_table = "recovery_prescriptionslot"  # made by recovery's migrations; the tables kept their names
        constraints = [
            models.UniqueConstraint(fields=("version", "weekday", "local_time"), name="prescription_slot_unique"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="prescription_slot_weekday_0_6"),
        ]

    def __str__(self) -> str:
        return f"{self.version} day {self.weekday} at {self.local_time:%H:%M}"


class ProgressionHold(models.Model):
    """A prescription's progression held by a pain alert, until a clinician acknowledges that alert."""

    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="holds")
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField()
    last_day = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The prescription's last day before the hold, restored on release."
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "recovery_progressionhold"  # made by recovery's migrations; the tables kept their names
        ordering = ("held_at",)
        constraints = [models.UniqueConstraint(fields=("prescription", "alert"), name="progression_hold_once")]

    def __str__(self) -> str:
        return f"Hold on {self.prescription_id} ({'released' if self.released_at else 'active'})"


class RecordState(models.TextChoices):
    DONE = "done", "Done"
    PARTLY_DONE = "partly_done", "Partly done"
    SKIPPED = "skipped", "Skipped"


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    OK = "ok", "About right"
    HARD = "hard", "Hard"


class ExerciseRecord(models.Model):
    """What the patient did at one occurrence. One per (prescription, local date, local time)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="exercise_records")
    prescription = models.ForeignKey(Prescription, on_delete=models.PROTECT, related_name="records")
    version = models.ForeignKey(
        PrescriptionVersion, on_delete=models.PROTECT, related_name="records", help_text="The version in force."
    )
    local_date = models.DateField()
    local_time = models.TimeField()
    state = models.CharField(max_length=12, choices=RecordState.choices)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0-10 during the exercise.")
    difficulty = models.CharField(max_length=6, choices=Difficulty.choices, blank=True)
    recorded_at = models.DateTimeField(help_text="When the patient recorded it, by their device's clock.")
    received_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # The caregiver who recorded it for the patient; empty when the patient did.
    entered_by = models.ForeignKey(
        "accounts.CaregiverLink", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "recovery_exerciserecord"  # made by recovery's migrations; the tables kept their names
        ordering = ("local_date", "local_time")
        constraints = [
            models.UniqueConstraint(
                fields=("prescription", "local_date", "local_time"), name="exercise_record_once_per_occurrence"
            ),
            models.CheckConstraint(
                condition=Q(pain_during__isnull=True) | Q(pain_during__lte=10), name="exercise_record_pain_0_10"
            ),
        ]
        indexes = [models.Index(fields=("patient", "local_date"))]

    def __str__(self) -> str:
        return f"{self.state} {self.occurrence_key}"

    @property
    def occurrence_key(self) -> str:
        return f"{self.prescription_id}:{self.local_date.isoformat()}:{self.local_time:%H:%M}"

    @property
    def performed(self) -> bool:
        return self.state in (RecordState.DONE, RecordState.PARTLY_DONE)


class CalendarFeed(models.Model):
    """A patient's private iCalendar subscription. Only a SHA-256 of the token is stored; rotating revokes the old
    row and makes a new one, so at most one feed per patient is live."""

    patient = models.ForeignKey(PatientProfile, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "recovery_calendarfeed"  # made by recovery's migrations; the tables kept their names
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("patient",), condition=Q(revoked_at__isnull=True), name="calendar_feed_one_live_per_patient"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.patient_id} ({'revoked' if self.revoked_at else 'live'})"


class CalendarDay(models.Model):
    """One row per calendar date, installed by a data migration (2020-2045).

    The generated series of days that scheduled occurrences are counted over, in SQL that runs unchanged on
    PostgreSQL and on the SQLite of `make run` (which has no generate_series). Week numbers are ISO 8601.
    """

    date = models.DateField(primary_key=True)
    epoch_day = models.IntegerField(unique=True, help_text="Days since 1970-01-01.")
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday ... 6 = Sunday.")
    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "recovery_calendarday"  # made by recovery's migrations; the tables kept their names
        ordering = ("date",)
        indexes = [models.Index(fields=("weekday", "epoch_day"))]

    def __str__(self) -> str:
        return self.date.isoformat()


__all__ = [
    "EXERCISE_TEXT_FIELDS",
    "MINUTES_PER_DAY",
    "CalendarDay",
    "CalendarFeed",
    "Difficulty",
    "Exercise",
    "ExerciseKind",
    "ExercisePlan",
    "ExerciseRecord",
    "Prescription",
    "PrescriptionSlot",
    "PrescriptionSource",
    "PrescriptionVersion",
    "ProgressionHold",
    "RecordState",
    "VersionChange",
]
