"""HTTP shapes for physical therapy. Inputs refuse unknown fields; ids, patients and timestamps are never
client-writable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from accounts.caregiver_serializers import EnteredByOut
from accounts.inputs import StrictInputSerializer
from exercises.models import (
    Difficulty,
    Exercise,
    ExerciseKind,
    ExercisePlan,
    Prescription,
    PrescriptionVersion,
    RecordState,
)
from exercises.selectors import Session, dose_text, local_key_label, prescription_status
from exercises.translations import ExerciseTranslationsField, check_translated_lists
from recovery.content.exercises_default import DOSE_STYLES
from recovery.content.protocol_default import TRACKING_HORIZON_DAYS
from recovery.serializers import PersonOut, _person

MAX_SETS = 10
MAX_REPS = 100
MAX_HOLD_SECONDS = 300
MAX_MINUTES = 240
MAX_TIMES_PER_DAY = 6
TIME_OF_DAY_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"

# --- Doses and schedules ----------------------------------------------------------------------------------------------


class DoseIn(StrictInputSerializer):
    """Exactly one style: sets and reps; sets, hold_seconds and reps; or minutes."""

    sets = serializers.IntegerField(min_value=1, max_value=MAX_SETS, required=False)
    reps = serializers.IntegerField(min_value=1, max_value=MAX_REPS, required=False)
    hold_seconds = serializers.IntegerField(min_value=1, max_value=MAX_HOLD_SECONDS, required=False)
    minutes = serializers.IntegerField(min_value=1, max_value=MAX_MINUTES, required=False)

    def run_validation(self, data: Any = empty) -> Any:
        # A dose in no style is an error of the dose itself ("dose": [...]), not of a field inside it.
        try:
            return super().run_validation(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict) and set(exc.detail) == {api_settings.NON_FIELD_ERRORS_KEY}:
                raise serializers.ValidationError(exc.detail[api_settings.NON_FIELD_ERRORS_KEY]) from None
            raise

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if frozenset(attrs) not in DOSE_STYLES:
            raise serializers.ValidationError(
                "Give a dose in one style: sets and reps; or sets, hold_seconds and reps; or minutes."
            )
        return attrs


class DoseOut(serializers.Serializer[Any]):
    sets = serializers.IntegerField(required=False)
    reps = serializers.IntegerField(required=False)
    hold_seconds = serializers.IntegerField(required=False)
    minutes = serializers.IntegerField(required=False)


_WEEKDAY_MESSAGE = "Days of the week are whole numbers from 0 (Monday) to 6 (Sunday)."


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "integer", "minimum": 0, "maximum": 6},
        "minItems": 1,
        "maxItems": 7,
        "uniqueItems": True,
        "description": "0 = Monday ... 6 = Sunday, each at most once.",
    }
)
class DaysOfWeekField(serializers.ListField):
    def __init__(self, **kwargs: Any) -> None:
        messages: dict[str, Any] = {
            "invalid": _WEEKDAY_MESSAGE,
            "min_value": _WEEKDAY_MESSAGE,
            "max_value": _WEEKDAY_MESSAGE,
        }
        child = serializers.IntegerField(min_value=0, max_value=6, error_messages=messages)
        super().__init__(
            child=child,
            min_length=1,
            max_length=7,
            help_text="0 = Monday ... 6 = Sunday, each at most once.",
            error_messages={
                "empty": "Choose at least one day of the week.",
                "min_length": "Choose at least one day of the week.",
            },
            **kwargs,
        )

    def to_internal_value(self, data: Any) -> list[int]:
        if isinstance(data, list) and any(isinstance(item, bool) or not isinstance(item, int) for item in data):
            raise serializers.ValidationError(_WEEKDAY_MESSAGE)
        days: list[int] = super().to_internal_value(data)
        if len(set(days)) != len(days):
            raise serializers.ValidationError("Each day of the week may appear only once.")
        return sorted(days)


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "pattern": TIME_OF_DAY_PATTERN},
        "minItems": 1,
        "maxItems": MAX_TIMES_PER_DAY,
        "uniqueItems": True,
        "description": "'HH:MM' on the patient's clock; how many times a day.",
    }
)
class TimesOfDayField(serializers.ListField):
    def __init__(self, **kwargs: Any) -> None:
        child = serializers.CharField(
            validators=[RegexValidator(TIME_OF_DAY_PATTERN, "Times of day are 'HH:MM', 00:00 to 23:59.")]
        )
        super().__init__(
            child=child,
            min_length=1,
            max_length=MAX_TIMES_PER_DAY,
            help_text="'HH:MM' on the patient's clock; how many times a day.",
            error_messages={
                "empty": "Choose at least one time of day.",
                "min_length": "Choose at least one time of day.",
                "max_length": f"No more than {MAX_TIMES_PER_DAY} times a day.",
            },
            **kwargs,
        )

    def to_internal_value(self, data: Any) -> list[str]:
        times: list[str] = super().to_internal_value(data)
        if len(set(times)) != len(times):
            raise serializers.ValidationError("Each time of day may appear only once.")
        return sorted(times)


# --- Library ----------------------------------------------------------------------------------------------------------


class ExerciseOut(serializers.ModelSerializer[Exercise]):
    """An exercise in the reader's language (English where it has no translation)."""

    clinic = serializers.UUIDField(source="clinic_id", allow_null=True, help_text="Empty for the shipped library.")
    name = serializers.SerializerMethodField()
    kind_label = serializers.SerializerMethodField(help_text='The kind as the reader reads it ("Gentle stretching").')
    steps = serializers.SerializerMethodField()
    precautions = serializers.SerializerMethodField()
    default_dose = DoseOut()
    default_dose_text = serializers.SerializerMethodField(
        help_text='"2 sets of 8 repetitions", in the reader\'s language.'
    )

    class Meta:
        model = Exercise
        fields: tuple[str, ...] = (
            "id", "key", "name", "kind", "kind_label", "steps", "default_dose", "default_dose_text", "earliest_day",
            "precautions", "media_url", "clinic",
        )  # fmt: skip

    def get_default_dose_text(self, obj: Exercise) -> str:
        return dose_text(obj.default_dose)

    def get_name(self, obj: Exercise) -> str:
        return str(obj.text("name"))

    def get_kind_label(self, obj: Exercise) -> str:
        return str(ExerciseKind(obj.kind).label)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, obj: Exercise) -> list[str]:
        return list(obj.text("steps"))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_precautions(self, obj: Exercise) -> list[str]:
        return list(obj.text("precautions"))


class ExerciseLibraryOut(ExerciseOut):
    """An exercise of the library, with every translation it carries (for the clinic staff who keep them)."""

    class Meta(ExerciseOut.Meta):
        fields: tuple[str, ...] = (*ExerciseOut.Meta.fields, "translations")


class ExerciseBriefOut(serializers.ModelSerializer[Exercise]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = ("id", "key", "name", "kind")

    def get_name(self, obj: Exercise) -> str:
        return str(obj.text("name"))


class ExerciseIn(StrictInputSerializer):
    key = serializers.RegexField(
        r"^[a-z][a-z0-9_]*$",
        max_length=60,
        required=False,
        help_text="Lower-case letters, digits and underscores; made from the name when left out.",
    )
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=ExerciseKind.choices)
    steps = serializers.ListField(child=serializers.CharField(max_length=300), min_length=1, max_length=20)
    default_dose = DoseIn()
    earliest_day = serializers.IntegerField(min_value=0, max_value=TRACKING_HORIZON_DAYS)
    precautions = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=20, required=False, default=list
    )
    media_url = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    translations = ExerciseTranslationsField(required=False, default=dict)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        check_translated_lists(attrs["translations"], attrs)
        return attrs


class ExerciseChangeIn(StrictInputSerializer):
    translations = ExerciseTranslationsField(
        help_text="Replaces the translations of each language sent; languages not sent stay as they are."
    )


# --- Plans and prescriptions ------------------------------------------------------------------------------------------


class VersionOut(serializers.ModelSerializer[PrescriptionVersion]):
    dose = DoseOut()
    dose_text = serializers.SerializerMethodField(help_text="The dose in the reader's language.")
    times_per_day = serializers.IntegerField()
    effective_from = serializers.SerializerMethodField(
        help_text="First session it governs ('YYYY-MM-DDTHH:MM', local)."
    )
    effective_until = serializers.SerializerMethodField(help_text="Session it stops at (local); null while in force.")
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = PrescriptionVersion
        fields = (
            "version", "change", "dose", "dose_text", "days_of_week", "times_of_day", "times_per_day", "first_day",
            "last_day", "held", "effective_from", "effective_until", "created_at", "created_by", "note",
        )  # fmt: skip

    def get_dose_text(self, obj: PrescriptionVersion) -> str:
        return dose_text(obj.dose)

    def get_effective_from(self, obj: PrescriptionVersion) -> str:
        return local_key_label(obj.from_key) or ""

    def get_effective_until(self, obj: PrescriptionVersion) -> str | None:
        return local_key_label(obj.until_key)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_created_by(self, obj: PrescriptionVersion) -> dict[str, Any] | None:
        return _person(obj.created_by)


class PrescriptionOut(serializers.ModelSerializer[Prescription]):
    exercise = ExerciseOut()
    status = serializers.SerializerMethodField(help_text="active, upcoming, finished, held or removed (today).")
    current = serializers.SerializerMethodField(help_text="The latest version.")
    versions = VersionOut(many=True, help_text="Every version, oldest first.")

    class Meta:
        model = Prescription
        fields = ("id", "exercise", "source", "status", "created_at", "ended_at", "current", "versions")

    def get_status(self, obj: Prescription) -> str:
        return prescription_status(obj, self.context.get("day"))

    @extend_schema_field(VersionOut(allow_null=True))
    def get_current(self, obj: Prescription) -> dict[str, Any] | None:
        versions = list(obj.versions.all())
        return VersionOut(versions[-1]).data if versions else None


class PlanProcedureOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    procedure_date = serializers.DateField()


class PlanOut(serializers.ModelSerializer[ExercisePlan]):
    procedure = PlanProcedureOut()
    today = serializers.SerializerMethodField()
    day = serializers.SerializerMethodField(help_text="Days since the procedure (0 = procedure day).")
    time_zone = serializers.CharField(source="patient.time_zone")
    prescriptions = serializers.SerializerMethodField()

    class Meta:
        model = ExercisePlan
        fields = ("id", "procedure", "created_at", "today", "day", "time_zone", "prescriptions")

    def get_today(self, obj: ExercisePlan) -> dt.date:
        today: dt.date = self.context["today"]
        return today

    def get_day(self, obj: ExercisePlan) -> int:
        return obj.procedure.day_number(self.context["today"])

    @extend_schema_field(PrescriptionOut(many=True))
    def get_prescriptions(self, obj: ExercisePlan) -> list[dict[str, Any]]:
        day = obj.procedure.day_number(self.context["today"])
        return list(PrescriptionOut(obj.prescriptions.all(), many=True, context={"day": day}).data)


class MyPlanOut(serializers.Serializer[Any]):
    plan = PlanOut(allow_null=True, help_text="Null until a procedure is marked done.")


class PrescriptionIn(StrictInputSerializer):
    exercise = serializers.UUIDField(
        help_text="An exercise of the library (shipped or the clinic's own).",
        error_messages={"invalid": "Unknown exercise: choose one from the library."},
    )
    dose = DoseIn()
    days_of_week = DaysOfWeekField()
    times_of_day = TimesOfDayField()
    first_day = serializers.IntegerField(min_value=0, max_value=TRACKING_HORIZON_DAYS)
    last_day = serializers.IntegerField(min_value=0, max_value=TRACKING_HORIZON_DAYS, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("last_day") is not None and attrs["last_day"] < attrs["first_day"]:
            raise serializers.ValidationError({"last_day": ["The last day comes before the first day."]})
        return attrs


class PrescriptionChangeIn(StrictInputSerializer):
    """Only what changes; the rest stays as in the version in force."""

    dose = DoseIn(required=False)
    days_of_week = DaysOfWeekField(required=False)
    times_of_day = TimesOfDayField(required=False)
    first_day = serializers.IntegerField(min_value=0, max_value=TRACKING_HORIZON_DAYS, required=False)
    last_day = serializers.IntegerField(min_value=0, max_value=TRACKING_HORIZON_DAYS, allow_null=True, required=False)
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not set(attrs) - {"note"}:
            raise serializers.ValidationError(
                "Send at least one of dose, days_of_week, times_of_day, first_day or last_day."
            )
        return attrs


# --- Sessions and records ---------------------------------------------------------------------------------------------


class ExerciseRecordIn(StrictInputSerializer):
    state = serializers.ChoiceField(choices=RecordState.choices)
    pain_during = serializers.IntegerField(
        min_value=0, max_value=10, required=False, allow_null=True, default=None, help_text="0-10 during the exercise."
    )
    difficulty = serializers.ChoiceField(
        choices=Difficulty.choices, required=False, allow_null=True, default=None, help_text="How hard it felt."
    )
    recorded_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="When it was recorded, by the device's clock."
    )

    def validate_recorded_at(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value > timezone.now() + dt.timedelta(days=1):
            raise serializers.ValidationError(_("This time is in the future; check the device's clock."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        if attrs["state"] == RecordState.SKIPPED:
            if attrs.get("difficulty"):
                errors["difficulty"] = [_("A skipped session has no difficulty.")]
        else:
            if attrs.get("pain_during") is None:
                errors["pain_during"] = [_("Say how much pain (0-10) you had during the exercise.")]
            if not attrs.get("difficulty"):
                errors["difficulty"] = [_("Say how hard it felt: easy, ok or hard.")]
        if errors:
            raise serializers.ValidationError(errors)
        attrs["difficulty"] = attrs.get("difficulty") or ""
        return attrs


class SessionOut(serializers.Serializer[Session]):
    key = serializers.CharField(source="occurrence.key", help_text="<prescription id>:<YYYY-MM-DD>:<HH:MM>")
    prescription = serializers.UUIDField(source="occurrence.prescription_id")
    exercise = serializers.SerializerMethodField()
    dose = DoseOut(source="occurrence.dose")
    dose_text = serializers.SerializerMethodField(help_text='"10 minutes", in the reader\'s language.')
    local_date = serializers.DateField(source="occurrence.local_date")
    local_time = serializers.CharField(source="occurrence.local_time")
    due_at = serializers.DateTimeField(source="occurrence.due_at")
    state = serializers.SerializerMethodField(help_text="not_recorded, done, partly_done or skipped.")
    pain_during = serializers.SerializerMethodField()
    difficulty = serializers.SerializerMethodField()
    recorded_at = serializers.SerializerMethodField()

    @extend_schema_field(ExerciseOut())
    def get_exercise(self, obj: Session) -> dict[str, Any]:
        exercises: dict[Any, Exercise] = self.context["exercises"]
        return dict(ExerciseOut(exercises[obj.occurrence.exercise_id]).data)

    def get_dose_text(self, obj: Session) -> str:
        return dose_text(obj.occurrence.dose)

    def get_state(self, obj: Session) -> str:
        return obj.record.state if obj.record else "not_recorded"

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_pain_during(self, obj: Session) -> int | None:
        return obj.record.pain_during if obj.record else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_difficulty(self, obj: Session) -> str | None:
        return (obj.record.difficulty or None) if obj.record else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_recorded_at(self, obj: Session) -> dt.datetime | None:
        return obj.record.recorded_at if obj.record else None


class PausedOut(serializers.Serializer[Any]):
    reason = serializers.CharField(help_text="In plain words, for the patient.")
    since = serializers.DateTimeField(help_text="When the alert that paused it was raised.")
    alert_id = serializers.UUIDField()


class TodayOut(serializers.Serializer[Any]):
    today = serializers.DateField(help_text="Today in the patient's time zone.")
    time_zone = serializers.CharField()
    day = serializers.IntegerField(allow_null=True, help_text="Days since the procedure (0 = procedure day).")
    sessions = SessionOut(many=True, help_text="Empty while the plan is paused.")
    paused = PausedOut(allow_null=True, help_text="Why the plan is paused today; null when it is not.")


@extend_schema_field({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "09:00"})
class ClockTimeField(serializers.TimeField):
    """A local wall-clock time as HH:MM (no seconds), as the plan's times of day are written."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ExerciseRecordOut(serializers.Serializer[Any]):
    key = serializers.CharField(source="occurrence_key")
    prescription = serializers.UUIDField(source="prescription_id")
    local_date = serializers.DateField()
    local_time = ClockTimeField()
    state = serializers.CharField()
    pain_during = serializers.IntegerField(allow_null=True)
    difficulty = serializers.SerializerMethodField()
    dose = DoseOut(source="version.dose", help_text="The dose prescribed for this session.")
    recorded_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    entered_by = EnteredByOut(
        allow_null=True, read_only=True, help_text="The caregiver who recorded it; null: the patient."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_difficulty(self, obj: Any) -> str | None:
        return obj.difficulty or None


# --- Adherence --------------------------------------------------------------------------------------------------------


class TallyOut(serializers.Serializer[Any]):
    scheduled = serializers.IntegerField(help_text="Sessions due so far.")
    done = serializers.IntegerField()
    partly_done = serializers.IntegerField()
    skipped = serializers.IntegerField()
    not_recorded = serializers.IntegerField()
    completed = serializers.FloatField(help_text="done + partly_done / 2")
    adherence = serializers.FloatField(allow_null=True, help_text="completed / scheduled; null with none scheduled.")


class WeekTallyOut(TallyOut):
    week = serializers.CharField(help_text="ISO week, e.g. 2026-W10.")
    starts_on = serializers.DateField(help_text="Its Monday.")


class PrescriptionTallyOut(TallyOut):
    prescription = serializers.UUIDField()
    exercise = serializers.DictField(child=serializers.CharField())
    weeks = WeekTallyOut(many=True)


class AdherenceOut(serializers.Serializer[Any]):
    plan = serializers.UUIDField(allow_null=True)
    as_of = serializers.DateTimeField()
    today = serializers.DateField()
    time_zone = serializers.CharField()
    overall = TallyOut()
    by_week = WeekTallyOut(many=True)
    by_prescription = PrescriptionTallyOut(many=True)


# --- Calendar feed ----------------------------------------------------------------------------------------------------


class CalendarFeedOut(serializers.Serializer[Any]):
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)


class CalendarFeedCreatedOut(serializers.Serializer[Any]):
    url = serializers.URLField(help_text="The private address to subscribe to. Shown once; keep it to yourself.")
    created_at = serializers.DateTimeField()
