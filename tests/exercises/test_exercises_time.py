"""When sessions are due: wall-clock times in the patient's zone, turned into UTC instants with zoneinfo, across DST;
and the selectors the notifications engine reads."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from exercises.models import Exercise
from exercises.selectors import (
    due_at,
    exercise_occurrences_due_between,
    exercise_occurrences_on,
    local_boundary_key,
    minute_key,
    parse_occurrence_key,
    patients_with_exercises_between,
)
from exercises.services import prescription_add, prescription_remove
from tests.exercises.support import NEW_YORK, at, plan_of, prescription, procedure_done
from tests.support import utc

pytestmark = pytest.mark.clock_sensitive

UTC = dt.UTC
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
SPRING_FORWARD = dt.date(2027, 3, 14)  # New York: 02:00 EST -> 03:00 EDT
FALL_BACK = dt.date(2027, 11, 7)  # New York: 02:00 EDT -> 01:00 EST


# --- due_at and boundaries (no database) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local_date", "time", "expected"),
    [
        # The night before and after: 02:30 is EST (UTC-5), then EDT (UTC-4)
        (dt.date(2027, 3, 13), dt.time(2, 30), utc(2027, 3, 13, 7, 30)),
        (dt.date(2027, 3, 15), dt.time(2, 30), utc(2027, 3, 15, 6, 30)),
        # 02:30 does not exist on the spring-forward day: the next valid minute is 03:00 EDT
        (SPRING_FORWARD, dt.time(2, 30), utc(2027, 3, 14, 7, 0)),
        (SPRING_FORWARD, dt.time(2, 0), utc(2027, 3, 14, 7, 0)),
        (SPRING_FORWARD, dt.time(3, 0), utc(2027, 3, 14, 7, 0)),
        (SPRING_FORWARD, dt.time(1, 59), utc(2027, 3, 14, 6, 59)),
        # 01:30 happens twice on the fall-back day: due once, at the first (EDT)
        (FALL_BACK, dt.time(1, 30), utc(2027, 11, 7, 5, 30)),
        (FALL_BACK, dt.time(2, 0), utc(2027, 11, 7, 7, 0)),
    ],
)
def test_due_at_is_dst_correct_in_new_york(local_date, time, expected):
    assert due_at(local_date, time, NEW_YORK) == expected


def test_due_at_in_a_zone_with_a_half_hour_gap():
    # Lord Howe Island springs forward half an hour, 02:00 -> 02:30
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    assert due_at(dt.date(2027, 10, 3), dt.time(2, 10), lord_howe) == due_at(
        dt.date(2027, 10, 3), dt.time(2, 30), lord_howe
    )


def test_a_change_made_in_the_repeated_hour_governs_only_sessions_not_yet_due():
    # At 01:30 EST (the second pass), wall-clock 01:00-01:59 were due in the first pass, already gone
    assert local_boundary_key(utc(2027, 11, 7, 6, 30), NEW_YORK) == minute_key(FALL_BACK, 2 * 60)
    # In the first pass, 01:30 EDT itself is next
    assert local_boundary_key(utc(2027, 11, 7, 5, 30), NEW_YORK) == minute_key(FALL_BACK, 90)
    # Seconds round up to the next minute
    assert local_boundary_key(utc(2027, 11, 7, 5, 30, 1), NEW_YORK) == minute_key(FALL_BACK, 91)


def test_occurrence_keys_parse_back():
    pid = uuid.uuid4()
    assert parse_occurrence_key(f"{pid}:2027-05-18:09:05") == (pid, dt.date(2027, 5, 18), dt.time(9, 5))
    for bad in (f"{pid}:2027-05-18:9:05", f"{pid}:2027-13-18:09:05", "x:2027-05-18:09:05", f"{pid}:2027-05-18"):
        assert parse_occurrence_key(bad) is None


# --- Sessions on the DST days -----------------------------------------------------------------------------------------


@pytest.fixture
def night_walks(cast, time_machine):
    """Alice's procedure on Monday 1 March 2027; Dr Carol adds a walk at 02:30 and one at 01:30, every night."""
    time_machine.move_to(dt.datetime(2027, 3, 1, 17, tzinfo=NEW_YORK), tick=False)
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol, procedure_date=dt.date(2027, 3, 1)))
    walking = Exercise.objects.get(key="walking", clinic=None)
    return prescription_add(
        plan=plan, by=cast.carol, exercise_id=walking.pk, dose={"minutes": 5}, days_of_week=EVERY_DAY,
        times_of_day=["02:30", "01:30"], first_day=1,
    )  # fmt: skip


def test_a_session_at_0230_on_the_spring_forward_day_is_due_at_the_next_valid_minute(cast, night_walks):
    # When the notifications engine asks for Alice's sessions on the spring-forward day
    sessions = [o for o in exercise_occurrences_on(cast.alice_profile, SPRING_FORWARD) if o.local_time < "03:00"]

    # Then the 02:30 walk keeps its prescribed time and key, and is due at 03:00 EDT (07:00 UTC)
    assert [(o.local_time, o.due_at) for o in sessions] == [
        ("01:30", utc(2027, 3, 14, 6, 30)),
        ("02:30", utc(2027, 3, 14, 7, 0)),
    ]
    walk = sessions[1]
    assert walk.key == f"{night_walks.pk}:2027-03-14:02:30"
    assert (walk.exercise_name, walk.local_date, walk.time_zone, walk.patient_id) == (
        "Walking",
        SPRING_FORWARD,
        "America/New_York",
        cast.alice.pk,
    )


def test_a_session_in_the_repeated_hour_is_due_once_at_its_first_occurrence(cast, night_walks):
    sessions = [o for o in exercise_occurrences_on(cast.alice_profile, FALL_BACK) if o.local_time == "01:30"]

    assert [(o.key, o.due_at) for o in sessions] == [(f"{night_walks.pk}:2027-11-07:01:30", utc(2027, 11, 7, 5, 30))]


def test_the_batch_selector_finds_the_spring_forward_session_in_its_window(cast, night_walks):
    found = exercise_occurrences_due_between(start=utc(2027, 3, 14, 6, 45), end=utc(2027, 3, 14, 7, 1))

    assert [(o.key, o.due_at) for o in found] == [(f"{night_walks.pk}:2027-03-14:02:30", utc(2027, 3, 14, 7, 0))]


# --- The batch selector -----------------------------------------------------------------------------------------------


def test_sessions_due_in_a_window_for_many_patients_in_one_query(cast, django_assert_num_queries, time_machine):
    # Given Alice (New York) and Bob (Berlin), both on day 8 of their plans
    time_machine.move_to(at(0, 17), tick=False)
    alice_walks = prescription(plan_of(procedure_done(cast.alice_profile, cast.carol)), "walking", 7)
    bob_walks = prescription(plan_of(procedure_done(cast.bob.patient_profile, cast.dave)), "walking", 7)

    # When the dispatcher asks for what is due between 07:30 and 14:30 UTC on 18 May
    with django_assert_num_queries(1):  # versions with their prescription, exercise, plan, procedure and patient
        found = exercise_occurrences_due_between(start=utc(2027, 5, 18, 7, 30), end=utc(2027, 5, 18, 14, 30))

    # Then Bob's 10:00, 13:00 and 16:00 Berlin walks (08:00, 11:00, 14:00 UTC) and Alice's 10:00 walk (14:00 UTC)
    # are due, with Alice's 09:00 stretches (13:00 UTC), in due order
    walks = {(o.key, o.due_at) for o in found if o.exercise_key == "walking"}
    assert walks == {
        (f"{bob_walks.pk}:2027-05-18:10:00", utc(2027, 5, 18, 8, 0)),
        (f"{bob_walks.pk}:2027-05-18:13:00", utc(2027, 5, 18, 11, 0)),
        (f"{bob_walks.pk}:2027-05-18:16:00", utc(2027, 5, 18, 14, 0)),
        (f"{alice_walks.pk}:2027-05-18:10:00", utc(2027, 5, 18, 14, 0)),
    }
    assert [o.due_at for o in found] == sorted(o.due_at for o in found)
    assert {o.patient_id for o in found if o.due_at == utc(2027, 5, 18, 13, 0)} == {cast.alice.pk}
    assert all(utc(2027, 5, 18, 7, 30) <= o.due_at < utc(2027, 5, 18, 14, 30) for o in found)
    # ... and asked for Alice only, only hers
    only_alice = exercise_occurrences_due_between(
        start=utc(2027, 5, 18, 7, 30), end=utc(2027, 5, 18, 14, 30), patient_ids=[cast.alice.pk]
    )
    assert {o.patient_id for o in only_alice} == {cast.alice.pk}
    grouped = patients_with_exercises_between(start=utc(2027, 5, 18, 7, 30), end=utc(2027, 5, 18, 14, 30))
    assert set(grouped) == {cast.alice.pk, cast.bob.pk}
    # ... and once Bob closes his account, nothing of his is due
    cast.bob.is_active = False
    cast.bob.save(update_fields=["is_active"])
    grouped = patients_with_exercises_between(start=utc(2027, 5, 18, 7, 30), end=utc(2027, 5, 18, 14, 30))
    assert set(grouped) == {cast.alice.pk}


def test_a_removed_or_held_session_is_not_due(cast, time_machine):
    time_machine.move_to(at(8, 9), tick=False)
    walks = prescription(plan_of(procedure_done(cast.alice_profile, cast.carol)), "walking", 7)
    prescription_remove(prescription=walks, by=cast.carol)

    assert [
        o for o in exercise_occurrences_on(cast.alice_profile, at(8, 9).date()) if o.exercise_key == "walking"
    ] == []
