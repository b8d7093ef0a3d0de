"""HTTP shapes of recovery protocols: a version with its phases and milestones, and a clinic's revision of it."""

from __future__ import annotations

import itertools
from typing import Any

from rest_framework import serializers

from accounts.inputs import StrictInputSerializer
from recovery.models import Assessment, MilestoneKind, Protocol, ProtocolMilestone, ProtocolPhase
from recovery.serializers import INSTRUMENT_CHOICES, PersonOut

TRANSLATIONS_HELP = (
    'The other languages\' texts, {"es": {field: text}}; left out, every field whose English is unchanged keeps its '
    "translation from the version before."
)


class PhaseTextsIn(StrictInputSerializer):
    """A phase's texts in one other language; a field left out reads in English."""

    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(max_length=500, required=False)
    instructions = serializers.ListField(child=serializers.CharField(max_length=300), max_length=30, required=False)
    avoid = serializers.ListField(child=serializers.CharField(max_length=300), max_length=30, required=False)


class MilestoneTextsIn(StrictInputSerializer):
    """A milestone's texts in one other language; a field left out reads in English."""

    title = serializers.CharField(max_length=200, required=False)
    patient_text = serializers.CharField(max_length=2000, required=False)


class PhaseTranslationsIn(StrictInputSerializer):
    es = PhaseTextsIn(required=False, help_text="Spanish.")


class MilestoneTranslationsIn(StrictInputSerializer):
    es = MilestoneTextsIn(required=False, help_text="Spanish.")


class ProtocolMilestoneOut(serializers.ModelSerializer[ProtocolMilestone]):
    class Meta:
        model = ProtocolMilestone
        fields = (
            "key", "title", "kind", "open_day", "target_day", "close_day", "assessments", "optional", "enabled",
            "patient_text", "translations",
        )  # fmt: skip


class ProtocolPhaseOut(serializers.ModelSerializer[ProtocolPhase]):
    """A phase as the protocol editor sees it: the English in its fields, the other languages in `translations`."""

    class Meta:
        model = ProtocolPhase
        fields = ("key", "title", "start_day", "end_day", "summary", "instructions", "avoid", "translations")


class ProtocolOut(serializers.ModelSerializer[Protocol]):
    phases = ProtocolPhaseOut(many=True)
    milestones = ProtocolMilestoneOut(many=True)
    clinic = serializers.UUIDField(source="clinic_id", allow_null=True)
    based_on = serializers.UUIDField(source="based_on_id", allow_null=True)
    created_by = PersonOut(
        allow_null=True, help_text="The clinic admin who saved this version; null: a shipped default."
    )

    class Meta:
        model = Protocol
        fields = (
            "id", "name", "version", "clinic", "based_on", "change_note", "created_at", "created_by", "phases",
            "milestones", "when_to_get_help", "translations",
        )  # fmt: skip


class PhaseIn(StrictInputSerializer):
    key = serializers.SlugField(max_length=50)
    title = serializers.CharField(max_length=200)
    start_day = serializers.IntegerField(min_value=0, max_value=800)
    end_day = serializers.IntegerField(min_value=0, max_value=800, allow_null=True)
    summary = serializers.CharField(max_length=500)
    instructions = serializers.ListField(child=serializers.CharField(max_length=300), max_length=30)
    avoid = serializers.ListField(child=serializers.CharField(max_length=300), max_length=30)
    translations = PhaseTranslationsIn(required=False, help_text=TRANSLATIONS_HELP)

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
    translations = MilestoneTranslationsIn(required=False, help_text=TRANSLATIONS_HELP)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["open_day"] <= attrs["target_day"] <= attrs["close_day"]:
            raise serializers.ValidationError({"target_day": ["Must satisfy open_day <= target_day <= close_day."]})
        return attrs


class HelpTierIn(StrictInputSerializer):
    tier = serializers.ChoiceField(choices=["emergency", "urgent"])
    heading = serializers.CharField(max_length=200)
    signs = serializers.ListField(child=serializers.CharField(max_length=300), min_length=1, max_length=20)
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class WhenToGetHelpIn(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    tiers = HelpTierIn(many=True)

    def validate_tiers(self, tiers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if [t["tier"] for t in tiers] != ["emergency", "urgent"]:
            raise serializers.ValidationError("Give the emergency tier, then the urgent tier, once each.")
        return tiers


class HelpTextsIn(StrictInputSerializer):
    when_to_get_help = WhenToGetHelpIn(required=False)


class ProtocolTranslationsIn(StrictInputSerializer):
    es = HelpTextsIn(required=False, help_text="Spanish.")


class ProtocolRevisionIn(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    change_note = serializers.CharField(max_length=500, allow_blank=True, default="")
    phases = PhaseIn(many=True)
    milestones = ProtocolMilestoneIn(many=True)
    when_to_get_help = WhenToGetHelpIn(
        required=False, help_text="The warning signs by tier, in plain words; left out, the version before's is kept."
    )
    translations = ProtocolTranslationsIn(
        required=False, help_text='The other languages\' "When to get help". ' + TRANSLATIONS_HELP
    )

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
