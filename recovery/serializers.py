"""HTTP shapes for recovery. Every field is listed; ids, patients and timestamps are never client-writable."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.caregiver_serializers import EnteredByOut
from accounts.inputs import PagedQueryIn, StrictInputSerializer
from recovery import instruments, triggers, wording
from recovery.content.healthcare_use import QUESTIONS as HEALTHCARE_USE
from recovery.content.protocol_default import SYMPTOMS
from recovery.models import (
    LUMBAR_LEVELS,
    Alert,
    AlertEvent,
    Anaesthesia,
    Assessment,
    CheckIn,
    CheckInRevision,
    Medication,
    PatientMilestone,
    Procedure,
    Protocol,
    ProtocolPhase,
    Side,
)
from recovery.risk import RiskFactorsOut, risk_factors_of
from recovery.rules import ACCEPTED_RED_FLAGS

ENTERED_BY_HELP = 'The caregiver who filled it in for the patient ("Anna Ellis, daughter"); null: the patient did.'

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
        child=serializers.ChoiceField(choices=sorted(ACCEPTED_RED_FLAGS)),
        required=False,
        default=list,
        max_length=20,
        help_text=(
            "Keys of the red-flag questions answered yes (see /api/v1/recovery/forms). Keys of earlier rule-set "
            "versions are accepted too, for check-ins filled in on an older form."
        ),
    )
    healthcare_use = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="The weekly question's answer; null: not asked."
    )
    healthcare_use_version = serializers.ChoiceField(choices=sorted(HEALTHCARE_USE), required=False, allow_null=True)
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
            raise serializers.ValidationError(_("This time is in the future; check the device's clock."))
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
    entered_by = EnteredByOut(allow_null=True, read_only=True, help_text=ENTERED_BY_HELP)

    class Meta:
        model = CheckIn
        fields = (
            "id", "local_date", "day", "back_pain", "leg_pain", "walking_minutes", "standing_minutes", "steps",
            "medication", "symptoms", "red_flags", "healthcare_use", "healthcare_use_version", "note", "recorded_at",
            "received_at", "updated_at", "version", "etag", "instruction", "entered_by",
        )  # fmt: skip

    def get_day(self, obj: CheckIn) -> int | None:
        return obj.procedure.day_number(obj.local_date) if obj.procedure else None

    @extend_schema_field(InstructionOut(allow_null=True))
    def get_instruction(self, obj: CheckIn) -> dict[str, str] | None:
        from recovery.selectors import red_flag_instruction

        return red_flag_instruction(obj.patient, obj.red_flags)


class CheckInRevisionOut(serializers.ModelSerializer[CheckInRevision]):
    changed_by = serializers.SerializerMethodField()
    entered_by = EnteredByOut(allow_null=True, read_only=True, help_text=ENTERED_BY_HELP)

    class Meta:
        model = CheckInRevision
        fields = ("version", "changed_by", "entered_by", "changed_at", "changes", "snapshot")

    @extend_schema_field(PersonOut(allow_null=False))
    def get_changed_by(self, obj: CheckInRevision) -> dict[str, Any] | None:
        return _person(obj.changed_by)


class CheckInDetailOut(CheckInOut):
    revisions = CheckInRevisionOut(many=True, read_only=True)

    class Meta(CheckInOut.Meta):
        fields: tuple[str, ...] = (*CheckInOut.Meta.fields, "revisions")  # type: ignore[assignment]


class CheckInFilterIn(PagedQueryIn):
    date_from = serializers.DateField(required=False, source="from", help_text="First day (inclusive).")
    date_to = serializers.DateField(required=False, source="to", help_text="Last day (inclusive).")

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


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "enum": list(LUMBAR_LEVELS)},
        "minItems": 1,
        "maxItems": len(LUMBAR_LEVELS),
        "uniqueItems": True,
    }
)
class LevelsField(serializers.ListField):
    """The lumbar levels treated, each once (ProcedureIn.validate_levels): the schema says so with uniqueItems."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            child=serializers.ChoiceField(choices=LUMBAR_LEVELS), min_length=1, max_length=len(LUMBAR_LEVELS), **kwargs
        )


class ProcedureIn(StrictInputSerializer):
    procedure_date = serializers.DateField()
    levels = LevelsField()
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

    def to_representation(self, instance: PatientMilestone) -> dict[str, Any]:
        return {**super().to_representation(instance), **wording.milestone_text(instance)}

    def get_assessments_done(self, obj: PatientMilestone) -> list[str]:
        done: dict[Any, set[str]] = self.context.get("done_by_milestone", {})
        return sorted(done.get((obj.procedure_id, obj.key), set()))


class PhaseOut(serializers.ModelSerializer[ProtocolPhase]):
    """A phase as the patient reads it: its texts in the reader's language."""

    class Meta:
        model = ProtocolPhase
        fields = ("key", "title", "start_day", "end_day", "summary", "instructions", "avoid")

    def to_representation(self, instance: ProtocolPhase) -> dict[str, Any]:
        return {**super().to_representation(instance), **wording.phase_text(instance)}


# --- Assessments ------------------------------------------------------------------------------------------------------


class AssessmentIn(StrictInputSerializer):
    instrument = serializers.ChoiceField(choices=INSTRUMENT_CHOICES)
    timepoint = serializers.SlugField(max_length=50, help_text="'baseline' or a milestone key such as 'weeks_6_8'.")
    answers = serializers.DictField(child=serializers.JSONField(allow_null=True), allow_empty=False)


class AssessmentOut(serializers.ModelSerializer[Assessment]):
    milestone = serializers.UUIDField(source="milestone_id", allow_null=True)
    entered_by = EnteredByOut(allow_null=True, read_only=True, help_text=ENTERED_BY_HELP)
    procedure = serializers.UUIDField(source="procedure_id")
    change_from_baseline = serializers.SerializerMethodField(
        help_text="Per score: baseline, current, change, improvement (positive is better) and responder."
    )
    language = serializers.CharField(
        read_only=True, help_text='The language the form was answered in ("en", "es"); ODI and ZCQ are English only.'
    )

    class Meta:
        model = Assessment
        fields = (
            "id", "procedure", "milestone", "timepoint", "instrument", "instrument_version", "language", "answers",
            "scores", "local_date", "completed_at", "change_from_baseline", "entered_by",
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
    risk_factors = serializers.SerializerMethodField(help_text="The patient's, to weigh the alert with.")
    acknowledged_by = serializers.SerializerMethodField()
    resolved_by = serializers.SerializerMethodField()
    assigned_to = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = (
            "id", "patient", "risk_factors", "rule", "rule_set_version", "tier", "title", "trigger", "details",
            "raised_at", "state", "acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by", "note",
            "assigned_to",
        )  # fmt: skip

    @extend_schema_field(PersonOut(allow_null=False))
    def get_patient(self, obj: Alert) -> dict[str, Any] | None:
        return _person(obj.patient.user)

    @extend_schema_field(RiskFactorsOut)
    def get_risk_factors(self, obj: Alert) -> dict[str, Any]:
        return risk_factors_of(obj.patient)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_acknowledged_by(self, obj: Alert) -> dict[str, Any] | None:
        return _person(obj.acknowledged_by)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_resolved_by(self, obj: Alert) -> dict[str, Any] | None:
        return _person(obj.resolved_by)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_assigned_to(self, obj: Alert) -> dict[str, Any] | None:
        return _person(obj.assigned_to)


class TriggerRedFlagOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    tier = serializers.CharField(allow_null=True)
    question = serializers.CharField(help_text="The wording of the alert's rule-set version.")
    answer = serializers.BooleanField(help_text="True: the patient answered yes.")


class TriggerCheckInOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    local_date = serializers.DateField()
    recorded_at = serializers.DateTimeField()
    back_pain = serializers.IntegerField()
    leg_pain = serializers.IntegerField()
    walking_minutes = serializers.IntegerField()
    standing_minutes = serializers.IntegerField()
    steps = serializers.IntegerField(allow_null=True)
    medication = serializers.CharField()
    medication_label = serializers.CharField()
    symptoms = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    red_flags = TriggerRedFlagOut(many=True)
    healthcare_use = serializers.BooleanField(allow_null=True, help_text="The weekly question; null: not asked.")
    note = serializers.CharField(allow_blank=True)


class TriggerAssessmentOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    instrument = serializers.CharField()
    instrument_version = serializers.CharField()
    timepoint = serializers.CharField()
    local_date = serializers.DateField()
    completed_at = serializers.DateTimeField()
    answers = serializers.JSONField()
    scores = serializers.JSONField()


class TriggerExerciseSessionOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    occurrence = serializers.CharField()
    local_date = serializers.DateField()
    local_time = serializers.CharField(help_text="HH:MM on the patient's wall clock.")
    recorded_at = serializers.DateTimeField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    pain_during = serializers.IntegerField(allow_null=True, help_text="0-10 during the exercise.")
    difficulty = serializers.CharField(allow_null=True)
    difficulty_label = serializers.CharField(allow_null=True)
    dose = serializers.JSONField(help_text="The dose in force for that session.")


class TriggerExerciseOut(serializers.Serializer[Any]):
    exercise = serializers.CharField()
    prescription = serializers.UUIDField()
    sessions = TriggerExerciseSessionOut(many=True)


class AlertTriggerOut(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Alert.trigger as stored, e.g. 'checkin:<id>' (the list's `trigger`).")
    kind = serializers.ChoiceField(choices=["checkin", "milestone", "missed_checkins", "exercise", "other"])
    reference = serializers.CharField(help_text="The id or date after the kind in Alert.trigger.")
    explanation = serializers.CharField(allow_null=True, help_text="The rule's plain explanation for clinicians.")
    checkin = TriggerCheckInOut(allow_null=True)
    assessments = TriggerAssessmentOut(many=True)
    exercise = TriggerExerciseOut(
        allow_null=True, help_text="The exercise sessions that raised it (kind `exercise`), each with its answers."
    )


class EmergencyContactOut(serializers.Serializer[Any]):
    name = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    relationship = serializers.CharField(allow_null=True)


class PatientContactOut(serializers.Serializer[Any]):
    name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField()
    emergency_contact = EmergencyContactOut(allow_null=True)


class AlertHistoryOut(AlertOut):
    """An alert with its history (the patient timeline's alerts)."""

    events = AlertEventOut(many=True, read_only=True)

    class Meta(AlertOut.Meta):
        fields: tuple[str, ...] = (*AlertOut.Meta.fields, "events")  # type: ignore[assignment]


class AlertDetailOut(AlertHistoryOut):
    """One alert, opened: its history, what raised it in full, and how to reach the patient (a few queries: for one
    alert at a time, not for lists)."""

    # In the list, `trigger` is Alert.trigger ("checkin:<id>"...); here it is what that names, in full.
    trigger = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta(AlertHistoryOut.Meta):
        fields: tuple[str, ...] = (*AlertHistoryOut.Meta.fields, "contact")

    @extend_schema_field(AlertTriggerOut())
    def get_trigger(self, obj: Alert) -> dict[str, Any]:
        return AlertTriggerOut(triggers.alert_trigger(obj)).data

    @extend_schema_field(PatientContactOut())
    def get_contact(self, obj: Alert) -> dict[str, Any]:
        return PatientContactOut(triggers.patient_contact(obj.patient)).data


class AlertNoteIn(StrictInputSerializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class AlertResolveIn(StrictInputSerializer):
    note = serializers.CharField(max_length=2000, help_text="What was done.")


ASSIGNED_TO_PATTERN = r"^(me|nobody|[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})$"


class AlertFilterIn(PagedQueryIn):
    tier = serializers.MultipleChoiceField(choices=["emergency", "urgent", "watch"], required=False)
    state = serializers.MultipleChoiceField(choices=["open", "acknowledged", "resolved"], required=False)
    patient = serializers.UUIDField(required=False)
    assigned_to = serializers.RegexField(
        ASSIGNED_TO_PATTERN,
        required=False,
        help_text="'me', 'nobody', or a clinician's id: alerts assigned to them.",
        error_messages={"invalid": "Must be 'me', 'nobody' or a clinician's id."},
    )

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
    title = serializers.SerializerMethodField(help_text="In the reader's language.")
    opens_on = serializers.DateField(source="milestone.opens_on")
    closes_on = serializers.DateField(source="milestone.closes_on")
    status = serializers.CharField()

    def get_title(self, obj: dict[str, Any]) -> str:
        return str(wording.text_of(obj["milestone"], "title"))


class CheckInTodayOut(serializers.Serializer[Any]):
    done = serializers.BooleanField()
    id = serializers.UUIDField(allow_null=True)


class CallButtonOut(serializers.Serializer[Any]):
    label = serializers.CharField(help_text="What the button says, e.g. 'Call 911'.")  # type: ignore[assignment]
    tel = serializers.CharField(help_text="The number to dial (for a tel: link).")


class OpenAlertInstructionOut(serializers.Serializer[Any]):
    title = serializers.CharField()
    text = serializers.CharField(help_text="With the clinic's name, phone and emergency number filled in.")


class OpenAlertOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    tier = serializers.ChoiceField(choices=["emergency", "urgent"])
    title = serializers.CharField()
    instruction = OpenAlertInstructionOut(help_text="What to do now, for this alert's tier.")
    raised_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True, help_text="Null until a clinician acknowledges.")
    call = CallButtonOut(many=True, help_text="Emergency: the emergency number, then the clinic. Urgent: the clinic.")


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
    open_alerts = OpenAlertOut(
        many=True, help_text="Unresolved emergency and urgent alerts, most serious and newest first, with what to do."
    )
    healthcare_use_question_due = serializers.BooleanField(help_text="Today's check-in asks the weekly question.")


class AlertAssignIn(StrictInputSerializer):
    assignee = serializers.UUIDField(
        allow_null=True, help_text="A clinician on the patient's care team; null gives the alert back to the team."
    )
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")
