"""The person's own inbox and push devices: marking messages read, registering and forgetting a device."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import PushSubscription
from notifications.selectors import inbox_items


def inbox_mark_read(*, user: User, notification_id: Any, now: dt.datetime | None = None) -> int:
    """Mark one of the person's items read (only one they can see: a caregiver's about a patient who revoked them
    is left alone)."""
    return inbox_items(user).filter(pk=notification_id, read_at__isnull=True).update(read_at=now or timezone.now())


def inbox_mark_all_read(*, user: User, now: dt.datetime | None = None) -> int:
    return inbox_items(user).filter(read_at__isnull=True).update(read_at=now or timezone.now())


def push_subscription_register(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Register (or move to this person) a device's subscription. One row per endpoint."""
    with transaction.atomic():
        subscription, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]},
        )
    return subscription


def push_subscription_delete(*, user: User, subscription_id: uuid.UUID) -> bool:
    """Forget one of the person's devices; False when they have none with this id."""
    deleted, _ = PushSubscription.objects.filter(pk=subscription_id, user=user).delete()
    return bool(deleted)
