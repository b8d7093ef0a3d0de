"""Redis is a cache and a broker, not a single point of failure.

The test starts a redis-server of its own on a free port (never the shared one), points the cache (throttles,
allauth's rate limits) and the Celery broker at it, and stops it while a patient signs in and reports an urgent
warning sign: the check-in is stored with its instruction, reads work, and the clinician's alert waits in the
database. Once Redis is back, a real Celery worker delivers it exactly once.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.cache import cache_recovered
from notifications import tasks
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, Notification
from tests.factories import PASSWORD
from tests.notifications.support import broker_idle, celery_broker_at, worker_running
from tests.ports import free_port
from tests.recovery.support import put_checkin
from tests.support import checkin_body, procedure_done, wait_for

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


FINAL = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)


class OwnRedis:
    """A redis-server process of the test's own, without persistence, that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.ConnectionError:
            return False


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis()
    server.start()
    caches = {
        "default": {
            "BACKEND": "accounts.cache.FailOpenRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
    try:
        with override_settings(CACHES=caches), celery_broker_at(server.url):
            cache_recovered()
            yield server
            if not server.answers():
                server.start()  # celery_broker_at flushes the broker on the way out
    finally:
        server.stop()
        cache_recovered()


@pytest.mark.django_db(transaction=True)
def test_an_urgent_check_in_during_a_redis_outage_is_stored_and_its_alert_arrives_once_redis_is_back(
    cast, own_redis, caplog
):
    from config.celery import app

    today = timezone.now().astimezone(cast.alice_profile.zone).date()
    procedure_done(cast.alice_profile, cast.carol, today - dt.timedelta(days=5))
    # Dr Carol was signed in before Redis went away (a browser session)
    carol = APIClient()
    carol.force_login(cast.carol)

    # Given Redis stops
    own_redis.stop()
    assert not own_redis.answers()

    # When Alice signs in (allauth's rate limits use the cache) and reports a fever
    login = APIClient().post(
        "/_allauth/app/v1/auth/login", {"email": cast.alice.email, "password": PASSWORD}, format="json"
    )
    assert login.status_code == 200, login.content
    alice = APIClient(headers={"X-Session-Token": login.json()["meta"]["session_token"]})
    response = put_checkin(alice, checkin_body(today, red_flags=["fever_chills"]))

    # Then the check-in is stored and tells her what to do
    assert response.status_code == 201, response.content
    assert response.json()["instruction"]["tier"] == "urgent"
    # and reads work, hers and her clinician's
    assert alice.get("/api/v1/me/checkins").json()["count"] == 1
    alerts = carol.get("/api/v1/alerts")
    assert alerts.status_code == 200 and alerts.json()["count"] == 1
    # and the alert's delivery to Dr Carol is a row, waiting for the broker
    (waiting,) = Delivery.objects.filter(recipient=cast.carol, kind=Kind.ALERT, channel=Channel.INAPP)
    assert waiting.status == DeliveryStatus.PENDING
    assert "Cache unavailable" in caplog.text  # the throttles said they were not enforced
    assert not Notification.objects.exists()

    # When Redis is back and a worker runs, with beat's tick
    own_redis.start()
    cache_recovered()
    with worker_running(app, concurrency=2):
        tasks.notifications_tick.delay()
        wait_for(lambda: Notification.objects.filter(recipient=cast.carol).exists(), "Carol's alert")
        tasks.notifications_tick.delay()  # a second tick finds nothing more to send
        wait_for(
            lambda: (
                broker_idle(own_redis.url)
                and not Delivery.objects.filter(channel=Channel.INAPP).exclude(status__in=FINAL).exists()
            ),
            "the broker to drain",
        )

    # Then Dr Carol has the alert exactly once
    (item,) = Notification.objects.filter(recipient=cast.carol)
    assert item.kind == Kind.ALERT and item.title == "Urgent alert"
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (DeliveryStatus.SENT, 1)


def test_an_alerts_deliveries_are_written_in_the_transaction_that_raises_it(cast, django_capture_on_commit_callbacks):
    from django.db import transaction

    from tests.notifications.support import checkin_record

    today = timezone.now().astimezone(cast.alice_profile.zone).date()
    procedure_done(cast.alice_profile, cast.carol, today - dt.timedelta(days=5))

    # Inside the transaction, before any commit callback has run, the delivery row is there
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        checkin_record(cast.alice_profile, today, now=timezone.now(), red_flags=["fever_chills"])
        assert Delivery.objects.filter(recipient=cast.carol, kind=Kind.ALERT, channel=Channel.INAPP).exists()
    assert callbacks  # the after-commit dispatch is only a nudge

    # and a check-in rolled back takes its alert's deliveries with it
    bob = cast.bob.patient_profile
    bob_today = timezone.now().astimezone(bob.zone).date()
    procedure_done(bob, cast.dave, bob_today - dt.timedelta(days=5))
    with pytest.raises(RuntimeError), transaction.atomic():
        checkin_record(bob, bob_today, now=timezone.now(), red_flags=["fall"])
        assert Delivery.objects.filter(recipient=cast.dave).exists()
        raise RuntimeError("the request failed after the check-in")
    assert not Delivery.objects.filter(recipient=cast.dave).exists()
