"""Exercise reminders: one per time slot of the patient's plan, at the slot's local time (DST-correct), once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from exercises.selectors import exercise_occurrences_on
from notifications import services
from notifications.models import Channel, Delivery, Kind
from tests.notifications.support import NEW_YORK, deliveries_of, patient_in, preference
from tests.support import local, procedure_done, utc

pytestmark = pytest.mark.clock_sensitive

DAY0 = dt.date(2027, 3, 10)  # day 4 is Sunday 14 March 2027, when New York springs forward


def test_one_reminder_per_time_slot_at_local_time_on_the_dst_change_day(cast):
    # Given a patient in New York on day 4 of their plan, with several exercises at 09:00
    patient = patient_in(NEW_YORK, clinic=cast.riverside, care_team=[cast.carol])
    procedure_done(patient, cast.carol, DAY0)
    sunday = DAY0 + dt.timedelta(days=4)
    at_nine = [o for o in exercise_occurrences_on(patient, sunday) if o.local_time == "09:00"]
    assert len(at_nine) >= 2

    # When the tick runs just after 09:00 local (EDT, UTC-4, since 02:00 that morning), twice
    with time_machine.travel(local(NEW_YORK, 2027, 3, 14, 9, 0, 30), tick=False):
        services.exercise_reminders_plan()
        services.exercise_reminders_plan()

    # Then exactly one in-app reminder for the 09:00 slot, due at 13:00 UTC
    inapp = deliveries_of(patient.user, kind=Kind.EXERCISE_REMINDER, channel=Channel.INAPP)
    assert [(d.occurrence, d.due_at) for d in inapp] == [("2027-03-14T09:00", utc(2027, 3, 14, 13, 0))]


def test_each_slot_of_the_day_is_reminded_once(cast):
    patient = patient_in(NEW_YORK, clinic=cast.riverside, care_team=[cast.carol])
    procedure_done(patient, cast.carol, DAY0)
    day = DAY0 + dt.timedelta(days=5)
    slots = sorted({o.local_time for o in exercise_occurrences_on(patient, day)})

    # A tick every 15 minutes through the whole local day
    instant = local(NEW_YORK, day.year, day.month, day.day, 0, 0)
    while instant < local(NEW_YORK, day.year, day.month, day.day, 23, 59):
        with time_machine.travel(instant, tick=False):
            services.exercise_reminders_plan()
        instant += dt.timedelta(minutes=15)

    planned = deliveries_of(patient.user, kind=Kind.EXERCISE_REMINDER, channel=Channel.INAPP)
    assert [d.occurrence for d in planned] == [f"{day.isoformat()}T{slot}" for slot in slots]


def test_paused_patient_gets_no_exercise_reminder(cast):
    patient = patient_in(NEW_YORK, clinic=cast.riverside, care_team=[cast.carol])
    procedure_done(patient, cast.carol, DAY0)
    preference(patient.user, paused=True)

    with time_machine.travel(local(NEW_YORK, 2027, 3, 14, 9, 0, 30), tick=False):
        services.exercise_reminders_plan()

    assert not Delivery.objects.filter(recipient=patient.user, kind=Kind.EXERCISE_REMINDER).exists()
