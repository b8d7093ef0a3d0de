"""Retention: finished deliveries and inbox items older than NOTIFICATION_RETENTION_DAYS are deleted in batches by a
periodic task; recent ones, pending ones and those about an alert still open stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import PHIAccess
from accounts.retention import delete_in_batches
from notifications.models import Delivery, Notification
from notifications.retention import notifications_purge_expired
from notifications.tasks import notifications_retention_purge
from tests.factories import AlertFactory

NOW = dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC)
OLD = NOW - dt.timedelta(days=181)
RECENT = NOW - dt.timedelta(days=179)


def delivery(user, created_at, *, status="sent", kind="checkin_reminder", occurrence=None, subject_id=""):
    return Delivery.objects.create(
        recipient=user,
        kind=kind,
        occurrence=occurrence or f"{created_at.date()}-{Delivery.objects.count()}",
        channel="inapp",
        subject_id=subject_id,
        due_at=created_at,
        status=status,
        created_at=created_at,
    )


def inbox_item(user, created_at, *, kind="checkin_reminder", occurrence=None):
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        occurrence=occurrence or f"{created_at.date()}-{Notification.objects.count()}",
        title="Time for your daily check-in",
        created_at=created_at,
    )


def _deletes_of(table: str, queries: CaptureQueriesContext) -> list[str]:
    prefix = 'DELETE FROM "' + table + '"'  # noqa: S608 (matches captured SQL; runs nothing)
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(prefix)]


@pytest.fixture
def retention(settings):
    settings.NOTIFICATION_RETENTION_DAYS = 180
    settings.RETENTION_BATCH_SIZE = 3


def test_old_finished_deliveries_go_in_batches_and_recent_ones_stay(cast, retention):
    old = [
        delivery(cast.alice, OLD - dt.timedelta(hours=n), status=s)
        for n, s in enumerate(["sent"] * 5 + ["failed", "skipped"])
    ]
    recent = [delivery(cast.alice, RECENT), delivery(cast.bob, NOW)]
    waiting = [delivery(cast.alice, OLD, status="pending"), delivery(cast.alice, OLD, status="queued")]

    with CaptureQueriesContext(connection) as queries:
        purged = notifications_purge_expired(now=NOW)

    assert purged == {"deliveries": 7, "inbox": 0}
    assert not Delivery.objects.filter(pk__in=[d.pk for d in old]).exists()
    assert set(Delivery.objects.values_list("pk", flat=True)) == {d.pk for d in recent + waiting}
    # 7 rows in batches of 3: three DELETE statements (3, 3, 1), each in its own transaction.
    assert len(_deletes_of("notifications_delivery", queries)) == 3


def test_old_inbox_items_go_and_recent_ones_stay(cast, retention):
    old = [inbox_item(cast.alice, OLD) for _ in range(4)]
    recent = inbox_item(cast.alice, RECENT)

    with CaptureQueriesContext(connection) as queries:
        purged = notifications_purge_expired(now=NOW)

    assert purged == {"deliveries": 0, "inbox": 4}
    assert list(Notification.objects.values_list("pk", flat=True)) == [recent.pk]
    assert len(_deletes_of("notifications_notification", queries)) == 2  # 3 + 1
    assert not Notification.objects.filter(pk__in=[n.pk for n in old]).exists()


def test_what_an_open_alert_was_sent_stays_so_it_is_never_escalated_twice(cast, retention):
    open_alert = AlertFactory(patient=cast.alice_profile, raised_at=OLD)
    closed_alert = AlertFactory(patient=cast.alice_profile, raised_at=OLD, state="resolved")
    kept = [
        delivery(cast.carol, OLD, kind="alert", occurrence=str(open_alert.pk), subject_id=str(open_alert.pk)),
        delivery(
            cast.frank, OLD, kind="alert_escalation", occurrence=str(open_alert.pk), subject_id=str(open_alert.pk)
        ),
    ]
    kept_inbox = inbox_item(cast.carol, OLD, kind="alert", occurrence=str(open_alert.pk))
    delivery(cast.carol, OLD, kind="alert", occurrence=str(closed_alert.pk), subject_id=str(closed_alert.pk))
    inbox_item(cast.carol, OLD, kind="alert", occurrence=str(closed_alert.pk))

    purged = notifications_purge_expired(now=NOW)

    assert purged == {"deliveries": 1, "inbox": 1}
    assert set(Delivery.objects.values_list("pk", flat=True)) == {d.pk for d in kept}
    assert list(Notification.objects.values_list("pk", flat=True)) == [kept_inbox.pk]


def test_the_periodic_task_uses_the_configured_retention(cast, settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    settings.NOTIFICATION_RETENTION_DAYS = 30
    settings.RETENTION_BATCH_SIZE = 2
    gone = delivery(cast.alice, NOW - dt.timedelta(days=31))
    stays = delivery(cast.alice, NOW - dt.timedelta(days=29))

    result = notifications_retention_purge.apply()

    assert result.get() == {"deliveries": 1, "inbox": 0}
    assert list(Delivery.objects.values_list("pk", flat=True)) == [stays.pk]
    assert not Delivery.objects.filter(pk=gone.pk).exists()


def test_the_retention_task_is_on_beats_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "notifications.tasks.notifications_retention_purge" in tasks


def test_the_phi_access_log_is_never_touched(cast, retention, client_for):
    client_for(cast.carol).get(f"/api/v1/patients/{cast.alice_profile.pk}")
    logged = PHIAccess.objects.count()

    notifications_purge_expired(now=NOW + dt.timedelta(days=10_000))

    assert logged > 0
    assert PHIAccess.objects.count() == logged


def test_a_batch_size_below_one_is_refused(db):
    with pytest.raises(ValueError, match="batch_size"):
        delete_in_batches(Delivery.objects.all(), batch_size=0)
