"""A real Celery worker (in this process, thread pool) on a real Redis broker of its own: the tick plans and sends,
an urgent alert reaches the clinician without waiting for the tick, and duplicate ticks, a second dispatcher and
replayed chunks send nothing twice."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
from typing import Any

import pytest
import redis
from django.utils import timezone

from notifications import tasks
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, Notification
from tests.factories import AlertFactory, CheckInFactory
from tests.notifications.support import (
    WORKER_BROKER,
    broker_idle,
    celery_broker_at,
    checkin_record,
    in_threads,
    patient_in,
    preference,
)
from tests.support import procedure_done, wait_for

pytestmark = pytest.mark.clock_sensitive

FINAL = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)


def _settled() -> bool:
    """Nothing left in the broker (queued or delivered-but-unacknowledged) and no in-app row in flight."""
    in_flight = Delivery.objects.filter(channel=Channel.INAPP).exclude(status__in=FINAL).exists()
    return broker_idle(WORKER_BROKER) and not in_flight


def _due_now(cast, count: int) -> list[Any]:
    """`count` New York patients whose check-in reminder time is this very minute, five days after their procedure,
    who checked in the two days before (so they get the plain reminder)."""
    now = timezone.now()
    local = now.astimezone(cast.alice_profile.zone)
    today = local.date()
    patients = [cast.alice_profile, *(patient_in("America/New_York", clinic=cast.riverside) for _ in range(count - 1))]
    for patient in patients:
        preference(patient.user, checkin_reminder_time=local.time().replace(second=0, microsecond=0))
        procedure_done(patient, cast.carol, today - dt.timedelta(days=5))
        for back in (1, 2):
            CheckInFactory(patient=patient, local_date=today - dt.timedelta(days=back))
    return patients


@pytest.mark.django_db(transaction=True)
def test_the_tick_sends_a_due_reminder_and_an_urgent_alert_arrives_without_waiting_for_it(morning, cast, worker):
    _due_now(cast, 1)

    # Bob reports a fever: the alert is planned for Dr Dave and dispatched at once, before any tick.
    (alert,) = checkin_record(
        cast.bob.patient_profile, timezone.now().astimezone(cast.bob.patient_profile.zone).date(),
        now=timezone.now(), red_flags=["fever_chills"],
    ).alerts  # fmt: skip
    wait_for(lambda: Notification.objects.filter(recipient=cast.dave, kind=Kind.ALERT).exists(), "Dave's alert")
    assert not Notification.objects.filter(recipient=cast.alice).exists()  # the reminder waits for the tick

    tasks.notifications_tick.delay()
    wait_for(lambda: Notification.objects.filter(recipient=cast.alice).exists(), "Alice's reminder")
    wait_for(_settled, "the broker to drain")

    (reminder,) = Notification.objects.filter(recipient=cast.alice)
    assert (reminder.kind, reminder.title) == (Kind.CHECKIN_REMINDER, "Time for today's check-in")
    (item,) = Notification.objects.filter(recipient=cast.dave)
    assert item.title == "Urgent alert" and item.url.endswith(str(alert.pk))
    inapp = Delivery.objects.filter(channel=Channel.INAPP)
    assert {(d.recipient_id, d.kind, d.status, d.attempts) for d in inapp} == {
        (cast.alice.pk, Kind.CHECKIN_REMINDER, DeliveryStatus.SENT, 1),
        (cast.dave.pk, Kind.ALERT, DeliveryStatus.SENT, 1),
    }
    # Push is not configured here (no VAPID keys): a clear failure on the row, not a crashed worker.
    push = Delivery.objects.get(recipient=cast.alice, channel=Channel.PUSH)
    assert push.status == DeliveryStatus.FAILED and "VAPID" in push.last_error


@pytest.mark.django_db(transaction=True)
def test_duplicate_ticks_a_second_dispatcher_and_replayed_chunks_send_nothing_twice(morning, cast, worker):
    patients = _due_now(cast, 30)

    # Two beats fire at once, an immediate dispatch is queued, and another process dispatches in-process meanwhile.
    tasks.notifications_tick.delay()
    tasks.notifications_tick.delay()
    tasks.deliveries_dispatch.delay()
    in_threads(tasks.deliveries_dispatch_now, tasks.deliveries_dispatch_now)
    wait_for(lambda: Notification.objects.count() >= len(patients) and _settled(), "all reminders")

    inapp = list(Delivery.objects.filter(channel=Channel.INAPP))
    assert len(inapp) == len(patients)
    assert {(d.status, d.attempts) for d in inapp} == {(DeliveryStatus.SENT, 1)}
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(p.pk for p in patients)

    # A chunk delivered twice more (a redelivered message, a retried task) changes nothing.
    ids = [d.pk for d in inapp]
    tasks.deliveries_send.delay(ids)
    tasks.deliveries_send.delay(ids)
    tasks.notifications_tick.delay()
    time.sleep(0.5)
    wait_for(_settled, "the replays")
    assert Notification.objects.count() == len(patients)
    assert {(d.status, d.attempts) for d in Delivery.objects.filter(channel=Channel.INAPP)} == {
        (DeliveryStatus.SENT, 1)
    }


@pytest.mark.django_db
def test_the_broker_carries_chunks_of_ids_only_with_no_eta_and_no_health_data(cast, settings):
    settings.DELIVERY_CHUNK_SIZE = 2
    alert = AlertFactory(patient=cast.alice_profile, rule="bladder_bowel_control", tier="emergency")
    now = timezone.now()
    for user in (cast.carol, cast.dave, cast.frank):
        for channel in (Channel.INAPP, Channel.EMAIL):
            Delivery.objects.create(
                recipient=user, kind=Kind.ALERT, occurrence=str(alert.pk), channel=channel, subject_id=str(alert.pk),
                due_at=now, created_at=now,
            )  # fmt: skip
    ids = sorted(Delivery.objects.values_list("id", flat=True))

    with celery_broker_at(WORKER_BROKER):
        assert tasks.deliveries_dispatch_now() == 6
        client = redis.Redis.from_url(WORKER_BROKER)
        # alerts' deliveries travel on the alerts queue (tests/notifications/test_alert_queue.py)
        raw = [json.loads(m) for m in client.lrange("alerts", 0, -1)]
        assert client.llen("celery") == 0
        client.close()

    assert {m["headers"]["task"] for m in raw} == {"notifications.tasks.deliveries_send"}
    assert {(m["headers"]["eta"], m["headers"]["expires"]) for m in raw} == {(None, None)}
    bodies = [json.loads(base64.b64decode(m["body"])) for m in raw]
    assert sorted(args for (args, kwargs, _embed) in bodies) == [[ids[0:2]], [ids[2:4]], [ids[4:6]]]
    text = json.dumps(raw).lower() + json.dumps(bodies).lower()
    for secret in ("alice", "adams", "bladder", "bowel", str(alert.pk), "riverside.example"):
        assert secret not in text, secret


def test_every_notification_task_is_acknowledged_late_retried_with_jitter_and_time_limited():
    for task in (
        tasks.notifications_tick, tasks.deliveries_dispatch, tasks.alert_deliveries_dispatch, tasks.deliveries_send
    ):  # fmt: skip
        assert task.acks_late and task.reject_on_worker_lost, task.name
        assert task.retry_jitter and 0 < task.max_retries <= 10 and task.retry_backoff_max <= 300, task.name
        assert task.soft_time_limit and task.time_limit and task.soft_time_limit < task.time_limit, task.name
