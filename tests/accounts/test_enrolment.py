"""Clinic staff enrol patients: an inactive account, a profile, a care team, and an invitation by email."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail

from accounts.models import CareTeamMember, Invitation, PatientProfile, Role, User
from tests.accounts.support import invitation_links, row_counts

ENROL = "/api/v1/patients"
# Pinned so that "18 years ago" and "the future" are the same dates on every run.
TODAY = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def nina(**overrides: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "full_name": "Nina Novak",
        "email": "nina@patients.example",
        "date_of_birth": "1950-04-02",
        "time_zone": "America/Chicago",
        "has_diabetes": True,
        "phone": "+1 312 555 0101",
        "emergency_contact_name": "Nils Novak",
        "emergency_contact_phone": "+1 312 555 0102",
        "emergency_contact_relationship": "Son",
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def enrol(client_for, django_capture_on_commit_callbacks):
    """POST an enrolment as `user`, letting the on-commit invitation mail go out as it would after a real commit."""

    def post(user: User, payload: dict[str, object]):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(user).post(ENROL, payload, format="json")

    return post


def test_clinician_enrols_patient_who_is_invited_by_email(cast, enrol):
    # When Dr Carol enrols Nina with Dr Dave also on the care team
    response = enrol(cast.carol, nina(care_team=[str(cast.dave.pk)]))

    # Then Nina has an inactive patient account at Carol's clinic, without a password yet
    assert response.status_code == 201, response.json()
    nina_user = User.objects.get(email="nina@patients.example")
    assert response.json()["id"] == str(nina_user.pk)
    assert nina_user.role == Role.PATIENT
    assert nina_user.clinic == cast.riverside
    assert not nina_user.is_active
    assert not nina_user.has_usable_password()
    # and a profile with what Carol entered
    profile = PatientProfile.objects.get(user=nina_user)
    assert profile.date_of_birth == dt.date(1950, 4, 2)
    assert profile.time_zone == "America/Chicago"
    assert profile.has_diabetes and not profile.has_heart_disease
    assert profile.emergency_contact_name == "Nils Novak"
    assert profile.enrolled_by == cast.carol
    # and a care team on which the enrolling clinician is primary
    team = {m.clinician: m.is_primary for m in CareTeamMember.objects.filter(patient=profile)}
    assert team == {cast.carol: True, cast.dave: False}
    assert [m["full_name"] for m in response.json()["care_team"]] == ["Dr Carol Chen", "Dr Dave Diaz"]
    # and exactly one email, to Nina, whose link carries the token in the fragment (never sent to a server)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nina@patients.example"]
    assert "Riverside Spine Clinic" in mail.outbox[0].subject
    tokens = invitation_links("nina@patients.example")
    assert len(tokens) == 1
    assert "?token=" not in str(mail.outbox[0].body)
    invitation = Invitation.objects.get(user=nina_user)
    assert invitation.token_hash == Invitation.hash_token(tokens[0])
    assert invitation.created_by == cast.carol
    assert invitation.status == "pending"


def test_clinic_admin_enrols_patient_with_an_explicit_primary_clinician(cast, enrol):
    response = enrol(cast.frank, nina(primary_clinician=str(cast.dave.pk), care_team=[str(cast.carol.pk)]))

    assert response.status_code == 201, response.json()
    profile = PatientProfile.objects.get(user__email="nina@patients.example")
    team = {m.clinician: m.is_primary for m in CareTeamMember.objects.filter(patient=profile)}
    assert team == {cast.dave: True, cast.carol: False}
    assert len(mail.outbox) == 1


def test_clinic_admin_must_choose_a_primary_clinician(cast, enrol):
    before = row_counts()

    response = enrol(cast.frank, nina())

    assert response.status_code == 400
    assert "primary_clinician" in response.json()["errors"]
    assert row_counts() == before


def test_clinician_can_enrol_a_patient_for_a_colleague(cast, enrol):
    # Carol enrols Nina for Dave's list, without joining the care team herself
    response = enrol(cast.carol, nina(primary_clinician=str(cast.dave.pk)))

    assert response.status_code == 201, response.json()
    profile = PatientProfile.objects.get(user__email="nina@patients.example")
    assert {m.clinician: m.is_primary for m in profile.care_team.all()} == {cast.dave: True}
    assert response.json()["care_team"] == [{"id": str(cast.dave.pk), "full_name": "Dr Dave Diaz", "is_primary": True}]


@pytest.mark.parametrize(
    ("field", "who"),
    [
        ("care_team", "erin"),  # a clinician of another clinic
        ("care_team", "frank"),  # a clinic admin is not a clinician
        ("care_team", "bob"),  # a patient
        ("primary_clinician", "erin"),
        ("primary_clinician", "frank"),
        ("care_team", "nobody"),  # no such person
    ],
)
def test_care_team_must_be_clinicians_of_the_same_clinic(cast, enrol, field, who):
    person = str(uuid.uuid4()) if who == "nobody" else str(getattr(cast, who).pk)
    value: object = [person] if field == "care_team" else person
    enroller = cast.carol if field == "care_team" else cast.frank
    before = row_counts()

    response = enrol(enroller, nina(**{field: value}))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [field]
    assert row_counts() == before


def test_a_deactivated_clinician_cannot_join_a_care_team(cast, enrol):
    cast.dave.is_active = False
    cast.dave.save()
    before = row_counts()

    response = enrol(cast.carol, nina(care_team=[str(cast.dave.pk)]))

    assert response.status_code == 400
    assert "care_team" in response.json()["errors"]
    assert row_counts() == before


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "nina-at-example"}, "email", "valid email"),
        ({"email": ""}, "email", "blank"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Unknown time zone"),
        ({"time_zone": "america/chicago"}, "time_zone", "Unknown time zone"),
        ({"date_of_birth": "2026-03-11"}, "date_of_birth", "future"),
        ({"date_of_birth": "2008-03-11"}, "date_of_birth", "at least 18"),
        ({"date_of_birth": "10/03/1950"}, "date_of_birth", "format"),
        ({"language": "tlh"}, "language", "not a valid choice"),
        ({"has_diabetes": "sometimes"}, "has_diabetes", "valid boolean"),
        ({"phone": "call me maybe"}, "phone", "digits"),
        ({"care_team": ["not-a-uuid"]}, "care_team.0", "valid UUID"),
        ({"care_team": "dave"}, "care_team", "list"),
        ({"full_name": ""}, "full_name", "blank"),
        ({"full_name": "N" * 151}, "full_name", "150"),
    ],
)
def test_bad_enrolment_input_is_refused_per_field_and_stores_nothing(cast, enrol, overrides, field, message):
    before = row_counts()

    response = enrol(cast.carol, nina(**overrides))

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert field in body["errors"], body
    assert message.lower() in " ".join(body["errors"][field]).lower()
    assert row_counts() == before


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("email", ["ALICE@Patients.Example", "carol@riverside.example"])
def test_an_email_already_registered_is_a_conflict_naming_the_field(cast, enrol, email):
    before = row_counts()

    response = enrol(cast.carol, nina(email=email))

    assert response.status_code == 409
    body = response.json()
    assert (body["status"], body["code"]) == (409, "conflict")
    assert body["errors"] == {"email": ["Someone with this email address is already registered."]}
    assert row_counts() == before


@time_machine.travel(TODAY, tick=False)
def test_patient_who_turned_18_today_can_be_enrolled(cast, enrol):
    response = enrol(cast.carol, nina(date_of_birth="2008-03-10"))

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("missing", ["full_name", "email", "date_of_birth", "time_zone"])
def test_required_enrolment_fields_are_named_when_missing(cast, enrol, missing):
    payload = nina()
    del payload[missing]
    before = row_counts()

    response = enrol(cast.carol, payload)

    assert response.status_code == 400
    assert missing in response.json()["errors"]
    assert row_counts() == before


def test_patient_cannot_enrol_anyone(cast, enrol):
    before = row_counts()

    response = enrol(cast.alice, nina())

    assert response.status_code == 403
    assert row_counts() == before


def test_anonymous_caller_cannot_enrol(cast, api):
    before = row_counts()

    response = api.post(ENROL, nina(), format="json")

    assert response.status_code == 401
    assert row_counts() == before


def test_clients_cannot_choose_ids_roles_clinics_or_timestamps(cast, enrol):
    chosen_id = uuid.uuid4()
    response = enrol(
        cast.carol,
        nina(
            id=str(chosen_id),
            user=str(chosen_id),
            role=Role.CLINIC_ADMIN,
            clinic=str(cast.hillside.pk),
            is_active=True,
            is_staff=True,
            is_superuser=True,
            password="chosen-by-the-client-123",
            enrolled_at="2001-01-01T00:00:00Z",
            enrolled_by=str(cast.frank.pk),
        ),
    )

    # Refused, each field named, and nobody enrolled
    assert response.status_code == 400
    errors = response.json()["errors"]
    for field in ("id", "user", "role", "clinic", "is_active", "is_staff", "is_superuser", "password", "enrolled_at"):
        assert field in errors, errors
    assert not User.objects.filter(email="nina@patients.example").exists()


def test_staff_cannot_move_a_patient_to_another_clinic_or_role(cast, client_for):
    response = client_for(cast.carol).patch(
        f"/api/v1/patients/{cast.alice.pk}",
        {"role": Role.CLINICIAN, "clinic": str(cast.hillside.pk), "email": "new@example.org", "id": str(uuid.uuid4())},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"role", "clinic", "email", "id"}
    cast.alice.refresh_from_db()
    assert cast.alice.role == Role.PATIENT
    assert cast.alice.clinic == cast.riverside
    assert cast.alice.email == "alice@patients.example"
