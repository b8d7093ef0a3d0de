"""Adherence: completed / scheduled, partly done counting half, per prescription and per ISO week, counted in SQL.

The worked example (Alice, procedure Monday 10 May 2027 = day 0, ISO week 19; day 7 = Monday 17 May, week 20), as of
day 8 (Tuesday) at 14:00 in New York. Sessions due so far, from the default plan:

    walking days 1-6, 10:00 13:00 16:00        days 1-6 x 3                  = 18   (all week 19)
    walking days 7-13, same times              day 7 x 3 + day 8 10:00, 13:00 =  5   (week 20)
    pelvic tilt days 2-20, 09:00 and 18:00     days 2-7 x 2 + day 8 09:00     = 13   (week 19: 10, week 20: 3)
    hamstring stretch days 3-20, same times    days 3-7 x 2 + day 8 09:00     = 11   (week 19: 8, week 20: 3)
    knee to chest days 3-20, same times        as the hamstring stretch       = 11   (week 19: 8, week 20: 3)
    calf stretch from day 7, 09:00             days 7, 8                     =  2   (week 20)
                                                                        total = 60   (week 19: 44, week 20: 16)

Records: walks of days 1-6: day 1 done, done, partly; day 2 skipped, done -> 3 done + 1 partly = 3.5 of 18.
Walks of days 7-13: day 7 done, partly, partly; day 8 10:00 done; day 8 16:00 done early (not due yet: not counted)
-> 2 done + 2 partly = 3 of 5.
"""

from __future__ import annotations

import pytest

from accounts.models import PHIAccess
from exercises.models import ExercisePlan
from exercises.selectors import adherence_window, exercise_adherence
from exercises.services import exercise_record_put, prescription_change
from exercises.sql import adherence_rows
from recovery.content.exercises_default import DEFAULT_PLAN
from tests.exercises.support import MY_ADHERENCE, at, key, plan_of, prescription, procedure_done


def adherence_url(patient_id: object) -> str:
    return f"/api/v1/patients/{patient_id}/exercise-adherence"


def record(patient, p, n: int, hhmm: str, state: str, when) -> None:
    pain, difficulty = (None, "") if state == "skipped" else (2, "ok")
    exercise_record_put(
        patient=patient, occurrence=key(p, n, hhmm), state=state, pain_during=pain, difficulty=difficulty, now=when
    )


@pytest.fixture
def worked_example(cast, time_machine):
    time_machine.move_to(at(0, 17), tick=False)
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    first_walks, walks = prescription(plan, "walking", 1), prescription(plan, "walking", 7)
    alice = cast.alice_profile
    record(alice, first_walks, 1, "10:00", "done", at(1, 20))
    record(alice, first_walks, 1, "13:00", "done", at(1, 20))
    record(alice, first_walks, 1, "16:00", "partly_done", at(1, 20))
    record(alice, first_walks, 2, "10:00", "skipped", at(2, 20))
    record(alice, first_walks, 2, "13:00", "done", at(2, 20))
    record(alice, walks, 7, "10:00", "done", at(7, 20))
    record(alice, walks, 7, "13:00", "partly_done", at(7, 20))
    record(alice, walks, 7, "16:00", "partly_done", at(7, 20))
    record(alice, walks, 8, "10:00", "done", at(8, 11))
    record(alice, walks, 8, "16:00", "done", at(8, 11))
    time_machine.move_to(at(8, 14), tick=False)
    return plan


def tally(scheduled, done, partly, skipped, adherence):
    completed = done + partly / 2
    return {
        "scheduled": scheduled,
        "done": done,
        "partly_done": partly,
        "skipped": skipped,
        "not_recorded": scheduled - done - partly - skipped,
        "completed": completed,
        "adherence": adherence,
    }


def test_adherence_matches_the_worked_example(cast, client_for, worked_example):
    # When Alice asks how she is doing
    response = client_for(cast.alice).get(MY_ADHERENCE)

    # Then the figures are the hand-computed ones
    assert response.status_code == 200
    body = response.json()
    assert (body["today"], body["time_zone"], body["plan"]) == (
        "2027-05-18",
        "America/New_York",
        str(worked_example.pk),
    )
    assert body["overall"] == tally(60, 5, 3, 1, round(6.5 / 60, 4))
    assert body["by_week"] == [
        {"week": "2027-W19", "starts_on": "2027-05-10", **tally(44, 3, 1, 1, round(3.5 / 44, 4))},
        {"week": "2027-W20", "starts_on": "2027-05-17", **tally(16, 2, 2, 0, round(3 / 16, 4))},
    ]
    by_key = {(p["exercise"]["key"], p["scheduled"]): p for p in body["by_prescription"]}
    first_walks = by_key[("walking", 18)]
    assert {k: first_walks[k] for k in tally(0, 0, 0, 0, None)} == tally(18, 3, 1, 1, round(3.5 / 18, 4))
    assert [w["week"] for w in first_walks["weeks"]] == ["2027-W19"]
    walks = by_key[("walking", 5)]
    assert {k: walks[k] for k in tally(0, 0, 0, 0, None)} == tally(5, 2, 2, 0, 0.6)
    assert walks["weeks"] == [{"week": "2027-W20", "starts_on": "2027-05-17", **tally(5, 2, 2, 0, 0.6)}]
    scheduled = sorted((p["exercise"]["key"], p["scheduled"]) for p in body["by_prescription"] if p["scheduled"])
    assert scheduled == [
        ("knee_to_chest", 11),
        ("pelvic_tilt", 13),
        ("seated_hamstring_stretch", 11),
        ("standing_calf_stretch", 2),
        ("walking", 5),
        ("walking", 18),
    ]
    # Every prescription is listed, the later phases' with nothing due yet
    assert len(body["by_prescription"]) == len(DEFAULT_PLAN)
    assert all(p["adherence"] is None for p in body["by_prescription"] if not p["scheduled"])


def test_a_session_counts_once_it_is_due(cast, worked_example, time_machine):
    # At 16:00:30 the early-recorded 16:00 walk is due, and done
    time_machine.move_to(at(8, 16, 0).replace(second=30), tick=False)

    result = exercise_adherence(worked_example)

    walks = next(
        p for p in result["by_prescription"] if p["prescription"] == prescription(worked_example, "walking", 7).pk
    )
    assert (walks["scheduled"], walks["done"], walks["partly_done"]) == (6, 3, 2)


def test_a_change_of_times_mid_day_counts_each_session_once(cast, time_machine):
    # Given day 8 at 11:00: Dr Carol moves Alice's walks from 10:00, 13:00 and 16:00 to 10:00 and 15:00
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    time_machine.move_to(at(8, 11), tick=False)
    prescription_change(prescription=walks, by=cast.carol, changes={"times_of_day": ["10:00", "15:00"]})
    record(cast.alice_profile, walks, 8, "15:00", "done", at(8, 15, 20))

    # When adherence is counted at 15:30
    time_machine.move_to(at(8, 15, 30), tick=False)
    result = exercise_adherence(plan)

    # Then day 7 has its three walks; day 8 the 10:00 walk of the first version and the 15:00 walk of the second
    # (13:00 no longer exists), each counted once
    row = next(p for p in result["by_prescription"] if p["prescription"] == walks.pk)
    assert (row["scheduled"], row["done"], row["adherence"]) == (3 + 2, 1, 0.2)


def test_the_count_is_one_sql_query(worked_example, django_assert_num_queries):
    plan = ExercisePlan.objects.select_related("patient", "procedure").get(pk=worked_example.pk)

    with django_assert_num_queries(1):
        rows = adherence_rows([adherence_window(plan.pk, plan.procedure.procedure_date, plan.patient.zone, at(8, 14))])

    assert sum(row.tally.scheduled for row in rows) == 60


def test_no_plan_gives_empty_adherence(cast, client_for):
    body = client_for(cast.alice).get(MY_ADHERENCE).json()

    assert body["plan"] is None
    assert body["overall"] == tally(0, 0, 0, 0, None)
    assert body["by_week"] == body["by_prescription"] == []


def test_clinician_reads_adherence_and_the_read_is_logged(cast, client_for, worked_example):
    response = client_for(cast.carol).get(adherence_url(cast.alice.pk))

    assert response.status_code == 200
    assert response.json()["overall"]["scheduled"] == 60
    assert list(PHIAccess.objects.values_list("actor_id", "patient_id", "resource")) == [
        (cast.carol.pk, cast.alice.pk, "recovery.exercise_adherence")
    ]


@pytest.mark.parametrize("outsider", ["bob", "dave", "erin", "grace"])
def test_outsiders_cannot_see_alices_adherence(cast, client_for, worked_example, outsider):
    response = client_for(getattr(cast, outsider)).get(adherence_url(cast.alice.pk))

    assert response.status_code == 404
    assert PHIAccess.objects.count() == 0


def test_my_adherence_is_for_patients(cast, client_for):
    assert client_for(cast.carol).get(MY_ADHERENCE).status_code == 403
