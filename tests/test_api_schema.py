"""Schemathesis against our own OpenAPI schema: generated requests, signed in as a patient (Alice) and as a clinician
(Dr Carol), get no 5xx and only responses the schema describes (status code, content type, body).

The schema is fetched from /api/schema/ of the Django WSGI application, in-process, so requests run in the test's
database transaction and see its cast. There is one pytest test per (operation, actor), each with a fresh cast and
session, so an operation that changes the actor (a patient closing her account) cannot spoil the others; the examples
of one test share them, like a client's successive requests. Requests carry the app client's X-Session-Token.

Only allauth's own endpoints (/_allauth/...) are left out: they are not in our schema (drf-spectacular documents the
DRF views under SCHEMA_PATH_PREFIX), and the exclusion below keeps it so should that change; allauth's flows are
tested in tests/accounts.

Half of the generated path ids are swapped for real ones (REAL_IDS), chosen by a checksum of the generated id so a
failing example replays the same way; otherwise every id would be unknown and only the 404s would be tested.
"""

from __future__ import annotations

import json
import os
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import login
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpRequest
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client as WSGIClient

from accounts.models import User
from accounts.throttling import InvitationAcceptThrottle
from config.wsgi import application
from tests.access_matrix import World
from tests.conftest import Cast
from tests.factories import PASSWORD

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def app_in_test_transaction(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """The Django WSGI application, minus closing the database connection at the end of the request.

    Django closes a connection it finds inside a transaction when a request starts or finishes; here that transaction
    is the test's, and closing it would end the test. Django's test client switches this off around each request in
    the same way (django.test.client.ClientHandler); a plain WSGI client needs it done here. The response is read
    whole before the signal is restored, as closing it is what sends request_finished.
    """
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


# Bounded: the fuzzing phase makes max_examples requests per operation and actor. The coverage phase (every boundary
# and negative case the schema implies: a few hundred requests for some operations, doubling the run) is off unless
# SCHEMATHESIS_COVERAGE=1.
CONFIG = schemathesis.Config.from_dict(
    {"phases": {"coverage": {"enabled": os.environ.get("SCHEMATHESIS_COVERAGE") == "1"}}}
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", app_in_test_transaction, config=CONFIG).exclude(
    path_regex=r"^/_allauth/"
)


# Path ids replaced, half of the time, by a real record: Alice's (or her clinic's), which Alice and Carol may both see
# where the route lets them, or, for records that are each person's own (inbox items, devices), the signed-in
# actor's. Add more as World in tests/access_matrix.py gets them.
REAL_IDS: dict[str, Callable[[World], object]] = {
    "patient_id": lambda world: world.cast.alice.pk,
    "invitation_id": lambda world: world.pending_invitation.pk,
    "checkin_id": lambda world: world.alice_checkin.pk,
    "procedure_id": lambda world: world.alice_procedure.pk,
    "alert_id": lambda world: world.alice_alert.pk,
    "protocol_id": lambda world: world.riverside_protocol.pk,
    "prescription_id": lambda world: world.alice_prescription.pk,
    "occurrence_key": lambda world: world.alice_occurrence_key,
    "notification_id": lambda world: world.own_notification.pk,
    "subscription_id": lambda world: world.own_push_subscription.pk,
}


@dataclass
class SignedIn:
    world: World
    token: str


def app_session_token(user: User) -> str:
    """What allauth's app-client sign-in leaves behind: a server-side session holding the sign-in (and its record of
    a password just entered); the session's key is the X-Session-Token.

    Made directly rather than by POSTing the password for every test: checking an Argon2 hash takes about half a
    second, on purpose, and this file has two tests per operation. test_the_app_sign_in_token_is_what_we_send checks
    that a real sign-in gives a token that works the same way.
    """
    request = HttpRequest()
    request.session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
    request.session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "email": user.email}]
    request.session["account_authentication_methods_user"] = str(user.pk)
    request.session.save()
    assert request.session.session_key
    return request.session.session_key


@pytest.fixture(params=["patient", "clinician"])
def signed_in(request: pytest.FixtureRequest, cast: Cast, monkeypatch: pytest.MonkeyPatch) -> SignedIn:
    """Alice (patient) or Dr Carol (her clinician), signed in as an app client."""
    # Accepting invitations is limited to a few tries a minute per address (tested in tests/accounts); here every
    # example comes from one address, and a wall of 429s would test nothing.
    monkeypatch.setattr(InvitationAcceptThrottle, "rate", "100000/min", raising=False)
    user = cast.alice if request.param == "patient" else cast.carol
    return SignedIn(World(cast, user), app_session_token(user))


def test_the_app_sign_in_token_is_what_we_send(cast: Cast) -> None:
    # Given Alice signed in through allauth's app client with her password
    response = Client().post(
        "/_allauth/app/v1/auth/login",
        {"email": cast.alice.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]
    # When the token goes in X-Session-Token, as in the schema tests, then the API knows her
    for session_token in (token, app_session_token(cast.alice)):
        me = WSGIClient(app_in_test_transaction).get("/api/v1/me", headers={"X-Session-Token": session_token})
        assert me.status_code == 200
        assert json.loads(me.get_data())["id"] == str(cast.alice.pk)


def _real_id_for_half(generated: object, real: object) -> object:
    return str(real) if zlib.crc32(str(generated).encode()) % 2 == 0 else generated


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    # `signed_in` is per test (one operation, one actor), shared by its examples on purpose: they run in one
    # transaction, like a client's successive requests.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case, signed_in: SignedIn) -> None:
    path = case.path_parameters or {}
    for name, real in REAL_IDS.items():
        if name in path:
            path[name] = _real_id_for_half(path[name], real(signed_in.world))
    case.call_and_validate(headers={"X-Session-Token": signed_in.token}, checks=CHECKS)
