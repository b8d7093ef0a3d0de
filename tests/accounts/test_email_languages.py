"""Account emails in the language of the person they are for.

- A patient's invitation: the language the clinic chose at enrolment (`language`, English when not given).
- A caregiver's invitation: the language given with the invitation, otherwise the inviting patient's.
- A staff invitation: the language the clinic admin chose (English when not given).
- allauth's emails (password reset): the account's language, whatever the browser that asked for it reads.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from accounts import services as account_services
from accounts.models import Role, User
from tests.accounts.support import invitation_links, row_counts

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)
NINA = "nina@patients.example"
ANNA = "anna@family.example"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def _enrol(client, **fields):
    body = {"full_name": "Nina Novak", "email": NINA, "date_of_birth": "1950-04-02", "time_zone": "America/Chicago"}
    return client.post("/api/v1/patients", {**body, **fields}, format="json")


def test_a_patient_enrolled_in_spanish_gets_her_invitation_in_spanish_with_a_spanish_expiry(
    cast, client_for, committing
):
    response = committing(lambda: _enrol(client_for(cast.carol), language="es"))

    assert response.status_code == 201, response.json()
    assert User.objects.get(email=NINA).language == "es"
    (message,) = mail.outbox
    assert message.subject == f"{cast.riverside.name}: active su cuenta"
    assert message.body.startswith("Hola, Nina:\n")
    assert f"{cast.riverside.name} le creó una cuenta para su recuperación." in message.body
    assert "Para elegir su contraseña y empezar, abra este enlace:" in message.body
    # Seven days from 10 March, 15:00 UTC, in her own zone (Chicago, CDT from 8 March): 10:00 on 17 March.
    assert "hasta el 17 de marzo de 2026, a las 10:00 (CDT)" in message.body
    (html, _), *_ = message.alternatives
    assert '<html lang="es">' in html and "Elija su contraseña" in html
    assert "Hello" not in message.body and "Choose your password" not in html
    assert len(invitation_links(NINA)) == 1


def test_without_a_language_the_invitation_is_in_english_with_an_english_expiry(cast, client_for, committing):
    response = committing(lambda: _enrol(client_for(cast.carol)))

    assert response.status_code == 201, response.json()
    assert User.objects.get(email=NINA).language == "en"
    (message,) = mail.outbox
    assert message.subject == f"{cast.riverside.name}: set up your account"
    assert message.body.startswith("Hello Nina,\n")
    assert "until March 17, 2026, 10 a.m. (CDT)" in message.body


def test_an_enrolment_in_a_language_that_is_not_offered_is_refused_and_nothing_is_stored(cast, client_for, committing):
    before = row_counts()

    response = committing(lambda: _enrol(client_for(cast.carol), language="fr"))

    assert response.status_code == 400
    assert '"fr" is not a valid choice.' in " ".join(response.json()["errors"]["language"])
    assert row_counts() == before


def test_the_service_refuses_a_language_that_is_not_offered(cast):
    with pytest.raises(ValidationError, match="not a language this service is offered in"):
        account_services.staff_invite(by=cast.frank, full_name="Olga Ortiz", email="olga@x.example", role="clinician",
                                      language="xx")  # fmt: skip
    assert not User.objects.filter(email="olga@x.example").exists()


def test_a_caregiver_invited_by_a_spanish_speaking_patient_is_invited_in_spanish(cast, client_for, committing):
    account_services.user_update(user=cast.alice, language="es")
    body = {"full_name": "Anna Ellis", "email": ANNA, "relationship": "hija", "grants": ["view"]}

    response = committing(lambda: client_for(cast.alice).post("/api/v1/me/caregivers", body, format="json"))

    assert response.status_code == 201, response.json()
    anna = User.objects.get(email=ANNA)
    assert (anna.role, anna.language) == (Role.CAREGIVER, "es")
    (message,) = mail.outbox
    assert message.subject == f"{cast.riverside.name}: active su cuenta"
    assert "Alice Adams le pide ayuda con su recuperación" in message.body


def test_a_caregiver_invitation_may_name_another_language(cast, client_for, committing):
    account_services.user_update(user=cast.alice, language="es")
    body = {"full_name": "Anna Ellis", "email": ANNA, "relationship": "daughter", "grants": ["view"], "language": "en"}

    response = committing(lambda: client_for(cast.alice).post("/api/v1/me/caregivers", body, format="json"))

    assert response.status_code == 201, response.json()
    assert User.objects.get(email=ANNA).language == "en"
    (message,) = mail.outbox
    assert "Alice Adams would like you to help" in message.body


def test_a_caregiver_invitation_in_a_language_not_offered_is_refused(cast, client_for, committing):
    body = {"full_name": "Anna Ellis", "email": ANNA, "relationship": "daughter", "grants": ["view"], "language": "de"}
    before = row_counts()

    response = committing(lambda: client_for(cast.alice).post("/api/v1/me/caregivers", body, format="json"))

    assert response.status_code == 400
    assert '"de" is not a valid choice.' in " ".join(response.json()["errors"]["language"])
    assert row_counts() == before


def test_a_staff_invitation_in_spanish(cast, client_for, committing):
    body = {"full_name": "Olga Ortiz", "email": "olga@riverside.example", "role": "clinician", "language": "es"}

    response = committing(lambda: client_for(cast.frank).post("/api/v1/staff", body, format="json"))

    assert response.status_code == 201, response.json()
    (message,) = mail.outbox
    assert f"Le invitamos a unirse a {cast.riverside.name} en MILD Recovery." in message.body


def test_a_password_reset_email_is_in_the_accounts_language_not_the_browsers(cast, api):
    account_services.user_update(user=cast.alice, language="es")

    response = api.post(
        "/_allauth/browser/v1/auth/password/request", {"email": "alice@patients.example"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.subject == "Correo electrónico para restablecer contraseña"
    assert "https://app.test/app/reset-password#key=" in message.body


def test_an_english_accounts_password_reset_email_stays_english_from_a_spanish_browser(cast, api):
    response = api.post(
        "/_allauth/browser/v1/auth/password/request", {"email": "alice@patients.example"}, HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.subject == "Password Reset Email"
