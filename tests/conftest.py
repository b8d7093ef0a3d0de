"""Shared fixtures. The cast, as in every access test:

- Riverside clinic: patients Alice and Bob; Dr Carol (Alice's primary clinician), Dr Dave (same clinic, on Bob's team
  only), Frank (clinic admin).
- Hillside clinic: Dr Erin (clinician), Grace (clinic admin), patient Heidi (Erin's).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Clinic, PatientProfile, User
from tests.factories import ClinicAdminFactory, ClinicFactory, ClinicianFactory, PatientFactory, UserFactory


@pytest.fixture(autouse=True)
def _clean_redis() -> None:
    # Rate limits and throttles live in Redis; a test must not inherit another's counts.
    cache.clear()


@dataclass
class Cast:
    riverside: Clinic
    hillside: Clinic
    alice: User
    bob: User
    carol: User
    dave: User
    frank: User
    erin: User
    grace: User
    heidi: User

    @property
    def alice_profile(self) -> PatientProfile:
        return self.alice.patient_profile


@pytest.fixture
def cast(db: None) -> Cast:
    riverside = ClinicFactory(name="Riverside Spine Clinic", phone="+1 555 010 2030")
    hillside = ClinicFactory(name="Hillside Pain Centre", phone="+44 20 7946 0000", time_zone="Europe/London")
    carol = ClinicianFactory(email="carol@riverside.example", full_name="Dr Carol Chen", clinic=riverside)
    dave = ClinicianFactory(email="dave@riverside.example", full_name="Dr Dave Diaz", clinic=riverside)
    frank = ClinicAdminFactory(email="frank@riverside.example", full_name="Frank Admin", clinic=riverside)
    erin = ClinicianFactory(email="erin@hillside.example", full_name="Dr Erin Evans", clinic=hillside)
    grace = ClinicAdminFactory(email="grace@hillside.example", full_name="Grace Admin", clinic=hillside)
    alice = PatientFactory(
        user=UserFactory(email="alice@patients.example", full_name="Alice Adams", role="patient", clinic=riverside),
        care_team=[carol],
    ).user
    bob = PatientFactory(
        user=UserFactory(email="bob@patients.example", full_name="Bob Baker", role="patient", clinic=riverside),
        care_team=[dave],
        time_zone="Europe/Berlin",
    ).user
    heidi = PatientFactory(
        user=UserFactory(email="heidi@patients.example", full_name="Heidi Hill", role="patient", clinic=hillside),
        care_team=[erin],
        time_zone="Europe/London",
    ).user
    return Cast(riverside, hillside, alice, bob, carol, dave, frank, erin, grace, heidi)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for():
    """An API client signed in as `user` through a real session (cookie), like the PWA."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make
