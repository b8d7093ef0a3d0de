"""Celery tasks: thin, ids only, idempotent. acks_late + reject_on_worker_lost, so a killed worker's task runs again
elsewhere; the services make a second run harmless. No task carries health data and none waits in the broker with a
long countdown: retries are scheduled in the database (Delivery.due_at) and picked up by the next tick."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from notifications import services
from notifications.models import Channel, Delivery

logger = logging.getLogger(__name__)

TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
    "autoretry_for": (DatabaseError, ConnectionError),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": 60,
    "time_limit": 90,
}


@shared_task(**TASK_OPTIONS)
def notifications_tick() -> dict[str, int]:
    """Every minute (beat): plan what became due, then dispatch everything due. Two beats at once are harmless."""
    now = timezone.now()
    planned = {
        "reminders": services.reminders_plan_due(now),
        "exercises": services.exercise_reminders_plan(now),
        "milestones_closing": services.milestones_closing_plan(now),
        "alerts_missed": services.alerts_plan_missed(now),
        "escalations": services.escalations_plan(now),
        "digests": services.digests_plan(now),
    }
    planned["dispatched"] = deliveries_dispatch_now()
    return planned


def deliveries_dispatch_now() -> int:
    """Claim due deliveries in batches and send them to workers as chunks of ids."""
    total = 0
    size = int(settings.DELIVERY_CHUNK_SIZE)
    for _ in range(int(settings.DELIVERY_MAX_BATCHES_PER_TICK)):
        ids = services.deliveries_claim_due(now=timezone.now(), limit=int(settings.DELIVERY_CLAIM_BATCH))
        if not ids:
            break
        for chunk in services.chunks(ids, size):
            deliveries_send.delay(chunk)
        total += len(ids)
    return total


@shared_task(**TASK_OPTIONS)
def deliveries_dispatch() -> int:
    """Dispatch at once (used right after an emergency or urgent alert is planned, not waiting for the tick)."""
    return deliveries_dispatch_now()


@shared_task(**TASK_OPTIONS)
def deliveries_send(delivery_ids: list[int]) -> int:
    """Send a chunk: the in-app ones together in one transaction, then push and email one by one."""
    channels = dict(Delivery.objects.filter(id__in=delivery_ids).values_list("id", "channel"))
    inapp = [pk for pk in delivery_ids if channels.get(pk) == Channel.INAPP]
    sent = services.inapp_deliver(inapp) if inapp else 0
    for pk in delivery_ids:
        if channels.get(pk) in (Channel.PUSH, Channel.EMAIL):
            services.external_deliver(pk)
    return sent
