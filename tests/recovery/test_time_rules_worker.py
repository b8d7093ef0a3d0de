"""The periodic time-based rules through a real Celery worker and the real Redis broker: beat's entry fans out chunks
of patient ids, a worker runs them, and the alert is in the database exactly once, however often beat fires."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from config.celery import app as project_app
from recovery.models import Alert
from recovery.tasks import recovery_time_rules_dispatch
from tests.recovery.support import default_protocol_installed
from tests.support import procedure_done
from tests.testenv import redis_url

pytestmark = pytest.mark.clock_sensitive

# A Redis database of its own: the worker consumes only what this test sends.
TEST_BROKER = redis_url("worker")


@pytest.fixture
def worker():
    """A worker thread on the project's Celery configuration, with the broker moved to the test's Redis database.

    Yields a function that waits until `count` runs of a task have finished. Shut down cleanly afterwards; the
    project's app is made current again so nothing else sends to the test broker.
    """
    redis.Redis.from_url(TEST_BROKER).flushdb()
    app = Celery("mild-test-worker", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=TEST_BROKER, task_always_eager=False, broker_connection_retry_on_startup=False)
    finished: list[str] = []
    done = threading.Condition()

    def on_postrun(sender=None, **kwargs) -> None:
        # Runs in the worker thread: give its database connection back, then report.
        connections.close_all()
        with done:
            finished.append(sender.name)
            done.notify_all()

    def wait_for(task_name: str, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        with done:
            while finished.count(task_name) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{task_name} ran {finished.count(task_name)} of {count} times: {finished}"
                done.wait(left)

    task_postrun.connect(on_postrun, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
            yield wait_for
    finally:
        task_postrun.disconnect(on_postrun)
        project_app.set_current()
        project_app.set_default()
        app.close()
        redis.Redis.from_url(TEST_BROKER).flushdb()


@pytest.mark.timeout(120)
@pytest.mark.django_db(transaction=True)
def test_beat_dispatch_runs_the_time_rules_on_a_real_worker(cast, settings, worker):
    # given Alice ten days after her procedure and Bob four days after his, neither has checked in since
    settings.RECOVERY_RULES_CHUNK_SIZE = 1
    default_protocol_installed()
    alice, bob = cast.alice_profile, cast.bob.patient_profile
    procedure_done(alice, cast.carol, alice.local_today() - dt.timedelta(days=10))
    procedure_done(bob, cast.dave, bob.local_today() - dt.timedelta(days=4))

    # when beat fires the dispatcher (twice: a second beat, or the next tick)
    recovery_time_rules_dispatch.delay()
    worker("recovery.tasks.recovery_time_rules_dispatch", 1)
    worker("recovery.tasks.recovery_time_rules_run", 2)  # one chunk per patient
    recovery_time_rules_dispatch.delay()
    worker("recovery.tasks.recovery_time_rules_run", 4)

    # then each has exactly one "no check-in for 3 days" alert
    alerts = Alert.objects.filter(rule="no_checkin_3_days")
    assert sorted(alerts.values_list("patient_id", "tier")) == sorted([(alice.pk, "watch"), (bob.pk, "watch")])
    assert Alert.objects.count() == 2
