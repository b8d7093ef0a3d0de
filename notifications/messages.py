"""What each kind of notification says, on each channel.

Push payloads and emails carry no health details (no symptoms, scores or patient names): a lock screen or a mailbox
is not private. The in-app inbox, behind sign-in, may say more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from notifications.models import Delivery, Kind, Topic


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str
    # Web Push: how long the push service may hold it for an offline device, and how eagerly to wake the device.
    ttl_seconds: int
    urgency: str
    # The inbox text may name the patient and the alert; push and email use title/body only.
    inbox_body: str | None = None


TOPIC_OF_KIND = {
    Kind.CHECKIN_REMINDER: Topic.CHECKIN,
    Kind.CHECKIN_NUDGE: Topic.CHECKIN,
    Kind.EXERCISE_REMINDER: Topic.EXERCISE,
    Kind.MILESTONE_OPENED: Topic.MILESTONE,
    Kind.MILESTONE_CLOSING: Topic.MILESTONE,
    Kind.ALERT_DIGEST: Topic.ALERT_DIGEST,
}

EMAIL_SUBJECTS = {
    Kind.CHECKIN_REMINDER: "Time for today's check-in",
    Kind.CHECKIN_NUDGE: "We have not heard from you for a few days",
    Kind.EXERCISE_REMINDER: "Time for your exercises",
    Kind.MILESTONE_OPENED: "Your recovery check-up is open",
    Kind.MILESTONE_CLOSING: "Your recovery check-up closes soon",
    Kind.ALERT: "A patient needs attention",
    Kind.ALERT_ESCALATION: "An alert is waiting for someone to respond",
    Kind.ALERT_DIGEST: "Today's watch list",
}

HOUR = 60 * 60


def build(delivery: Delivery, context: dict[str, str] | None = None) -> Message:
    """The message for one delivery. `context` carries the few names the inbox text uses (looked up in batch)."""
    context = context or {}
    app = settings.APP_URL
    kind = delivery.kind
    if kind == Kind.CHECKIN_REMINDER:
        return Message("Time for today's check-in", "It takes a minute. Tell us how you are today.",
                       f"{app}/app/checkin", 12 * HOUR, "normal")  # fmt: skip
    if kind == Kind.CHECKIN_NUDGE:
        return Message(
            "We have not heard from you for a few days",
            "A quick check-in helps your care team see how you are doing.",
            f"{app}/app/checkin", 12 * HOUR, "normal",
        )  # fmt: skip
    if kind == Kind.EXERCISE_REMINDER:
        return Message("Time for your exercises", "Your exercises for now are ready in the app.",
                       f"{app}/app/exercises", 2 * HOUR, "normal")  # fmt: skip
    if kind == Kind.MILESTONE_OPENED:
        return Message(
            "Your recovery check-up is open",
            "A few questions about how you are doing. It helps your care team see your progress.",
            f"{app}/app/assessments", 3 * 24 * HOUR, "low",
            inbox_body=f"{context.get('milestone', 'Your check-up')} is open until {context.get('closes_on', 'soon')}.",
        )  # fmt: skip
    if kind == Kind.MILESTONE_CLOSING:
        return Message(
            "Your recovery check-up closes soon",
            "Please answer the check-up questions in the next few days.",
            f"{app}/app/assessments", 24 * HOUR, "normal",
            inbox_body=f"{context.get('milestone', 'Your check-up')} closes on {context.get('closes_on', 'soon')}.",
        )  # fmt: skip
    if kind in (Kind.ALERT, Kind.ALERT_ESCALATION):
        tier = context.get("tier", "")
        escalated = kind == Kind.ALERT_ESCALATION
        title = f"{tier.capitalize()} alert" + (": not yet acknowledged" if escalated else "")
        return Message(
            title.strip(),
            "A patient needs attention. Open the alert queue.",
            f"{app}/app/clinician/alerts/{delivery.subject_id}",
            HOUR if tier == "emergency" else 4 * HOUR,
            "high",
            inbox_body=f"{context.get('patient', 'A patient')}: {context.get('alert', 'red flag reported')}.",
        )
    if kind == Kind.ALERT_DIGEST:
        return Message(
            "Today's watch list",
            "Some of your patients have new watch-tier alerts to review.",
            f"{app}/app/clinician/alerts?tier=watch",
            12 * HOUR,
            "low",
            inbox_body=f"{context.get('count', 'Some')} new watch-tier alerts since yesterday.",
        )
    raise ValueError(f"Unknown kind {kind}")
