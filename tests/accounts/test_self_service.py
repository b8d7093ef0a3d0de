"""A person's own account: reading and updating it, a patient's data export, and closing the account."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.models import CareTeamMember, PatientProfile, User
from tests.accounts.support import app_client, app_login
from tests.factories import PASSWORD

ME = "/api/v1/me"
EXPORT = "/api/v1/me/export"
DEACTIVATE = "/api/v1/me/deactivate"
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_patient_reads_their_own_profile(cast, client_for):
    response = client_for(cast.alice).get(ME)

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "alice@patients.example"
    assert body["role"] == "patient"
    assert body["clinic"]["name"] == "Riverside Spine Clinic"
    assert body["clinic"]["phone"] == "+1 555 010 2030"
    assert body["patient"]["id"] == str(cast.alice.pk)
    assert body["patient"]["time_zone"] == "America/New_York"
    assert body["patient"]["care_team"] == [
        {"id": str(cast.carol.pk), "full_name": "Dr Carol Chen", "is_primary": True}
    ]


def test_staff_read_their_own_account_without_a_patient_section(cast, client_for):
    body = client_for(cast.carol).get(ME).json()

    assert body["role"] == "clinician"
    assert body["patient"] is None


def test_patient_changes_their_phone_and_time_zone(cast, client_for):
    response = client_for(cast.alice).patch(
        ME, {"phone": "+1 212 555 0199", "time_zone": "America/Los_Angeles"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["patient"]["time_zone"] == "America/Los_Angeles"
    profile = PatientProfile.objects.get(user=cast.alice)
    assert profile.phone == "+1 212 555 0199"
    assert profile.time_zone == "America/Los_Angeles"


def test_patient_updates_their_emergency_contact(cast, client_for):
    response = client_for(cast.alice).patch(
        ME,
        {"emergency_contact_name": "Adam Adams", "emergency_contact_phone": "+1 555 010 4444"},
        format="json",
    )

    assert response.status_code == 200
    profile = PatientProfile.objects.get(user=cast.alice)
    assert (profile.emergency_contact_name, profile.emergency_contact_phone) == ("Adam Adams", "+1 555 010 4444")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"time_zone": "Atlantis/Capital"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"phone": "ring ring"}, "phone"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_self_update_is_refused_and_changes_nothing(cast, client_for, payload, field):
    before = PatientProfile.objects.values().get(user=cast.alice)

    response = client_for(cast.alice).patch(ME, {"phone": "+1 555 010 1111", **payload}, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert PatientProfile.objects.values().get(user=cast.alice) == before


@pytest.mark.parametrize("url", [ME, "/api/v1/patients/{alice}"])
def test_patient_cannot_change_their_date_of_birth_or_risk_factors(cast, client_for, url):
    before = PatientProfile.objects.values().get(user=cast.alice)

    response = client_for(cast.alice).patch(
        url.format(alice=cast.alice.pk),
        {
            "date_of_birth": "1990-01-01",
            "has_diabetes": True,
            "has_heart_disease": True,
            "had_previous_spinal_surgery": True,
            "enrolled_at": "2001-01-01T00:00:00Z",
        },
        format="json",
    )

    # Refused, each field named, and never applied
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"date_of_birth", "has_diabetes", "has_heart_disease", "enrolled_at"}
    assert PatientProfile.objects.values().get(user=cast.alice) == before


def test_patient_cannot_change_their_role_clinic_or_email_via_me(cast, client_for):
    response = client_for(cast.alice).patch(
        ME, {"role": "clinic_admin", "clinic": str(cast.hillside.pk), "email": "x@example.org"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"role", "clinic", "email"}
    cast.alice.refresh_from_db()
    assert (cast.alice.role, cast.alice.clinic, cast.alice.email) == (
        "patient",
        cast.riverside,
        "alice@patients.example",
    )


def test_staff_change_their_name_but_have_no_patient_fields(cast, client_for):
    client = client_for(cast.carol)

    assert client.patch(ME, {"full_name": "Dr Carol Chen-Li"}, format="json").status_code == 200
    response = client.patch(ME, {"phone": "+1 555 010 3333"}, format="json")

    assert response.status_code == 400
    assert "phone" in response.json()["errors"]
    cast.carol.refresh_from_db()
    assert cast.carol.full_name == "Dr Carol Chen-Li"


# --- Export -------------------------------------------------------------------------------------------------------


def test_freshly_signed_in_patient_downloads_their_data(cast, frozen):
    client = app_client("alice@patients.example")

    response = client.get(EXPORT)

    assert response.status_code == 200, response.json()
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    document = response.json()
    assert document["account"]["email"] == "alice@patients.example"
    assert document["account"]["clinic"] == "Riverside Spine Clinic"
    assert document["profile"]["date_of_birth"] == "1952-05-17"
    assert document["profile"]["time_zone"] == "America/New_York"
    assert document["care_team"] == [{"name": "Dr Carol Chen", "primary": True}]
    # Nothing about anyone else
    assert "bob@patients.example" not in response.content.decode()


def test_export_needs_a_recent_sign_in(cast, frozen):
    client = app_client("alice@patients.example")

    # Still signed in (patients stay signed in for weeks), but the sign-in is older than the reauthentication window
    frozen.shift(dt.timedelta(minutes=6))
    response = client.get(EXPORT)

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    assert client.get(ME).status_code == 200

    # Confirming the password opens it again
    confirm = client.post("/_allauth/app/v1/auth/reauthenticate", {"password": PASSWORD}, format="json")
    assert confirm.status_code == 200, confirm.content
    assert client.get(EXPORT).status_code == 200


def test_export_is_refused_just_after_the_reauthentication_timeout(cast, frozen, settings):
    client = app_client("alice@patients.example")

    frozen.shift(dt.timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 1))
    assert client.get(EXPORT).status_code == 200
    frozen.shift(dt.timedelta(seconds=2))
    assert client.get(EXPORT).status_code == 403


def test_export_without_any_password_sign_in_needs_reauthentication(cast, client_for):
    # A session that never proved the password (here: made directly) cannot export
    response = client_for(cast.alice).get(EXPORT)

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"


@pytest.mark.parametrize("email", ["carol@riverside.example", "frank@riverside.example"])
def test_staff_cannot_use_the_patient_export(cast, email):
    response = app_client(email).get(EXPORT)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_anonymous_caller_cannot_export(cast, api):
    assert api.get(EXPORT).status_code == 401


# --- Deactivation -------------------------------------------------------------------------------------------------


def test_patient_deactivates_their_account_and_the_clinic_keeps_the_records(cast, frozen, client_for, api):
    client = app_client("alice@patients.example")

    response = client.post(DEACTIVATE)

    assert response.status_code == 204
    alice = User.objects.get(pk=cast.alice.pk)
    assert not alice.is_active
    assert alice.deactivated_at == START
    # Sign-in is disabled, here and everywhere
    assert client.get(ME).status_code == 401
    assert app_login(api, "alice@patients.example").status_code == 401
    # The records stay, and her care team still sees her
    assert PatientProfile.objects.filter(user=alice).exists()
    assert CareTeamMember.objects.filter(patient_id=alice.pk, clinician=cast.carol).exists()
    detail = client_for(cast.carol).get(f"/api/v1/patients/{alice.pk}")
    assert detail.status_code == 200
    assert detail.json()["is_active"] is False


def test_deactivation_needs_a_recent_sign_in(cast, frozen):
    client = app_client("alice@patients.example")
    frozen.shift(dt.timedelta(minutes=6))

    response = client.post(DEACTIVATE)

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    assert User.objects.get(pk=cast.alice.pk).is_active


def test_staff_cannot_deactivate_themselves_through_the_patient_endpoint(cast):
    response = app_client("carol@riverside.example").post(DEACTIVATE)

    assert response.status_code == 403
    assert User.objects.get(pk=cast.carol.pk).is_active
