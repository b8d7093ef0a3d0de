"""What notifications does when recovery announces something (connected in NotificationsConfig.ready)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from notifications import services
from notifications.models import Delivery, DeliveryStatus, Kind
from recovery.models import CheckIn

logger = logging.getLogger(__name__)


def _dispatch_soon() -> None:
    from notifications.tasks import deliveries_dispatch

    try:
        deliveries_dispatch.delay()
    except Exception:
        # The broker is down: the deliveries are planned in the database and the next tick sends them.
        logger.exception("Could not queue an immediate dispatch; the next tick will send.")


def on_alert_raised(sender: Any, *, alert_id: Any, tier: str, **kwargs: Any) -> None:
    if tier in ("emergency", "urgent") and services.alert_plan(alert_id=alert_id):
        transaction.on_commit(_dispatch_soon)


def on_milestone_opened(sender: Any, *, milestone_id: Any, **kwargs: Any) -> None:
    if services.milestone_opened_plan(milestone_id=milestone_id):
        transaction.on_commit(_dispatch_soon)


def on_checkin_recorded(sender: Any, *, checkin_id: Any, patient_id: Any, **kwargs: Any) -> None:
    """Today's reminder is not needed any more once the check-in is in."""
    local_date = CheckIn.objects.filter(pk=checkin_id).values_list("local_date", flat=True).first()
    if local_date is None:
        return
    Delivery.objects.filter(
        recipient_id=patient_id,
        kind__in=(Kind.CHECKIN_REMINDER, Kind.CHECKIN_NUDGE),
        occurrence=local_date.isoformat(),
        status=DeliveryStatus.PENDING,
    ).update(status=DeliveryStatus.SKIPPED, last_error="check-in already done")
