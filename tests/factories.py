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
    country = "US"
    emergency_number = "911"


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


# --- Recovery ---------------------------------------------------------------------------------------------------------


class ProcedureFactory(factory.django.DjangoModelFactory):
    """A scheduled MILD procedure on the shipped default protocol (version 1). Mark it done with
    recovery.services.procedure_complete, which lays out its milestones as the product does."""

    class Meta:
        model = "recovery.Procedure"

    patient = factory.SubFactory(PatientFactory)
    procedure_date = dt.date(2027, 5, 10)
    levels = factory.LazyFunction(lambda: ["L4-L5"])
    side = "bilateral"
    anaesthesia = "local"

    @factory.lazy_attribute
    def protocol(self):
        from recovery.models import Protocol

        return Protocol.objects.get(clinic__isnull=True, version=1)


class CheckInFactory(factory.django.DjangoModelFactory):
    """A stored daily check-in, written directly: for histories a test reads (streaks, exports), not for the rules,
    which run only through recovery.services.checkin_put."""

    class Meta:
        model = "recovery.CheckIn"

    patient = factory.SubFactory(PatientFactory)
    local_date = dt.date(2027, 5, 20)
    back_pain = 4
    leg_pain = 5
    walking_minutes = 20
    standing_minutes = 10
    medication = "otc"
    body_hash = "0" * 64

    @factory.lazy_attribute
    def id(self):
        import uuid

        return uuid.uuid4()

    @factory.lazy_attribute
    def recorded_at(self):
        return dt.datetime.combine(self.local_date, dt.time(19), tzinfo=self.patient.zone)

    received_at = factory.SelfAttribute("recorded_at")
    updated_at = factory.SelfAttribute("recorded_at")


class AlertFactory(factory.django.DjangoModelFactory):
    """An alert as a rule would have raised it (urgent fever by default); `trigger` is unique per alert."""

    class Meta:
        model = "recovery.Alert"

    patient = factory.SubFactory(PatientFactory)
    rule = "fever_chills"
    trigger = factory.Sequence(lambda n: f"test:{n}")
    rule_set_version = 1

    @factory.lazy_attribute
    def tier(self):
        from recovery.rules import RULES

        return RULES[self.rule].tier

    @factory.lazy_attribute
    def title(self):
        from recovery.rules import RULES

        return RULES[self.rule].title

    @factory.lazy_attribute
    def raised_at(self):
        from django.utils import timezone

        return timezone.now()


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A stored, scored outcome measure of a procedure (pain by default), written directly: for histories the
    dashboards read. `scores` is what recovery.instruments.score would have stored; recording through the API is
    tested in tests/recovery."""

    class Meta:
        model = "recovery.Assessment"

    procedure = factory.SubFactory(ProcedureFactory)
    patient = factory.SelfAttribute("procedure.patient")
    timepoint = "baseline"
    instrument = "pain"
    instrument_version = "test"
    scores = factory.LazyFunction(lambda: {"back_pain": 6, "leg_pain": 7})
    answers = factory.SelfAttribute("scores")
    local_date = factory.SelfAttribute("procedure.procedure_date")
    recorded_by = factory.SelfAttribute("patient.user")

    @factory.lazy_attribute
    def completed_at(self):
        return dt.datetime.combine(self.local_date, dt.time(12), tzinfo=self.patient.zone)
