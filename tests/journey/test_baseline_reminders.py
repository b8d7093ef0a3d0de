"""Baseline questions before the procedure: reminders 7 days and 1 day before, at the patient's own check-in reminder
time (local, DST-correct through the engine), exactly once each, none once the baseline is all answered, none for a
cancelled procedure; the inbox names the procedure day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from notifications import services
from notifications.models import Delivery, DeliveryStatus, Kind, Notification
from recovery import services as recovery_services
from tests.factories import ProcedureFactory
from tests.notifications.support import deliveries_of, patient_in, preference, send_due_inapp
from tests.recovery.support import odi, zcq
from tests.support import local

pytestmark = pytest.mark.clock_sensitive

SYDNEY = ZoneInfo("Australia/Sydney")
DAY0 = dt.date(2027, 5, 10)
MINUTE = dt.timedelta(minutes=1)


def _plan_across(start: dt.datetime, hours: int) -> int:
    """The tick's baseline planner every 15 minutes for `hours` (the look-back window is longer than the step)."""
    planned = 0
    for n in range(hours * 4 + 1):
        planned += services.baseline_reminders_plan(start + n * dt.timedelta(minutes=15))
    return planned


@pytest.fixture
def sydney_patient(cast):
    patient = patient_in(SYDNEY, clinic=cast.riverside, care_team=[cast.carol])
    preference(patient.user, checkin_reminder_time=dt.time(9, 0))
    return patient


def test_reminders_7_days_and_1_day_before_at_the_local_reminder_time_exactly_once(cast, sydney_patient):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    # Sweep two whole days around each reminder day in Sydney
    _plan_across(local(SYDNEY, 2027, 5, 2, 0), 48)
    _plan_across(local(SYDNEY, 2027, 5, 8, 0), 48)
    inapp = deliveries_of(sydney_patient.user, kind=Kind.BASELINE_REMINDER, channel="inapp")
    assert [d.due_at for d in inapp] == [local(SYDNEY, 2027, 5, 3, 9), local(SYDNEY, 2027, 5, 9, 9)]
    assert [d.occurrence for d in inapp] == [f"{procedure.pk}:2027-05-10:7d", f"{procedure.pk}:2027-05-10:1d"]
    # Planning again plans nothing new
    assert services.baseline_reminders_plan(local(SYDNEY, 2027, 5, 9, 9, 30)) == 0

    send_due_inapp(local(SYDNEY, 2027, 5, 9, 9, 1))
    notes = Notification.objects.filter(recipient=sydney_patient.user, kind=Kind.BASELINE_REMINDER)
    assert notes.count() == 2
    assert notes.first().body.startswith("Your procedure is on Monday, May 10.")


def test_no_reminder_once_the_baseline_is_all_answered(cast, sydney_patient, time_machine):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    _plan_across(local(SYDNEY, 2027, 5, 3, 8), 2)
    assert len(deliveries_of(sydney_patient.user, kind=Kind.BASELINE_REMINDER, channel="inapp")) == 1
    # She answers everything before the day-before reminder is planned
    time_machine.move_to(local(SYDNEY, 2027, 5, 5, 10), tick=False)
    for instrument, answers in (
        ("pain", {"back_pain": 6, "leg_pain": 7}),
        ("odi", odi(3, 1, 4, 2, 2, 3, 1, None, 2, 1)),
        ("zcq", zcq(3, 3)),
        ("tolerance", {"standing_minutes": 10, "walking_minutes": 15}),
    ):
        recovery_services.assessment_record(
            patient=sydney_patient, by=sydney_patient.user, instrument=instrument, timepoint="baseline", answers=answers
        )
    assert _plan_across(local(SYDNEY, 2027, 5, 9, 8), 2) == 0
    assert procedure.pk


def test_a_planned_reminder_is_not_sent_when_the_procedure_was_cancelled(cast, sydney_patient):
    procedure = ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    _plan_across(local(SYDNEY, 2027, 5, 9, 8), 2)
    recovery_services.procedure_cancel(procedure=procedure)
    send_due_inapp(local(SYDNEY, 2027, 5, 9, 9, 5))
    [row] = deliveries_of(sydney_patient.user, kind=Kind.BASELINE_REMINDER, channel="inapp")
    assert row.status == DeliveryStatus.SKIPPED
    assert row.last_error == "baseline done or procedure no longer scheduled"
    assert not Notification.objects.filter(recipient=sydney_patient.user).exists()


def test_no_reminder_while_paused_or_for_a_procedure_less_than_a_day_away(cast, sydney_patient):
    preference(sydney_patient.user, paused=True)
    ProcedureFactory(patient=sydney_patient, procedure_date=DAY0)
    assert _plan_across(local(SYDNEY, 2027, 5, 3, 8), 2) == 0
    preference(sydney_patient.user, paused=False)
    # On the procedure day itself nothing is due any more
    assert _plan_across(local(SYDNEY, 2027, 5, 10, 0), 24) == 0
    assert not Delivery.objects.filter(kind=Kind.BASELINE_REMINDER).exists()
