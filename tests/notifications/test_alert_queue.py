"""Alerts never wait behind reminders: emergency and urgent alerts' deliveries travel on a Celery queue of their own
("alerts"), which a worker of their own consumes; reminders and digests on the default queue ("celery").

A real Celery worker (in this process, thread pool) on a real Redis broker of its own, consuming ONLY the alerts
queue, as the Procfile's `alerts` process does."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from notifications import tasks
from notifications.models import Delivery, DeliveryStatus, Kind, Notification
from tests.factories import CheckInFactory
from tests.notifications.support import WORKER_BROKER, checkin_record, preference
from tests.support import procedure_done

pytestmark = pytest.mark.clock_sensitive


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_of_the_alerts_queue_alone_delivers_an_alert_and_leaves_the_reminders(morning, cast, alerts_worker):
    # Given Alice's check-in reminder due this minute, planned and dispatched by the tick
    alice = cast.alice_profile
    local = timezone.now().astimezone(alice.zone)
    preference(cast.alice, checkin_reminder_time=local.time().replace(second=0, microsecond=0))
    procedure_done(alice, cast.carol, local.date() - dt.timedelta(days=5))
    for back in (1, 2):
        CheckInFactory(patient=alice, local_date=local.date() - dt.timedelta(days=back))
    assert tasks.notifications_tick.apply().get()["dispatched"] >= 1  # run here; its chunks go to the broker

    # When Bob reports a fever (an urgent red flag)
    bob = cast.bob.patient_profile
    (alert,) = checkin_record(
        bob, timezone.now().astimezone(bob.zone).date(), now=timezone.now(), red_flags=["fever_chills"]
    ).alerts

    # Then Dr Dave's inbox gets the alert through the alerts worker alone
    _wait_for(lambda: Notification.objects.filter(recipient=cast.dave, kind=Kind.ALERT).exists(), "Dave's alert")
    assert Notification.objects.get(recipient=cast.dave).url.endswith(str(alert.pk))
    # and Alice's reminder is still waiting on the default queue, which this worker does not consume
    assert not Notification.objects.filter(recipient=cast.alice).exists()
    reminders = Delivery.objects.filter(recipient=cast.alice, kind=Kind.CHECKIN_REMINDER)
    assert {d.status for d in reminders} == {DeliveryStatus.QUEUED}
    broker = redis.Redis.from_url(WORKER_BROKER)
    try:
        assert broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE) >= 1
    finally:
        broker.close()
