"""The patient's private calendar feed: rotate and revoke its token."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import PatientProfile
from exercises.models import CalendarFeed
from exercises.selectors import calendar_token_hash


def calendar_feed_rotate(*, patient: PatientProfile, now: dt.datetime | None = None) -> tuple[CalendarFeed, str]:
    """A new private feed token for the patient; the old one (if any) stops working. The token is returned once
    and only its hash is stored."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        PatientProfile.objects.select_for_update().filter(pk=patient.pk).first()
        CalendarFeed.objects.filter(patient=patient, revoked_at__isnull=True).update(revoked_at=now)
        feed = CalendarFeed.objects.create(patient=patient, token_hash=calendar_token_hash(token), created_at=now)
    return feed, token


def calendar_feed_revoke(*, patient: PatientProfile, now: dt.datetime | None = None) -> int:
    """Stop the patient's feed. Safe to repeat; returns how many feeds were live."""
    return CalendarFeed.objects.filter(patient=patient, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
