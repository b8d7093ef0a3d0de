"""A patient's recovery: procedure episodes on a versioned protocol, milestones, daily check-ins, assessments, alerts.

Dates that mean "a day in the patient's life" (procedure date, check-in date, milestone windows) are calendar dates in
the patient's own time zone. Instants (received_at, raised_at, ...) are UTC datetimes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Value

from accounts.models import Clinic, PatientProfile
from recovery.expressions import DateAddDays

# --- Protocol ---------------------------------------------------------------------------------------------------------


class Protocol(models.Model):
    """One immutable version of a recovery protocol. Editing makes a new version; procedures keep theirs.

    The shipped default has no clinic. A clinic copies it once and then edits its own copy, version by version; the
    clinic's newest version is what new procedures start on.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="protocols")
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    change_note = models.CharField(max_length=500, blank=True)
    # "When to get help": the warning signs by tier in plain words, {"title", "tiers": [{"tier", "heading", "signs",
    # "note"}]} (recovery.content.protocol_default.WHEN_TO_GET_HELP). Empty in versions made before it existed.
    # The database default ({}) lets the frozen install step of migration 0002, whose model predates this field, add
    # version 1 again (tests re-run the install steps after transactional tests).
    when_to_get_help = models.JSONField(default=dict, blank=True, db_default=Value({}, output_field=models.JSONField()))
    # Every other language's "When to get help" ({"es": {"when_to_get_help": {...}}}), frozen with the version. The
    # database default lets the frozen install steps of migrations 0002 and 0007 add their versions again.
    translations = models.JSONField(default=dict, blank=True, db_default=Value({}, output_field=models.JSONField()))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ("clinic_id", "-version")
        constraints = [
            models.UniqueConstraint(fields=("clinic", "version"), name="protocol_version_unique_per_clinic"),
            models.UniqueConstraint(
                fields=("version",), condition=Q(clinic__isnull=True), name="protocol_default_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ProtocolPhase(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="phases")
    key = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    start_day = models.PositiveIntegerField()
    end_day = models.PositiveIntegerField(null=True, blank=True, help_text="Inclusive; empty means open-ended.")
    summary = models.CharField(max_length=500)
    instructions = models.JSONField(default=list)
    avoid = models.JSONField(default=list)
    # Every other language's text of the patient-facing fields, {"es": {field: value}}, frozen with the version
    # (accounts.languages.localized).
    translations = models.JSONField(default=dict, blank=True, db_default=Value({}, output_field=models.JSONField()))

    class Meta:
        ordering = ("protocol", "start_day")
        constraints = [models.UniqueConstraint(fields=("protocol", "key"), name="protocol_phase_key_unique")]

    def __str__(self) -> str:
        return self.title

    def covers(self, day: int) -> bool:
        return self.start_day <= day and (self.end_day is None or day <= self.end_day)


class MilestoneKind(models.TextChoices):
    MILESTONE = "milestone", "Milestone check-in"
    FOLLOW_UP = "follow_up", "Follow-up"


class ProtocolMilestone(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="milestones")
    key = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    open_day = models.PositiveIntegerField()
    target_day = models.PositiveIntegerField()
    close_day = models.PositiveIntegerField()
    assessments = models.JSONField(default=list, help_text="Instrument keys to complete in this window.")
    optional = models.BooleanField(default=False, help_text="Optional follow-ups are scheduled only when enabled.")
    enabled = models.BooleanField(default=True)
    patient_text = models.TextField(blank=True)
    # Every other language's text of the patient-facing fields, {"es": {field: value}}, frozen with the version
    # (accounts.languages.localized).
    translations = models.JSONField(default=dict, blank=True, db_default=Value({}, output_field=models.JSONField()))

    class Meta:
        ordering = ("protocol", "open_day")
        constraints = [
            models.UniqueConstraint(fields=("protocol", "key"), name="protocol_milestone_key_unique"),
            models.CheckConstraint(
                condition=Q(open_day__lte=models.F("target_day")) & Q(target_day__lte=models.F("close_day")),
                name="protocol_milestone_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- Procedures and milestones ----------------------------------------------------------------------------------------


class ProcedureStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Both sides"


class Anaesthesia(models.TextChoices):
    LOCAL = "local", "Local anaesthesia"
    LOCAL_SEDATION = "local_sedation", "Local anaesthesia with light sedation"


LUMBAR_LEVELS = ("L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1")


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def current(self, on: dt.date | Any = None) -> ProcedureQuerySet:
        """The rule for "current procedure": done, on or before `on` (the patient's today: a date, or an expression such
        as OuterRef("today") inside a query), latest first; `.first()` is the one that drives the timeline. The patient
        view (recovery.selectors.current_procedure) and the roster's SQL (dashboards.roster) both read it here."""
        procedures = self.filter(status=ProcedureStatus.DONE)
        if on is not None:
            procedures = procedures.filter(procedure_date__lte=on)
        return procedures.order_by("-procedure_date", "-completed_at")


class Procedure(models.Model):
    """One MILD procedure episode. The procedure can be repeated; the latest done episode drives the timeline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="procedures")
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="procedures_performed"
    )
    procedure_date = models.DateField(help_text="In the patient's time zone.")
    levels = models.JSONField(default=list, help_text="Lumbar levels treated, e.g. ['L4-L5'].")
    side = models.CharField(max_length=12, choices=Side.choices)
    anaesthesia = models.CharField(max_length=20, choices=Anaesthesia.choices)
    notes = models.TextField(blank=True, max_length=4000)
    status = models.CharField(max_length=12, choices=ProcedureStatus.choices, default=ProcedureStatus.SCHEDULED)
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="procedures")
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The latest of the episode's screenings (recovery.models.safety.Screening; every earlier one is kept): the one
    # that decides whether the procedure may be marked done, and the one the roster and the cohort read.
    screening = models.ForeignKey(
        "recovery.Screening", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Marked done without a "candidate" screening: the clinician who overrode it, when, and why (recovery.safety).
    screening_override_reason = models.CharField(max_length=1000, blank=True)
    screening_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screening_override_at = models.DateTimeField(null=True, blank=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ("-procedure_date", "-created_at")
        indexes = [models.Index(fields=("patient", "status", "-procedure_date"))]

    def __str__(self) -> str:
        return f"MILD {', '.join(self.levels)} on {self.procedure_date} ({self.status})"

    def day_number(self, local_date: dt.date) -> int:
        """Day N after the procedure: the procedure day is day 0."""
        return (local_date - self.procedure_date).days


class MilestoneStatus(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    OVERDUE = "overdue", "Overdue"
    MISSED = "missed", "Missed"


class PatientMilestoneQuerySet(models.QuerySet["PatientMilestone"]):
    def pending(self, on: dt.date | Any) -> PatientMilestoneQuerySet:
        """Milestones still to do on `on` (a date, or a date expression such as OuterRef("today")): not completed and
        not missed, i.e. upcoming, open or overdue (closed at most OVERDUE_GRACE_DAYS ago), as status_on() says."""
        grace = PatientMilestone.OVERDUE_GRACE_DAYS
        cutoff = on - dt.timedelta(days=grace) if isinstance(on, dt.date) else DateAddDays(on, -grace)
        return self.filter(completed_at__isnull=True, closes_on__gte=cutoff)

    def next_due(self, on: dt.date | Any) -> PatientMilestoneQuerySet:
        """The rule for "next milestone": the pending ones by opening day (so an overdue one comes before the next to
        open); `.first()` is the one shown. The patient view (recovery.selectors.recovery_summary) and the roster's SQL
        (dashboards.roster) both read it here."""
        return self.pending(on).order_by("opens_on", "key")


class PatientMilestone(models.Model):
    """A milestone of one procedure, with its window as dates in the patient's zone. Status follows from dates."""

    # After the window closes a milestone is overdue for this many days (still worth doing), then missed.
    OVERDUE_GRACE_DAYS = 14

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="milestones")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="milestones")
    key = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    opens_on = models.DateField()
    target_on = models.DateField()
    closes_on = models.DateField()
    assessments = models.JSONField(default=list)
    patient_text = models.TextField(blank=True)
    # The protocol milestone's other languages (title, patient_text), copied with its English when it was laid out.
    translations = models.JSONField(default=dict, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Set once when "milestone opened" was announced, so the announcement happens exactly once.
    opened_announced_at = models.DateTimeField(null=True, blank=True)

    objects = PatientMilestoneQuerySet.as_manager()

    class Meta:
        ordering = ("opens_on",)
        constraints = [models.UniqueConstraint(fields=("procedure", "key"), name="milestone_unique_per_procedure")]
        indexes = [models.Index(fields=("patient", "opens_on"))]

    def __str__(self) -> str:
        return f"{self.title} ({self.opens_on} to {self.closes_on})"

    def status_on(self, local_date: dt.date) -> MilestoneStatus:
        if self.completed_at is not None:
            return MilestoneStatus.COMPLETED
        if local_date < self.opens_on:
            return MilestoneStatus.UPCOMING
        if local_date <= self.closes_on:
            return MilestoneStatus.OPEN
        if local_date <= self.closes_on + dt.timedelta(days=self.OVERDUE_GRACE_DAYS):
            return MilestoneStatus.OVERDUE
        return MilestoneStatus.MISSED


# --- Daily check-ins --------------------------------------------------------------------------------------------------


class Medication(models.TextChoices):
    NONE = "none", "None"
    OVER_THE_COUNTER = "otc", "Over-the-counter"
    PRESCRIBED = "prescribed", "Prescribed"


class CheckIn(models.Model):
    """How the patient was on one day of their life. The id is generated by the client so offline replays are safe."""

    id = models.UUIDField(primary_key=True, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="checkins")
    procedure = models.ForeignKey(Procedure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    local_date = models.DateField()
    back_pain = models.PositiveSmallIntegerField()
    leg_pain = models.PositiveSmallIntegerField()
    walking_minutes = models.PositiveSmallIntegerField()
    standing_minutes = models.PositiveSmallIntegerField()
    steps = models.PositiveIntegerField(null=True, blank=True)
    medication = models.CharField(max_length=12, choices=Medication.choices)
    symptoms = models.JSONField(default=list)
    red_flags = models.JSONField(default=list, help_text="Keys of the red-flag questions answered yes.")
    # The weekly question "Since last week, have you been to an emergency department, or stayed in hospital?"
    # (recovery.content.healthcare_use): the answer, null when it was not asked, and the wording's version.
    healthcare_use = models.BooleanField(null=True, blank=True)
    healthcare_use_version = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(help_text="When the patient filled it in, by their device's clock.")
    received_at = models.DateTimeField(help_text="When the server first stored it.")
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    # SHA-256 of the canonical request body of the latest version: an identical replay is recognised and not stored.
    body_hash = models.CharField(max_length=64)
    # The caregiver who entered the latest version for the patient; empty when the patient (or staff) did.
    entered_by = models.ForeignKey(
        "accounts.CaregiverLink", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-local_date",)
        constraints = [
            models.UniqueConstraint(fields=("patient", "local_date"), name="checkin_one_per_patient_day"),
            models.CheckConstraint(condition=Q(back_pain__lte=10) & Q(leg_pain__lte=10), name="checkin_pain_0_10"),
            models.CheckConstraint(
                condition=Q(walking_minutes__lte=1440) & Q(standing_minutes__lte=1440), name="checkin_minutes_in_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.local_date}"

    @property
    def etag(self) -> str:
        return f'"{self.pk}-v{self.version}"'

    @property
    def worst_pain(self) -> int:
        return max(self.back_pain, self.leg_pain)


class CheckInRevision(models.Model):
    """Every version of a check-in as stored, with who changed what."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The caregiver (and as what) who entered this version for the patient; empty when the patient did.
    entered_by = models.ForeignKey(
        "accounts.CaregiverLink", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    changes = models.JSONField(default=dict, help_text="field -> [before, after]; empty for the first version.")
    snapshot = models.JSONField()

    class Meta:
        ordering = ("checkin", "version")
        constraints = [models.UniqueConstraint(fields=("checkin", "version"), name="checkin_revision_unique")]

    def __str__(self) -> str:
        return f"{self.checkin_id} v{self.version}"


# --- Assessments ------------------------------------------------------------------------------------------------------


class Assessment(models.Model):
    """One completed outcome measure (PROM) at one timepoint of one procedure episode, scored on the server."""

    BASELINE = "baseline"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="assessments")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="assessments")
    milestone = models.ForeignKey(
        PatientMilestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments_done"
    )
    timepoint = models.SlugField(max_length=50, help_text="'baseline' or the milestone key.")
    instrument = models.CharField(max_length=20)
    instrument_version = models.CharField(max_length=40)
    answers = models.JSONField()
    scores = models.JSONField()
    local_date = models.DateField()
    completed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The language the form was shown in when it was answered (settings.LANGUAGES). ODI and ZCQ are validated in
    # English only, so they are "en" whatever the patient reads (recovery.instruments.Instrument.languages).
    language = models.CharField(max_length=8, default="en")
    # The caregiver who helped enter the answers (only with the patient's "assessments" grant); empty otherwise.
    entered_by = models.ForeignKey(
        "accounts.CaregiverLink", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("completed_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("procedure", "timepoint", "instrument"), name="assessment_once_per_timepoint"
            )
        ]
        indexes = [models.Index(fields=("patient", "instrument", "completed_at"))]

    def __str__(self) -> str:
        return f"{self.instrument} at {self.timepoint}"


# --- Alerts -----------------------------------------------------------------------------------------------------------


class Tier(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent"
    WATCH = "watch", "Watch"


TIER_RANK = {Tier.EMERGENCY: 0, Tier.URGENT: 1, Tier.WATCH: 2}


class AlertState(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class Alert(models.Model):
    """A red flag raised by a rule. One per (patient, rule, triggering record): re-running rules never duplicates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="alerts")
    rule = models.CharField(max_length=60)
    # The version of the red-flag rule set that raised it (recovery.content.red_flags); alerts from before versions
    # were numbers are version 1.
    rule_set_version = models.PositiveSmallIntegerField()
    tier = models.CharField(max_length=12, choices=Tier.choices)
    # What triggered it, as "<kind>:<id or date>", e.g. "checkin:<uuid>", "milestone:<uuid>", "gap:2026-11-20".
    trigger = models.CharField(max_length=120)
    title = models.CharField(max_length=200)
    details = models.JSONField(default=dict)
    raised_at = models.DateTimeField()
    state = models.CharField(max_length=14, choices=AlertState.choices, default=AlertState.OPEN)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    # The clinician of the patient's care team who has it in hand (recovery.services.alert_assign); empty: the team.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts_assigned"
    )

    class Meta:
        ordering = ("-raised_at",)
        constraints = [
            models.UniqueConstraint(fields=("patient", "rule", "trigger"), name="alert_once_per_rule_and_trigger")
        ]
        indexes = [models.Index(fields=("patient", "state", "tier"))]

    def __str__(self) -> str:
        return f"{self.tier}: {self.title}"


class AlertEvent(models.Model):
    """The history of an alert: raised, acknowledged, resolved, assigned, unassigned, notes."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    # For "assigned": to whom (the name alone could change; the history must say who it was).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("alert", "at", "id")

    def __str__(self) -> str:
        return f"{self.action} at {self.at}"


def snapshot_of(checkin: CheckIn) -> dict[str, Any]:
    """The patient-entered fields of a check-in as plain JSON values (for revisions and change detection)."""
    return {
        "local_date": checkin.local_date.isoformat(),
        "back_pain": checkin.back_pain,
        "leg_pain": checkin.leg_pain,
        "walking_minutes": checkin.walking_minutes,
        "standing_minutes": checkin.standing_minutes,
        "steps": checkin.steps,
        "medication": checkin.medication,
        "symptoms": list(checkin.symptoms),
        "red_flags": list(checkin.red_flags),
        "healthcare_use": checkin.healthcare_use,
        "note": checkin.note,
        "recorded_at": checkin.recorded_at.isoformat(),
    }


__all__ = [
    "LUMBAR_LEVELS",
    "TIER_RANK",
    "Alert",
    "AlertEvent",
    "AlertState",
    "Anaesthesia",
    "Assessment",
    "CheckIn",
    "CheckInRevision",
    "Medication",
    "MilestoneKind",
    "MilestoneStatus",
    "PatientMilestone",
    "Procedure",
    "ProcedureStatus",
    "Protocol",
    "ProtocolMilestone",
    "ProtocolPhase",
    "Side",
    "Tier",
    "snapshot_of",
]
