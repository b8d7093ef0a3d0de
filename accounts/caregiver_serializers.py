"""HTTP shapes for caregivers: the patient's list of caregivers, the invitation, the grants, and what a caregiver
sees of the patients they help."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.inputs import StrictInputSerializer
from accounts.models import CaregiverLink, Grant
from accounts.serializers import LanguageField

GRANTS_HELP = "What the caregiver may do: any of " + ", ".join(f"{g.value} ({g.label.lower()})" for g in Grant) + "."


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": list(Grant.values)}, "maxItems": len(Grant)})
class GrantsField(serializers.ListField):
    """A list of grant names. Names that are no grant are refused by the service with the list of valid ones (all
    unknown names in one message); the schema states the names, so a client knows them before it asks."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            child=serializers.CharField(max_length=40), max_length=len(Grant), help_text=GRANTS_HELP, **kwargs
        )


class CaregiverInviteIn(StrictInputSerializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    relationship = serializers.CharField(max_length=60, help_text='How they are related, e.g. "daughter".')
    grants = GrantsField()
    language = LanguageField(
        help_text="The language the caregiver reads: their invitation, reminders and app follow it. Defaults to the "
        "patient's language."
    )


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConsentField(serializers.BooleanField):
    """Clinic staff invite a caregiver only with the patient's agreement: the schema states that only true is taken,
    as the service enforces (`accounts.caregivers`)."""


class CaregiverInviteByClinicIn(CaregiverInviteIn):
    consent = ConsentField(help_text="The patient agreed to this caregiver (recorded with your name); must be true.")


class CaregiverUpdateIn(StrictInputSerializer):
    relationship = serializers.CharField(max_length=60, required=False)
    grants = GrantsField(required=False)


class CaregiverOut(serializers.ModelSerializer[CaregiverLink]):
    """One of the patient's caregivers, as the patient (and her clinic) see them."""

    full_name = serializers.CharField(source="caregiver.full_name")
    email = serializers.EmailField(source="caregiver.email")
    grants = serializers.ListField(child=serializers.CharField())
    status = serializers.SerializerMethodField(
        help_text="invited (no account yet), invitation_expired, active, or removed."
    )
    invitation_expires_at = serializers.SerializerMethodField()

    class Meta:
        model = CaregiverLink
        fields = (
            "id", "full_name", "email", "relationship", "grants", "status", "invitation_expires_at", "created_at",
            "consent_recorded_at", "revoked_at",
        )  # fmt: skip

    def get_status(self, obj: CaregiverLink) -> str:
        if obj.revoked_at is not None:
            return "removed"
        if obj.caregiver.is_active:
            return "active"
        invitation = obj.caregiver.invitations.all().first()
        return "invitation_expired" if invitation is None or invitation.status == "expired" else "invited"

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_invitation_expires_at(self, obj: CaregiverLink) -> Any:
        if obj.revoked_at is not None or obj.caregiver.is_active:
            return None
        invitation = obj.caregiver.invitations.all().first()
        return invitation.expires_at if invitation is not None else None


class CaringForOut(serializers.ModelSerializer[CaregiverLink]):
    """One patient a caregiver helps: whom, as what, and what the patient allows."""

    patient = serializers.UUIDField(source="patient_id")
    full_name = serializers.CharField(source="patient.user.full_name")
    clinic = serializers.CharField(source="patient.user.clinic.name")
    time_zone = serializers.CharField(source="patient.time_zone", help_text="The patient's: her 'today'.")
    grants = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = CaregiverLink
        fields = ("patient", "full_name", "clinic", "time_zone", "relationship", "grants")


class EnteredByOut(serializers.Serializer[Any]):
    """Who filled a record in for the patient: a caregiver, named as the clinician sees them."""

    name = serializers.CharField(source="caregiver.full_name")
    relationship = serializers.CharField()
    shown_as = serializers.CharField(source="label", help_text='"Anna Ellis, daughter".')
