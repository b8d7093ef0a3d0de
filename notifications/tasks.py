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

from notifications import retention, services
from notifications.models import Channel, Delivery, Kind

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
        "baseline": services.baseline_reminders_plan(now),
        "preparation": services.preparation_reminders_plan(now),
        "alerts_missed": services.alerts_plan_missed(now),
        "escalations": services.escalations_plan(now),
        "digests": services.digests_plan(now),
    }
    planned["dispatched"] = deliveries_dispatch_now()
    return planned


# Emergency and urgent alerts' deliveries (the alert itself, its escalation, and what to do now for caregivers) go
# through a queue of their own, consumed by a worker of their own, so they never wait behind a fan-out of reminders or
# digests.
ALERT_KINDS = (Kind.ALERT, Kind.ALERT_ESCALATION, Kind.CAREGIVER_ALERT)


def deliveries_dispatch_now(*, alerts_only: bool = False) -> int:
    """Claim due deliveries in batches and send them to workers as chunks of ids: the alerts' on the alerts queue
    first, then (unless `alerts_only`) everything else on the default queue."""
    total = _dispatch(kinds=ALERT_KINDS, exclude=False, queue=settings.CELERY_ALERTS_QUEUE)
    if not alerts_only:
        total += _dispatch(kinds=ALERT_KINDS, exclude=True, queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    return total


def _dispatch(*, kinds: tuple[str, ...], exclude: bool, queue: str) -> int:
    total = 0
    size = int(settings.DELIVERY_CHUNK_SIZE)
    for _ in range(int(settings.DELIVERY_MAX_BATCHES_PER_TICK)):
        ids = services.deliveries_claim_due(
            now=timezone.now(), limit=int(settings.DELIVERY_CLAIM_BATCH), kinds=kinds, exclude_kinds=exclude
        )
        if not ids:
            break
        for chunk in services.chunks(ids, size):
            deliveries_send.apply_async((chunk,), queue=queue)
        total += len(ids)
    return total


@shared_task(**TASK_OPTIONS)
def deliveries_dispatch() -> int:
    """Dispatch everything due at once, not waiting for the tick (after a milestone opens)."""
    return deliveries_dispatch_now()


@shared_task(**TASK_OPTIONS)
def alert_deliveries_dispatch() -> int:
    """Right after an emergency or urgent alert is planned: claim and send the alerts' deliveries only. Routed to the
    alerts queue (CELERY_TASK_ROUTES), like the chunks it sends."""
    return deliveries_dispatch_now(alerts_only=True)


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


@shared_task(**TASK_OPTIONS)
def notifications_retention_purge() -> dict[str, int]:
    """Hourly (beat): delete delivered notifications past their retention, in batches."""
    return retention.notifications_purge_expired()
