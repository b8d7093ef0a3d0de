"""The fault test: a real worker (prefork, separate processes) is killed with SIGKILL in the middle of a large fan-out;
a new worker and the dispatcher's next ticks finish the job, and every due message reaches the inbox exactly once."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import IO

import pytest
from django.db import connection
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Delivery, DeliveryStatus, Kind, Notification
from tests.notifications.support import broker_idle, celery_broker_at, patient_in, preference
from tests.testenv import redis_url

BROKER = redis_url("fault")
ROOT = Path(__file__).resolve().parents[2]
PATIENTS, DAYS = 40, 75  # 3,000 in-app deliveries
STALE_SECONDS = 5


def _database_url() -> str:
    """The test database (not the one in DATABASE_URL) for the worker processes."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(log: IO[bytes]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": BROKER,
        "CELERY_BROKER_URL": BROKER,
        "TESTING": "true",
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "DELIVERY_STALE_SECONDS": str(STALE_SECONDS),
    }
    command = [
        str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "worker", "--pool", "prefork", "--concurrency", "2",
        "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "-n", f"fault-{uuid.uuid4().hex[:6]}@%h",
    ]  # fmt: skip
    # A session of its own: the worker and its pool children form one process group, killed together.
    return subprocess.Popen(  # noqa: S603 (our own command line)
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _kill(worker: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=20)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_fan_out_loses_nothing_and_doubles_nothing(cast, settings, tmp_path):
    settings.DELIVERY_CHUNK_SIZE = 25
    settings.DELIVERY_STALE_SECONDS = STALE_SECONDS
    patients = [patient_in("America/New_York", clinic=cast.riverside) for _ in range(PATIENTS)]
    for patient in patients:
        preference(patient.user, channels={"checkin": []})  # in-app only
    now = timezone.now()
    planned = [
        services.Planned(p.pk, Kind.CHECKIN_REMINDER, (dt.date(2027, 1, 1) + dt.timedelta(days=d)).isoformat(), now)
        for p in patients
        for d in range(DAYS)
    ]
    services.deliveries_plan(planned, topic_of={Kind.CHECKIN_REMINDER: "checkin"}, now=now)
    total = Delivery.objects.count()
    assert total == PATIENTS * DAYS

    workers: list[subprocess.Popen[bytes]] = []
    log_path = tmp_path / "workers.log"
    with celery_broker_at(BROKER), log_path.open("wb") as log:
        try:
            # The dispatcher claims everything and sends 120 chunks of ids; then the first worker starts on them.
            assert tasks.deliveries_dispatch_now() == total
            workers.append(_start_worker(log))
            deadline = time.monotonic() + 60
            while (done := Notification.objects.count()) == 0:
                assert time.monotonic() < deadline, f"the first worker delivered nothing: {log_path.read_text()}"
                time.sleep(0.005)
            _kill(workers[0])
            at_kill = Notification.objects.count()
            assert 0 < done <= at_kill < total, "the kill did not land in the middle of the fan-out"

            # The new worker starts once the messages the dead one held are past the visibility timeout, so that it
            # takes them back from Redis when it starts (kombu then checks only every 100 s or so).
            time.sleep(6)
            workers.append(_start_worker(log))
            deadline = time.monotonic() + 90
            while Delivery.objects.exclude(status=DeliveryStatus.SENT).exists():
                assert time.monotonic() < deadline, f"not finished after 90 s: {log_path.read_text()}"
                tasks.deliveries_dispatch_now()  # the beat's tick: takes back rows the dead worker held
                time.sleep(1)
            # Let the messages the dead worker held come back from the broker and run (as no-ops).
            deadline = time.monotonic() + 45
            while not broker_idle(BROKER):
                assert time.monotonic() < deadline, "the broker did not drain"
                time.sleep(0.2)
        finally:
            for worker in workers:
                _kill(worker)

    deliveries = list(Delivery.objects.values_list("recipient_id", "kind", "occurrence", "status", "attempts"))
    assert {(status, attempts) for *_, status, attempts in deliveries} == {(DeliveryStatus.SENT, 1)}
    assert Notification.objects.count() == total
    assert set(Notification.objects.values_list("recipient_id", "kind", "occurrence")) == {
        (recipient, kind, occurrence) for recipient, kind, occurrence, *_ in deliveries
    }
