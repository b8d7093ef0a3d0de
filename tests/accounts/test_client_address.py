"""One notion of the client's address (TRUSTED_PROXY_COUNT) for throttles, allauth's rate limits, django-axes and the
PHI access log; and a sign-in lockout that keeps one account's attacker from locking others out past the window."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from accounts.models import PHIAccess
from accounts.phi import client_ip
from tests.accounts.support import ACCEPT, app_login

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def _accept_twelve_times(xff: list[str]) -> list[int]:
    client = APIClient(REMOTE_ADDR="198.51.100.20")
    return [
        client.post(
            ACCEPT, {"token": "not-a-token", "password": "x"}, format="json", HTTP_X_FORWARDED_FOR=value
        ).status_code
        for value in xff
    ]


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_x_forwarded_for_is_ignored_and_invitation_guessing_is_throttled(cast):
    # Twelve tries, each claiming another address: they all come from one socket address
    statuses = _accept_twelve_times([f"203.0.113.{n}" for n in range(12)])

    assert statuses[:10] == [400] * 10  # the invitation throttle allows 10 a minute
    assert statuses[10:] == [429, 429]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_right_most_forwarded_address_is_the_clients(cast):
    # The proxy appends the address it saw; whatever the client wrote further left is not believed
    statuses = _accept_twelve_times([f"203.0.113.{n}, 192.0.2.7" for n in range(12)])
    assert statuses[10:] == [429, 429]

    # and different real clients behind the proxy are told apart
    other = APIClient(REMOTE_ADDR="198.51.100.20")
    response = other.post(ACCEPT, {"token": "x", "password": "x"}, format="json", HTTP_X_FORWARDED_FOR="192.0.2.8")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("count", "xff", "expected"),
    [
        (0, "203.0.113.9", "198.51.100.20"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "10.9.9.9, 203.0.113.9", "203.0.113.9"),
        (2, "10.9.9.9, 203.0.113.9, 192.0.2.1", "203.0.113.9"),
        (2, "192.0.2.1", "192.0.2.1"),
        (1, "not-an-address", "198.51.100.20"),
        (1, "", "198.51.100.20"),
    ],
)
def test_the_client_address_for_each_proxy_count(count, xff, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR=xff)
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip(request) == expected


@pytest.mark.parametrize(("count", "expected"), [(0, "198.51.100.20"), (1, "203.0.113.9")])
def test_the_phi_log_and_the_sign_in_limits_use_the_same_address(cast, client_for, count, expected):
    with override_settings(TRUSTED_PROXY_COUNT=count):
        client_for(cast.carol).get(
            f"/api/v1/patients/{cast.alice.pk}", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
        from allauth.account.adapter import get_adapter
        from axes.helpers import get_client_ip_address

        request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert get_adapter().get_client_ip(request) == expected
        assert get_client_ip_address(request) == expected
    assert PHIAccess.objects.get().ip == expected


def test_an_attacker_on_one_account_does_not_lock_another_out_from_the_same_address(cast):
    attacker = APIClient(REMOTE_ADDR="198.51.100.30")
    with time_machine.travel(START, tick=False):
        # Ten wrong passwords for Alice: five are checked, then her account is locked
        statuses = [app_login(attacker, cast.alice.email, f"guess {n}").status_code for n in range(10)]
        assert statuses == [400] * 5 + [429] * 5
        # Bob, at the same address (a shared clinic computer), signs in with his password at once
        assert app_login(attacker, cast.bob.email).status_code == 200
        # and Alice is still locked
        assert app_login(attacker, cast.alice.email).status_code == 429


def test_an_address_over_its_limit_locks_others_out_only_for_the_window(cast):
    # Ten wrong passwords a minute from one address, on five accounts: the address is over its limit
    client = APIClient(REMOTE_ADDR="198.51.100.31")
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(10):
            assert app_login(client, f"nobody{n % 5}@patients.example", "wrong").status_code == 400
        # Bob is refused while the minute lasts, however often he tries
        for _ in range(6):
            assert app_login(client, cast.bob.email).status_code == 429
        # and gets in once it has passed: his refused attempts did not count against his own account
        traveller.shift(dt.timedelta(seconds=61))
        assert app_login(client, cast.bob.email).status_code == 200
