"""The private calendar feed: a revocable, rotatable address a phone's calendar subscribes to, with the next 14 days
of exercise sessions at their local times and the milestone windows, and nothing else."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from icalendar import Calendar

from exercises.models import CalendarFeed, Exercise
from exercises.services import exercise_record_put, prescription_add
from recovery.content.exercises_default import EXERCISES
from recovery.models import PatientMilestone
from tests.exercises.support import FEED, NEW_YORK, at, key, plan_of, prescription, procedure_done

EXERCISE_NAMES = {e.name for e in EXERCISES}


@pytest.fixture(autouse=True)
def _day_eight(time_machine):
    time_machine.move_to(at(8, 9, 30), tick=False)


@pytest.fixture
def plan(cast):
    return plan_of(procedure_done(cast.alice_profile, cast.carol))


def feed_path(url: str) -> str:
    assert url.startswith("https://app.test/calendar/") and url.endswith(".ics")
    return url.removeprefix("https://app.test")


def events(response) -> list:
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_patient_creates_her_feed_and_sees_the_address_once(cast, client_for):
    alice = client_for(cast.alice)

    created = alice.post(FEED)
    status = alice.get(FEED)

    assert created.status_code == 201
    url = created.json()["url"]
    token = feed_path(url).removeprefix("/calendar/").removesuffix(".ics")
    assert len(token) >= 40
    assert status.json() == {"active": True, "created_at": created.json()["created_at"]}
    # Only a hash is kept: the token itself is nowhere in the database
    feed = CalendarFeed.objects.get()
    assert token not in feed.token_hash and len(feed.token_hash) == 64


def test_the_feed_needs_no_sign_in_and_is_an_icalendar(cast, client_for, plan):
    url = client_for(cast.alice).post(FEED).json()["url"]

    response = client_for(None).get(feed_path(url))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_the_feed_has_the_next_14_days_of_sessions_at_their_local_times(cast, client_for, plan):
    url = client_for(cast.alice).post(FEED).json()["url"]

    found = events(client_for(None).get(feed_path(url)))

    sessions = [e for e in found if isinstance(e.decoded("DTSTART"), dt.datetime)]
    starts = [e.decoded("DTSTART") for e in sessions]
    # Days 8 to 21 (18 to 31 May), in New York time, with the zone named (TZID)
    assert min(starts).date() == dt.date(2027, 5, 18) and max(starts).date() == dt.date(2027, 5, 31)
    assert all(s.tzinfo.key == "America/New_York" for s in starts)
    assert all(e["DTSTART"].params["TZID"] == "America/New_York" for e in sessions)
    # Walks: days 8-13 three a day, days 14-20 two a day, day 21 two
    walks = sorted(e.decoded("DTSTART") for e in sessions if str(e["SUMMARY"]) == "Walking")
    assert len(walks) == 6 * 3 + 7 * 2 + 2
    assert walks[0] == dt.datetime(2027, 5, 18, 10, tzinfo=NEW_YORK)
    assert walks[-1] == dt.datetime(2027, 5, 31, 15, tzinfo=NEW_YORK)
    first_walk = next(e for e in sessions if e.decoded("DTSTART") == walks[0] and str(e["SUMMARY"]) == "Walking")
    assert first_walk.decoded("DURATION") == dt.timedelta(minutes=10)
    assert str(first_walk["UID"]) == f"{key(prescription(plan, 'walking', 7), 8, '10:00')}@exercise.mild-recovery"
    # Strengthening starts on day 21, a Monday
    assert Counter(str(e["SUMMARY"]) for e in sessions)["Bridge"] == 1


def test_the_feed_has_milestone_windows_as_all_day_events(cast, client_for, plan):
    url = client_for(cast.alice).post(FEED).json()["url"]

    found = events(client_for(None).get(feed_path(url)))

    windows = [
        (str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND"))
        for e in found
        if not isinstance(e.decoded("DTSTART"), dt.datetime)
    ]
    assert windows[:2] == [
        ("2 to 3 week progress check", dt.date(2027, 5, 24), dt.date(2027, 6, 1)),
        ("6 to 8 week progress check", dt.date(2027, 6, 21), dt.date(2027, 7, 6)),
    ]
    titles = set(PatientMilestone.objects.values_list("title", flat=True))
    assert {title for title, _, _ in windows} <= titles


def test_the_feed_carries_only_exercise_names_and_milestone_titles(cast, client_for, plan):
    # Given Alice recorded a painful session, and her clinician a note on a prescription
    walks = prescription(plan, "walking", 7)
    exercise_record_put(
        patient=cast.alice_profile, occurrence=key(walks, 8, "10:00"), state="done", pain_during=9, difficulty="hard",
        now=at(8, 9, 30),
    )  # fmt: skip
    bike = Exercise.objects.get(key="stationary_bike", clinic=None)
    prescription_add(
        plan=plan, by=cast.carol, exercise_id=bike.pk, dose={"minutes": 10}, days_of_week=[0], times_of_day=["17:00"],
        first_day=14, note="Private note about her heart condition",
    )  # fmt: skip
    url = client_for(cast.alice).post(FEED).json()["url"]

    response = client_for(None).get(feed_path(url))

    titles = set(PatientMilestone.objects.values_list("title", flat=True))
    allowed_properties = {"UID", "DTSTAMP", "SUMMARY", "DTSTART", "DURATION", "DTEND", "TRANSP"}
    for event in events(response):
        assert str(event["SUMMARY"]) in EXERCISE_NAMES | titles
        assert set(event) <= allowed_properties, set(event) - allowed_properties
    body = response.content.decode()
    for secret in ("Private note", "heart", "Alice", "alice@", "hard", "PAIN", "Riverside", "Carol"):
        assert secret.lower() not in body.lower()


def test_a_session_on_the_spring_forward_night_is_at_the_next_valid_time(cast, client_for, time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 10, 9, tzinfo=NEW_YORK), tick=False)
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol, procedure_date=dt.date(2027, 3, 1)))
    walking = Exercise.objects.get(key="walking", clinic=None)
    prescription_add(
        plan=plan, by=cast.carol, exercise_id=walking.pk, dose={"minutes": 5}, days_of_week=[6],
        times_of_day=["02:30"], first_day=1,
    )  # fmt: skip
    url = client_for(cast.alice).post(FEED).json()["url"]

    found = events(client_for(None).get(feed_path(url)))

    night = sorted(
        e.decoded("DTSTART")
        for e in found
        if isinstance(e.decoded("DTSTART"), dt.datetime) and e.decoded("DTSTART").hour < 4
    )
    assert night == [
        dt.datetime(2027, 3, 14, 3, 0, tzinfo=NEW_YORK),  # 02:30 does not exist that night
        dt.datetime(2027, 3, 21, 2, 30, tzinfo=NEW_YORK),
    ]
    assert night[0].astimezone(dt.UTC) == dt.datetime(2027, 3, 14, 7, 0, tzinfo=dt.UTC)


def test_rotating_the_feed_stops_the_old_address(cast, client_for, plan):
    alice = client_for(cast.alice)
    old = alice.post(FEED).json()["url"]

    new = alice.post(FEED).json()["url"]

    assert new != old
    assert client_for(None).get(feed_path(old)).status_code == 404
    assert client_for(None).get(feed_path(new)).status_code == 200
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


def test_revoking_the_feed_stops_it(cast, client_for, plan):
    alice = client_for(cast.alice)
    url = alice.post(FEED).json()["url"]

    response = alice.delete(FEED)
    again = alice.delete(FEED)

    assert (response.status_code, again.status_code) == (204, 204)
    gone = client_for(None).get(feed_path(url))
    assert gone.status_code == 404
    assert gone.json() == {"status": 404, "code": "not_found", "detail": "Not found."}
    assert alice.get(FEED).json() == {"active": False, "created_at": None}


@pytest.mark.parametrize("token", ["unknown-token", "x" * 300, "%00"])
def test_an_unknown_address_is_not_found(client_for, db, token):
    assert client_for(None).get(f"/calendar/{token}.ics").status_code == 404


def test_one_patients_feed_shows_only_her_sessions(cast, client_for, plan):
    # Given Bob has a plan too, starting a week later
    procedure_done(cast.bob.patient_profile, cast.dave, procedure_date=dt.date(2027, 5, 17))
    url = client_for(cast.alice).post(FEED).json()["url"]

    found = events(client_for(None).get(feed_path(url)))

    alices = {str(p.pk) for p in plan.prescriptions.all()}
    session_uids = [str(e["UID"]) for e in found if "@exercise." in str(e["UID"])]
    assert session_uids and all(uid.split(":")[0] in alices for uid in session_uids)


def test_the_feed_is_for_patients(cast, client_for):
    assert client_for(cast.carol).post(FEED).status_code == 403
    assert client_for(cast.carol).delete(FEED).status_code == 403
    assert client_for(None).post(FEED).status_code == 401
    assert CalendarFeed.objects.count() == 0
