"""Reads for notifications over HTTP: a person's inbox, devices, deliveries and preferences. Everything here is the
signed-in person's own (or, for deliveries, a patient the caller has already been given by accounts.access)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404

from accounts.models import CaregiverLink, Grant, User
from notifications.models import Delivery, Kind, Notification, PushSubscription
from recovery.models import Alert


def inbox_items(user: User) -> QuerySet[Notification]:
    """The person's own inbox items. A caregiver's items about a patient count only while the patient lets them get
    her reminders: revoking the grant (or the caregiver) hides them at once, like everything else of hers."""
    items = Notification.objects.filter(recipient=user)
    if user.is_caregiver:
        granted = CaregiverLink.objects.granting(Grant.REMINDERS).filter(caregiver=user).values("patient_id")
        items = items.filter(Q(about__isnull=True) | Q(about__in=granted))
    return items


def inbox_of(user: User) -> QuerySet[Notification]:
    """Unread first, newest first; a caregiver's items with the patient each is about."""
    return (
        inbox_items(user)
        .select_related("about__user")
        .order_by(F("read_at").desc(nulls_first=True), "-created_at", "id")
    )


def inbox_unread_count(user: User) -> int:
    return inbox_items(user).filter(read_at__isnull=True).count()


def notification_of(user: User, notification_id: uuid.UUID) -> Notification:
    """One of the person's notifications; Http404 for any other id."""
    try:
        return inbox_items(user).select_related("about__user").get(pk=notification_id)
    except Notification.DoesNotExist as exc:
        raise Http404("No notification with this id.") from exc


def user_with_preferences(user: User) -> User:
    return User.objects.select_related("patient_profile", "clinic", "notification_preference").get(pk=user.pk)


def user_by_id(user_id: uuid.UUID | str) -> User | None:
    return User.objects.filter(pk=user_id).first()


def push_subscriptions_of(user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user)


def deliveries_for(user: User) -> QuerySet[Delivery]:
    return Delivery.objects.filter(recipient=user)


def deliveries_filtered(
    deliveries: QuerySet[Delivery],
    *,
    kind: str | None = None,
    status: str | None = None,
    due_from: dt.datetime | None = None,
    due_to: dt.datetime | None = None,
) -> QuerySet[Delivery]:
    """`deliveries` narrowed to those given (`due_from`/`due_to` inclusive), newest due first."""
    if kind is not None:
        deliveries = deliveries.filter(kind=kind)
    if status is not None:
        deliveries = deliveries.filter(status=status)
    if due_from is not None:
        deliveries = deliveries.filter(due_at__gte=due_from)
    if due_to is not None:
        deliveries = deliveries.filter(due_at__lte=due_to)
    return deliveries.order_by("-due_at", "-id")


def inbox_patients(items: Iterable[Notification]) -> list[Any]:
    """The patients these inbox items show: those whose alerts a clinician's items name (the title names the patient
    and the warning sign), and those a caregiver's items are about."""
    items = list(items)
    about = [n.about_id for n in items if n.about_id is not None]
    alert_ids = [n.occurrence for n in items if n.kind in (Kind.ALERT, Kind.ALERT_ESCALATION)]
    alerted = (
        list(Alert.objects.filter(pk__in=alert_ids).values_list("patient_id", flat=True).distinct())
        if alert_ids
        else []
    )
    return list(dict.fromkeys([*alerted, *about]))
