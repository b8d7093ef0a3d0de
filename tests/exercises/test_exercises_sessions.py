"""Today's sessions and recording them: done, partly done or skipped, with pain and difficulty; idempotent per
session; never for a day after today, never for someone else's session."""

from __future__ import annotations

import datetime as dt

import pytest

from exercises.models import ExerciseRecord
from tests.exercises.support import (
    OCCURRENCES,
    TODAY,
    at,
    key,
    plan_of,
    prescription,
    procedure_done,
    record_body,
    records_count,
)

pytestmark = pytest.mark.clock_sensitive


@pytest.fixture(autouse=True)
def _day_eight(time_machine):
    """Tuesday 18 May 2027, day 8 (weeks 1-3), 09:30 in New York."""
    time_machine.move_to(at(8, 9, 30), tick=False)


@pytest.fixture
def plan(cast):
    return plan_of(procedure_done(cast.alice_profile, cast.carol))


@pytest.fixture
def walks(plan):
    """Walking, days 7-13: 10 minutes at 10:00, 13:00 and 16:00."""
    return prescription(plan, "walking", 7)


def put(client, occurrence: str, body: dict):
    return client.put(f"{OCCURRENCES}/{occurrence}", body, format="json")


# --- Today ------------------------------------------------------------------------------------------------------------


def test_today_lists_the_days_sessions_at_their_local_times(cast, client_for, plan):
    # When Alice opens today's exercises on day 8
    response = client_for(cast.alice).get(TODAY)

    # Then she sees the day's sessions in time order, with their due instant in UTC (New York is UTC-4 in May)
    assert response.status_code == 200
    body = response.json()
    assert (body["today"], body["day"], body["time_zone"]) == ("2027-05-18", 8, "America/New_York")
    # (sessions at the same time come in the order of their names)
    sessions = [(s["local_time"], s["exercise"]["key"], s["dose"]) for s in body["sessions"]]
    assert sessions == [
        ("09:00", "pelvic_tilt", {"sets": 1, "hold_seconds": 5, "reps": 5}),
        ("09:00", "knee_to_chest", {"sets": 1, "hold_seconds": 15, "reps": 2}),
        ("09:00", "seated_hamstring_stretch", {"sets": 1, "hold_seconds": 20, "reps": 2}),
        ("09:00", "standing_calf_stretch", {"sets": 1, "hold_seconds": 20, "reps": 3}),
        ("10:00", "walking", {"minutes": 10}),
        ("13:00", "walking", {"minutes": 10}),
        ("16:00", "walking", {"minutes": 10}),
        ("18:00", "pelvic_tilt", {"sets": 1, "hold_seconds": 5, "reps": 5}),
        ("18:00", "knee_to_chest", {"sets": 1, "hold_seconds": 15, "reps": 2}),
        ("18:00", "seated_hamstring_stretch", {"sets": 1, "hold_seconds": 20, "reps": 2}),
    ]
    walk = next(s for s in body["sessions"] if s["local_time"] == "10:00")
    assert walk["due_at"] == "2027-05-18T14:00:00Z"
    assert walk["key"] == f"{prescription(plan, 'walking', 7).pk}:2027-05-18:10:00"
    assert (walk["state"], walk["pain_during"], walk["difficulty"], walk["recorded_at"]) == (
        "not_recorded",
        None,
        None,
        None,
    )
    assert walk["exercise"]["name"] == "Walking" and walk["exercise"]["steps"]


def test_strengthening_starts_on_day_21_on_monday_wednesday_and_friday(cast, client_for, plan, time_machine):
    # Day 21 is a Monday; day 22 a Tuesday
    time_machine.move_to(at(21, 8), tick=False)
    monday = {s["exercise"]["key"] for s in client_for(cast.alice).get(TODAY).json()["sessions"]}
    time_machine.move_to(at(22, 8), tick=False)
    tuesday = {s["exercise"]["key"] for s in client_for(cast.alice).get(TODAY).json()["sessions"]}

    strengthening = {"abdominal_bracing", "seated_knee_straightening", "heel_raises", "sit_to_stand", "bridge"}
    assert strengthening <= monday
    assert not strengthening & tuesday


def test_patient_without_a_plan_has_no_sessions(cast, client_for):
    response = client_for(cast.alice).get(TODAY)

    assert response.status_code == 200
    assert response.json()["sessions"] == [] and response.json()["day"] is None


def test_today_is_for_patients(cast, client_for):
    assert client_for(cast.carol).get(TODAY).status_code == 403
    assert client_for(None).get(TODAY).status_code == 401


def test_today_in_berlin_is_bobs_own_day(cast, client_for, time_machine):
    # Given Bob in Berlin, whose procedure was on 10 May too; at 23:30 on 17 May in New York it is 18 May in Berlin
    procedure_done(cast.bob.patient_profile, cast.dave)
    time_machine.move_to(at(7, 23, 30), tick=False)

    body = client_for(cast.bob).get(TODAY).json()

    assert (body["today"], body["day"], body["time_zone"]) == ("2027-05-18", 8, "Europe/Berlin")
    walk = next(s for s in body["sessions"] if s["local_time"] == "10:00")
    assert walk["due_at"] == "2027-05-18T08:00:00Z"


# --- Recording --------------------------------------------------------------------------------------------------------


def test_recording_a_session_is_idempotent(cast, client_for, walks, time_machine):
    alice = client_for(cast.alice)
    time_machine.move_to(at(8, 10, 40), tick=False)

    # When Alice records her 10:00 walk, and the app sends the same request again
    first = put(alice, key(walks, 8, "10:00"), record_body("done", pain=3, difficulty="ok"))
    time_machine.move_to(at(8, 10, 45), tick=False)
    replay = put(alice, key(walks, 8, "10:00"), record_body("done", pain=3, difficulty="ok"))

    # Then the first creates the record and the replay returns it unchanged
    assert first.status_code == 201, first.json()
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert first.json() == {
        "key": key(walks, 8, "10:00"),
        "prescription": str(walks.pk),
        "local_date": "2027-05-18",
        "local_time": "10:00",
        "state": "done",
        "pain_during": 3,
        "difficulty": "ok",
        "dose": {"minutes": 10},
        "recorded_at": "2027-05-18T14:40:00Z",
        "received_at": "2027-05-18T14:40:00Z",
        "updated_at": "2027-05-18T14:40:00Z",
        "entered_by": None,
    }
    assert records_count() == 1
    # ... and today's list shows it
    session = next(s for s in alice.get(TODAY).json()["sessions"] if s["key"] == key(walks, 8, "10:00"))
    assert (session["state"], session["pain_during"], session["difficulty"]) == ("done", 3, "ok")


def test_a_different_record_for_the_same_session_corrects_it(cast, client_for, walks, time_machine):
    alice = client_for(cast.alice)
    time_machine.move_to(at(8, 10, 40), tick=False)
    put(alice, key(walks, 8, "10:00"), record_body("done", pain=3, difficulty="ok"))

    time_machine.move_to(at(8, 11), tick=False)
    response = put(alice, key(walks, 8, "10:00"), record_body("partly_done", pain=4, difficulty="hard"))

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["pain_during"], response.json()["difficulty"]) == (
        "partly_done",
        4,
        "hard",
    )
    assert response.json()["received_at"] == "2027-05-18T14:40:00Z"
    assert response.json()["updated_at"] == "2027-05-18T15:00:00Z"
    assert records_count() == 1


def test_a_skipped_session_needs_no_pain_or_difficulty(cast, client_for, walks):
    response = put(client_for(cast.alice), key(walks, 8, "10:00"), {"state": "skipped"})

    assert response.status_code == 201, response.json()
    assert (response.json()["state"], response.json()["pain_during"], response.json()["difficulty"]) == (
        "skipped",
        None,
        None,
    )


def test_yesterdays_session_can_be_recorded_today(cast, client_for, walks):
    response = put(client_for(cast.alice), key(walks, 7, "16:00"), record_body())

    assert response.status_code == 201
    assert ExerciseRecord.objects.get().local_date == dt.date(2027, 5, 17)


def test_a_later_session_of_today_can_be_recorded_early(cast, client_for, walks):
    response = put(client_for(cast.alice), key(walks, 8, "16:00"), record_body())

    assert response.status_code == 201


# --- Refused ----------------------------------------------------------------------------------------------------------


def test_a_session_of_a_day_after_today_is_refused(cast, client_for, walks):
    # At 09:30 on day 8 in New York, day 9 has not started for Alice (it is 13:30 UTC)
    response = put(client_for(cast.alice), key(walks, 9, "10:00"), record_body())

    assert response.status_code == 400
    assert response.json()["errors"] == {"occurrence": ["This session is on a day after today where you are."]}
    assert records_count() == 0


def test_a_session_older_than_the_backfill_window_is_refused(cast, client_for, plan, time_machine):
    time_machine.move_to(at(16, 9), tick=False)
    walks = prescription(plan, "walking", 7)

    response = put(client_for(cast.alice), key(walks, 8, "10:00"), record_body())

    assert response.status_code == 400
    assert response.json()["errors"] == {"occurrence": ["Sessions can be recorded for the last 7 days only."]}
    assert records_count() == 0


def test_another_patients_session_is_not_found(cast, client_for, walks):
    # Given Bob's plan and one of his sessions
    bobs_walks = prescription(plan_of(procedure_done(cast.bob.patient_profile, cast.dave)), "walking", 7)

    # When Alice records Bob's session, or Bob records Alice's
    alice_on_bobs = put(client_for(cast.alice), key(bobs_walks, 8, "10:00"), record_body())
    bob_on_alices = put(client_for(cast.bob), key(walks, 8, "10:00"), record_body())

    # Then both are 404, as for a session that does not exist, and nothing is stored
    assert (alice_on_bobs.status_code, bob_on_alices.status_code) == (404, 404)
    assert alice_on_bobs.json()["detail"] == "No exercise session with this key."
    assert records_count() == 0


@pytest.mark.parametrize(
    "occurrence",
    [
        "not-a-key",
        "{walks}:2027-05-18:10:30",  # not a time of the prescription
        "{walks}:2027-05-18:25:00",
        "{walks}:2027-02-30:10:00",
        "{walks}:2027-05-11:10:00",  # day 1: before this prescription's first day
        "{walks}:2027-05-16:10:00",  # day 6: a walk of the first days, not of this prescription
        "00000000-0000-0000-0000-000000000000:2027-05-18:10:00",
    ],
)
def test_a_key_that_is_not_one_of_her_sessions_is_not_found(cast, client_for, walks, occurrence):
    response = put(client_for(cast.alice), occurrence.format(walks=walks.pk), record_body())

    assert response.status_code == 404
    assert records_count() == 0


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"state": "done", "pain_during": 11, "difficulty": "ok"}, "pain_during", "less than or equal to 10"),
        ({"state": "done", "pain_during": -1, "difficulty": "ok"}, "pain_during", "greater than or equal to 0"),
        ({"state": "done", "pain_during": 2.5, "difficulty": "ok"}, "pain_during", "valid integer"),
        ({"state": "done", "difficulty": "ok"}, "pain_during", "how much pain"),
        ({"state": "done", "pain_during": 2}, "difficulty", "how hard it felt"),
        ({"state": "finished", "pain_during": 2, "difficulty": "ok"}, "state", "not a valid choice"),
        ({"state": "done", "pain_during": 2, "difficulty": "brutal"}, "difficulty", "not a valid choice"),
        ({"state": "skipped", "difficulty": "easy"}, "difficulty", "no difficulty"),
        ({"state": "done", "pain_during": 2, "difficulty": "ok", "note": "x"}, "note", "Unknown field"),
        ({"pain_during": 2, "difficulty": "ok"}, "state", "required"),
    ],
)
def test_bad_record_is_refused_with_a_clear_message_and_nothing_stored(cast, client_for, walks, body, field, message):
    response = put(client_for(cast.alice), key(walks, 8, "10:00"), body)

    assert response.status_code == 400
    assert any(message in m for m in response.json()["errors"][field]), response.json()
    assert records_count() == 0


def test_staff_cannot_record_for_a_patient(cast, client_for, walks):
    response = put(client_for(cast.carol), key(walks, 8, "10:00"), record_body())

    # Staff have no sessions: a key under /me/ is "not found" for them (never 403 on a path with an id)
    assert response.status_code == 404
    assert records_count() == 0
