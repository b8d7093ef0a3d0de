"""Demo inbox items for `seed_demo`: each demo caregiver with a patient's "reminders" grant finds one of her
reminders in their inbox, as the engine delivers it (planned, then sent to the inbox). The reminder is the patient's
latest exercise time slot of the last day (the next one when none has come yet): her check-in reminder would be
skipped, since the demo has her caregiver log today's check-in. Seeding twice adds nothing for the same slot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import Clinic, PatientProfile
from exercises import selectors as exercise_selectors
from notifications import caregiving, services
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, Topic

DAY = dt.timedelta(days=1)


def demo_notifications_seed(sender: Any, *, clinic: Clinic, patients: dict[str, PatientProfile], **kwargs: Any) -> None:
    now = timezone.now()
    caregivers = caregiving.caregivers_getting_reminders(p.pk for p in patients.values())
    planned: list[services.Planned] = []
    for patient_id, caregiver_ids in caregivers.items():
        past = exercise_selectors.exercise_occurrences_due_between(start=now - DAY, end=now, patient_ids=[patient_id])
        coming = [] if past else exercise_selectors.exercise_occurrences_due_between(
            start=now, end=now + DAY, patient_ids=[patient_id]
        )  # fmt: skip
        slot = past[-1] if past else (coming[0] if coming else None)
        if slot is None:
            continue
        occurrence = f"{slot.local_date.isoformat()}T{slot.local_time}"
        planned += [
            services.Planned(uid, Kind.EXERCISE_REMINDER, occurrence, slot.due_at, about=patient_id)
            for uid in caregiver_ids
        ]
    if not planned:
        return
    services.deliveries_plan(planned, topic_of={Kind.EXERCISE_REMINDER: Topic.EXERCISE}, now=now)
    # Sent to the inbox at once (the tick would send them within the minute; the demo shows them straight away).
    inapp = Delivery.objects.filter(
        kind=Kind.EXERCISE_REMINDER, channel=Channel.INAPP, status=DeliveryStatus.PENDING,
        recipient_id__in={p.recipient_id for p in planned}, occurrence__in={p.occurrence for p in planned},
    )  # fmt: skip
    ids = list(inapp.values_list("id", flat=True))
    Delivery.objects.filter(id__in=ids).update(status=DeliveryStatus.QUEUED, queued_at=now)
    services.inapp_deliver(ids, now=now)
