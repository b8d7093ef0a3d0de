"""Fixtures of the notification tests that run real Celery workers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings

from tests.notifications.support import MORNING, WORKER_BROKER, celery_broker_at, worker_running


@pytest.fixture
def morning() -> Iterator[None]:
    """The clock at MORNING and moving on (the worker threads see it too); asked for first, before the data."""
    with time_machine.travel(MORNING, tick=True):
        yield


@pytest.fixture
def alerts_worker(transactional_db: None) -> Iterator[Any]:
    """A worker of the alerts queue only (celery worker -Q alerts), as the Procfile's `alerts` process."""
    with (
        celery_broker_at(WORKER_BROKER) as app,
        worker_running(app, concurrency=2, queues=[settings.CELERY_ALERTS_QUEUE]) as running,
    ):
        yield running
