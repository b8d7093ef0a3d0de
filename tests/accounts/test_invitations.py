"""Invitations: single use, expiring, stored hashed; accepting one sets the password and activates the account."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.db import models
from django.utils import timezone

from accounts.models import Invitation, Role, User
from tests.accounts.support import (
    ACCEPT,
    STRONG_PASSWORD,
    app_client,
    app_login,
    invitation_links,
    last_invitation_token,
    row_counts,
)

pytestmark = pytest.mark.clock_sensitive

NINA = "nina@patients.example"
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def nina_invited(cast, client_for, committing) -> Invitation:
    """Dr Carol has enrolled Nina; the invitation mail is in the outbox."""
    response = committing(
        lambda: client_for(cast.carol).post(
            "/api/v1/patients",
            {
                "full_name": "Nina Novak",
                "email": NINA,
                "date_of_birth": "1950-04-02",
                "time_zone": "America/Chicago",
            },
            format="json",
        )
    )
    assert response.status_code == 201, response.json()
    return Invitation.objects.get(user__email=NINA)


def accept(api, token: str, password: str = STRONG_PASSWORD):
    return api.post(ACCEPT, {"token": token, "password": password}, format="json")


def test_accepting_sets_the_password_and_activates_the_account(nina_invited, api):
    token = last_invitation_token(NINA)

    response = accept(api, token)

    assert response.status_code == 200, response.json()
    assert response.json()["email"] == NINA
    nina = User.objects.get(email=NINA)
    assert nina.is_active
    assert nina.check_password(STRONG_PASSWORD)
    nina_invited.refresh_from_db()
    assert nina_invited.status == "accepted"
    # and Nina can now sign in with it
    assert app_login(api, NINA, STRONG_PASSWORD).status_code == 200


def test_invitation_token_is_stored_only_as_a_hash(nina_invited):
    token = last_invitation_token(NINA)

    assert nina_invited.token_hash == Invitation.hash_token(token)
    # The raw token appears nowhere in the database, in any text column of any table
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                lookup = {f"{field.attname}__contains": token}
                if isinstance(field, models.JSONField):
                    lookup = {f"{field.attname}__icontains": token}
                assert not model._base_manager.filter(**lookup).exists(), f"{model._meta.label}.{field.name}"


def test_invitation_works_only_once(nina_invited, api):
    token = last_invitation_token(NINA)
    assert accept(api, token).status_code == 200

    # When someone uses the link again, with another password
    response = accept(api, token, "someone-else-entirely-42")

    # Then it is refused, saying the link was used, and the password Nina chose stands
    assert response.status_code == 400
    assert response.json()["errors"]["token"] == [
        "This invitation link was already used. Sign in with your email and password."
    ]
    assert User.objects.get(email=NINA).check_password(STRONG_PASSWORD)


def test_invitation_expires_after_seven_days(cast, client_for, committing, api):
    with time_machine.travel(START, tick=False):
        response = committing(
            lambda: client_for(cast.carol).post(
                "/api/v1/patients",
                {"full_name": "Nina Novak", "email": NINA, "date_of_birth": "1950-04-02", "time_zone": "UTC"},
                format="json",
            )
        )
        assert response.status_code == 201
    token = last_invitation_token(NINA)

    with time_machine.travel(START + dt.timedelta(days=7, seconds=1), tick=False):
        response = accept(api, token)

    assert response.status_code == 400
    assert response.json()["errors"]["token"] == [
        "This invitation link has expired. Ask your clinic to send a new one."
    ]
    nina = User.objects.get(email=NINA)
    assert not nina.is_active
    assert not nina.has_usable_password()


def test_invitation_still_works_just_before_seven_days(cast, client_for, committing, api):
    with time_machine.travel(START, tick=False):
        committing(
            lambda: client_for(cast.carol).post(
                "/api/v1/patients",
                {"full_name": "Nina Novak", "email": NINA, "date_of_birth": "1950-04-02", "time_zone": "UTC"},
                format="json",
            )
        )
    token = last_invitation_token(NINA)

    with time_machine.travel(START + dt.timedelta(days=6, hours=23, minutes=59), tick=False):
        response = accept(api, token)

    assert response.status_code == 200, response.json()


def test_revoked_invitation_cannot_be_accepted(cast, nina_invited, client_for, api):
    response = client_for(cast.carol).post(f"/api/v1/invitations/{nina_invited.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"

    response = accept(api, last_invitation_token(NINA))

    assert response.status_code == 400
    assert response.json()["errors"]["token"] == [
        "This invitation link was withdrawn by your clinic. Ask them for a new one."
    ]
    assert not User.objects.get(email=NINA).is_active


def test_resend_rotates_the_token(cast, nina_invited, client_for, committing, api):
    old_token = last_invitation_token(NINA)

    response = committing(lambda: client_for(cast.carol).post(f"/api/v1/invitations/{nina_invited.pk}/resend"))

    assert response.status_code == 200
    assert response.json()["send_count"] == 2
    tokens = invitation_links(NINA)
    assert len(tokens) == 2
    new_token = tokens[-1]
    assert new_token != old_token
    # The old link stops working...
    response = accept(api, old_token)
    assert response.status_code == 400
    assert "not valid" in response.json()["errors"]["token"][0]
    # ...and the new one works
    assert accept(api, new_token).status_code == 200
    nina_invited.refresh_from_db()
    assert nina_invited.send_count == 2
    assert nina_invited.status == "accepted"


def test_resend_gives_a_fresh_seven_days(cast, client_for, committing, api):
    with time_machine.travel(START, tick=False):
        committing(
            lambda: client_for(cast.carol).post(
                "/api/v1/patients",
                {"full_name": "Nina Novak", "email": NINA, "date_of_birth": "1950-04-02", "time_zone": "UTC"},
                format="json",
            )
        )
    invitation = Invitation.objects.get(user__email=NINA)

    with time_machine.travel(START + dt.timedelta(days=8), tick=False):
        # The first link has expired; the clinic sends a new one
        assert accept(api, last_invitation_token(NINA)).status_code == 400
        response = committing(lambda: client_for(cast.carol).post(f"/api/v1/invitations/{invitation.pk}/resend"))
        assert response.status_code == 200
        assert response.json()["status"] == "pending"

    with time_machine.travel(START + dt.timedelta(days=14), tick=False):
        assert accept(api, last_invitation_token(NINA)).status_code == 200


def test_resending_a_revoked_invitation_sends_a_new_working_link(cast, nina_invited, client_for, committing, api):
    carol = client_for(cast.carol)
    assert carol.post(f"/api/v1/invitations/{nina_invited.pk}/revoke").status_code == 200
    revoked_token = last_invitation_token(NINA)

    response = committing(lambda: carol.post(f"/api/v1/invitations/{nina_invited.pk}/resend"))

    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    assert accept(api, revoked_token).status_code == 400
    assert accept(api, last_invitation_token(NINA)).status_code == 200


def test_resending_a_revoked_invitation_twice_sends_the_newer_one_again(
    cast, nina_invited, client_for, committing, api
):
    # Resend, revoke, resend, resend of one invitation: never a second open invitation, never a 500
    carol = client_for(cast.carol)
    url = f"/api/v1/invitations/{nina_invited.pk}"
    assert committing(lambda: carol.post(f"{url}/resend")).status_code == 200
    assert carol.post(f"{url}/revoke").status_code == 200

    first = committing(lambda: carol.post(f"{url}/resend"))
    second = committing(lambda: carol.post(f"{url}/resend"))

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["id"] == second.json()["id"] != str(nina_invited.pk)
    assert second.json()["status"] == "pending"
    assert accept(api, last_invitation_token(NINA)).status_code == 200


def test_accepted_invitation_cannot_be_resent(cast, nina_invited, client_for, committing, api):
    assert accept(api, last_invitation_token(NINA)).status_code == 200

    response = committing(lambda: client_for(cast.carol).post(f"/api/v1/invitations/{nina_invited.pk}/resend"))

    assert response.status_code == 400
    assert "already accepted" in response.json()["detail"]
    assert len(invitation_links(NINA)) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password1234", "too common"),
        ("48151623429876", "entirely numeric"),
        ("nina@patients.example", "too similar"),
    ],
)
def test_password_failing_the_validators_is_refused_and_changes_nothing(nina_invited, api, password, message):
    before = row_counts()

    response = accept(api, last_invitation_token(NINA), password)

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["password"]
    assert message in " ".join(body["errors"]["password"])
    nina = User.objects.get(email=NINA)
    assert not nina.is_active
    assert not nina.has_usable_password()
    nina_invited.refresh_from_db()
    assert nina_invited.status == "pending"
    assert row_counts() == before
    # The link still works with a good password
    assert accept(api, last_invitation_token(NINA)).status_code == 200


def test_unknown_token_is_refused(nina_invited, api):
    response = accept(api, "not-a-token-we-ever-sent")

    assert response.status_code == 400
    assert "token" in response.json()["errors"]


def test_accepting_without_token_or_password_names_the_missing_fields(api, db):
    response = api.post(ACCEPT, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"token", "password"}


def test_clinicians_see_and_manage_only_their_patients_invitations(cast, nina_invited, client_for, committing):
    # Nina is on Carol's care team. Carol and the clinic admin see her invitation...
    for who in (cast.carol, cast.frank):
        listed = client_for(who).get("/api/v1/invitations").json()["results"]
        assert [i["id"] for i in listed] == [str(nina_invited.pk)]
    # ...Dave (same clinic, not on Nina's team) and the other clinic's staff do not, and cannot act on it
    for who in (cast.dave, cast.erin, cast.grace):
        client = client_for(who)
        assert client.get("/api/v1/invitations").json()["results"] == []
        for action in ("resend", "revoke"):
            response = committing(lambda c=client, a=action: c.post(f"/api/v1/invitations/{nina_invited.pk}/{a}"))
            assert response.status_code == 404, (who, action)
            assert response.json()["code"] == "not_found"
    nina_invited.refresh_from_db()
    assert nina_invited.status == "pending"
    assert nina_invited.send_count == 1
    assert len(mail.outbox) == 1


def test_patients_cannot_see_or_touch_invitations(cast, nina_invited, client_for):
    alice = client_for(cast.alice)

    assert alice.get("/api/v1/invitations").status_code == 403
    assert alice.post(f"/api/v1/invitations/{nina_invited.pk}/revoke").status_code == 404
    assert alice.post(f"/api/v1/invitations/{nina_invited.pk}/resend").status_code == 404
    nina_invited.refresh_from_db()
    assert nina_invited.status == "pending"
    assert nina_invited.send_count == 1


def test_clinic_admin_invites_a_clinician_who_then_signs_in(cast, client_for, committing, api):
    response = committing(
        lambda: client_for(cast.frank).post(
            "/api/v1/staff",
            {"full_name": "Dr Olga Ortiz", "email": "olga@riverside.example", "role": "clinician"},
            format="json",
        )
    )

    assert response.status_code == 201, response.json()
    olga = User.objects.get(email="olga@riverside.example")
    assert olga.role == Role.CLINICIAN
    assert olga.clinic == cast.riverside
    assert not olga.is_active
    assert [m.to for m in mail.outbox] == [["olga@riverside.example"]]
    # Olga accepts and signs in; she is on her clinic's staff list
    assert accept(api, last_invitation_token("olga@riverside.example")).status_code == 200
    olga_client = app_client("olga@riverside.example", STRONG_PASSWORD)
    assert olga_client.get("/api/v1/me").json()["role"] == "clinician"
    staff = {s["email"] for s in client_for(cast.frank).get("/api/v1/staff").json()["results"]}
    assert "olga@riverside.example" in staff


def test_clinician_cannot_invite_staff(cast, client_for, committing):
    before = row_counts()

    response = committing(
        lambda: client_for(cast.carol).post(
            "/api/v1/staff",
            {"full_name": "Dr Olga Ortiz", "email": "olga@riverside.example", "role": "clinician"},
            format="json",
        )
    )

    assert response.status_code == 403
    assert row_counts() == before


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"role": "patient"}, "role", 400),
        ({"role": "superuser"}, "role", 400),
        ({"email": "CAROL@riverside.example"}, "email", 409),  # already registered: a conflict, not a typo
        ({"email": "olga"}, "email", 400),
    ],
)
def test_staff_invitation_bad_input_is_refused(cast, client_for, committing, payload, field, status):
    before = row_counts()

    response = committing(
        lambda: client_for(cast.frank).post(
            "/api/v1/staff",
            {"full_name": "Dr Olga Ortiz", "email": "olga@riverside.example", "role": "clinician", **payload},
            format="json",
        )
    )

    assert response.status_code == status
    assert field in response.json()["errors"]
    assert row_counts() == before


def test_invitation_accept_is_throttled_per_address(nina_invited, api):
    token = last_invitation_token(NINA)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # Someone guessing tokens gets ten tries a minute...
        for guess in range(10):
            assert accept(api, f"guess-{guess}").status_code == 400
        response = accept(api, f"guess-{10}")
        assert response.status_code == 429
        assert response.json()["code"] == "throttled"
        # ...and while throttled, even the right token waits
        assert accept(api, token).status_code == 429
        assert not User.objects.get(email=NINA).is_active

        traveller.shift(dt.timedelta(seconds=61))
        assert accept(api, token).status_code == 200
