"""How long delivered notifications are kept (NOTIFICATION_RETENTION_DAYS), enforced by a periodic task.

Deliveries that finished (sent, failed or skipped) and inbox items older than the retention period are deleted in
batches (RETENTION_BATCH_SIZE). Those about an alert that is still open stay: the escalation planner looks for them
to know an alert was already escalated, and deleting them would send the escalation again. Pending and in-flight
deliveries are never touched. The PHI access log is not here: the application never deletes it (README, "Backups and
retention").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from accounts.retention import delete_in_batches
from notifications.models import Delivery, DeliveryStatus, Kind, Notification
from recovery.models import Alert, AlertState

FINISHED = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)
ALERT_KINDS = (Kind.ALERT, Kind.ALERT_ESCALATION)


def notifications_purge_expired(*, now: dt.datetime | None = None, batch_size: int | None = None) -> dict[str, int]:
    now = now or timezone.now()
    size = batch_size or int(settings.RETENTION_BATCH_SIZE)
    cutoff = now - dt.timedelta(days=int(settings.NOTIFICATION_RETENTION_DAYS))
    open_alerts = [str(pk) for pk in Alert.objects.filter(state=AlertState.OPEN).values_list("pk", flat=True)]
    deliveries = Delivery.objects.filter(status__in=FINISHED, created_at__lt=cutoff).exclude(
        kind__in=ALERT_KINDS, subject_id__in=open_alerts
    )
    inbox = Notification.objects.filter(created_at__lt=cutoff).exclude(kind__in=ALERT_KINDS, occurrence__in=open_alerts)
    return {
        "deliveries": sum(delete_in_batches(deliveries, batch_size=size)),
        "inbox": sum(delete_in_batches(inbox, batch_size=size)),
    }
