"""HTTP shapes for recovery. Every field is listed; ids, patients and timestamps are never client-writable."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.inputs import StrictInputSerializer
from recovery import instruments
from recovery.content.protocol_default import RED_FLAG_QUESTIONS, SYMPTOMS
from recovery.models import (
    LUMBAR_LEVELS,
    Alert,
    AlertEvent,
    Anaesthesia,
    Assessment,
    CheckIn,
    CheckInRevision,
    Medication,
    MilestoneKind,
    PatientMilestone,
    Procedure,
    Protocol,
    ProtocolMilestone,
    ProtocolPhase,
    Side,
)

MAX_MINUTES = 24 * 60
INSTRUMENT_CHOICES = sorted(instruments.INSTRUMENTS)
NOTE_MAX_LENGTH = 1000


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": str(user.pk), "full_name": user.full_name} if user is not None else None


class PersonOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    full_name = serializers.CharField()


# --- Check-ins --------------------------------------------------------------------------------------------------------


class CheckInIn(StrictInputSerializer):
    local_date = serializers.DateField(help_text="The day this check-in is about, in the patient's time zone.")
    back_pain = serializers.IntegerField(min_value=0, max_value=10)
    leg_pain = serializers.IntegerField(min_value=0, max_value=10)
    walking_minutes = serializers.IntegerField(min_value=0, max_value=MAX_MINUTES)
    standing_minutes = serializers.IntegerField(
        min_value=0, max_value=MAX_MINUTES, help_text="Longest time standing without a break."
    )
    steps = serializers.IntegerField(min_value=0, max_value=200_000, required=False, allow_null=True, default=None)
    medication = serializers.ChoiceField(choices=Medication.choices)
    symptoms = serializers.ListField(
        child=serializers.ChoiceField(choices=[s.key for s in SYMPTOMS]), required=False, default=list, max_length=10
    )
    red_flags = serializers.ListField(
        child=serializers.ChoiceField(choices=[q.key for q in RED_FLAG_QUESTIONS]),
        required=False,
        default=list,
        max_length=20,
        help_text="Keys of the red-flag questions answered yes (see /api/v1/recovery/forms).",
    )
    # Stored and returned exactly as typed (plain text, never interpreted as HTML).
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    recorded_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="When it was filled in, by the device's clock."
    )

    def validate_symptoms(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def validate_red_flags(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def validate_recorded_at(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value > timezone.now() + dt.timedelta(days=1):
            raise serializers.ValidationError("This time is in the future; check the device's clock.")
        return value


class InstructionOut(serializers.Serializer[Any]):
    tier = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    clinic_phone = serializers.CharField()


class CheckInOut(serializers.ModelSerializer[CheckIn]):
    day = serializers.SerializerMethodField(help_text="Days since the procedure (0 = procedure day).")
    etag = serializers.CharField(read_only=True)
    instruction = serializers.SerializerMethodField(
        help_text="For an emergency or urgent answer: what to do now. Null otherwise."
    )

    class Meta:
        model = CheckIn
        fields = (
            "id", "local_date", "day", "back_pain", "leg_pain", "walking_minutes", "standing_minutes", "steps",
            "medication", "symptoms", "red_flags", "note", "recorded_at", "received_at", "updated_at", "version",
            "etag", "instruction",
        )  # fmt: skip

    def get_day(self, obj: CheckIn) -> int | None:
        return obj.procedure.day_number(obj.local_date) if obj.procedure else None

    @extend_schema_field(InstructionOut(allow_null=True))
    def get_instruction(self, obj: CheckIn) -> dict[str, str] | None:
        from recovery.selectors import red_flag_instruction

        return red_flag_instruction(obj.patient, obj.red_flags)


class CheckInRevisionOut(serializers.ModelSerializer[CheckInRevision]):
    changed_by = serializers.SerializerMethodField()

    class Meta:
        model = CheckInRevision
        fields = ("version", "changed_by", "changed_at", "changes", "snapshot")

    @extend_schema_field(PersonOut(allow_null=False))
    def get_changed_by(self, obj: CheckInRevision) -> dict[str, Any] | None:
        return _person(obj.changed_by)


class CheckInDetailOut(CheckInOut):
    revisions = CheckInRevisionOut(many=True, read_only=True)

    class Meta(CheckInOut.Meta):
        fields: tuple[str, ...] = (*CheckInOut.Meta.fields, "revisions")  # type: ignore[assignment]


class CheckInFilterIn(StrictInputSerializer):
    date_from = serializers.DateField(required=False, source="from")
    date_to = serializers.DateField(required=False, source="to")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_from": ["Must be on or before date_to."]})
        return attrs


# --- Procedures, protocol, milestones ---------------------------------------------------------------------------------


class ProtocolRefOut(serializers.ModelSerializer[Protocol]):
    class Meta:
        model = Protocol
        fields = ("id", "name", "version")


class ProcedureOut(serializers.ModelSerializer[Procedure]):
    performed_by = serializers.SerializerMethodField()
    protocol = ProtocolRefOut()

    class Meta:
        model = Procedure
        fields = (
            "id", "procedure_date", "levels", "side", "anaesthesia", "notes", "status", "performed_by", "protocol",
            "completed_at", "created_at",
        )  # fmt: skip

    @extend_schema_field(PersonOut(allow_null=True))
    def get_performed_by(self, obj: Procedure) -> dict[str, Any] | None:
        return _person(obj.performed_by)


class ProcedureIn(StrictInputSerializer):
    procedure_date = serializers.DateField()
    levels = serializers.ListField(
        child=serializers.ChoiceField(choices=LUMBAR_LEVELS), min_length=1, max_length=len(LUMBAR_LEVELS)
    )
    side = serializers.ChoiceField(choices=Side.choices)
    anaesthesia = serializers.ChoiceField(choices=Anaesthesia.choices)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    performed_by = serializers.UUIDField(required=False, allow_null=True, help_text="The performing clinician.")

    def validate_levels(self, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Each level once only.")
        return sorted(value, key=LUMBAR_LEVELS.index)


class MilestoneOut(serializers.ModelSerializer[PatientMilestone]):
    status = serializers.SerializerMethodField()
    assessments_done = serializers.SerializerMethodField()

    class Meta:
        model = PatientMilestone
        fields = (
            "id", "key", "title", "kind", "opens_on", "target_on", "closes_on", "status", "assessments",
            "assessments_done", "completed_at", "patient_text",
        )  # fmt: skip

    def get_status(self, obj: PatientMilestone) -> str:
        return obj.status_on(self.context["today"])

    def get_assessments_done(self, obj: PatientMilestone) -> list[str]:
        done: dict[Any, set[str]] = self.context.get("done_by_milestone", {})
        return sorted(done.get((obj.procedure_id, obj.key), set()))


class PhaseOut(serializers.ModelSerializer[ProtocolPhase]):
    class Meta:
        model = ProtocolPhase
        fields = ("key", "title", "start_day", "end_day", "summary", "instructions", "avoid")


class ProtocolMilestoneOut(serializers.ModelSerializer[ProtocolMilestone]):
    class Meta:
        model = ProtocolMilestone
        fields = (
            "key", "title", "kind", "open_day", "target_day", "close_day", "assessments", "optional", "enabled",
            "patient_text",
        )  # fmt: skip


class ProtocolOut(serializers.ModelSerializer[Protocol]):
    phases = PhaseOut(many=True)
    milestones = ProtocolMilestoneOut(many=True)
    clinic = serializers.UUIDField(source="clinic_id", allow_null=True)
    based_on = serializers.UUIDField(source="based_on_id", allow_null=True)

    class Meta:
        model = Protocol
        fields = ("id", "name", "version", "clinic", "based_on", "change_note", "created_at", "phases", "milestones")


class PhaseIn(StrictInputSerializer):
    key = serializers.SlugField(max_length=50)
    title = serializers.CharField(max_length=200)
    start_day = serializers.IntegerField(min_value=0, max_value=800)
    end_day = serializers.IntegerField(min_value=0, max_value=800, allow_null=True)
    summary = serializers.CharField(max_length=500)
    instructions = serializers.ListField(child=serializers.CharField(max_length=300), max_length=30)
    avoid = serializers.ListField(child=serializers.CharField(max_length=300), max_length=30)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A phase ending before it starts covers no day, yet would slip through the gap/overlap check between phases.
        if attrs["end_day"] is not None and attrs["end_day"] < attrs["start_day"]:
            raise serializers.ValidationError({"end_day": ["Must be on or after start_day (or empty: open-ended)."]})
        return attrs


class ProtocolMilestoneIn(StrictInputSerializer):
    key = serializers.SlugField(max_length=50)
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    open_day = serializers.IntegerField(min_value=1, max_value=800)
    target_day = serializers.IntegerField(min_value=1, max_value=800)
    close_day = serializers.IntegerField(min_value=1, max_value=800)
    assessments = serializers.ListField(child=serializers.ChoiceField(choices=INSTRUMENT_CHOICES), max_length=4)
    optional = serializers.BooleanField(default=False)
    enabled = serializers.BooleanField(default=True)
    patient_text = serializers.CharField(max_length=2000, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["open_day"] <= attrs["target_day"] <= attrs["close_day"]:
            raise serializers.ValidationError({"target_day": ["Must satisfy open_day <= target_day <= close_day."]})
        return attrs


class ProtocolRevisionIn(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    change_note = serializers.CharField(max_length=500, allow_blank=True, default="")
    phases = PhaseIn(many=True)
    milestones = ProtocolMilestoneIn(many=True)

    def validate_phases(self, phases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Phases cover every day from the procedure day on, in order, without gaps or overlaps; the last is
        open-ended."""
        if not phases:
            raise serializers.ValidationError("At least one phase is needed.")
        phases = sorted(phases, key=lambda p: p["start_day"])
        if phases[0]["start_day"] != 0:
            raise serializers.ValidationError("The first phase starts on day 0, the procedure day.")
        for before, after in itertools.pairwise(phases):
            if before["end_day"] is None or before["end_day"] + 1 != after["start_day"]:
                raise serializers.ValidationError(
                    f"Phase '{after['key']}' must start the day after '{before['key']}' ends."
                )
        if phases[-1]["end_day"] is not None:
            raise serializers.ValidationError("The last phase is open-ended (end_day null).")
        if len({p["key"] for p in phases}) != len(phases):
            raise serializers.ValidationError("Phase keys must be unique.")
        return phases

    def validate_milestones(self, milestones: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len({m["key"] for m in milestones}) != len(milestones):
            raise serializers.ValidationError("Milestone keys must be unique.")
        if any(m["key"] == Assessment.BASELINE for m in milestones):
            raise serializers.ValidationError("'baseline' is reserved for the assessment before the procedure.")
        return milestones


# --- Assessments ------------------------------------------------------------------------------------------------------


class AssessmentIn(StrictInputSerializer):
    instrument = serializers.ChoiceField(choices=INSTRUMENT_CHOICES)
    timepoint = serializers.SlugField(max_length=50, help_text="'baseline' or a milestone key such as 'weeks_6_8'.")
    answers = serializers.DictField(child=serializers.JSONField(allow_null=True), allow_empty=False)


class AssessmentOut(serializers.ModelSerializer[Assessment]):
    milestone = serializers.UUIDField(source="milestone_id", allow_null=True)
    procedure = serializers.UUIDField(source="procedure_id")
    change_from_baseline = serializers.SerializerMethodField(
        help_text="Per score: baseline, current, change, improvement (positive is better) and responder."
    )

    class Meta:
        model = Assessment
        fields = (
            "id", "procedure", "milestone", "timepoint", "instrument", "instrument_version", "answers", "scores",
            "local_date", "completed_at", "change_from_baseline",
        )  # fmt: skip

    @extend_schema_field(serializers.DictField(child=serializers.DictField(), allow_null=True))
    def get_change_from_baseline(self, obj: Assessment) -> dict[str, Any] | None:
        from recovery.selectors import assessment_comparison

        return assessment_comparison(obj)


# --- Alerts -----------------------------------------------------------------------------------------------------------


class AlertEventOut(serializers.ModelSerializer[AlertEvent]):
    actor = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField(help_text="For 'assigned': the clinician it was given to.")

    class Meta:
        model = AlertEvent
        fields = ("action", "actor", "assignee", "at", "note")

    @extend_schema_field(PersonOut(allow_null=True))
    def get_actor(self, obj: AlertEvent) -> dict[str, Any] | None:
        return _person(obj.actor)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_assignee(self, obj: AlertEvent) -> dict[str, Any] | None:
        return _person(obj.assignee)


class AlertOut(serializers.ModelSerializer[Alert]):
    patient = serializers.SerializerMethodField()
    acknowledged_by = serializers.SerializerMethodField()
    resolved_by = serializers.SerializerMethodField()
    assigned_to = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = (
            "id", "patient", "rule", "rule_set_version", "tier", "title", "trigger", "details", "raised_at", "state",
            "acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by", "note", "assigned_to",
        )  # fmt: skip

    @extend_schema_field(PersonOut(allow_null=False))
    def get_patient(self, obj: Alert) -> dict[str, Any] | None:
        return _person(obj.patient.user)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_acknowledged_by(self, obj: Alert) -> dict[str, Any] | None:
        return _person(obj.acknowledged_by)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_resolved_by(self, obj: Alert) -> dict[str, Any] | None:
        return _person(obj.resolved_by)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_assigned_to(self, obj: Alert) -> dict[str, Any] | None:
        return _person(obj.assigned_to)


class AlertDetailOut(AlertOut):
    events = AlertEventOut(many=True, read_only=True)

    class Meta(AlertOut.Meta):
        fields: tuple[str, ...] = (*AlertOut.Meta.fields, "events")  # type: ignore[assignment]


class AlertNoteIn(StrictInputSerializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class AlertResolveIn(StrictInputSerializer):
    note = serializers.CharField(max_length=2000, help_text="What was done.")


class AlertFilterIn(StrictInputSerializer):
    tier = serializers.MultipleChoiceField(choices=["emergency", "urgent", "watch"], required=False)
    state = serializers.MultipleChoiceField(choices=["open", "acknowledged", "resolved"], required=False)
    patient = serializers.UUIDField(required=False)
    assigned_to = serializers.CharField(
        required=False, help_text="'me', 'nobody', or a clinician's id: alerts assigned to them."
    )
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)

    def validate_assigned_to(self, value: str) -> str | uuid.UUID:
        if value in ("me", "nobody"):
            return value
        try:
            return uuid.UUID(value)
        except ValueError:
            raise serializers.ValidationError("Must be 'me', 'nobody' or a clinician's id.") from None


# --- Recovery summary -------------------------------------------------------------------------------------------------


class NextMilestoneOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="milestone.id")
    key = serializers.CharField(source="milestone.key")
    title = serializers.CharField(source="milestone.title")
    opens_on = serializers.DateField(source="milestone.opens_on")
    closes_on = serializers.DateField(source="milestone.closes_on")
    status = serializers.CharField()


class CheckInTodayOut(serializers.Serializer[Any]):
    done = serializers.BooleanField()
    id = serializers.UUIDField(allow_null=True)


class RecoverySummaryOut(serializers.Serializer[Any]):
    today = serializers.DateField(help_text="Today in the patient's time zone.")
    time_zone = serializers.CharField()
    day = serializers.IntegerField(allow_null=True, help_text="Days since the procedure (0 = procedure day).")
    procedure = ProcedureOut(allow_null=True)
    phase = PhaseOut(allow_null=True)
    checkin_today = CheckInTodayOut()
    next_milestone = NextMilestoneOut(allow_null=True)
    streak_days = serializers.IntegerField(help_text="Consecutive days with a check-in, up to today.")
    upcoming_procedure = ProcedureOut(allow_null=True)
