"""What the two busiest patient requests cost: SQL statements and Redis commands, pinned (counts, never times).
bench/bench_api.py measures the same requests under load against bare views."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from importlib import import_module

import pytest
import redis
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from rest_framework.test import APIClient

from accounts.models import User
from recovery.models import CheckIn, CheckInRevision
from tests.recovery.support import CHECKINS, NEW_YORK
from tests.support import checkin_body, local, procedure_done
from tests.testenv import redis_url

pytestmark = pytest.mark.clock_sensitive

TODAY = dt.date(2027, 5, 20)  # day 10 after Alice's procedure


def app_token(user: User) -> str:
    """An app session token, as allauth's app sign-in leaves it (made directly: checking a password is slow)."""
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend="accounts.backends.AuthenticationBackend")
    request.session.save()
    assert request.session.session_key
    return request.session.session_key


@pytest.fixture
def alice_app(cast, time_machine) -> APIClient:
    """Alice's phone, 10 days after her procedure, at noon in New York, signed in a minute ago."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 9), tick=False)
    procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 11, 59), tick=False)
    token = app_token(cast.alice)
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 12), tick=False)
    return APIClient(headers={"X-Session-Token": token})


class RedisCommands:
    """The commands this test's Redis database receives, from the server's own MONITOR (what runs inside a script
    is not a round trip and is left out).

    MONITOR shows every client of the server, so the other pytest-xdist workers' commands too: they are told apart by
    database, and the end is marked by an ECHO of this watcher's own (another worker's watcher ends at the same time
    with its own ECHO, which must not end this one)."""

    def __init__(self) -> None:
        url = redis_url("cache")
        self.db = int(url.rsplit("/", 1)[1])
        self.client = redis.Redis.from_url(url)
        self.stopper = redis.Redis.from_url(url)  # its own connection, open before MONITOR starts
        self.stop = f"request-cost-stop-{uuid.uuid4().hex}"
        self.commands: list[str] = []

    def _watch(self) -> None:
        with self.client.monitor() as monitor:
            self.ready.set()
            while (command := monitor.next_command())["command"] != f"ECHO {self.stop}":
                if command["db"] == self.db and command["client_type"] != "lua":
                    self.commands.append(command["command"].split(" ", 1)[0])

    def __enter__(self) -> RedisCommands:
        self.stopper.ping()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        assert self.ready.wait(5)
        time.sleep(0.05)  # MONITOR is on before the first command of the request
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopper.echo(self.stop)
        self.thread.join(5)


@pytest.fixture
def redis_commands() -> Iterator[type[RedisCommands]]:
    yield RedisCommands


def test_a_new_checkin_costs_8_statements_and_one_redis_round_trip(
    cast, alice_app, django_assert_num_queries, redis_commands
):
    checkin_id = uuid.uuid4()
    # 1. the session, by its token (one SELECT: no "does it exist" first)
    # 2. the signed-in user with her clinic and patient profile (accounts.backends)
    # 3. SAVEPOINT (BEGIN outside a test): the check-in's transaction
    # 4. this id, and Alice's check-ins since the pain rules' look-back (which include any other for this day)
    # 5. her current procedure with its baseline pain
    # 6. INSERT of the check-in
    # 7. INSERT of its first revision
    # 8. RELEASE SAVEPOINT (COMMIT)
    # Nothing written is read back, the session is not written (its idle deadline moved a minute ago), and nothing runs
    # after the commit (a reminder the check-in makes pointless is skipped when it is sent).
    with redis_commands() as seen, django_assert_num_queries(8):
        response = alice_app.put(f"{CHECKINS}/{checkin_id}", checkin_body(TODAY), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["day"] == 10
    assert response["ETag"] == f'"{checkin_id}-v1"'
    assert CheckIn.objects.get().pk == checkin_id
    assert CheckInRevision.objects.get().version == 1
    # the two rate limits (per user, per address), checked and counted in one script
    assert seen.commands == ["EVALSHA"]


def test_a_replayed_checkin_costs_6_statements(cast, alice_app, django_assert_num_queries):
    checkin_id = uuid.uuid4()
    first = alice_app.put(f"{CHECKINS}/{checkin_id}", checkin_body(TODAY), format="json")
    # 1. session; 2. user with clinic and profile; 3. SAVEPOINT; 4. this id and the recent days; 5. RELEASE SAVEPOINT;
    # 6. the check-in's procedure, for its day number
    with django_assert_num_queries(6):
        again = alice_app.put(f"{CHECKINS}/{checkin_id}", checkin_body(TODAY), format="json")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert CheckIn.objects.count() == 1


def test_the_recovery_summary_costs_5_statements_and_one_redis_round_trip(
    cast, alice_app, django_assert_num_queries, redis_commands
):
    for days_ago in (1, 2, 3):
        alice_app.put(f"{CHECKINS}/{uuid.uuid4()}", checkin_body(TODAY - dt.timedelta(days=days_ago)), format="json")
    alice_app.get("/api/v1/me/recovery")  # this process reads her protocol's phases once (and then keeps them)
    # 1. the session; 2. the user with her clinic and patient profile
    # 3. her current procedure (with its protocol) and her next scheduled one, each with its next milestone
    # 4. the dates of her latest check-ins: today's and the streak (a page of 100 days, more only for a longer streak)
    # 5. her open emergency and urgent alerts
    # The protocol's phases are not read again: a protocol version never changes, and each process keeps its phases
    # once read (recovery.selectors.protocol_phases).
    with redis_commands() as seen, django_assert_num_queries(5):
        response = alice_app.get("/api/v1/me/recovery")

    assert response.status_code == 200
    body = response.json()
    assert (body["day"], body["streak_days"], body["checkin_today"]["done"]) == (10, 3, False)
    assert body["phase"]["key"]
    assert body["next_milestone"]["status"] in ("upcoming", "open")
    assert seen.commands == ["EVALSHA"]
