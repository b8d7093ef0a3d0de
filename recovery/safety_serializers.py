"""HTTP shapes of the candidate screening and adverse events. Ids, patients, procedures, who and when are never
client-writable; the services (recovery.safety) check what depends on the procedure or on several fields."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.inputs import StrictInputSerializer
from recovery.models import (
    CAUTIONS,
    SCREENING_STATUSES,
    AdverseEvent,
    AdverseEventKind,
    AdverseEventOutcome,
    AdverseEventStatus,
    Answer,
    ClavienDindo,
    ConservativeCare,
    ImagingModality,
    Procedure,
    Relatedness,
    Screening,
    ScreeningOutcome,
)
from recovery.safety_selectors import screening_status
from recovery.serializers import PersonOut, ProcedureOut, _person

# --- Screening --------------------------------------------------------------------------------------------------------


def _answer(help_text: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=Answer.choices,
        help_text=help_text,
        error_messages={"invalid_choice": "Answer yes, no or unknown."},
    )


class ConservativeCareIn(StrictInputSerializer):
    treatment = serializers.ChoiceField(choices=ConservativeCare.choices)
    weeks = serializers.IntegerField(min_value=1, max_value=520, help_text="How long it was tried, in weeks.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ScreeningIn(StrictInputSerializer):
    stenosis_confirmed = _answer("Lumbar spinal stenosis confirmed on MRI or CT.")
    imaging_modality = serializers.ChoiceField(
        choices=ImagingModality.choices, required=False, allow_blank=True, default=""
    )
    imaging_date = serializers.DateField(required=False, allow_null=True, default=None)
    claudication = _answer("Symptoms worse standing or walking, eased by sitting or bending forward.")
    conservative_care_failed = _answer("Conservative care tried and failed.")
    conservative_care = ConservativeCareIn(many=True, required=False, default=list)
    heart_disease = _answer(CAUTIONS["heart_disease"])
    heart_disease_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    uncontrolled_diabetes = _answer(CAUTIONS["uncontrolled_diabetes"])
    uncontrolled_diabetes_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    spinal_instability = _answer(CAUTIONS["spinal_instability"])
    spinal_instability_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    previous_spinal_surgery = _answer(CAUTIONS["previous_spinal_surgery"])
    previous_spinal_surgery_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    diabetes = _answer("Diabetes, controlled or not (a risk factor for infection).")
    outcome = serializers.ChoiceField(
        choices=ScreeningOutcome.choices,
        error_messages={"invalid_choice": "Choose candidate, needs_review or not_candidate."},
    )
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    def validate_conservative_care(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        treatments = [item["treatment"] for item in value]
        if len(set(treatments)) != len(treatments):
            raise serializers.ValidationError("List each treatment once.")
        return [dict(item) for item in value]


class ScreeningOut(serializers.ModelSerializer[Screening]):
    """A screening (select_related "decided_by" and "procedure" to read a list in one query)."""

    decided_by = serializers.SerializerMethodField()
    cautions = serializers.SerializerMethodField()
    latest = serializers.SerializerMethodField(
        help_text="The episode's latest screening, the one that decides whether it may be marked done."
    )

    class Meta:
        model = Screening
        fields = (
            "id", "procedure", "stenosis_confirmed", "imaging_modality", "imaging_date", "claudication",
            "conservative_care_failed", "conservative_care", *[f for c in CAUTIONS for f in (c, f"{c}_note")],
            "diabetes", "cautions", "outcome", "note", "decided_by", "decided_at", "latest",
        )  # fmt: skip

    @extend_schema_field(serializers.BooleanField())
    def get_latest(self, obj: Screening) -> bool:
        return bool(obj.procedure.screening_id == obj.pk)

    @extend_schema_field(PersonOut(allow_null=False))
    def get_decided_by(self, obj: Screening) -> dict[str, Any] | None:
        return _person(obj.decided_by)

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_cautions(self, obj: Screening) -> list[dict[str, Any]]:
        """The cautions with their labels, answers and notes, in the form's order."""
        return [
            {"key": key, "label": label, "answer": getattr(obj, key), "note": getattr(obj, f"{key}_note")}
            for key, label in CAUTIONS.items()
        ]


# --- Adverse events ---------------------------------------------------------------------------------------------------


class AdverseEventIn(StrictInputSerializer):
    procedure = serializers.UUIDField(help_text="The procedure episode it follows (creating only).")
    kind = serializers.ChoiceField(choices=AdverseEventKind.choices)
    kind_other = serializers.CharField(max_length=200, required=False, allow_blank=True)
    grade = serializers.ChoiceField(
        choices=ClavienDindo.choices,
        help_text="Clavien-Dindo grade: I, II, IIIa, IIIb, IVa, IVb or V.",
        error_messages={"invalid_choice": "Choose a Clavien-Dindo grade: I, II, IIIa, IIIb, IVa, IVb or V."},
    )
    onset_date = serializers.DateField(help_text="The day it started, in the patient's time zone.")
    resolved_date = serializers.DateField(required=False, allow_null=True)
    relatedness = serializers.ChoiceField(choices=Relatedness.choices)
    outcome = serializers.ChoiceField(choices=AdverseEventOutcome.choices)
    emergency_visit = serializers.BooleanField(required=False)
    hospital_admission = serializers.BooleanField(required=False)
    further_surgery = serializers.BooleanField(required=False)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class AdverseEventDismissIn(StrictInputSerializer):
    reason = serializers.CharField(max_length=500, help_text="Why the draft is not an adverse event.")


class AdverseEventFilterIn(StrictInputSerializer):
    status = serializers.MultipleChoiceField(choices=AdverseEventStatus.choices, required=False)


class AdverseEventOut(serializers.ModelSerializer[AdverseEvent]):
    recorded_by = serializers.SerializerMethodField()
    dismissed_by = serializers.SerializerMethodField()
    related = serializers.BooleanField(read_only=True, help_text="Device- or procedure-related.")
    procedure_date = serializers.DateField(source="procedure.procedure_date", read_only=True)
    checkin = serializers.SerializerMethodField(help_text="The check-in whose answer opened the draft, if any.")

    class Meta:
        model = AdverseEvent
        fields = (
            "id", "procedure", "procedure_date", "status", "kind", "kind_other", "grade", "onset_date",
            "resolved_date", "relatedness", "related", "outcome", "emergency_visit", "hospital_admission",
            "further_surgery", "description", "checkin", "created_at", "recorded_by", "recorded_at", "updated_at",
            "dismissed_by", "dismissed_at", "dismiss_reason",
        )  # fmt: skip

    @extend_schema_field(PersonOut(allow_null=True))
    def get_recorded_by(self, obj: AdverseEvent) -> dict[str, Any] | None:
        return _person(obj.recorded_by)

    @extend_schema_field(PersonOut(allow_null=True))
    def get_dismissed_by(self, obj: AdverseEvent) -> dict[str, Any] | None:
        return _person(obj.dismissed_by)

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_checkin(self, obj: AdverseEvent) -> dict[str, Any] | None:
        if obj.checkin is None:
            return None
        return {"id": str(obj.checkin.pk), "local_date": obj.checkin.local_date.isoformat()}


# --- Procedures, as the care team sees them ---------------------------------------------------------------------------


class ProcedureCompleteIn(StrictInputSerializer):
    override_reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only without a 'candidate' screening: why a clinician marks it done all the same (recorded).",
    )


class ScreeningStatusOut(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=SCREENING_STATUSES,
        help_text="The screening's outcome; 'override': marked done by a clinician without a 'candidate' one.",
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    override_reason = serializers.CharField(allow_blank=True)
    override_by = PersonOut(allow_null=True)
    override_at = serializers.DateTimeField(allow_null=True)


class StaffProcedureOut(ProcedureOut):
    """A procedure with its screening status, for the care team (select_related "screening" and
    "screening_override_by" to read a list in one query)."""

    screening = serializers.SerializerMethodField()

    class Meta(ProcedureOut.Meta):
        fields: tuple[str, ...] = (*ProcedureOut.Meta.fields, "screening")  # type: ignore[assignment]

    @extend_schema_field(ScreeningStatusOut)
    def get_screening(self, obj: Procedure) -> dict[str, Any]:
        screening = getattr(obj, "screening", None)
        return {
            "status": screening_status(screening.outcome if screening else None, obj.screening_override_reason),
            "decided_at": screening.decided_at if screening else None,
            "override_reason": obj.screening_override_reason,
            "override_by": _person(obj.screening_override_by),
            "override_at": obj.screening_override_at,
        }
