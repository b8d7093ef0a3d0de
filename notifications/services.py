"""The delivery engine: plan what is due, claim it, send it, exactly once per (recipient, kind, occurrence, channel).

1. Planners turn facts into Delivery rows with their intended time (due_at, UTC, computed from each person's zone).
   They insert with conflicts ignored, so planning twice (two beats, a retried task) plans nothing new.
2. The dispatcher claims due rows with SELECT ... FOR UPDATE SKIP LOCKED, marks them queued and hands chunks of ids
   to workers. Another dispatcher running at the same moment skips the locked rows instead of waiting or doubling.
3. Senders lock their rows again, check they are still queued, and make the effect. In-app: the inbox row and the
   status change commit together, so it happens exactly once. Push and email: the row is marked `sending` first, then
   sent, then marked sent; if a worker dies in between, the row is retried after a timeout (a delay, never a loss),
   and the push Topic / email Message-ID let the receiving side fold a rare repeat.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import CareTeamMember, PatientProfile, Role, User
from accounts.scoping import patients_visible_to
from exercises import selectors as exercise_selectors
from journey import reminders as journey_reminders
from journey import selectors as journey_selectors
from notifications import caregiving, messages, rendering, transports, wanted
from notifications.models import (
    DEFAULT_CHECKIN_REMINDER_TIME,
    DEFAULT_DIGEST_TIME,
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    Notification,
    NotificationPreference,
    Topic,
)
from notifications.timing import in_quiet_hours, local_to_utc, quiet_hours_end_after
from recovery import selectors as recovery_selectors
from recovery.models import Alert, PatientMilestone, Tier

logger = logging.getLogger(__name__)

# Kinds whose push/email are pointless late: inside quiet hours they are skipped rather than held.
TIME_BOUND_KINDS = (Kind.CHECKIN_REMINDER, Kind.CHECKIN_NUDGE, Kind.EXERCISE_REMINDER)
# Emergency and urgent alerts (and their escalations): a patient may be in danger, so quiet hours never hold or skip
# them. Only these two tiers are ever planned as these kinds (watch alerts wait for the digest).
INTERRUPTING_KINDS = (Kind.ALERT, Kind.ALERT_ESCALATION, Kind.CAREGIVER_ALERT)
# The alert topics for which a clinician must keep at least one interrupting channel (push or email).
ALWAYS_INTERRUPTING_TOPICS = (Topic.ALERT_EMERGENCY,)


@dataclass(frozen=True)
class Planned:
    recipient_id: Any
    kind: str
    occurrence: str
    due_at: dt.datetime
    subject_id: str = ""
    about: Any = None  # a caregiver's copy: the patient it is about


# --- Preferences ------------------------------------------------------------------------------------------------------


def preference_of(user: User) -> NotificationPreference:
    """The stored preferences, or unsaved defaults."""
    # The reverse one-to-one raises an AttributeError subclass when there is no row (and uses select_related caches).
    preference: NotificationPreference | None = getattr(user, "notification_preference", None)
    return preference if preference is not None else NotificationPreference(user=user)


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    """The person's own time zone: the patient profile's, or for staff their preference or their clinic's."""
    profile = getattr(user, "patient_profile", None) if user.role == Role.PATIENT else None
    if profile is not None:
        return profile.zone
    preference = preference_of(user)
    name = preference.time_zone or (user.clinic.time_zone if user.clinic else "UTC")
    return zoneinfo.ZoneInfo(name)


def preference_update(*, user: User, time_zone: str | None = None, **fields: Any) -> NotificationPreference:
    """Change some preferences. Clinicians and caregivers cannot turn off every interrupting channel (push and email)
    for emergency alerts: the in-app inbox alone would leave an emergency unseen until someone opens the app."""
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        channels = fields.pop("channels", None)
        if channels is not None:
            preference.channels = {**preference.channels, **channels}
            if user.is_clinic_staff or user.is_caregiver:
                for topic in ALWAYS_INTERRUPTING_TOPICS:
                    if not preference.channels_for(topic):
                        raise ValidationError(
                            {
                                f"channels.{topic}": [
                                    "Keep push or email on for emergency alerts: an emergency must reach you "
                                    "even when the app is closed."
                                ]
                            }
                        )
        for name, value in fields.items():
            setattr(preference, name, value)
        if time_zone is not None:
            if user.role == Role.PATIENT:
                PatientProfile.objects.filter(user=user).update(time_zone=time_zone)
            else:
                preference.time_zone = time_zone
        preference.save()
    return preference


# --- Planning ---------------------------------------------------------------------------------------------------------


def _channels_for(preferences: dict[Any, NotificationPreference], user_id: Any, topic: str) -> list[str]:
    preference = preferences.get(user_id) or NotificationPreference()
    return [Channel.INAPP, *[c for c in preference.channels_for(topic) if c != Channel.INAPP]]


def deliveries_plan(planned: Sequence[Planned], *, topic_of: dict[str, str], now: dt.datetime) -> int:
    """Insert one delivery per channel for each planned message, ignoring ones that exist; returns how many rows are
    new. Push/email inside a person's quiet hours are skipped (time-bound reminders) or held until they end; emergency
    and urgent alerts (INTERRUPTING_KINDS) go out at once whatever the hour."""
    if not planned:
        return 0
    user_ids = {p.recipient_id for p in planned}
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}
    zones: dict[Any, zoneinfo.ZoneInfo] = {}
    quiet_users = [uid for uid, p in preferences.items() if p.quiet_hours_start is not None]
    if quiet_users:
        for user in User.objects.filter(pk__in=quiet_users).select_related("patient_profile", "clinic"):
            zones[user.pk] = zone_of(user)
    rows: list[Delivery] = []
    for item in planned:
        preference = preferences.get(item.recipient_id)
        for channel in _channels_for(preferences, item.recipient_id, topic_of[item.kind]):
            row = Delivery(
                recipient_id=item.recipient_id,
                kind=item.kind,
                occurrence=item.occurrence,
                channel=channel,
                subject_id=item.subject_id,
                about_id=item.about,
                due_at=item.due_at,
                created_at=now,
            )
            zone = zones.get(item.recipient_id)
            interrupting = item.kind in INTERRUPTING_KINDS
            if channel != Channel.INAPP and not interrupting and preference is not None and zone is not None:
                start, end = preference.quiet_hours_start, preference.quiet_hours_end
                if in_quiet_hours(item.due_at, zone, start, end):
                    if item.kind in TIME_BOUND_KINDS:
                        row.status, row.last_error = DeliveryStatus.SKIPPED, "quiet hours"
                    else:
                        row.due_at = quiet_hours_end_after(item.due_at, zone, start, end)
            rows.append(row)
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    # ON CONFLICT DO NOTHING returns no ids; the rows this call wrote are the ones stamped with its `now`.
    return Delivery.objects.filter(
        created_at=now, kind__in={p.kind for p in planned}, occurrence__in={p.occurrence for p in planned}
    ).count()


def with_caregivers(planned: Sequence[Planned]) -> list[Planned]:
    """The patients' reminders, and a copy of each (same kind, occurrence and due time, `about` the patient) for each
    caregiver holding the patient's "reminders" grant now; the caregiver's own channels and quiet hours apply."""
    caregivers = caregiving.caregivers_getting_reminders(p.recipient_id for p in planned) if planned else {}
    copies = [
        Planned(caregiver_id, p.kind, p.occurrence, p.due_at, p.subject_id, about=p.recipient_id)
        for p in planned
        for caregiver_id in caregivers.get(p.recipient_id, ())
    ]
    return [*planned, *copies]


def _topics() -> dict[str, str]:
    return {str(kind): str(topic) for kind, topic in messages.TOPIC_OF_KIND.items()}


def reminders_plan_due(now: dt.datetime | None = None) -> int:
    """Plan daily check-in reminders whose local time came in the look-back window (REMINDER_LOOKBACK_MINUTES).

    Work is grouped by (time zone, reminder time): the due instant is computed once per group with zoneinfo, and
    the patients of a due group are found with one query. A group is due when its instant for the local date "today"
    or "yesterday" lies in (now - look-back, now]; the local date is the occurrence, so each day's reminder is planned
    once, whatever the DST change does to the clock.
    """
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=int(settings.REMINDER_LOOKBACK_MINUTES))
    groups = (
        PatientProfile.objects.filter(user__is_active=True)
        .exclude(user__notification_preference__paused=True)
        .annotate(
            reminder_time=Coalesce(
                F("user__notification_preference__checkin_reminder_time"), DEFAULT_CHECKIN_REMINDER_TIME
            )
        )
        .values_list("time_zone", "reminder_time")
        # Without clearing PatientProfile's default ordering (by name), DISTINCT would be per patient, not per group.
        .order_by()
        .distinct()
    )
    planned: list[Planned] = []
    for zone_name, reminder_time in groups:
        zone = zoneinfo.ZoneInfo(zone_name)
        today = now.astimezone(zone).date()
        for day in (today - dt.timedelta(days=1), today):
            due = local_to_utc(day, reminder_time, zone)
            if not since < due <= now:
                continue
            patients = (
                recovery_selectors.patients_expecting_checkin(day, zone_name)
                .exclude(user__notification_preference__paused=True)
                .annotate(
                    reminder_time=Coalesce(
                        F("user__notification_preference__checkin_reminder_time"), DEFAULT_CHECKIN_REMINDER_TIME
                    )
                )
                .filter(reminder_time=reminder_time)
                .values_list("user_id", "missed_two_days")
            )
            planned.extend(
                Planned(uid, Kind.CHECKIN_NUDGE if missed else Kind.CHECKIN_REMINDER, day.isoformat(), due)
                for uid, missed in patients.iterator(chunk_size=5000)
            )
    return deliveries_plan(with_caregivers(planned), topic_of=_topics(), now=now)


def exercise_reminders_plan(now: dt.datetime | None = None) -> int:
    """One reminder per exercise time slot (all the sessions a patient has at, say, 09:00 together), at the slot's
    local time (DST-correct, from recovery's plan). The occurrence is the local date and time, so each slot is
    reminded once."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=int(settings.REMINDER_LOOKBACK_MINUTES))
    due = exercise_selectors.exercise_occurrences_due_between(start=since, end=now + dt.timedelta(microseconds=1))
    paused = set(
        NotificationPreference.objects.filter(user_id__in={o.patient_id for o in due}, paused=True).values_list(
            "user_id", flat=True
        )
    )
    # No reminders while an emergency or urgent alert pauses the patient's exercise plan (recovery.selectors).
    paused |= recovery_selectors.patients_with_exercises_paused({o.patient_id for o in due})
    slots = {
        (o.patient_id, f"{o.local_date.isoformat()}T{o.local_time}"): o.due_at
        for o in due
        if o.patient_id not in paused
    }
    planned = [Planned(pid, Kind.EXERCISE_REMINDER, slot, due_at) for (pid, slot), due_at in slots.items()]
    return deliveries_plan(with_caregivers(planned), topic_of=_topics(), now=now)


def milestone_opened_plan(*, milestone_id: Any, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    milestone = PatientMilestone.objects.select_related("patient__user").get(pk=milestone_id)
    if not milestone.patient.user.is_active or preference_of(milestone.patient.user).paused:
        return 0
    item = Planned(milestone.patient_id, Kind.MILESTONE_OPENED, str(milestone.pk), now, str(milestone.pk))
    return deliveries_plan(with_caregivers([item]), topic_of=_topics(), now=now)


def milestones_closing_plan(now: dt.datetime | None = None) -> int:
    """A nudge three days before a milestone window closes, at the patient's check-in reminder time."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=int(settings.REMINDER_LOOKBACK_MINUTES))
    utc_today = now.date()
    planned = []
    closing = recovery_selectors.milestones_closing_between(
        utc_today + dt.timedelta(days=2), utc_today + dt.timedelta(days=4)
    )
    for milestone in closing.select_related("patient__user__notification_preference"):
        patient = milestone.patient
        preference = preference_of(patient.user)
        if preference.paused:
            continue
        day = milestone.closes_on - dt.timedelta(days=3)
        due = local_to_utc(day, preference.checkin_reminder_time, patient.zone)
        if since < due <= now:
            planned.append(Planned(patient.pk, Kind.MILESTONE_CLOSING, str(milestone.pk), due, str(milestone.pk)))
    return deliveries_plan(with_caregivers(planned), topic_of=_topics(), now=now)


# Baseline questions not all answered: reminders this many days before the procedure day.
BASELINE_REMINDER_DAYS_BEFORE = (7, 1)


def baseline_reminders_plan(now: dt.datetime | None = None) -> int:
    """A reminder to answer the baseline questions 7 days and 1 day before a scheduled procedure, at the patient's
    check-in reminder time on that local day, while some are not answered. The occurrence is the procedure and the
    number of days, so each is planned once (and a procedure moved to another date is reminded for its new date)."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=int(settings.REMINDER_LOOKBACK_MINUTES))
    utc_today = now.date()
    # A patient's local today is within a day of the UTC date, so the reminders due now are for procedures dated
    # from (UTC today - 1 + fewest days) to (UTC today + 1 + most days).
    candidates = list(
        journey_selectors.upcoming_procedures_between(
            utc_today + dt.timedelta(days=min(BASELINE_REMINDER_DAYS_BEFORE) - 1),
            utc_today + dt.timedelta(days=max(BASELINE_REMINDER_DAYS_BEFORE) + 1),
        ).select_related("patient__user__notification_preference")
    )
    missing = journey_selectors.procedures_missing_baseline(p.pk for p in candidates)
    planned = []
    for procedure in candidates:
        patient = procedure.patient
        preference = preference_of(patient.user)
        if procedure.pk not in missing or not patient.user.is_active or preference.paused:
            continue
        for days in BASELINE_REMINDER_DAYS_BEFORE:
            day = procedure.procedure_date - dt.timedelta(days=days)
            due = local_to_utc(day, preference.checkin_reminder_time, patient.zone)
            if since < due <= now:
                occurrence = f"{procedure.pk}:{procedure.procedure_date.isoformat()}:{days}d"
                planned.append(Planned(patient.pk, Kind.BASELINE_REMINDER, occurrence, due, str(procedure.pk)))
    return deliveries_plan(with_caregivers(planned), topic_of=_topics(), now=now)


# The preparation checklist's reminders, by what each is about (journey.selectors.PreparationReminder.what).
PREPARATION_REMINDER_KINDS = {what: kind for kind, what in rendering.PREPARATION_KINDS.items()}


def preparation_reminders_plan(now: dt.datetime | None = None) -> int:
    """Reminders from the preparation checklist, at the patient's check-in reminder time on that local day: the last
    day of an item that applies to the patient and is not ticked, a blood thinner's first day without it (not
    ticked), the day the clinic says it may be taken again, and the day before the procedure when an item due on the
    day itself (fasting, the arrival time) is not ticked (journey.selectors.preparation_reminders). The occurrence is
    the procedure, the item and the date (the evening before: the procedure and its date), so each is planned once,
    and a date moved is reminded for its new date."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=int(settings.REMINDER_LOOKBACK_MINUTES))
    utc_today = now.date()
    # A patient's local today is within a day of the UTC date.
    candidates = list(
        journey_reminders.preparation_reminder_candidates(
            utc_today - dt.timedelta(days=1), utc_today + dt.timedelta(days=1)
        ).select_related("patient__user__notification_preference")
    )
    planned = []
    for reminder in journey_reminders.preparation_reminders(candidates):
        patient = reminder.procedure.patient
        preference = preference_of(patient.user)
        if not patient.user.is_active or preference.paused:
            continue
        due = local_to_utc(reminder.day, preference.checkin_reminder_time, patient.zone)
        if since < due <= now:
            kind = PREPARATION_REMINDER_KINDS[reminder.what]
            planned.append(Planned(patient.pk, kind, reminder.occurrence, due, str(reminder.procedure.pk)))
    return deliveries_plan(with_caregivers(planned), topic_of=_topics(), now=now)


def _primary_clinician_id(patient_id: Any) -> Any | None:
    return (
        CareTeamMember.objects.filter(patient_id=patient_id, is_primary=True, clinician__is_active=True)
        .values_list("clinician_id", flat=True)
        .first()
    )


def alert_plan(*, alert_id: Any, now: dt.datetime | None = None) -> int:
    """An emergency or urgent alert goes at once to the patient's primary clinician (watch alerts wait for the
    digest), and what to do now goes at once to each caregiver holding the patient's "reminders" grant."""
    now = now or timezone.now()
    alert = Alert.objects.get(pk=alert_id)
    if alert.tier not in (Tier.EMERGENCY, Tier.URGENT):
        return 0
    primary = _primary_clinician_id(alert.patient_id)
    recipients = [primary] if primary else _escalation_recipients(alert)
    topic = f"alert_{alert.tier}"
    items = [Planned(uid, Kind.ALERT, str(alert.pk), now, str(alert.pk)) for uid in recipients]
    caregivers = caregiving.caregivers_getting_reminders([alert.patient_id], paused_too=True).get(alert.patient_id, [])
    items += [
        Planned(uid, Kind.CAREGIVER_ALERT, str(alert.pk), now, str(alert.pk), about=alert.patient_id)
        for uid in caregivers
    ]
    return deliveries_plan(items, topic_of={Kind.ALERT: topic, Kind.CAREGIVER_ALERT: topic}, now=now)


def alerts_plan_missed(now: dt.datetime | None = None) -> int:
    """Emergency and urgent alerts raised within the look-back and still open, planned again for their first
    recipients. The alert_raised receiver normally plans them within the second; when that announcement is lost (the
    process died right after the commit, or the receiver failed and the signal swallowed the error), the tick sends
    the alert a minute late instead of never. Planning again adds nothing when the receiver did its job."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=int(settings.REMINDER_LOOKBACK_MINUTES))
    count = 0
    for tier in (Tier.EMERGENCY, Tier.URGENT):
        recent = recovery_selectors.alerts_unacknowledged(tier, now).filter(raised_at__gt=since)
        for alert_id in recent.values_list("pk", flat=True):
            count += alert_plan(alert_id=alert_id, now=now)
    return count


def _escalation_recipients(alert: Alert) -> list[Any]:
    """The rest of the care team and the clinic's admins."""
    team = CareTeamMember.objects.filter(patient_id=alert.patient_id, is_primary=False, clinician__is_active=True)
    admins = User.objects.filter(
        role=Role.CLINIC_ADMIN, clinic__members=alert.patient.user, is_active=True
    ).values_list("pk", flat=True)
    return list(dict.fromkeys([*team.values_list("clinician_id", flat=True), *admins]))


def escalations_plan(now: dt.datetime | None = None) -> int:
    """Alerts nobody acknowledged in time (ALERT_ESCALATION_MINUTES per tier) go to the rest of the care team and the
    clinic admins."""
    now = now or timezone.now()
    count = 0
    for tier, minutes in settings.ALERT_ESCALATION_MINUTES.items():
        for alert in recovery_selectors.alerts_unacknowledged(tier, now - dt.timedelta(minutes=int(minutes))):
            items = [
                Planned(uid, Kind.ALERT_ESCALATION, str(alert.pk), now, str(alert.pk))
                for uid in _escalation_recipients(alert)
            ]
            count += deliveries_plan(items, topic_of={Kind.ALERT_ESCALATION: f"alert_{tier}"}, now=now)
    return count


def digests_plan(now: dt.datetime | None = None) -> int:
    """Each clinician's daily digest of new watch-tier alerts, at their local morning (digest time)."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=int(settings.REMINDER_LOOKBACK_MINUTES))
    planned = []
    staff = User.objects.filter(role__in=(Role.CLINICIAN, Role.CLINIC_ADMIN), is_active=True).select_related(
        "notification_preference", "clinic"
    )
    for user in staff:
        preference = preference_of(user)
        zone = zone_of(user)
        today = now.astimezone(zone).date()
        due = local_to_utc(today, preference.digest_time or DEFAULT_DIGEST_TIME, zone)
        if not since < due <= now:
            continue
        new = recovery_selectors.watch_alerts_raised_between(
            patients_visible_to(user).values("user_id"), due - dt.timedelta(days=1), due
        )
        if new.exists():
            planned.append(Planned(user.pk, Kind.ALERT_DIGEST, today.isoformat(), due))
    return deliveries_plan(planned, topic_of=_topics(), now=now)


# --- Dispatch ---------------------------------------------------------------------------------------------------------


def deliveries_claim_due(
    *, now: dt.datetime, limit: int, kinds: Sequence[str] = (), exclude_kinds: bool = False
) -> list[int]:
    """Claim up to `limit` due pending deliveries (skipping rows another dispatcher holds) and mark them queued.
    Also takes back in-flight rows whose worker seems to have died (a delay, never a loss). With `kinds`, only
    deliveries of those kinds, or with `exclude_kinds` only those of any other kind."""
    stale = now - dt.timedelta(seconds=int(settings.DELIVERY_STALE_SECONDS))
    with transaction.atomic():
        due = Q(status=DeliveryStatus.PENDING, due_at__lte=now) | Q(
            status__in=(DeliveryStatus.QUEUED, DeliveryStatus.SENDING), queued_at__lt=stale
        )
        rows = Delivery.objects.select_for_update(skip_locked=True).filter(due)
        if kinds:
            rows = rows.exclude(kind__in=kinds) if exclude_kinds else rows.filter(kind__in=kinds)
        ids = list(rows.order_by("due_at").values_list("id", flat=True)[:limit])
        if ids:
            Delivery.objects.filter(id__in=ids).update(status=DeliveryStatus.QUEUED, queued_at=now)
    return ids


def chunks(ids: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


# --- Sending ----------------------------------------------------------------------------------------------------------


def inapp_deliver(ids: Sequence[int], *, now: dt.datetime | None = None) -> int:
    """Write the inbox items of these in-app deliveries and mark them sent, in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True).filter(
                id__in=ids, channel=Channel.INAPP, status=DeliveryStatus.QUEUED
            )
        )
        if not rows:
            return 0
        contexts = rendering.message_contexts(rows)
        languages = rendering.recipient_languages(rows)
        unwanted = wanted.no_longer_wanted(rows)
        sent, items = [], []
        for row in rows:
            if row.pk in unwanted:
                continue
            message = caregiving.message_for(row, contexts.get(row.pk), language=languages.get(row.recipient_id))
            items.append(
                Notification(
                    recipient_id=row.recipient_id,
                    kind=row.kind,
                    occurrence=row.occurrence,
                    about_id=row.about_id,
                    title=getattr(message, "inbox_title", None) or message.title,
                    body=message.inbox_body or message.body,
                    url=message.url,
                    created_at=now,
                )
            )
            sent.append(row.pk)
        Notification.objects.bulk_create(items, ignore_conflicts=True)
        Delivery.objects.filter(id__in=sent).update(status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1)
        for reason in set(unwanted.values()):
            skipped = [pk for pk, why in unwanted.items() if why == reason]
            Delivery.objects.filter(id__in=skipped).update(status=DeliveryStatus.SKIPPED, last_error=reason)
    return len(sent)


def _retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff with full jitter: up to 1, 2, 4, ... minutes, capped at an hour."""
    ceiling = min(60 * 60, 60 * 2 ** max(0, attempts - 1))
    return dt.timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311 (jitter, not security)


def external_deliver(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one push or email delivery. Returns the resulting status."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status=DeliveryStatus.QUEUED)
            .exclude(channel=Channel.INAPP)
            .first()
        )
        if row is None:
            return "not-mine"
        row.status = DeliveryStatus.SENDING
        row.attempts += 1
        row.queued_at = now
        row.save(update_fields=["status", "attempts", "queued_at"])
    reason = wanted.no_longer_wanted([row]).get(row.pk)
    if reason:
        Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.SKIPPED, last_error=reason)
        return DeliveryStatus.SKIPPED
    context = rendering.message_contexts([row]).get(row.pk, {})
    message = caregiving.message_for(row, context, language=rendering.recipient_languages([row]).get(row.recipient_id))
    topic = messages.TOPIC_OF_KIND.get(Kind(row.kind)) or f"alert_{context.get('tier', 'urgent')}"
    try:
        if row.channel == Channel.PUSH:
            transports.push_send(row, message)
        else:
            transports.email_send(row, message, topic)
    except transports.NothingToSend as exc:
        status, error, due = DeliveryStatus.SKIPPED, str(exc), row.due_at
    except transports.PermanentError as exc:
        status, error, due = DeliveryStatus.FAILED, str(exc), row.due_at
    except transports.TemporaryError as exc:
        if row.attempts >= int(settings.DELIVERY_MAX_ATTEMPTS):
            status, error, due = DeliveryStatus.FAILED, f"gave up after {row.attempts} attempts: {exc}", row.due_at
        else:
            status, error, due = DeliveryStatus.PENDING, str(exc), timezone.now() + _retry_delay(row.attempts)
    except Exception as exc:
        # An unexpected error must not crash the worker or lose the message: retry like a temporary failure.
        logger.exception("Delivery %s failed unexpectedly", row.pk)
        error, due = f"{type(exc).__name__}: {exc}", timezone.now() + _retry_delay(row.attempts)
        gave_up = row.attempts >= int(settings.DELIVERY_MAX_ATTEMPTS)
        status = DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING
    else:
        Delivery.objects.filter(pk=row.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
        )
        return DeliveryStatus.SENT
    Delivery.objects.filter(pk=row.pk, status=DeliveryStatus.SENDING).update(
        status=status, last_error=error[:500], due_at=due
    )
    return status
