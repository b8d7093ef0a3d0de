"""Schemathesis against our own OpenAPI schema, with all of its checks, signed in as a patient (Alice), a clinician
(Dr Carol) and a clinic admin (Frank): no 5xx; status code, content type, headers and body as the schema says; a
request the schema calls valid is accepted (or refused for the record's state: 404, 409, 412, 428); authentication
enforced (the same request without the session token, or with a wrong one, is 401); and a stateful phase that chains
calls through the ids one response gives the next. At the end the counts are printed: cases run and failures per
check and phase.

Where a 400 for a schema-valid request is the server applying a rule the schema cannot state (one date after another,
a reference to another record of the clinic, a field only patients have), SEMANTIC_RULES names the operation, the
field and the rule; a refusal naming any other field is still a failure.

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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
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
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.openapi.checks import RejectedPositiveData
from werkzeug.test import Client as WSGIClient

from accounts.models import User
from accounts.serializers import PatientSelfUpdateIn, PatientStaffUpdateIn
from accounts.throttling import InvitationAcceptThrottle
from config.wsgi import application
from recovery.models import CAUTIONS
from tests.access_matrix import World
from tests.access_matrix_editing import riversides_checklist, riversides_library
from tests.conftest import Cast
from tests.factories import PASSWORD

# Rules the schema cannot state, by operation: a 400 whose every error names one of these fields (or a part of one,
# "keys.p256dh") is the server applying the rule to a schema-valid request, not a disagreement with the schema.
# Everything else a schema-valid request gets refused for is a failure ("Schema-valid request rejected").
SEMANTIC_RULES: dict[str, dict[str, str]] = {
    # one date after another, or a range limit
    "GET /api/v1/me/checkins": {"date_from": "date_from after date_to"},
    "GET /api/v1/patients/{patient_id}/checkins": {"date_from": "date_from after date_to"},
    "GET /api/v1/me/deliveries": {"due_from": "due_from after due_to"},
    "GET /api/v1/patients/{patient_id}/deliveries": {"due_from": "due_from after due_to"},
    "GET /api/v1/patients/{patient_id}/series": {"from": "from after to", "to": "at most 3 years"},
    "GET /api/v1/clinician/patients": {
        "phase": "a phase key of the protocols in use (data, not schema)",
        "procedure_from": "procedure_from after procedure_to",
        "procedure_to": "at most 3 years after procedure_from",
    },
    "PATCH /api/v1/me/clinic": {"emergency_number": "given when the new country has no default number"},
    "PATCH /api/v1/me/notification-preferences": {
        "quiet_hours_end": "quiet hours start and end differ",
        "channels": "an emergency keeps an interrupting channel",
    },
    # the record or the person decides
    "PATCH /api/v1/me": {name: "patients only" for name in PatientSelfUpdateIn().fields if name != "full_name"},
    "PATCH /api/v1/patients/{patient_id}": {
        "date_of_birth": "after 1900 and at least 18",
        **dict.fromkeys(
            set(PatientStaffUpdateIn().fields) - set(PatientSelfUpdateIn().fields), "the care team's to set"
        ),
    },
    "PUT /api/v1/me/checkins/{checkin_id}": {
        "local_date": "within the backfill window, not before the procedure",
        "recorded_at": "not in the future (the server's clock)",
    },
    "POST /api/v1/me/assessments": {
        "answers": "the instrument's own items",
        "timepoint": "a timepoint of the patient's procedure",
    },
    "PUT /api/v1/me/exercises/occurrences/{occurrence_key}": {
        "pain_during": "asked when the exercise was done",
        "difficulty": "asked when the exercise was done",
        "non_field_errors": "a scheduled occurrence of the patient's plan",
    },
    "POST /api/v1/me/push-subscriptions": {
        "endpoint": "a push service on the allow-list",
        "keys": "a real P-256 public key and auth secret",
    },
    "POST /api/v1/invitations/accept": {
        "token": "an invitation that exists",
        "password": "Django's password validators (common passwords, similarity)",
    },
    # references to other records, checked against the clinic
    "POST /api/v1/patients": {
        "date_of_birth": "after 1900 and at least 18",
        "primary_clinician": "an active clinician of the clinic",
        "care_team": "active clinicians of the clinic",
    },
    "PUT /api/v1/patients/{patient_id}/care-team": {
        "primary_clinician": "an active clinician of the clinic",
        "care_team": "active clinicians of the clinic",
    },
    "POST /api/v1/alerts/{alert_id}/assign": {"assignee": "a clinician on the patient's care team"},
    "POST /api/v1/patients/{patient_id}/exercise-plan/prescriptions": {
        "exercise": "an exercise of the clinic's library",
        "dose": "in the exercise's own unit (minutes or repetitions)",
        "first_day": "first_day on or before last_day",
        "last_day": "first_day on or before last_day",
        "non_field_errors": "one prescription per exercise in a plan",
    },
    "PATCH /api/v1/patients/{patient_id}/exercise-plan/prescriptions/{prescription_id}": {
        "non_field_errors": "at least one field to change",
        "dose": "in the exercise's own unit (minutes or repetitions)",
        "first_day": "first_day on or before last_day",
        "last_day": "first_day on or before last_day",
    },
    "POST /api/v1/exercises": {
        "steps": "each step has words, not only spaces (DRF trims them)",
        "key": "made from the name when left out (a name of no letters or digits gives none); not a key in use",
        "translations": "as many steps and precautions as in English; words, not only spaces",
    },
    "PATCH /api/v1/exercises/{exercise_id}": {
        "translations": "as many steps and precautions as in English; words, not only spaces",
    },
    "POST /api/v1/me/caregivers": {"email": "not clinic staff's, not the patient's own, not already her caregiver"},
    "POST /api/v1/patients/{patient_id}/caregivers": {
        "email": "not clinic staff's, not the patient's own, not already her caregiver",
    },
    "GET /api/v1/me/report.pdf": {"procedure": "a procedure of the patient"},
    "GET /api/v1/patients/{patient_id}/report.pdf": {"procedure": "a procedure of the patient"},
    "POST /api/v1/patients/{patient_id}/adverse-events": {"procedure": "a procedure of the patient"},
    "PUT /api/v1/patients/{patient_id}/procedures/{procedure_id}/screening": {
        "outcome": "'candidate' only when every criterion is answered yes",
        "imaging_date": "not in the future",
        "conservative_care": "each treatment once (items are objects: uniqueItems cannot say it)",
        **dict.fromkeys(
            [f"{name}_note" for name in CAUTIONS],
            "a reason when a caution is answered yes and the outcome is candidate",
        ),
    },
    "POST /api/v1/patients/{patient_id}/procedures": {"performed_by": "an active clinician of the patient's clinic"},
    "PUT /api/v1/patients/{patient_id}/procedures/{procedure_id}/preparation": {
        "procedure": "a scheduled procedure (a done or cancelled one has no preparation to plan)",
    },
    "POST /api/v1/protocols/{protocol_id}/revisions": {
        "phases": "phases cover every day, in order, without gaps",
        "milestones": "milestones fall within the tracked days",
        "when_to_get_help": "the emergency tier, then the urgent tier",
        "translations": "a translation of when-to-get-help has the same tiers in the same order",
        "non_field_errors": "a clinic's own protocol (the shipped default is copied, not edited)",
        "name": "words, not only spaces (DRF trims them)",
    },
    "POST /api/v1/preparation-checklists/{checklist_id}/revisions": {
        "items": "unique keys; {placeholders} only where filled in; a translation has every text the English has",
        "medicine_item": "only {medicine}, {stop_on}, {restart_on}; a translation has the English's texts",
        "non_field_errors": "a clinic's own newest version (the shipped default is copied, not edited)",
        "name": "words, not only spaces (DRF trims them)",
    },
    "POST /api/v1/education-libraries/{library_id}/revisions": {
        "articles": "unique keys and stages; no {placeholders}; a translation has every text and paragraph",
        "non_field_errors": "a clinic's own newest version (the shipped default is copied, not edited)",
        "name": "words, not only spaces (DRF trims them)",
    },
}


def _semantic_refusal(case: schemathesis.Case, response: Any) -> bool:
    if response.status_code != 400:
        return False
    allowed = SEMANTIC_RULES.get(f"{case.method.upper()} {case.operation.path}", {})
    try:
        errors = response.json().get("errors") or {"non_field_errors": []}
    except ValueError:
        return False
    return bool(allowed) and all(name.split(".")[0] in allowed for name in errors)


def call_and_check(case: schemathesis.Case) -> None:
    response = case.call()
    checked(case, response, lambda: case.validate_response(response))


def checked(case: schemathesis.Case, response: Any, validate: Callable[[], object]) -> None:
    """All of schemathesis' checks (`validate`), except a refusal SEMANTIC_RULES explains."""
    try:
        validate()
    except FailureGroup as group:
        left = [
            f
            for f in group.exceptions
            if not (isinstance(f, RejectedPositiveData) and _semantic_refusal(case, response))
        ]
        if left:
            raise FailureGroup(left, group.message) from None
    except RejectedPositiveData:
        if not _semantic_refusal(case, response):
            raise


class Tally:
    """Cases run and failures per check, per phase; printed at the end of the module."""

    cases: Counter[str] = Counter()
    failures: Counter[str] = Counter()

    @classmethod
    def record(cls, phase: str, call: Callable[[], Any]) -> Any:
        cls.cases[phase] += 1
        try:
            return call()
        except FailureGroup as group:
            for failure in group.exceptions:
                cls.failures[f"{phase}: {failure.title}"] += 1
            raise
        except Failure as failure:
            cls.failures[f"{phase}: {failure.title}"] += 1
            raise


@pytest.fixture(scope="module", autouse=True)
def _print_counts() -> Iterator[None]:
    yield
    lines = [f"schemathesis: {count} cases ({phase})" for phase, count in sorted(Tally.cases.items())]
    lines += [f"schemathesis: {count} failed: {check}" for check, count in sorted(Tally.failures.items())]
    if not Tally.failures:
        lines.append("schemathesis: no check failed")
    print("\n" + "\n".join(lines))


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
    {
        "phases": {"coverage": {"enabled": os.environ.get("SCHEMATHESIS_COVERAGE") == "1"}},
        # Conditional writes answer 412 (the record changed since its ETag) or 428 (it exists: send If-Match), which
        # depend on the record, not on the request's form; 409 is a state conflict (accounts.errors.StateConflict).
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "428", "429", "5xx"]
            }
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", app_in_test_transaction, config=CONFIG).exclude(
    path_regex=r"^/_allauth/"
)


# The same examples on every run of `make test`, so a change is judged against what the last run checked; set
# SCHEMATHESIS_EXPLORE=1 to draw new ones (and add what they find to the schema or SEMANTIC_RULES).
DERANDOMIZE = os.environ.get("SCHEMATHESIS_EXPLORE") != "1"


class SessionTokenAuth:
    """The signed-in actor's X-Session-Token, given to schemathesis as the request's real credentials, so its
    authentication checks know them from generated ones: it repeats requests without them, and with a wrong token,
    and expects 401. The token is the current test's (set by `signed_in` before any example is generated)."""

    token: str | None = None

    def get(self, case: schemathesis.Case, context: object) -> str | None:
        return SessionTokenAuth.token

    def set(self, case: schemathesis.Case, data: str, context: object) -> None:
        case.headers["X-Session-Token"] = data


schema.auth(refresh_interval=None, retry_on=[])(SessionTokenAuth)


# Path ids replaced, half of the time, by a real record: Alice's (or her clinic's), which Alice and Carol may both see
# where the route lets them, or, for records that are each person's own (inbox items, devices), the signed-in
# actor's. Add more as World in tests/access_matrix_world.py gets them.
REAL_IDS: dict[str, Callable[[World], object]] = {
    "patient_id": lambda world: world.cast.alice.pk,
    "invitation_id": lambda world: world.pending_invitation.pk,
    "checkin_id": lambda world: world.alice_checkin.pk,
    "procedure_id": lambda world: world.alice_procedure.pk,
    "alert_id": lambda world: world.alice_alert.pk,
    "protocol_id": lambda world: world.riverside_protocol.pk,
    "checklist_id": lambda world: riversides_checklist(world)["checklist_id"],
    "library_id": lambda world: riversides_library(world)["library_id"],
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


ACTORS = ["patient", "clinician", "admin"]


@pytest.fixture(params=ACTORS)
def signed_in(request: pytest.FixtureRequest, cast: Cast, monkeypatch: pytest.MonkeyPatch) -> SignedIn:
    """Alice (patient), Dr Carol (her clinician) or Frank (their clinic's admin), signed in as an app client."""
    # Accepting invitations is limited to a few tries a minute per address (tested in tests/accounts); here every
    # example comes from one address, and a wall of 429s would test nothing.
    monkeypatch.setattr(InvitationAcceptThrottle, "rate", "100000/min", raising=False)
    user = {"patient": cast.alice, "clinician": cast.carol, "admin": cast.frank}[request.param]
    signed = SignedIn(World(cast, user), app_session_token(user))
    monkeypatch.setattr(SessionTokenAuth, "token", signed.token)
    return signed


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
    derandomize=DERANDOMIZE,
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
    Tally.record("fuzzing", lambda: call_and_check(case))


@pytest.mark.parametrize("actor", ACTORS)
def test_api_holds_up_in_stateful_sequences(actor: str, cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    """Schemathesis' stateful phase: sequences of calls that feed one response's ids into the next request (links it
    infers from the schema: a created record, then reading, changing and acting on it), with every check after each
    step, as the patient, her clinician and their clinic's admin."""
    monkeypatch.setattr(InvitationAcceptThrottle, "rate", "100000/min", raising=False)
    user = {"patient": cast.alice, "clinician": cast.carol, "admin": cast.frank}[actor]
    monkeypatch.setattr(SessionTokenAuth, "token", app_session_token(user))

    class Workflow(schema.as_state_machine()):
        def validate_response(self, response: Any, case: schemathesis.Case, *args: Any, **kwargs: Any) -> None:
            parent = super()
            Tally.record(
                "stateful",
                lambda: checked(case, response, lambda: parent.validate_response(response, case, *args, **kwargs)),
            )

    Workflow.run(
        settings=settings(
            max_examples=int(os.environ.get("SCHEMATHESIS_STATEFUL_EXAMPLES", "15")),
            derandomize=DERANDOMIZE,
            stateful_step_count=6,
            deadline=None,
            # Generation only: a sequence runs against the database as the earlier ones left it, so replaying or
            # shrinking a failing one cannot draw the same steps again (hypothesis would report its own
            # FlakyStrategyDefinition instead of the failure); the failure is reported as generated.
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
