"""A demo clinic with staff and patients, so a first `make run` has something true to show.

Idempotent: people are found by email and left alone when they exist, so a second run changes nothing. Other apps
add their demo data through the `demo_seeded` signal's receivers.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.dispatch import Signal

from accounts.models import CaregiverLink, CareTeamMember, Clinic, PatientProfile, Role, User

DEMO_PASSWORD = "recovery-demo-2026"  # noqa: S105 (printed on purpose: demo accounts only)
DEMO_CLINIC = "Riverside Spine Clinic"

# Sent after the accounts part of the demo exists, with `clinic` and `patients` (email -> PatientProfile).
demo_seeded = Signal()

STAFF = [
    ("admin@riverside.example", "Alice Morgan", Role.CLINIC_ADMIN),
    ("dr.chen@riverside.example", "Dr Maya Chen", Role.CLINICIAN),
    ("dr.okafor@riverside.example", "Dr Tom Okafor", Role.CLINICIAN),
]

# email, name, date of birth, time zone, diabetes, heart disease, previous spinal surgery, primary clinician
PATIENTS = [
    (
        "margaret@patients.example",
        "Margaret Ellis",
        dt.date(1951, 3, 14),
        "America/New_York",
        False,
        False,
        False,
        "dr.chen@riverside.example",
    ),
    (
        "harold@patients.example",
        "Harold Brooks",
        dt.date(1946, 9, 2),
        "America/Chicago",
        True,
        False,
        False,
        "dr.chen@riverside.example",
    ),
    (
        "rosa@patients.example",
        "Rosa Alvarez",
        dt.date(1958, 6, 21),
        "America/Los_Angeles",
        False,
        True,
        False,
        "dr.chen@riverside.example",
    ),
    (
        "walter@patients.example",
        "Walter Nguyen",
        dt.date(1949, 1, 30),
        "Europe/London",
        False,
        False,
        True,
        "dr.okafor@riverside.example",
    ),
    (
        "june@patients.example",
        "June Patel",
        dt.date(1955, 11, 8),
        "Australia/Sydney",
        True,
        True,
        False,
        "dr.okafor@riverside.example",
    ),
    # Preparing: her procedure is next week (journey.demo).
    (
        "edith@patients.example",
        "Edith Moore",
        dt.date(1953, 4, 17),
        "America/Denver",
        True,
        False,
        False,
        "dr.chen@riverside.example",
    ),
    # Reads Spanish: the app, her reminders and her emails are in Spanish (recovery.demo gives her a week of recovery).
    (
        "carmen@patients.example",
        "Carmen Rodríguez",
        dt.date(1952, 8, 5),
        "America/Los_Angeles",
        False,
        False,
        False,
        "dr.chen@riverside.example",
    ),
]

# The language each demo person reads, when it is not English.
LANGUAGES = {"carmen@patients.example": "es"}


# A caregiver: email, name, the patient they help, as what, and what the patient granted. Recovery's demo has her log
# Margaret's day-1 check-in for her (recovery.demo).
CAREGIVERS = [
    ("anna@family.example", "Anna Ellis", "margaret@patients.example", "daughter", ("view", "log", "reminders")),
]


class Command(BaseCommand):
    help = "Create the demo clinic, its staff and patients (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            clinic, _ = Clinic.objects.get_or_create(
                name=DEMO_CLINIC,
                defaults={
                    "phone": "+1 555 010 2030",
                    "time_zone": "America/New_York",
                    "country": "US",
                    "emergency_number": "911",
                },
            )
            staff = {email: self._person(email, name, role, clinic) for email, name, role in STAFF}
            patients: dict[str, PatientProfile] = {}
            for email, name, born, zone, diabetes, heart, surgery, primary in PATIENTS:
                user = self._person(email, name, Role.PATIENT, clinic)
                patient, created = PatientProfile.objects.get_or_create(
                    user=user,
                    defaults={
                        "date_of_birth": born,
                        "time_zone": zone,
                        "has_diabetes": diabetes,
                        "has_heart_disease": heart,
                        "had_previous_spinal_surgery": surgery,
                        "enrolled_by": staff[primary],
                        "emergency_contact_name": "Family member",
                        "emergency_contact_phone": "+1 555 010 9999",
                        "emergency_contact_relationship": "Family",
                    },
                )
                if created:
                    # The primary clinician only: the other clinician cannot see this patient (the demo shows it).
                    CareTeamMember.objects.create(patient=patient, clinician=staff[primary], is_primary=True)
                patients[email] = patient
            for email, name, patient_email, relationship, grants in CAREGIVERS:
                caregiver = self._person(email, name, Role.CAREGIVER, clinic)
                CaregiverLink.objects.get_or_create(
                    patient=patients[patient_email],
                    caregiver=caregiver,
                    revoked_at=None,
                    defaults={
                        "relationship": relationship,
                        "invited_by": patients[patient_email].user,
                        "can_view": "view" in grants,
                        "can_log": "log" in grants,
                        "can_get_reminders": "reminders" in grants,
                        "can_enter_assessments": "assessments" in grants,
                    },
                )
            demo_seeded.send(sender=self.__class__, clinic=clinic, patients=patients)
        self.stdout.write(self.style.SUCCESS(f"Demo clinic ready: {clinic.name}"))

    @functools.cached_property
    def _password_hash(self) -> str:
        # Argon2 is slow on purpose; the demo accounts share one password, so hash it once.
        return make_password(DEMO_PASSWORD)

    def _person(self, email: str, name: str, role: str, clinic: Clinic) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, None, full_name=name, role=role, clinic=clinic, language=LANGUAGES.get(email, "en")
            )
            user.password = self._password_hash
            user.save(update_fields=["password"])
        return user
