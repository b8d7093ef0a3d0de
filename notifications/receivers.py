"""What notifications does when recovery announces something (connected in NotificationsConfig.ready)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from notifications import services

logger = logging.getLogger(__name__)


def _dispatch_soon(*, alerts: bool = False) -> None:
    """Queue an immediate dispatch: of the alerts' deliveries only, on their own queue, or of everything due."""
    from notifications.tasks import alert_deliveries_dispatch, deliveries_dispatch

    try:
        (alert_deliveries_dispatch if alerts else deliveries_dispatch).delay()
    except Exception:
        # The broker is down: the deliveries are planned in the database and the next tick sends them.
        logger.exception("Could not queue an immediate dispatch; the next tick will send.")


def on_alert_recorded(sender: Any, *, alert_id: Any, tier: str, **kwargs: Any) -> None:
    """Inside the transaction that records the alert: its deliveries become rows in that same transaction, so they
    exist exactly when the alert does, whatever happens to the broker."""
    if tier in ("emergency", "urgent"):
        services.alert_plan(alert_id=alert_id)


def on_alert_raised(sender: Any, *, alert_id: Any, tier: str, **kwargs: Any) -> None:
    """After the commit: send the planned deliveries at once rather than at the next tick (best effort; a broker
    that cannot be reached leaves them to the tick, which claims due rows once it is back)."""
    if tier in ("emergency", "urgent"):
        _dispatch_soon(alerts=True)


def on_milestone_opened(sender: Any, *, milestone_id: Any, **kwargs: Any) -> None:
    if services.milestone_opened_plan(milestone_id=milestone_id):
        transaction.on_commit(_dispatch_soon)
