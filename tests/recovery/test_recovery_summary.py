"""GET /api/v1/me/recovery: where the patient is today, in their own time zone."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from accounts.models import PHIAccess
from tests.factories import CheckInFactory, ProcedureFactory
from tests.recovery.support import BERLIN, NEW_YORK, put_checkin
from tests.support import checkin_body, local, procedure_done, utc

pytestmark = pytest.mark.clock_sensitive

ME = "/api/v1/me/recovery"
DAY0 = dt.date(2027, 5, 10)


def _summary(client) -> dict:
    response = client.get(ME)
    assert response.status_code == 200, response.json()
    return response.json()


def test_before_any_done_procedure_there_is_no_day_but_the_upcoming_procedure_is_shown(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 1, 9), tick=False)
    ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0, levels=["L3-L4", "L4-L5"])

    summary = _summary(client_for(cast.alice))

    assert summary["today"] == "2027-05-01"
    assert summary["time_zone"] == "America/New_York"
    assert (summary["day"], summary["procedure"], summary["phase"], summary["next_milestone"]) == (None,) * 4
    assert summary["upcoming_procedure"]["procedure_date"] == "2027-05-10"
    assert summary["upcoming_procedure"]["levels"] == ["L3-L4", "L4-L5"]
    assert summary["checkin_today"] == {"done": False, "id": None}
    assert summary["streak_days"] == 0


def test_a_patient_with_no_procedure_at_all_gets_an_empty_timeline(cast, client_for):
    summary = _summary(client_for(cast.alice))

    assert (summary["day"], summary["procedure"], summary["upcoming_procedure"]) == (None, None, None)


@pytest.mark.parametrize(
    ("instant", "today", "day"),
    [
        (utc(2027, 5, 20, 21, 59), "2027-05-20", 10),  # 23:59 in Berlin
        (utc(2027, 5, 20, 22, 0), "2027-05-21", 11),  # midnight in Berlin, still 20 May in UTC
    ],
)
def test_day_n_is_counted_in_the_patients_own_zone(cast, client_for, time_machine, instant, today, day):
    # Bob lives in Berlin (UTC+2 in May)
    time_machine.move_to(local(BERLIN, 2027, 5, 10, 9), tick=False)
    procedure_done(cast.bob.patient_profile, cast.dave, DAY0)
    time_machine.move_to(instant, tick=False)

    summary = _summary(client_for(cast.bob))

    assert (summary["today"], summary["day"], summary["time_zone"]) == (today, day, "Europe/Berlin")


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (0, "procedure_day"),
        (1, "first_days"),
        (6, "first_days"),
        (7, "weeks_1_3"),
        (20, "weeks_1_3"),
        (21, "weeks_3_8"),
        (55, "weeks_3_8"),
        (56, "long_term"),
        (700, "long_term"),
    ],
)
def test_the_phase_and_its_instructions_follow_day_n(cast, client_for, time_machine, day, phase):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 9), tick=False)
    procedure_done(cast.alice_profile, cast.carol, DAY0)
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 12) + dt.timedelta(days=day), tick=False)

    summary = _summary(client_for(cast.alice))

    assert summary["day"] == day
    assert summary["phase"]["key"] == phase
    assert summary["phase"]["instructions"] and summary["phase"]["avoid"]


def test_the_procedure_day_tells_the_patient_to_rest(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 17), tick=False)
    procedure_done(cast.alice_profile, cast.carol, DAY0)

    phase = _summary(client_for(cast.alice))["phase"]

    assert phase["title"] == "Procedure day"
    assert any("Rest" in line for line in phase["instructions"])
    assert any("lift" in line for line in phase["avoid"])


def test_todays_checkin_status(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 9), tick=False)
    procedure_done(cast.alice_profile, cast.carol, DAY0)
    alice = client_for(cast.alice)
    assert _summary(alice)["checkin_today"] == {"done": False, "id": None}

    checkin_id = uuid.uuid4()
    put_checkin(alice, checkin_body(dt.date(2027, 5, 20)), checkin_id)

    assert _summary(alice)["checkin_today"] == {"done": True, "id": str(checkin_id)}
    # at midnight in New York it is a new day, with no check-in yet
    time_machine.move_to(local(NEW_YORK, 2027, 5, 21, 0, 0), tick=False)
    assert _summary(alice)["checkin_today"] == {"done": False, "id": None}


@pytest.mark.parametrize(
    ("when", "key", "status"),
    [
        (local(NEW_YORK, 2027, 5, 20, 9), "weeks_2_3", "upcoming"),  # day 10
        (local(NEW_YORK, 2027, 5, 25, 9), "weeks_2_3", "open"),  # day 15
        (local(NEW_YORK, 2027, 6, 2, 9), "weeks_2_3", "overdue"),  # day 23
        (local(NEW_YORK, 2027, 6, 16, 9), "weeks_6_8", "upcoming"),  # day 37: 2-3 weeks missed, on to the next
        (local(NEW_YORK, 2027, 7, 10, 9), "weeks_6_8", "overdue"),  # day 61
        (local(NEW_YORK, 2027, 7, 20, 9), "month_6", "upcoming"),  # day 71: 6-8 weeks missed
    ],
)
def test_the_next_milestone_and_its_window(cast, client_for, time_machine, when, key, status):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 9), tick=False)
    procedure_done(cast.alice_profile, cast.carol, DAY0)
    time_machine.move_to(when, tick=False)

    milestone = _summary(client_for(cast.alice))["next_milestone"]

    assert (milestone["key"], milestone["status"]) == (key, status)
    windows = {
        "weeks_2_3": ("2027-05-24", "2027-05-31"),
        "weeks_6_8": ("2027-06-21", "2027-07-05"),
        "month_6": ("2027-10-25", "2027-12-06"),
    }
    assert (milestone["opens_on"], milestone["closes_on"]) == windows[key]


@pytest.mark.parametrize(
    ("days_back", "today_too", "streak"),
    [
        ((1, 2, 3, 4, 5), False, 5),  # up to yesterday: today's is not in yet, the streak still counts
        ((1, 2, 3, 4, 5), True, 6),
        ((0,), True, 1),
        ((2, 3, 4), False, 0),  # nothing yesterday or today: the streak is broken
        ((1, 2, 4, 5, 6), False, 2),  # a gap three days ago
        ((), False, 0),
    ],
)
def test_the_streak_counts_consecutive_days_ending_today_or_yesterday(
    cast, client_for, time_machine, days_back, today_too, streak
):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 9), tick=False)
    today = dt.date(2027, 5, 20)
    for back in set(days_back) | ({0} if today_too else set()):
        CheckInFactory(patient=cast.alice_profile, local_date=today - dt.timedelta(days=back))

    assert _summary(client_for(cast.alice))["streak_days"] == streak


def test_the_streak_uses_the_patients_today(cast, client_for, time_machine):
    # 02:00 UTC on 21 May is 22:00 on 20 May in New York: yesterday, for Alice, is 19 May.
    CheckInFactory(patient=cast.alice_profile, local_date=dt.date(2027, 5, 19))
    CheckInFactory(patient=cast.alice_profile, local_date=dt.date(2027, 5, 18))
    time_machine.move_to(utc(2027, 5, 21, 2), tick=False)

    summary = _summary(client_for(cast.alice))

    assert (summary["today"], summary["streak_days"]) == ("2027-05-20", 2)


def test_the_care_team_sees_the_same_summary_and_it_is_logged(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 9), tick=False)
    procedure_done(cast.alice_profile, cast.carol, DAY0)

    carols = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}/recovery")

    assert carols.status_code == 200
    assert carols.json() == _summary(client_for(cast.alice))
    assert PHIAccess.objects.filter(actor=cast.carol, resource="recovery.summary").count() == 1
    assert client_for(cast.frank).get(f"/api/v1/patients/{cast.alice.pk}/recovery").status_code == 200
    for outsider in (cast.dave, cast.erin, cast.grace, cast.bob):
        assert client_for(outsider).get(f"/api/v1/patients/{cast.alice.pk}/recovery").status_code == 404


def test_staff_have_no_recovery_of_their_own(cast, client_for):
    assert client_for(cast.carol).get(ME).status_code == 403
