"""Pain during an exercise of 7 or more twice in a row raises a watch alert and holds that prescription's
progression (the next phase's step-up waits; the current dose goes on) until a clinician acknowledges the alert."""

from __future__ import annotations

import pytest

from exercises.models import ProgressionHold, VersionChange
from exercises.services import EXERCISE_PAIN_RULE, exercise_record_put
from recovery import services
from recovery.content.red_flags import WATCH_RULES
from recovery.models import Alert, AlertState
from tests.exercises.support import (
    MY_PLAN,
    OCCURRENCES,
    TODAY,
    at,
    key,
    plan_of,
    prescription,
    procedure_done,
    record_body,
    versions,
)


@pytest.fixture(autouse=True)
def _day_five(time_machine):
    """Saturday 15 May 2027, day 5 (first days): walks of 5 minutes at 10:00, 13:00 and 16:00."""
    time_machine.move_to(at(5, 9), tick=False)


@pytest.fixture
def plan(cast):
    return plan_of(procedure_done(cast.alice_profile, cast.carol))


@pytest.fixture
def first_walks(plan):
    return prescription(plan, "walking", 1)


def walked(patient, p, n: int, hhmm: str, pain: int, state: str = "done"):
    return exercise_record_put(
        patient=patient,
        occurrence=key(p, n, hhmm),
        state=state,
        pain_during=None if state == "skipped" else pain,
        difficulty="" if state == "skipped" else "hard",
        now=at(n, 20),
    )


def walks_today(client) -> list[tuple[str, dict, str]]:
    return [
        (s["local_time"], s["dose"], s["prescription"])
        for s in client.get(TODAY).json()["sessions"]
        if s["exercise"]["key"] == "walking"
    ]


def test_the_rule_is_a_watch_rule_of_the_protocol():
    rule = next(r for r in WATCH_RULES if r.key == EXERCISE_PAIN_RULE)
    assert rule.tier == "watch"
    assert "7 or more" in rule.explanation and "acknowledges" in rule.explanation


def test_pain_7_or_more_twice_in_a_row_raises_one_watch_alert(cast, client_for, first_walks):
    # Given Alice's 10:00 walk hurt (7)
    first = walked(cast.alice_profile, first_walks, 5, "10:00", pain=7)
    assert first.alerts == []

    # When her 13:00 walk hurts too (8)
    second = walked(cast.alice_profile, first_walks, 5, "13:00", pain=8)

    # Then one watch alert, triggered by the second record, tells her clinician
    [alert] = second.alerts
    assert (alert.rule, alert.tier, alert.trigger) == (
        EXERCISE_PAIN_RULE,
        "watch",
        f"exercise-record:{second.record.pk}",
    )
    assert alert.details["exercise"] == "Walking"
    assert [s["pain_during"] for s in alert.details["sessions"]] == [7, 8]
    listed = client_for(cast.carol).get("/api/v1/alerts").json()["results"]
    assert [(a["rule"], a["title"]) for a in listed] == [
        (EXERCISE_PAIN_RULE, "Pain during an exercise, twice in a row")
    ]
    # ... and sending the same record again raises nothing more
    client_for(cast.alice).put(
        f"{OCCURRENCES}/{key(first_walks, 5, '13:00')}", record_body(pain=8, difficulty="hard"), format="json"
    )
    assert Alert.objects.count() == 1


def test_the_alert_shows_its_clinician_the_sessions_that_raised_it(cast, client_for, first_walks):
    # Given two painful walks, recorded out of order (the later one first), raised a watch alert
    later = walked(cast.alice_profile, first_walks, 5, "16:00", pain=9)
    earlier = walked(cast.alice_profile, first_walks, 5, "10:00", pain=7)
    walked(cast.alice_profile, first_walks, 5, "13:00", pain=0, state="skipped")
    alert = Alert.objects.get()

    # When her clinician opens it
    trigger = client_for(cast.carol).get(f"/api/v1/alerts/{alert.pk}").json()["trigger"]

    # Then the trigger is the exercise with both sessions' answers, oldest first, like a check-in trigger
    assert (trigger["kind"], trigger["reference"], trigger["checkin"]) == ("exercise", str(later.record.pk), None)
    assert "7 or more" in trigger["explanation"]
    exercise = trigger["exercise"]
    assert (exercise["exercise"], exercise["prescription"]) == ("Walking", str(first_walks.pk))
    assert [
        (s["id"], s["local_date"], s["local_time"], s["state_label"], s["pain_during"], s["difficulty_label"])
        for s in exercise["sessions"]
    ] == [
        (str(earlier.record.pk), "2027-05-15", "10:00", "Done", 7, "Hard"),
        (str(later.record.pk), "2027-05-15", "16:00", "Done", 9, "Hard"),
    ]
    assert all(s["recorded_at"] and s["dose"] == {"minutes": 5} for s in exercise["sessions"])


def test_a_third_painful_session_adds_no_alert_while_the_first_is_unread(cast, first_walks):
    walked(cast.alice_profile, first_walks, 5, "10:00", pain=7)
    walked(cast.alice_profile, first_walks, 5, "13:00", pain=8)

    third = walked(cast.alice_profile, first_walks, 5, "16:00", pain=9)

    assert third.alerts == []
    assert Alert.objects.count() == 1


@pytest.mark.parametrize(
    ("sessions", "alerts"),
    [
        ([("10:00", 7, "done"), ("13:00", 6, "done")], 0),  # 6 is under the threshold
        ([("10:00", 7, "done"), ("13:00", 3, "done"), ("16:00", 7, "done")], 0),  # not in a row
        ([("10:00", 7, "done"), ("13:00", 0, "skipped"), ("16:00", 7, "done")], 1),  # a skip is not a session
        ([("10:00", 7, "partly_done"), ("13:00", 7, "partly_done")], 1),  # partly done sessions count
        ([("16:00", 9, "done"), ("10:00", 7, "done")], 1),  # recorded out of order
    ],
)
def test_which_sessions_count_as_twice_in_a_row(cast, first_walks, sessions, alerts):
    for hhmm, pain, state in sessions:
        walked(cast.alice_profile, first_walks, 5, hhmm, pain=pain, state=state)

    assert Alert.objects.filter(rule=EXERCISE_PAIN_RULE).count() == alerts


def test_out_of_order_records_alert_on_the_later_session(cast, first_walks):
    later = walked(cast.alice_profile, first_walks, 5, "16:00", pain=9)
    walked(cast.alice_profile, first_walks, 5, "10:00", pain=7)

    assert Alert.objects.get().trigger == f"exercise-record:{later.record.pk}"


def test_pain_in_two_different_exercises_is_not_twice_in_a_row(cast, plan):
    walked(cast.alice_profile, prescription(plan, "walking", 1), 5, "10:00", pain=8)
    exercise_record_put(
        patient=cast.alice_profile, occurrence=key(prescription(plan, "pelvic_tilt", 2), 5, "18:00"), state="done",
        pain_during=8, difficulty="hard", now=at(5, 20),
    )  # fmt: skip

    assert Alert.objects.count() == 0


def test_correcting_a_record_to_painful_raises_the_alert(cast, client_for, first_walks):
    alice = client_for(cast.alice)
    walked(cast.alice_profile, first_walks, 5, "10:00", pain=7)
    alice.put(f"{OCCURRENCES}/{key(first_walks, 5, '13:00')}", record_body(pain=2), format="json")
    assert Alert.objects.count() == 0

    alice.put(f"{OCCURRENCES}/{key(first_walks, 5, '13:00')}", record_body(pain=7, difficulty="hard"), format="json")

    assert Alert.objects.count() == 1


def test_the_alert_holds_the_progression_until_a_clinician_acknowledges_it(
    cast, client_for, plan, first_walks, time_machine
):
    # Given two painful walks on day 5, at 13:00 and 16:00
    walked(cast.alice_profile, first_walks, 5, "13:00", pain=7)
    alert = walked(cast.alice_profile, first_walks, 5, "16:00", pain=8).alerts[0]
    alice = client_for(cast.alice)
    next_walks = prescription(plan, "walking", 7)

    # When day 7 comes (the day the 10-minute walks of weeks 1-3 would start)
    time_machine.move_to(at(7, 8), tick=False)

    # Then Alice keeps her 5-minute walks; the step-up waits
    assert walks_today(alice) == [
        ("10:00", {"minutes": 5}, str(first_walks.pk)),
        ("13:00", {"minutes": 5}, str(first_walks.pk)),
        ("16:00", {"minutes": 5}, str(first_walks.pk)),
    ]
    statuses = {
        (p["exercise"]["key"], p["versions"][0]["first_day"]): p["status"]
        for p in alice.get(MY_PLAN).json()["plan"]["prescriptions"]
    }
    assert statuses[("walking", 1)] == "active"
    assert [statuses[("walking", n)] for n in (7, 14, 21, 56)] == ["held", "held", "held", "held"]
    assert statuses[("pelvic_tilt", 21)] == "upcoming"  # other exercises progress as planned
    assert [(v.change, v.last_day, v.held) for v in versions(first_walks)] == [
        (VersionChange.CREATED, 6, False),
        (VersionChange.HELD, None, False),
    ]

    # When Dr Carol acknowledges the alert at 11:00 on day 7
    time_machine.move_to(at(7, 11), tick=False)
    response = client_for(cast.carol).post(f"/api/v1/alerts/{alert.pk}/acknowledge", {"note": "Called her."})
    assert response.status_code == 200, response.json()

    # Then the step-up starts with the next session: 13:00 and 16:00 are the 10-minute walks
    assert walks_today(alice) == [
        ("10:00", {"minutes": 5}, str(first_walks.pk)),
        ("13:00", {"minutes": 10}, str(next_walks.pk)),
        ("16:00", {"minutes": 10}, str(next_walks.pk)),
    ]
    assert [(v.change, v.last_day, v.held) for v in versions(next_walks)] == [
        (VersionChange.CREATED, 13, False),
        (VersionChange.HELD, 13, True),
        (VersionChange.RELEASED, 13, False),
    ]
    assert versions(first_walks)[-1].last_day == 6
    assert ProgressionHold.objects.get().released_by == cast.carol
    # ... and acknowledging again changes nothing
    services.alert_resolve(alert=Alert.objects.get(pk=alert.pk), by=cast.carol, note="Fine now.")
    assert len(versions(next_walks)) == 3


def test_resolving_the_alert_without_acknowledging_also_releases_the_hold(cast, plan, first_walks, time_machine):
    walked(cast.alice_profile, first_walks, 5, "13:00", pain=7)
    alert = walked(cast.alice_profile, first_walks, 5, "16:00", pain=8).alerts[0]
    time_machine.move_to(at(6, 9), tick=False)

    services.alert_resolve(alert=alert, by=cast.carol, note="Reviewed by phone.")

    assert Alert.objects.get().state == AlertState.RESOLVED
    assert ProgressionHold.objects.get().released_at is not None
    time_machine.move_to(at(7, 8), tick=False)
    next_walks = prescription(plan, "walking", 7)
    assert versions(next_walks)[-1].held is False
    assert versions(first_walks)[-1].last_day == 6


def test_pain_in_an_open_ended_prescription_raises_the_alert_but_holds_nothing(cast, plan, time_machine):
    # The calf stretch runs from day 7 with no step-up
    time_machine.move_to(at(8, 9), tick=False)
    calf = prescription(plan, "standing_calf_stretch", 7)
    for n in (7, 8):
        exercise_record_put(
            patient=cast.alice_profile, occurrence=key(calf, n, "09:00"), state="done", pain_during=7,
            difficulty="hard", now=at(8, 10),
        )  # fmt: skip

    assert Alert.objects.filter(rule=EXERCISE_PAIN_RULE).count() == 1
    assert ProgressionHold.objects.count() == 0
    assert len(versions(calf)) == 1


def test_held_sessions_are_not_counted_as_scheduled(cast, client_for, plan, first_walks, time_machine):
    walked(cast.alice_profile, first_walks, 5, "13:00", pain=7)
    walked(cast.alice_profile, first_walks, 5, "16:00", pain=8)
    time_machine.move_to(at(7, 17), tick=False)

    body = client_for(cast.alice).get("/api/v1/me/exercises/adherence").json()

    scheduled = {p["prescription"]: p["scheduled"] for p in body["by_prescription"]}
    # First-days walks: days 1-6 x 3 = 18, and day 7's three while held = 21; the held step-up: none
    assert scheduled[str(first_walks.pk)] == 21
    assert scheduled[str(prescription(plan, "walking", 7).pk)] == 0
