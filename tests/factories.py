"""Factories for the people and places tests need. Passwords are hashed once per run: Argon2 is slow on purpose."""

from __future__ import annotations

import datetime as dt
import functools

import factory
from django.contrib.auth.hashers import make_password

from accounts.models import CareTeamMember, Clinic, PatientProfile, Role, User

PASSWORD = "correct horse battery staple"


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Spine Clinic {n}")
    phone = "+1 555 010 0000"
    time_zone = "America/New_York"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.CLINICIAN
    clinic = factory.SubFactory(ClinicFactory)
    password = factory.LazyFunction(_password_hash)


class ClinicianFactory(UserFactory):
    role = Role.CLINICIAN


class ClinicAdminFactory(UserFactory):
    role = Role.CLINIC_ADMIN


class PatientFactory(factory.django.DjangoModelFactory):
    """A patient profile with its user. Pass `care_team=[clinician, ...]`; the first is primary."""

    class Meta:
        model = PatientProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.PATIENT)
    date_of_birth = dt.date(1952, 5, 17)
    time_zone = "America/New_York"

    @factory.post_generation
    def care_team(self, create: bool, clinicians: list[User] | None, **kwargs: object) -> None:
        if not create or not clinicians:
            return
        CareTeamMember.objects.bulk_create(
            [CareTeamMember(patient=self, clinician=c, is_primary=(i == 0)) for i, c in enumerate(clinicians)]
        )
