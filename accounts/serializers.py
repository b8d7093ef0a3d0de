"""HTTP shapes for accounts. Fields are listed explicitly; ids, roles, clinics and timestamps are never writable."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.emergency import EMERGENCY_NUMBER_PATTERN, is_country_code
from accounts.inputs import StrictInputSerializer
from accounts.languages import offered
from accounts.medicines import ParacetamolName
from accounts.models import STAFF_ROLE_CHOICES, Clinic, Invitation, PatientProfile, PHIAccess, User


@functools.cache
def _known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _known_time_zones():
        raise serializers.ValidationError("Unknown time zone; use an IANA name such as Europe/London.")


def validate_adult_date_of_birth(value: dt.date) -> None:
    today = timezone.now().date()
    if value > today:
        raise serializers.ValidationError("The date of birth cannot be in the future.")
    try:
        eighteen_years_ago = today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        eighteen_years_ago = today.replace(year=today.year - 18, day=28)
    if value > eighteen_years_ago:
        raise serializers.ValidationError("Patients must be at least 18 years old.")
    if value.year < 1900:
        raise serializers.ValidationError("Enter a date of birth after 1900.")


@extend_schema_field(
    {
        "type": "string",
        "enum": sorted(zoneinfo.available_timezones()),
        "description": "An IANA time zone name, such as Europe/London.",
    }
)
class TimeZoneField(serializers.CharField):
    """An IANA time zone name, validated against the zone database (and listed as such in the schema)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", "An IANA time zone name, such as Europe/London.")
        super().__init__(validators=[validate_time_zone], **kwargs)


class DateOfBirthField(serializers.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validators=[validate_adult_date_of_birth], **kwargs)


class PhoneField(serializers.RegexField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("error_messages", {"invalid": "Enter a phone number using digits, spaces and + ( ) - only."})
        # At least five digits, with + ( ) - and spaces between; spaces around are trimmed. The schema shows this
        # pattern, and a value that matches it still matches once trimmed.
        super().__init__(r"^ *\+?[ ().-]*([0-9][ ().-]*){5,}$", **kwargs)


class LanguageField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "The language this person reads; the app, reminders and emails follow it.")
        super().__init__(choices=offered(), **kwargs)


class CareTeamMemberOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="clinician.pk")
    full_name = serializers.CharField(source="clinician.full_name")
    is_primary = serializers.BooleanField()


class ClinicOut(serializers.ModelSerializer[Clinic]):
    class Meta:
        model = Clinic
        fields = ("id", "name", "phone", "time_zone", "country", "emergency_number", "paracetamol_name")


class ClinicUpdateIn(StrictInputSerializer):
    """What a clinic admin may change about their clinic. A new country without an emergency number takes the
    country's default number (accounts.emergency), and without a medicine name the country's (accounts.medicines)."""

    phone = PhoneField(
        required=False,
        allow_blank=False,
        error_messages={
            "blank": "The clinic needs a phone number: patients are told to call it.",
            "invalid": "Enter a phone number using digits, spaces and + ( ) - only.",
        },
    )
    emergency_number = serializers.RegexField(
        EMERGENCY_NUMBER_PATTERN,
        required=False,
        max_length=6,
        error_messages={"invalid": "Digits only, 2 to 6 of them, e.g. 911, 999, 112 or 000."},
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        help_text="ISO 3166-1 alpha-2 code, e.g. US, GB, DE.",
        error_messages={"invalid": "Use the two-letter ISO 3166-1 code, e.g. US, GB or DE."},
    )
    paracetamol_name = serializers.ChoiceField(
        choices=ParacetamolName.choices,
        required=False,
        help_text="What the clinic's patients call paracetamol: acetaminophen (US, Canada) or paracetamol.",
        error_messages={"invalid_choice": "Choose acetaminophen or paracetamol."},
    )

    def validate_country(self, value: str) -> str:
        if not is_country_code(value.upper()):
            raise serializers.ValidationError("Use the two-letter ISO 3166-1 code, e.g. US, GB or DE.")
        return value.upper()


class PatientOut(serializers.ModelSerializer[PatientProfile]):
    id = serializers.UUIDField(source="user.pk")
    full_name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    is_active = serializers.BooleanField(source="user.is_active")
    language = serializers.ChoiceField(source="user.language", choices=offered(), read_only=True)
    age = serializers.SerializerMethodField()
    care_team = CareTeamMemberOut(many=True)

    class Meta:
        model = PatientProfile
        fields = (
            "id",
            "full_name",
            "email",
            "is_active",
            "date_of_birth",
            "age",
            "time_zone",
            "language",
            "phone",
            "has_diabetes",
            "has_heart_disease",
            "had_previous_spinal_surgery",
            "emergency_contact_name",
            "emergency_contact_phone",
            "emergency_contact_relationship",
            "enrolled_at",
            "care_team",
        )

    def get_age(self, obj: PatientProfile) -> int:
        return obj.age()


class _PatientEditable(StrictInputSerializer):
    full_name = serializers.CharField(max_length=150, required=False)
    phone = PhoneField()
    time_zone = TimeZoneField(required=False)
    language = LanguageField()
    emergency_contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    emergency_contact_phone = PhoneField()
    emergency_contact_relationship = serializers.CharField(max_length=60, required=False, allow_blank=True)


class PatientSelfUpdateIn(_PatientEditable):
    """What a patient may change about themself."""


class PatientStaffUpdateIn(_PatientEditable):
    """What the care team may change, including the clinical details."""

    date_of_birth = DateOfBirthField(required=False)
    has_diabetes = serializers.BooleanField(required=False)
    has_heart_disease = serializers.BooleanField(required=False)
    had_previous_spinal_surgery = serializers.BooleanField(required=False)


class PatientEnrolIn(PatientStaffUpdateIn):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    date_of_birth = DateOfBirthField()
    time_zone = TimeZoneField()
    primary_clinician = serializers.UUIDField(required=False, help_text="Defaults to the enrolling clinician.")
    care_team = serializers.ListField(
        child=serializers.UUIDField(), required=False, max_length=20, help_text="Other clinicians on the care team."
    )


class CareTeamIn(StrictInputSerializer):
    primary_clinician = serializers.UUIDField()
    care_team = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=20)


class MeOut(serializers.ModelSerializer[User]):
    clinic = ClinicOut()
    patient = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "email", "full_name", "role", "language", "clinic", "patient")

    def get_patient(self, obj: User) -> dict[str, Any] | None:
        profile = getattr(obj, "patient_profile", None) if obj.is_patient else None
        return PatientOut(profile).data if profile else None


class StaffOut(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "email", "full_name", "role", "is_active")


class StaffInviteIn(StrictInputSerializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=STAFF_ROLE_CHOICES)
    language = LanguageField(help_text="The language of the invitation and, later, of their account (default en).")


class InvitationOut(serializers.ModelSerializer[Invitation]):
    person = serializers.UUIDField(source="user.pk")
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    role = serializers.CharField(source="user.role")
    status = serializers.CharField()

    class Meta:
        model = Invitation
        fields = (
            "id",
            "person",
            "email",
            "full_name",
            "role",
            "status",
            "created_at",
            "expires_at",
            "last_sent_at",
            "send_count",
            "accepted_at",
            "revoked_at",
        )


class InvitationAcceptIn(StrictInputSerializer):
    token = serializers.CharField(max_length=200)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class InvitationAcceptOut(serializers.Serializer[Any]):
    email = serializers.EmailField()
    detail = serializers.CharField()


class PHIAccessOut(serializers.ModelSerializer[PHIAccess]):
    actor = serializers.UUIDField(source="actor_id")
    actor_name = serializers.CharField(source="actor.full_name")
    patient = serializers.UUIDField(source="patient_id")
    patient_name = serializers.CharField(source="patient.user.full_name")

    class Meta:
        model = PHIAccess
        fields = ("id", "at", "actor", "actor_name", "patient", "patient_name", "resource", "ip", "request_id")
