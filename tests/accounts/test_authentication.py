"""Signing in for real through allauth headless: app tokens, browser cookies with CSRF, rate limits, idle expiry,
password reset and two-factor authentication for clinicians."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import account_deactivate
from tests.accounts.support import (
    ACCEPT,
    BROWSER_LOGIN,
    STRONG_PASSWORD,
    app_client,
    app_login,
    last_invitation_token,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.clock_sensitive

ME = "/api/v1/me"
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def browser_client(email: str, password: str = PASSWORD) -> APIClient:
    """Sign in like the PWA: fetch a CSRF cookie, post the credentials with it, keep the session cookie."""
    client = APIClient(enforce_csrf_checks=True)
    client.get("/_allauth/browser/v1/auth/session")
    response = client.post(
        BROWSER_LOGIN,
        {"email": email, "password": password},
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 200, response.content
    return client


# --- Signing in ---------------------------------------------------------------------------------------------------


def test_app_client_signs_in_and_uses_the_session_token(cast):
    client = APIClient()

    response = app_login(client, "carol@riverside.example")

    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    assert client.get(ME).status_code == 401
    me = client.get(ME, HTTP_X_SESSION_TOKEN=token)
    assert me.status_code == 200
    assert me.json()["email"] == "carol@riverside.example"
    assert me.json()["role"] == "clinician"


def test_a_made_up_session_token_is_not_accepted(cast, api):
    response = api.get(ME, HTTP_X_SESSION_TOKEN="made-up-token")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_browser_client_signs_in_with_a_session_cookie_and_needs_csrf_for_changes(cast):
    client = browser_client("alice@patients.example")

    # Reading needs only the cookie
    assert client.get(ME).json()["email"] == "alice@patients.example"

    # Changing without the CSRF token is refused, and changes nothing
    response = client.patch(ME, {"phone": "+1 555 010 7777"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    cast.alice.patient_profile.refresh_from_db()
    assert cast.alice.patient_profile.phone != "+1 555 010 7777"

    # With it, the change goes through
    response = client.patch(
        ME, {"phone": "+1 555 010 7777"}, format="json", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )
    assert response.status_code == 200, response.json()
    cast.alice.patient_profile.refresh_from_db()
    assert cast.alice.patient_profile.phone == "+1 555 010 7777"


def test_browser_sign_in_itself_needs_the_csrf_token(cast):
    client = APIClient(enforce_csrf_checks=True)

    response = client.post(BROWSER_LOGIN, {"email": "alice@patients.example", "password": PASSWORD}, format="json")

    assert response.status_code == 403
    assert client.get(ME).status_code == 401


def test_wrong_password_is_refused(cast, api):
    response = app_login(api, "carol@riverside.example", "not my password at all")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "email_password_mismatch"


def test_invited_person_cannot_sign_in_before_accepting(cast, client_for, django_capture_on_commit_callbacks, api):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.carol).post(
            "/api/v1/patients",
            {
                "full_name": "Nina Novak",
                "email": "nina@patients.example",
                "date_of_birth": "1950-04-02",
                "time_zone": "UTC",
            },
            format="json",
        )
    assert response.status_code == 201
    # Even a password set behind the invitation's back does not let an inactive account in
    nina = User.objects.get(email="nina@patients.example")
    nina.set_password(STRONG_PASSWORD)
    nina.save()

    response = app_login(api, "nina@patients.example", STRONG_PASSWORD)

    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False
    assert "session_token" not in response.json()["meta"]


def test_deactivated_person_cannot_sign_in_and_their_sessions_end(cast, api):
    token_client = app_client("alice@patients.example")
    cookie_client = browser_client("alice@patients.example")

    account_deactivate(user=cast.alice)

    assert app_login(api, "alice@patients.example").status_code == 401
    assert token_client.get(ME).status_code == 401
    assert cookie_client.get(ME).status_code == 401


def test_new_passwords_are_hashed_with_argon2(cast, client_for, django_capture_on_commit_callbacks, api):
    assert django_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.carol).post(
            "/api/v1/patients",
            {
                "full_name": "Nina Novak",
                "email": "nina@patients.example",
                "date_of_birth": "1950-04-02",
                "time_zone": "UTC",
            },
            format="json",
        )

    api.post(ACCEPT, {"token": last_invitation_token("nina@patients.example"), "password": STRONG_PASSWORD})

    assert User.objects.get(email="nina@patients.example").password.startswith("argon2$")


# --- Rate limiting ------------------------------------------------------------------------------------------------


# Fails under the clock guard's outer travel (the right password is let in at once); not yet understood: kept to the
# real clock until it is (see issue 19's report).
@pytest.mark.clock_sensitive(guard=False)
def test_twenty_wrong_passwords_lock_the_account_until_the_window_passes(cast, api):
    with time_machine.travel(START, tick=False) as traveller:
        statuses = []
        for attempt in range(20):
            response = app_login(api, "alice@patients.example", f"guess number {attempt}")
            statuses.append(response.status_code)
            traveller.shift(dt.timedelta(seconds=3))

        # Each attempt is refused; the first few as a wrong password, then as too many attempts
        assert all(400 <= s < 500 for s in statuses)
        assert statuses[0] == 400
        assert 429 in statuses
        assert statuses[statuses.index(429) :] == [429] * (20 - statuses.index(429))
        # Now even the right password is refused, and no session is handed out
        response = app_login(api, "alice@patients.example")
        assert response.status_code == 429
        assert "session_token" not in response.content.decode()
        # Other people are not locked out by Alice's lockout
        api_other = APIClient(REMOTE_ADDR="10.0.0.2")
        assert app_login(api_other, "bob@patients.example").status_code == 200

        # Still locked ten minutes later
        traveller.shift(dt.timedelta(minutes=10))
        assert app_login(api, "alice@patients.example").status_code == 429

        # Once the window has passed, the right password works again
        traveller.shift(dt.timedelta(minutes=15))
        assert app_login(api, "alice@patients.example").status_code == 200


def test_failed_attempts_change_nothing_about_the_account(cast, api):
    before = User.objects.values().get(pk=cast.alice.pk)
    with time_machine.travel(START, tick=False):
        for attempt in range(8):
            app_login(api, "alice@patients.example", f"guess number {attempt}")

    after = User.objects.values().get(pk=cast.alice.pk)
    assert after == before


# --- Idle sessions ------------------------------------------------------------------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("sign_in", [app_client, browser_client], ids=["token", "cookie"])
def test_clinician_session_ends_after_30_idle_minutes(cast, frozen, sign_in):
    client = sign_in("carol@riverside.example")
    assert client.get(ME).status_code == 200

    frozen.shift(dt.timedelta(minutes=29))
    assert client.get(ME).status_code == 200

    frozen.shift(dt.timedelta(minutes=30, seconds=1))
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    # and it does not come back
    assert client.get(ME).status_code == 401


def test_idle_app_token_is_spent_for_allauth_too(cast, frozen):
    # The app asks allauth whether it is still signed in: after 30 idle minutes, it is not
    client = app_client("carol@riverside.example")
    assert client.get("/_allauth/app/v1/auth/session").status_code == 200

    frozen.shift(dt.timedelta(minutes=31))

    assert client.get("/_allauth/app/v1/auth/session").status_code == 410
    assert client.get(ME).status_code == 401


def test_idle_app_token_is_spent_when_the_session_cache_already_let_it_go(cast, frozen):
    client = app_client("carol@riverside.example")

    frozen.shift(dt.timedelta(minutes=31))
    # What Redis does on its own once the session's TTL runs out: only the database row is left
    cache.clear()

    assert client.get("/_allauth/app/v1/auth/session").status_code == 410
    assert client.get(ME).status_code == 401


def test_idle_browser_session_is_over_for_allauth_too(cast, frozen):
    client = browser_client("carol@riverside.example")

    frozen.shift(dt.timedelta(minutes=31))

    response = client.get("/_allauth/browser/v1/auth/session")
    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False


@pytest.mark.parametrize("sign_in", [app_client, browser_client], ids=["token", "cookie"])
def test_clinician_session_stays_open_while_in_use(cast, frozen, sign_in):
    client = sign_in("carol@riverside.example")

    # A morning clinic: a request every ten minutes for three hours
    for _ in range(18):
        frozen.shift(dt.timedelta(minutes=10))
        assert client.get(ME).status_code == 200


@pytest.mark.parametrize("sign_in", [app_client, browser_client], ids=["token", "cookie"])
def test_clinician_gets_the_full_30_idle_minutes_after_each_use(cast, frozen, sign_in):
    client = sign_in("carol@riverside.example")

    # Used two minutes after signing in, then left for 29 minutes (31 since sign-in, 29 since last use)
    frozen.shift(dt.timedelta(minutes=2))
    assert client.get(ME).status_code == 200
    frozen.shift(dt.timedelta(minutes=29))

    assert client.get(ME).status_code == 200


@pytest.mark.parametrize("sign_in", [app_client, browser_client], ids=["token", "cookie"])
def test_unused_clinician_session_ends_after_30_minutes(cast, frozen, sign_in):
    # Signed in, then never used
    client = sign_in("carol@riverside.example")

    frozen.shift(dt.timedelta(minutes=31))

    assert client.get(ME).status_code == 401


@pytest.mark.parametrize("sign_in", [app_client, browser_client], ids=["token", "cookie"])
def test_clinic_admin_session_also_ends_after_30_idle_minutes(cast, frozen, sign_in):
    client = sign_in("frank@riverside.example")

    frozen.shift(dt.timedelta(minutes=31))

    assert client.get(ME).status_code == 401


@pytest.mark.parametrize("sign_in", [app_client, browser_client], ids=["token", "cookie"])
def test_patient_session_lasts_through_days_of_not_using_the_app(cast, frozen, sign_in):
    client = sign_in("alice@patients.example")

    frozen.shift(dt.timedelta(days=2))
    assert client.get(ME).status_code == 200

    # A use restarts the 30 days (the deadline moves when a minute has passed since it last moved)
    frozen.shift(dt.timedelta(days=3))
    assert client.get(ME).status_code == 200
    frozen.shift(dt.timedelta(days=29))
    assert client.get(ME).status_code == 200

    frozen.shift(dt.timedelta(days=30, minutes=1))
    assert client.get(ME).status_code == 401


def test_idle_timeouts_are_configurable(cast, frozen, settings):
    settings.SESSION_IDLE_TIMEOUT_STAFF = 2 * 60 * 60
    client = app_client("carol@riverside.example")

    frozen.shift(dt.timedelta(minutes=90))
    assert client.get(ME).status_code == 200

    frozen.shift(dt.timedelta(hours=2, minutes=1))
    assert client.get(ME).status_code == 401


# --- Password reset -----------------------------------------------------------------------------------------------


def test_password_reset_by_email(cast, api):
    response = api.post("/_allauth/browser/v1/auth/password/request", {"email": "alice@patients.example"})

    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@patients.example"]
    keys = re.findall(r"https://app\.test/app/reset-password#key=(\S+)", str(mail.outbox[0].body))
    assert len(keys) == 1
    # The key is in the fragment, which browsers never send: no server or access log sees it
    assert not re.findall(r"reset-password/", str(mail.outbox[0].body))

    # Following the link sets a new password, hashed with Argon2
    response = api.post(
        "/_allauth/browser/v1/auth/password/reset", {"key": keys[0], "password": "a-brand-new-passphrase"}
    )
    assert response.status_code == 401, response.content
    cast.alice.refresh_from_db()
    assert cast.alice.password.startswith("argon2$")
    assert app_login(APIClient(), "alice@patients.example", PASSWORD).status_code == 400
    assert app_login(APIClient(), "alice@patients.example", "a-brand-new-passphrase").status_code == 200


def test_password_reset_answers_the_same_for_an_unknown_address(cast, api):
    known = api.post("/_allauth/browser/v1/auth/password/request", {"email": "alice@patients.example"})
    unknown = api.post("/_allauth/browser/v1/auth/password/request", {"email": "nobody@patients.example"})

    # No way to learn from the answer who has an account
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert not re.findall(r"reset-password\S+", "".join(str(m.body) for m in mail.outbox if "nobody" in m.to[0]))


def test_password_reset_refuses_a_weak_password(cast, api):
    api.post("/_allauth/browser/v1/auth/password/request", {"email": "alice@patients.example"})
    key = re.findall(r"https://app\.test/app/reset-password#key=(\S+)", str(mail.outbox[0].body))[0]

    response = api.post("/_allauth/browser/v1/auth/password/reset", {"key": key, "password": "password"})

    assert response.status_code == 400
    assert app_login(APIClient(), "alice@patients.example", PASSWORD).status_code == 200


def test_changing_the_password_needs_the_current_one(cast):
    client = app_client("alice@patients.example")
    change = "/_allauth/app/v1/account/password/change"

    wrong = client.post(change, {"current_password": "not it", "new_password": "a-brand-new-passphrase"})
    assert wrong.status_code == 400
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)

    response = client.post(change, {"current_password": PASSWORD, "new_password": "a-brand-new-passphrase"})
    assert response.status_code == 200, response.content
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("a-brand-new-passphrase")
    assert cast.alice.password.startswith("argon2$")


# --- Two-factor authentication for clinicians ----------------------------------------------------------------------


def totp_code(secret: str) -> str:
    """The authenticator app's code now, taken early enough in its 30-second period that the server checks it in the
    same period (allauth accepts no neighbouring period)."""
    remaining = 30 - time.time() % 30
    if remaining < 3:
        time.sleep(remaining + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_with_staff_mfa_required_a_clinician_without_an_authenticator_is_refused(cast, settings, client_for):
    settings.REQUIRE_STAFF_MFA = True

    for who in (cast.carol, cast.frank):
        response = client_for(who).get(ME)
        assert response.status_code == 403
        assert response.json()["code"] == "mfa_required"
        response = client_for(who).get("/api/v1/patients")
        assert response.json()["code"] == "mfa_required"


def test_with_staff_mfa_required_patients_are_not_asked(cast, settings):
    settings.REQUIRE_STAFF_MFA = True

    assert app_client("alice@patients.example").get(ME).status_code == 200


def test_without_the_setting_clinicians_need_no_authenticator(cast, settings):
    settings.REQUIRE_STAFF_MFA = False

    assert app_client("carol@riverside.example").get(ME).status_code == 200


def test_clinician_with_totp_signs_in_with_a_code_and_passes(cast, settings):
    settings.REQUIRE_STAFF_MFA = True
    secret = generate_totp_secret()
    TOTP.activate(cast.carol, secret)
    client = APIClient()

    # The password alone does not sign Carol in: the app is asked for the second factor
    response = app_login(client, "carol@riverside.example")
    assert response.status_code == 401
    flows = {f["id"]: f for f in response.json()["data"]["flows"]}
    assert flows["mfa_authenticate"].get("is_pending") is True
    pending_token = response.json()["meta"]["session_token"]
    assert client.get(ME, HTTP_X_SESSION_TOKEN=pending_token).status_code == 401

    # A wrong code is refused
    wrong = client.post(
        "/_allauth/app/v1/auth/2fa/authenticate", {"code": "000000"}, format="json", HTTP_X_SESSION_TOKEN=pending_token
    )
    assert wrong.status_code == 400

    # With the code from her authenticator app she is in, and the clinician tools serve her
    response = client.post(
        "/_allauth/app/v1/auth/2fa/authenticate",
        {"code": totp_code(secret)},
        format="json",
        HTTP_X_SESSION_TOKEN=pending_token,
    )
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]
    assert client.get(ME, HTTP_X_SESSION_TOKEN=token).status_code == 200
    assert client.get("/api/v1/patients", HTTP_X_SESSION_TOKEN=token).status_code == 200


def test_totp_is_available_to_patients_too(cast):
    secret = generate_totp_secret()
    TOTP.activate(cast.alice, secret)

    response = app_login(APIClient(), "alice@patients.example")

    assert response.status_code == 401
    assert "mfa_authenticate" in {f["id"] for f in response.json()["data"]["flows"]}
    assert timezone.now()  # the sign-in did not crash on a patient with an authenticator
