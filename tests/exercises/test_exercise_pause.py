"""The exercise plan pauses while an emergency or urgent alert is open and no clinician has acknowledged it: no
sessions today (and why), recording a paused day is 409, no exercise reminders; it resumes on acknowledgement."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from notifications import services as notification_services
from notifications.models import Kind
from recovery.models import Alert
from tests.exercises.support import OCCURRENCES, TODAY, at, day, key, plan_of, prescription, procedure_done, record_body
from tests.factories import AlertFactory
from tests.recovery.support import put_checkin
from tests.support import checkin_body

pytestmark = pytest.mark.clock_sensitive


@pytest.fixture(autouse=True)
def _day_eight(time_machine):
    """Tuesday 18 May 2027, day 8, 09:30 in New York."""
    time_machine.move_to(at(8, 9, 30), tick=False)


@pytest.fixture
def walks(cast):
    """Walking, days 7-13: 10 minutes at 10:00, 13:00 and 16:00."""
    return prescription(plan_of(procedure_done(cast.alice_profile, cast.carol)), "walking", 7)


def _fever_today(client) -> Alert:
    response = put_checkin(client, checkin_body(day(8), red_flags=["fever_chills"]))
    assert response.status_code == 201, response.json()
    return Alert.objects.get(rule="fever_chills")


def test_an_open_urgent_alert_pauses_todays_sessions_and_says_why(cast, client_for, walks):
    alice = client_for(cast.alice)
    assert alice.get(TODAY).json()["paused"] is None
    alert = _fever_today(alice)

    body = alice.get(TODAY).json()

    assert body["sessions"] == []
    assert body["paused"]["alert_id"] == str(alert.pk)
    assert body["paused"]["since"] == "2027-05-18T13:30:00Z"
    assert "on hold" in body["paused"]["reason"] and "warning sign" in body["paused"]["reason"]


def test_recording_a_session_on_a_paused_day_is_409_and_stores_nothing(cast, client_for, walks):
    alice = client_for(cast.alice)
    _fever_today(alice)

    response = alice.put(f"{OCCURRENCES}/{key(walks, 8, '10:00')}", record_body(), format="json")

    assert response.status_code == 409
    assert "on hold" in response.json()["detail"]
    assert not walks.records.exists()
    # A day before the alert is not paused: it may still be recorded
    earlier = alice.put(f"{OCCURRENCES}/{key(walks, 7, '10:00')}", record_body(), format="json")
    assert earlier.status_code == 201


def test_the_plan_resumes_when_a_clinician_acknowledges(cast, client_for, walks):
    alice = client_for(cast.alice)
    sessions = alice.get(TODAY).json()["sessions"]
    alert = _fever_today(alice)

    acknowledged = client_for(cast.carol).post(f"/api/v1/alerts/{alert.pk}/acknowledge", {"note": ""}, format="json")

    assert acknowledged.status_code == 200
    body = alice.get(TODAY).json()
    assert body["paused"] is None
    assert body["sessions"] == sessions
    assert alice.put(f"{OCCURRENCES}/{key(walks, 8, '10:00')}", record_body(), format="json").status_code == 201


def test_a_watch_alert_does_not_pause_the_plan(cast, client_for, walks):
    AlertFactory(patient=cast.alice_profile, rule="no_checkin_3_days")
    body = client_for(cast.alice).get(TODAY).json()
    assert body["paused"] is None
    assert [s["local_time"] for s in body["sessions"] if s["exercise"]["key"] == "walking"] == [
        "10:00", "13:00", "16:00",
    ]  # fmt: skip


def test_no_exercise_reminders_while_paused_and_again_after_acknowledgement(cast, client_for, walks):
    alert = AlertFactory(patient=cast.alice_profile, rule="sudden_leg_weakness", rule_set_version=2)

    with time_machine.travel(at(8, 10) + dt.timedelta(seconds=30), tick=False):
        notification_services.exercise_reminders_plan()
    assert not cast.alice.deliveries.filter(kind=Kind.EXERCISE_REMINDER).exists()

    client_for(cast.carol).post(f"/api/v1/alerts/{alert.pk}/acknowledge", {"note": ""}, format="json")
    with time_machine.travel(at(8, 13) + dt.timedelta(seconds=30), tick=False):
        notification_services.exercise_reminders_plan()
    assert [d.occurrence for d in cast.alice.deliveries.filter(kind=Kind.EXERCISE_REMINDER, channel="inapp")] == [
        "2027-05-18T13:00"
    ]
