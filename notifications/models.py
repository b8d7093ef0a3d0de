"""Notifications: the inbox, preferences, Web Push subscriptions, and the delivery rows that make each effect happen
exactly once.

A Delivery is one (recipient, kind, occurrence, channel). Its unique key is what stops a second beat, a replayed task or
a restarted worker from sending twice: planners insert rows (conflicts ignored), dispatchers claim due rows with
SKIP LOCKED, senders flip a row to sent in the same transaction as the effect (in-app) or right after it (push, email).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce


class Kind(models.TextChoices):
    CHECKIN_REMINDER = "checkin_reminder", "Daily check-in reminder"
    CHECKIN_NUDGE = "checkin_nudge", "Check-in nudge after missed days"
    EXERCISE_REMINDER = "exercise_reminder", "Exercise reminder"
    MILESTONE_OPENED = "milestone_opened", "Milestone window opened"
    MILESTONE_CLOSING = "milestone_closing", "Milestone window closing soon"
    BASELINE_REMINDER = "baseline_reminder", "Baseline questions before the procedure"
    # Before the procedure, from the preparation checklist (journey): an item's last day, a blood thinner's first day
    # without it, and the day it may be taken again.
    PREPARATION_REMINDER = "preparation_reminder", "Preparation checklist item due"
    MEDICINE_STOP = "medicine_stop", "First day without a blood thinner"
    MEDICINE_RESTART = "medicine_restart", "Day a blood thinner may be restarted"
    # The evening before the procedure: the checklist items due that day or on the procedure day not yet ticked.
    PROCEDURE_EVE = "procedure_eve", "Evening before the procedure"
    ALERT = "alert", "Red-flag alert"
    ALERT_ESCALATION = "alert_escalation", "Unacknowledged alert escalation"
    ALERT_DIGEST = "alert_digest", "Daily digest of watch alerts"
    # To a caregiver with the "reminders" grant: the patient reported an emergency or urgent warning sign.
    CAREGIVER_ALERT = "caregiver_alert", "What to do now, for a caregiver"


class Channel(models.TextChoices):
    INAPP = "inapp", "In-app inbox"
    PUSH = "push", "Web Push"
    EMAIL = "email", "Email"


# What people choose channels for. The in-app inbox always receives everything; these pick push and email on top.
class Topic(models.TextChoices):
    CHECKIN = "checkin", "Daily check-in"
    EXERCISE = "exercise", "Exercises"
    MILESTONE = "milestone", "Milestones"
    ALERT_EMERGENCY = "alert_emergency", "Emergency alerts"
    ALERT_URGENT = "alert_urgent", "Urgent alerts"
    ALERT_DIGEST = "alert_digest", "Daily digest of watch alerts"


PATIENT_TOPICS = (Topic.CHECKIN, Topic.EXERCISE, Topic.MILESTONE)
STAFF_TOPICS = (Topic.ALERT_EMERGENCY, Topic.ALERT_URGENT, Topic.ALERT_DIGEST)
# A caregiver gets the patients' reminders, and what to do when one of them reports an emergency or urgent sign.
CAREGIVER_TOPICS = (*PATIENT_TOPICS, Topic.ALERT_EMERGENCY, Topic.ALERT_URGENT)
DEFAULT_CHANNELS: dict[str, list[str]] = {
    Topic.CHECKIN: [Channel.PUSH],
    Topic.EXERCISE: [Channel.PUSH],
    Topic.MILESTONE: [Channel.PUSH, Channel.EMAIL],
    Topic.ALERT_EMERGENCY: [Channel.PUSH, Channel.EMAIL],
    Topic.ALERT_URGENT: [Channel.PUSH, Channel.EMAIL],
    Topic.ALERT_DIGEST: [Channel.EMAIL],
}
DEFAULT_CHECKIN_REMINDER_TIME = dt.time(18, 0)
DEFAULT_DIGEST_TIME = dt.time(8, 0)


class NotificationPreference(models.Model):
    """How and when a person wants to hear from us. A missing row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    checkin_reminder_time = models.TimeField(default=DEFAULT_CHECKIN_REMINDER_TIME)
    # Push and email wait outside quiet hours (the inbox still gets everything). Both null means none.
    quiet_hours_start = models.TimeField(null=True, blank=True)
    quiet_hours_end = models.TimeField(null=True, blank=True)
    # Pause all reminders, e.g. during a hospital stay. Alerts to clinicians are never paused.
    paused = models.BooleanField(default=False)
    channels = models.JSONField(default=dict, blank=True, help_text="topic -> list of 'push'/'email'.")
    digest_time = models.TimeField(default=DEFAULT_DIGEST_TIME)
    # Staff have no patient profile: their local time for the digest and quiet hours. Empty: the clinic's zone.
    time_zone = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(quiet_hours_start__isnull=True) & Q(quiet_hours_end__isnull=True))
                | (
                    Q(quiet_hours_start__isnull=False)
                    & Q(quiet_hours_end__isnull=False)
                    & ~Q(quiet_hours_start=models.F("quiet_hours_end"))
                ),
                name="preference_quiet_hours_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Preferences of {self.user_id}"

    def channels_for(self, topic: str) -> list[str]:
        chosen = self.channels.get(topic)
        return list(DEFAULT_CHANNELS.get(topic, []) if chosen is None else chosen)


class PushSubscription(models.Model):
    """One browser or phone that accepted Web Push for a person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Push subscription {self.pk}"

    def info(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Notification(models.Model):
    """An item in a person's in-app inbox. Every notification lands here, whatever else is used."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurrence = models.CharField(max_length=120)
    # A caregiver's item: the patient it is about (empty for a person's own).
    about = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            # A caregiver may help several patients: their items are once per patient too (no patient is a value).
            # A person's own item has no `about`; a caregiver's copy names the patient. The key reads a missing
            # `about` as the recipient (an expression index, so it holds on PostgreSQL and on make run's SQLite).
            models.UniqueConstraint(
                "recipient",
                "kind",
                "occurrence",
                Coalesce("about", "recipient"),
                name="notification_once_per_occurrence",
            )
        ]
        indexes = [
            models.Index(fields=("recipient", "-created_at")),
            models.Index(fields=("recipient",), condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # planned, waiting for its due time (or for a retry)
    QUEUED = "queued", "Queued"  # claimed by a dispatcher and handed to a worker
    SENDING = "sending", "Sending"  # a worker is talking to the push service or mail server
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"  # gave up: permanent error or retries exhausted
    SKIPPED = "skipped", "Skipped"  # no longer needed (check-in done, quiet hours, paused, no subscription)


class Delivery(models.Model):
    """One effect: this kind of message, for this occurrence, to this person, on this channel. At most once."""

    id = models.BigAutoField(primary_key=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Which instance of the kind: the local date of a daily reminder, an alert id, an exercise occurrence key...
    occurrence = models.CharField(max_length=120)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # What the message is about, for building it at send time (ids only; no health data is copied here).
    subject_id = models.CharField(max_length=64, blank=True)
    # A caregiver's copy of a patient's reminder or alert: the patient (empty for a person's own). Checked again at
    # send time: a caregiver who lost the "reminders" grant gets nothing more.
    about = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField(help_text="The intended time (UTC).")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ("-due_at",)
        constraints = [
            models.UniqueConstraint(
                "recipient",
                "kind",
                "occurrence",
                "channel",
                Coalesce("about", "recipient"),
                name="delivery_once_per_occurrence_channel",
            )
        ]
        indexes = [
            models.Index(fields=("due_at",), condition=Q(status="pending"), name="delivery_pending_due_idx"),
            models.Index(
                fields=("queued_at",), condition=Q(status__in=("queued", "sending")), name="delivery_inflight_idx"
            ),
            models.Index(fields=("recipient", "-due_at")),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.occurrence} via {self.channel} to {self.recipient_id}: {self.status}"
