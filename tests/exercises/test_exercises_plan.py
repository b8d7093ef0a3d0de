"""The exercise plan: made from the protocol when the procedure is done; clinicians change it version by version,
from the next session on, and the past stays as it was."""

from __future__ import annotations

import uuid

import pytest

from accounts.exports import patient_export
from accounts.models import PHIAccess
from exercises.models import (
    Exercise,
    ExercisePlan,
    ExerciseRecord,
    Prescription,
    PrescriptionSlot,
    PrescriptionVersion,
    VersionChange,
)
from exercises.services import exercise_create, exercise_record_put, prescription_change
from recovery import services
from recovery.content.exercises_default import DEFAULT_PLAN
from tests.exercises.support import (
    MY_PLAN,
    OCCURRENCES,
    TODAY,
    at,
    day,
    key,
    plan_of,
    prescription,
    procedure_done,
    record_body,
    versions,
)


@pytest.fixture(autouse=True)
def _day_one(time_machine):
    """The clock starts on the morning of day 1; tests move it on."""
    time_machine.move_to(at(1, 8), tick=False)


def plan_url(patient_id: object) -> str:
    return f"/api/v1/patients/{patient_id}/exercise-plan"


def prescriptions_url(patient_id: object, prescription_id: object | None = None) -> str:
    base = f"{plan_url(patient_id)}/prescriptions"
    return f"{base}/{prescription_id}" if prescription_id else base


def sessions_by_time(response) -> dict[tuple[str, str], dict]:
    return {(s["exercise"]["key"], s["local_time"]): s for s in response.json()["sessions"]}


# --- Made from the protocol -------------------------------------------------------------------------------------------


def test_marking_the_procedure_done_creates_the_plan_from_the_default_plan(cast):
    # Given Alice's procedure, when Dr Carol marks it done
    procedure = procedure_done(cast.alice_profile, cast.carol)

    # Then her plan has one prescription per line of the default plan, as its first version
    plan = plan_of(procedure)
    stored = sorted(
        (v.prescription.exercise.key, v.first_day, v.last_day, v.dose, v.days_of_week, v.times_of_day)
        for v in PrescriptionVersion.objects.filter(prescription__plan=plan).select_related("prescription__exercise")
    )
    expected = sorted(
        (p.exercise_key, p.first_day, p.last_day, dict(p.dose), list(p.days_of_week), sorted(p.times_of_day))
        for p in DEFAULT_PLAN
    )
    assert stored == expected
    assert set(PrescriptionVersion.objects.filter(prescription__plan=plan).values_list("version", "change")) == {
        (1, VersionChange.CREATED)
    }
    # ... with one slot per day of the week and time of day, for the SQL that counts sessions
    walks = prescription(plan, "walking", 1)
    assert PrescriptionSlot.objects.filter(version__prescription=walks).count() == 7 * 3


def test_marking_done_again_does_not_make_a_second_plan(cast):
    procedure = procedure_done(cast.alice_profile, cast.carol)

    services.procedure_complete(procedure=procedure, by=cast.carol, now=at(1, 9))

    assert ExercisePlan.objects.count() == 1
    assert Prescription.objects.count() == len(DEFAULT_PLAN)


def test_a_repeat_procedure_gets_its_own_plan_and_the_earlier_one_stops(cast, client_for, time_machine):
    # Given Alice's first procedure and its plan, months ago
    procedure_done(cast.alice_profile, cast.carol)
    time_machine.move_to(at(200, 9), tick=False)

    # When a repeat procedure is done on day 200
    second = procedure_done(cast.alice_profile, cast.carol, procedure_date=day(200))

    # Then the next day's sessions come from the new plan only: the first days' three short walks
    time_machine.move_to(at(201, 8), tick=False)
    response = client_for(cast.alice).get(TODAY)
    sessions = response.json()["sessions"]
    assert response.json()["day"] == 1
    assert {s["prescription"] for s in sessions} <= {str(p.pk) for p in plan_of(second).prescriptions.all()}
    assert [(s["exercise"]["key"], s["local_time"]) for s in sessions] == [
        ("walking", "10:00"),
        ("walking", "13:00"),
        ("walking", "16:00"),
    ]


# --- Reading the plan -------------------------------------------------------------------------------------------------


def test_patient_sees_her_plan_with_each_prescription_status_today(cast, client_for, time_machine):
    # Given Alice on day 8 (weeks 1-3)
    procedure_done(cast.alice_profile, cast.carol)
    time_machine.move_to(at(8, 9), tick=False)

    # When she opens her plan
    response = client_for(cast.alice).get(MY_PLAN)

    # Then the walks of the first days are finished, this week's are active, the later ones upcoming
    assert response.status_code == 200
    plan = response.json()["plan"]
    assert plan["day"] == 8 and plan["today"] == "2027-05-18" and plan["time_zone"] == "America/New_York"
    walks = {
        p["current"]["first_day"]: (p["status"], p["current"]["dose"])
        for p in plan["prescriptions"]
        if p["exercise"]["key"] == "walking"
    }
    assert walks == {
        1: ("finished", {"minutes": 5}),
        7: ("active", {"minutes": 10}),
        14: ("upcoming", {"minutes": 15}),
        21: ("upcoming", {"minutes": 20}),
        56: ("upcoming", {"minutes": 30}),
    }
    first = plan["prescriptions"][0]
    assert (first["exercise"]["key"], first["current"]["first_day"]) == ("walking", 1)  # in the order of the plan
    assert first["versions"][0]["effective_from"] == "2027-05-10T16:00"
    assert first["versions"][0]["effective_until"] is None
    assert first["exercise"]["steps"] and first["exercise"]["precautions"]


def test_patient_without_a_done_procedure_has_no_plan_yet(cast, client_for):
    response = client_for(cast.alice).get(MY_PLAN)

    assert response.status_code == 200
    assert response.json() == {"plan": None}


def test_clinician_reads_the_plan_and_the_read_is_logged(cast, client_for):
    procedure_done(cast.alice_profile, cast.carol)

    response = client_for(cast.carol).get(plan_url(cast.alice.pk))

    assert response.status_code == 200
    assert len(response.json()["plan"]["prescriptions"]) == len(DEFAULT_PLAN)
    assert list(PHIAccess.objects.values_list("actor_id", "patient_id", "resource")) == [
        (cast.carol.pk, cast.alice.pk, "recovery.exercise_plan")
    ]


def test_clinic_admin_reads_the_plan_of_a_patient_of_the_clinic(cast, client_for):
    procedure_done(cast.alice_profile, cast.carol)

    response = client_for(cast.frank).get(plan_url(cast.alice.pk))

    assert response.status_code == 200
    assert PHIAccess.objects.filter(actor=cast.frank, patient_id=cast.alice.pk).count() == 1


@pytest.mark.parametrize("outsider", ["bob", "dave", "erin", "grace"])
def test_outsiders_cannot_see_alices_plan(cast, client_for, outsider):
    procedure_done(cast.alice_profile, cast.carol)

    response = client_for(getattr(cast, outsider)).get(plan_url(cast.alice.pk))

    assert response.status_code == 404
    assert PHIAccess.objects.count() == 0


def test_clinicians_use_the_patient_route_and_patients_their_own(cast, client_for):
    assert client_for(cast.carol).get(MY_PLAN).status_code == 403
    assert client_for(None).get(MY_PLAN).status_code == 401


# --- Changing prescriptions -------------------------------------------------------------------------------------------


def test_clinician_changes_a_dose_from_the_next_session_and_the_past_stays(cast, client_for, time_machine):
    # Given day 8: Alice did her 10:00 walk (10 minutes)
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    alice = client_for(cast.alice)
    time_machine.move_to(at(8, 10, 30), tick=False)
    assert alice.put(f"{OCCURRENCES}/{key(walks, 8, '10:00')}", record_body(), format="json").status_code == 201

    # When Dr Carol makes the walks 12 minutes at 11:00
    time_machine.move_to(at(8, 11), tick=False)
    response = client_for(cast.carol).patch(
        prescriptions_url(cast.alice.pk, walks.pk), {"dose": {"minutes": 12}, "note": "Doing well."}, format="json"
    )

    # Then a second version governs from now on; the first stays, closed where the second starts
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(v["version"], v["change"], v["dose"]) for v in body["versions"]] == [
        (1, "created", {"minutes": 10}),
        (2, "changed", {"minutes": 12}),
    ]
    assert body["versions"][0]["effective_until"] == body["versions"][1]["effective_from"] == "2027-05-18T11:00"
    assert body["current"]["note"] == "Doing well."
    assert body["current"]["created_by"]["full_name"] == "Dr Carol Chen"
    # ... today's done walk keeps the dose it was done at, the next ones have the new dose
    today = sessions_by_time(alice.get(TODAY))
    assert today[("walking", "10:00")]["dose"] == {"minutes": 10}
    assert today[("walking", "10:00")]["state"] == "done"
    assert today[("walking", "13:00")]["dose"] == {"minutes": 12}
    assert today[("walking", "16:00")]["dose"] == {"minutes": 12}
    record = ExerciseRecord.objects.get()
    assert (record.version.version, record.version.dose) == (1, {"minutes": 10})
    # ... and the occurrence keys did not change: reminders made for them still match
    assert today[("walking", "13:00")]["key"] == key(walks, 8, "13:00")


def test_a_session_recorded_ahead_of_time_keeps_its_dose_when_the_plan_changes(cast, client_for, time_machine):
    # Given Alice recorded her 16:00 walk early, at 11:00
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    time_machine.move_to(at(8, 11), tick=False)
    client_for(cast.alice).put(f"{OCCURRENCES}/{key(walks, 8, '16:00')}", record_body(), format="json")

    # When Dr Carol changes the dose at noon
    time_machine.move_to(at(8, 12), tick=False)
    client_for(cast.carol).patch(prescriptions_url(cast.alice.pk, walks.pk), {"dose": {"minutes": 8}}, format="json")

    # Then the change starts after the recorded session: the 13:00 and 16:00 walks stay at 10 minutes
    v1, v2 = versions(walks)
    assert v2.from_key == v1.until_key
    today = sessions_by_time(client_for(cast.alice).get(TODAY))
    assert today[("walking", "13:00")]["dose"] == {"minutes": 10}
    assert today[("walking", "16:00")]["dose"] == {"minutes": 10}
    assert today[("walking", "16:00")]["state"] == "done"
    time_machine.move_to(at(9, 8), tick=False)
    assert sessions_by_time(client_for(cast.alice).get(TODAY))[("walking", "10:00")]["dose"] == {"minutes": 8}


def test_changing_times_and_days_moves_the_next_sessions(cast, client_for, time_machine):
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    time_machine.move_to(at(8, 9), tick=False)

    response = client_for(cast.carol).patch(
        prescriptions_url(cast.alice.pk, walks.pk),
        {"times_of_day": ["17:30", "09:30"], "days_of_week": [1, 3, 5]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["current"]["times_of_day"] == ["09:30", "17:30"]
    assert response.json()["current"]["times_per_day"] == 2
    # Day 8 is a Tuesday (1): today's walks are at the new times
    today = [(s["exercise"]["key"], s["local_time"]) for s in client_for(cast.alice).get(TODAY).json()["sessions"]]
    assert [t for k, t in today if k == "walking"] == ["09:30", "17:30"]
    # Day 9, a Wednesday, has no walk any more
    time_machine.move_to(at(9, 9), tick=False)
    today = [s["exercise"]["key"] for s in client_for(cast.alice).get(TODAY).json()["sessions"]]
    assert "walking" not in today


def test_an_unchanged_patch_makes_no_new_version(cast, client_for, time_machine):
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    time_machine.move_to(at(8, 9), tick=False)

    response = client_for(cast.carol).patch(
        prescriptions_url(cast.alice.pk, walks.pk), {"dose": {"minutes": 10}}, format="json"
    )

    assert response.status_code == 200
    assert len(versions(walks)) == 1


def test_clinician_adds_an_exercise_that_starts_with_the_next_session(cast, client_for, time_machine):
    # Given day 15 at 14:00
    procedure_done(cast.alice_profile, cast.carol)
    time_machine.move_to(at(15, 14), tick=False)
    bike = Exercise.objects.get(key="stationary_bike", clinic=None)

    # When Dr Carol adds the exercise bike at 09:00 and 17:00, every day from day 15
    response = client_for(cast.carol).post(
        prescriptions_url(cast.alice.pk),
        {
            "exercise": str(bike.pk),
            "dose": {"minutes": 10},
            "days_of_week": [0, 1, 2, 3, 4, 5, 6],
            "times_of_day": ["09:00", "17:00"],
            "first_day": 15,
            "last_day": None,
        },
        format="json",
    )

    # Then today only the 17:00 ride is scheduled: 09:00 had passed when it was prescribed
    assert response.status_code == 201, response.json()
    assert response.json()["source"] == "clinician"
    assert response.json()["current"]["effective_from"] == "2027-05-25T14:00"
    today = sessions_by_time(client_for(cast.alice).get(TODAY))
    assert ("stationary_bike", "09:00") not in today
    assert today[("stationary_bike", "17:00")]["dose"] == {"minutes": 10}


def test_clinician_removes_a_prescription_from_the_next_session(cast, client_for, time_machine):
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    time_machine.move_to(at(8, 12), tick=False)

    response = client_for(cast.carol).delete(prescriptions_url(cast.alice.pk, walks.pk))
    again = client_for(cast.carol).delete(prescriptions_url(cast.alice.pk, walks.pk))

    assert response.status_code == 204 and again.status_code == 204
    today = sessions_by_time(client_for(cast.alice).get(TODAY))
    assert ("walking", "10:00") in today  # already due when it was removed
    assert ("walking", "13:00") not in today and ("walking", "16:00") not in today
    status = {p["id"]: p["status"] for p in client_for(cast.alice).get(MY_PLAN).json()["plan"]["prescriptions"]}
    assert status[str(walks.pk)] == "removed"
    # A removed prescription cannot be changed
    response = client_for(cast.carol).patch(
        prescriptions_url(cast.alice.pk, walks.pk), {"dose": {"minutes": 12}}, format="json"
    )
    assert response.status_code == 400
    assert "removed" in response.json()["detail"]


# --- Who may change the plan ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "frank"])
def test_only_clinicians_change_the_plan(cast, client_for, who):
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    client = client_for(getattr(cast, who))

    responses = [
        client.patch(prescriptions_url(cast.alice.pk, walks.pk), {"dose": {"minutes": 12}}, format="json"),
        client.delete(prescriptions_url(cast.alice.pk, walks.pk)),
        client.post(
            prescriptions_url(cast.alice.pk),
            {
                "exercise": str(walks.exercise_id),
                "dose": {"minutes": 5},
                "days_of_week": [0],
                "times_of_day": ["09:00"],
                "first_day": 1,
            },
            format="json",
        ),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert responses[0].json()["detail"] == "Only a clinician on the patient's care team changes the exercise plan."
    assert PrescriptionVersion.objects.count() == len(DEFAULT_PLAN)
    assert PHIAccess.objects.count() == 0  # refused: nothing was read


def test_a_change_is_logged_as_a_read_once_and_a_refused_one_not_at_all(cast, client_for, time_machine):
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    time_machine.move_to(at(8, 9), tick=False)
    carol = client_for(cast.carol)

    bad = carol.patch(prescriptions_url(cast.alice.pk, walks.pk), {"dose": {"minutes": 0}}, format="json")
    missing = carol.patch(prescriptions_url(cast.alice.pk, uuid.uuid4()), {"dose": {"minutes": 9}}, format="json")
    assert (bad.status_code, missing.status_code) == (400, 404)
    assert PHIAccess.objects.count() == 0

    good = carol.patch(prescriptions_url(cast.alice.pk, walks.pk), {"dose": {"minutes": 9}}, format="json")

    assert good.status_code == 200
    assert list(PHIAccess.objects.values_list("actor_id", "patient_id", "resource")) == [
        (cast.carol.pk, cast.alice.pk, "recovery.exercise_plan")
    ]


@pytest.mark.parametrize("outsider", ["bob", "dave", "erin", "grace"])
def test_outsiders_cannot_change_alices_plan(cast, client_for, outsider):
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    client = client_for(getattr(cast, outsider))

    responses = [
        client.patch(prescriptions_url(cast.alice.pk, walks.pk), {"dose": {"minutes": 12}}, format="json"),
        client.delete(prescriptions_url(cast.alice.pk, walks.pk)),
        client.post(prescriptions_url(cast.alice.pk), {}, format="json"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert PrescriptionVersion.objects.count() == len(DEFAULT_PLAN)
    assert PHIAccess.objects.count() == 0


def test_a_prescription_of_another_patient_is_not_found_under_alice(cast, client_for):
    # Given Alice and Bob both have plans; Dr Dave is Bob's clinician, Dr Carol Alice's
    procedure_done(cast.alice_profile, cast.carol)
    bobs_walks = prescription(plan_of(procedure_done(cast.bob.patient_profile, cast.dave)), "walking", 7)

    # When Dr Carol addresses Bob's prescription under Alice's id
    response = client_for(cast.carol).patch(
        prescriptions_url(cast.alice.pk, bobs_walks.pk), {"dose": {"minutes": 12}}, format="json"
    )

    assert response.status_code == 404
    assert len(versions(bobs_walks)) == 1


def test_adding_to_a_patient_without_a_plan_is_refused(cast, client_for):
    response = client_for(cast.carol).post(
        prescriptions_url(cast.alice.pk),
        {
            "exercise": str(uuid.uuid4()),
            "dose": {"minutes": 5},
            "days_of_week": [0],
            "times_of_day": ["09:00"],
            "first_day": 1,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "no exercise plan" in response.json()["detail"]


# --- Bad input --------------------------------------------------------------------------------------------------------

VALID = {
    "dose": {"sets": 2, "reps": 10},
    "days_of_week": [0, 2, 4],
    "times_of_day": ["11:00"],
    "first_day": 21,
    "last_day": 55,
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"exercise": "unknown"}, "exercise", "Unknown exercise"),
        ({"exercise": "hillside"}, "exercise", "Unknown exercise"),
        ({"exercise": str(uuid.UUID(int=1))}, "exercise", "Unknown exercise"),
        ({"dose": {"sets": 2, "reps": 0}}, "dose.reps", "greater than or equal to 1"),
        ({"dose": {"sets": 2, "reps": 1000}}, "dose.reps", "less than or equal to 100"),
        ({"dose": {"sets": 0, "reps": 10}}, "dose.sets", "greater than or equal to 1"),
        ({"dose": {"sets": 2, "reps": 10, "minutes": 5}}, "dose", "one style"),
        ({"dose": {"reps": 10}}, "dose", "one style"),
        ({"dose": {"minutes": 10}}, "dose", "Heel raises is dosed in sets and repetitions"),
        ({"dose": {"sets": 2, "reps": 10, "weight_kg": 5}}, "dose.weight_kg", "Unknown field"),
        ({"days_of_week": [7]}, "days_of_week", "0 (Monday) to 6 (Sunday)"),
        ({"days_of_week": [-1]}, "days_of_week", "0 (Monday) to 6 (Sunday)"),
        ({"days_of_week": ["mon"]}, "days_of_week", "a valid integer is required"),
        ({"days_of_week": [1.5]}, "days_of_week", "a valid integer is required"),
        ({"days_of_week": [0, 2, 2]}, "days_of_week", "only once"),
        ({"days_of_week": []}, "days_of_week", "Choose at least one day"),
        ({"days_of_week": "0,2,4"}, "days_of_week", "Expected a list"),
        ({"times_of_day": ["25:00"]}, "times_of_day", "'HH:MM'"),
        ({"times_of_day": ["9am"]}, "times_of_day", "'HH:MM'"),
        ({"times_of_day": ["11:00", "11:00"]}, "times_of_day", "only once"),
        ({"times_of_day": [f"0{h}:00" for h in range(7)]}, "times_of_day", "No more than 6 times a day"),
        ({"first_day": 3}, "first_day", "suits day 21 after the procedure at the earliest"),
        ({"first_day": -1}, "first_day", "greater than or equal to 0"),
        ({"last_day": 20}, "last_day", "before the first day"),
        ({"last_day": 10_000}, "last_day", "less than or equal to 760"),
    ],
)
def test_bad_prescription_is_refused_with_a_clear_message_and_nothing_stored(
    cast, client_for, time_machine, change, field, message
):
    # Given Alice's plan on day 15; Hillside has an exercise of its own
    procedure_done(cast.alice_profile, cast.carol)
    time_machine.move_to(at(15, 9), tick=False)
    heel_raises = Exercise.objects.get(key="heel_raises", clinic=None)
    theirs = exercise_create(
        clinic=cast.hillside, by=cast.erin, name="Hillside stretch", kind="stretching", steps=["Stretch."],
        default_dose={"sets": 2, "reps": 10}, earliest_day=1,
    )  # fmt: skip
    exercise = {"unknown": "not-a-uuid", "hillside": str(theirs.pk)}.get(change.get("exercise", ""))
    body = {"exercise": str(heel_raises.pk), **VALID, **change}
    if exercise is not None:
        body["exercise"] = exercise
    before = (Prescription.objects.count(), PrescriptionVersion.objects.count(), PrescriptionSlot.objects.count())

    # When Dr Carol adds it
    response = client_for(cast.carol).post(prescriptions_url(cast.alice.pk), body, format="json")

    # Then 400, with the message on the field, and nothing is stored
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    messages = [m for name, ms in errors.items() if name == field or name.startswith(f"{field}.") for m in ms]
    assert any(message in m for m in messages), errors
    after = (Prescription.objects.count(), PrescriptionVersion.objects.count(), PrescriptionSlot.objects.count())
    assert after == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"dose": {"minutes": 241}}, "dose.minutes", "less than or equal to 240"),
        ({"dose": {"minutes": 0}}, "dose.minutes", "greater than or equal to 1"),
        ({"dose": {"sets": 1, "reps": 5}}, "dose", "Walking is dosed in minutes"),
        ({"days_of_week": [7]}, "days_of_week", "0 (Monday) to 6 (Sunday)"),
        ({"days_of_week": ["mon"]}, "days_of_week", "a valid integer is required"),
        ({"days_of_week": [3, 3]}, "days_of_week", "only once"),
        ({"first_day": 0}, "first_day", "suits day 1"),
        ({"last_day": 2}, "last_day", "before the first day"),
        ({"note": "only a note"}, "non_field_errors", "Send at least one"),
        ({"exercise": "x"}, "exercise", "Unknown field"),
    ],
)
def test_bad_change_is_refused_with_a_clear_message_and_nothing_stored(
    cast, client_for, time_machine, change, field, message
):
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    time_machine.move_to(at(8, 9), tick=False)

    response = client_for(cast.carol).patch(prescriptions_url(cast.alice.pk, walks.pk), change, format="json")

    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    messages = [m for name, ms in errors.items() if name == field or name.startswith(f"{field}.") for m in ms]
    assert any(message in m for m in messages), errors
    assert len(versions(walks)) == 1


def test_a_patient_in_another_clinic_does_not_get_this_clinics_exercises(cast, client_for):
    # Given Heidi (Hillside) and Riverside's own exercise
    ours = exercise_create(
        clinic=cast.riverside, by=cast.carol, name="Riverside stretch", kind="stretching", steps=["Stretch."],
        default_dose={"sets": 1, "reps": 5}, earliest_day=1,
    )  # fmt: skip
    procedure_done(cast.heidi.patient_profile, cast.erin)

    # When Dr Erin prescribes it to Heidi
    response = client_for(cast.erin).post(
        prescriptions_url(cast.heidi.pk),
        {"exercise": str(ours.pk), "dose": {"sets": 1, "reps": 5}, "days_of_week": [0], "times_of_day": ["09:00"],
         "first_day": 1},
        format="json",
    )  # fmt: skip

    # Then it is an unknown exercise
    assert response.status_code == 400
    assert response.json()["errors"]["exercise"] == ["Unknown exercise: choose one from the library."]


def test_export_includes_the_plan_history_and_exercise_records(cast, time_machine):
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    walks = prescription(plan, "walking", 7)
    time_machine.move_to(at(8, 10, 30), tick=False)
    exercise_record_put(
        patient=cast.alice_profile, occurrence=key(walks, 8, "10:00"), state="partly_done", pain_during=3,
        difficulty="hard",
    )  # fmt: skip
    prescription_change(prescription=walks, by=cast.carol, changes={"dose": {"minutes": 8}})

    document = patient_export(cast.alice_profile)

    [exported_plan] = document["exercise_plans"]
    exported_walks = next(p for p in exported_plan["prescriptions"] if p["id"] == str(walks.pk))
    assert [v["dose"] for v in exported_walks["versions"]] == [{"minutes": 10}, {"minutes": 8}]
    assert document["exercise_records"] == [
        {
            "key": key(walks, 8, "10:00"),
            "prescription": str(walks.pk),
            "exercise": "Walking",
            "local_date": "2027-05-18",
            "local_time": "10:00",
            "state": "partly_done",
            "pain_during": 3,
            "difficulty": "hard",
            "dose": {"minutes": 10},
            "recorded_at": document["exercise_records"][0]["recorded_at"],
            "received_at": document["exercise_records"][0]["received_at"],
            "updated_at": document["exercise_records"][0]["updated_at"],
            "entered_by": None,  # she recorded it herself; a caregiver's record names them
        }
    ]
