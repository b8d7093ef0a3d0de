"""Helpers the notification tests share: patients in the five test zones, a done procedure, the engine's steps run
in-process, and a Celery app pointed at a Redis database of the test's own."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import typing
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from accounts.models import Clinic, PatientProfile, User
from notifications import services
from notifications.models import Channel, Delivery, NotificationPreference
from recovery import services as recovery_services
from tests.factories import PatientFactory, UserFactory
from tests.testenv import redis_url

UTC = dt.UTC
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
SYDNEY = ZoneInfo("Australia/Sydney")
KOLKATA = ZoneInfo("Asia/Kolkata")
CHATHAM = ZoneInfo("Pacific/Chatham")
ZONES = (NEW_YORK, BERLIN, SYDNEY, KOLKATA, CHATHAM)


def patient_in(
    zone: ZoneInfo | str, *, clinic: Clinic, care_team: Sequence[User] = (), name: str | None = None
) -> PatientProfile:
    suffix = uuid.uuid4().hex[:8]
    user = UserFactory(
        email=f"patient-{suffix}@patients.example",
        full_name=name or f"Patient {suffix}",
        role="patient",
        clinic=clinic,
    )
    return typing.cast(PatientProfile, PatientFactory(user=user, time_zone=str(zone), care_team=list(care_team)))


def preference(user: User, **fields: Any) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.update_or_create(user=user, defaults=fields)
    return pref


def deliveries_of(user: User, **filters: Any) -> list[Delivery]:
    return list(Delivery.objects.filter(recipient=user, **filters).order_by("due_at", "id"))


def send_due_inapp(now: dt.datetime | None = None) -> list[int]:
    """The dispatcher and the in-app sender, in-process: claim what is due and deliver the in-app rows."""
    ids = services.deliveries_claim_due(now=now or dt.datetime.now(UTC), limit=10_000)
    inapp = list(Delivery.objects.filter(id__in=ids, channel=Channel.INAPP).values_list("id", flat=True))
    services.inapp_deliver(inapp, now=now)
    return ids


def in_threads(*targets: Callable[[], Any], timeout: float = 30) -> list[Any]:
    """Run each callable in its own thread (so its own database connection); return their results in order.
    Re-raises the first error a thread met. Each thread closes its connection when done."""
    results: list[Any] = [None] * len(targets)
    errors: list[BaseException] = []

    def run(index: int, target: Callable[[], Any]) -> None:
        try:
            results[index] = target()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, t), daemon=True) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread did not finish in time (blocked on a lock?)"
    if errors:
        raise errors[0]
    return results


# --- A Celery app on a Redis database of the test's own ---------------------------------------------------------------


@contextlib.contextmanager
def celery_broker_at(url: str) -> Iterator[Any]:
    """Point config.celery.app at `url` (flushed before and after), and back at the settings' broker afterwards."""
    from config.celery import app

    client = redis.Redis.from_url(url)
    client.flushdb()
    before = app.conf.broker_url

    def switch(to: str) -> None:
        app.conf.broker_url = to
        # The app caches its connection and producer pools on first use: drop them so the next send uses `to`.
        # (Not closed: kombu keeps pools per broker URL and would hand the closed one back next time.)
        app._pool = None
        app.amqp._producer_pool = None

    switch(url)
    try:
        yield app
    finally:
        switch(before)
        client.flushdb()
        client.close()


# 08:30 in New York (EDT) on an ordinary weekday: before the default exercise plan's first slot (09:00) and long after
# its last (16:00), so the check-in reminders the tests set for "now" are the only reminders due.
MORNING = dt.datetime(2026, 6, 17, 12, 30, tzinfo=UTC)

# The Redis database the tests' real workers consume from (the `worker` fixture of tests/conftest.py).
WORKER_BROKER = redis_url("worker")


def _close_connections(**kwargs: Any) -> None:
    # Each worker thread opens its own database connection: close it after each task, so none is left behind when
    # the test database is emptied or dropped.
    connections.close_all()


@contextlib.contextmanager
def worker_running(app: Any, *, concurrency: int = 4, queues: Sequence[str] | None = None) -> Iterator[Any]:
    """A real Celery worker for `app` in this process (a thread pool of `concurrency`), consuming from the app's
    broker until the block ends; only from `queues` when given (as `celery worker -Q alerts`). The test needs the
    transactional database: the worker's threads commit."""
    task_postrun.connect(_close_connections, weak=False, dispatch_uid="test-worker-close-connections")
    only = {"queues": list(queues)} if queues is not None else {}
    try:
        with start_worker(
            app, pool="threads", concurrency=concurrency, perform_ping_check=False, shutdown_timeout=30,
            loglevel="WARNING", **only,
        ) as running:  # fmt: skip
            yield running
    finally:
        if queues is not None:
            # start_worker selected the queues on the app itself: later workers of this process consume all again
            app.amqp.queues.select(list(app.amqp.queues))
        task_postrun.disconnect(dispatch_uid="test-worker-close-connections")


def broker_idle(url: str) -> bool:
    """No message waiting in the default queue or the alerts queue and none delivered but unacknowledged."""
    client = redis.Redis.from_url(url)
    try:
        return client.llen("celery") == 0 and client.llen("alerts") == 0 and client.hlen("unacked") == 0
    finally:
        client.close()


def checkin_record(
    patient: PatientProfile, day: dt.date, *, now: dt.datetime, red_flags: Sequence[str] = ()
) -> recovery_services.CheckInResult:
    """A daily check-in through recovery's service, as the PWA's PUT makes it."""
    data = {
        "local_date": day,
        "back_pain": 3,
        "leg_pain": 4,
        "walking_minutes": 20,
        "standing_minutes": 10,
        "steps": 2000,
        "medication": "otc",
        "symptoms": [],
        "red_flags": list(red_flags),
        "note": "",
        "recorded_at": now,
    }
    return recovery_services.checkin_put(
        patient=patient, by=patient.user, checkin_id=uuid.uuid4(), data=data, if_match=None, now=now
    )
