"""The exercise library: the shipped exercises (installed by a data migration) and each clinic's own."""

from __future__ import annotations

from collections import Counter

import pytest

from exercises.models import Exercise
from recovery.content.exercises_default import EXERCISES
from tests.exercises.support import LIBRARY

NEW_EXERCISE = {
    "name": "Wall push-up",
    "kind": "strengthening",
    "steps": ["Stand an arm's length from a wall.", "Put your hands on the wall.", "Bend your elbows, then push back."],
    "default_dose": {"sets": 2, "reps": 8},
    "earliest_day": 21,
    "precautions": ["Keep your back straight."],
    "media_url": "https://videos.example/wall-push-up",
}


def test_the_shipped_library_is_installed_by_migration(db):
    shipped = Exercise.objects.filter(clinic__isnull=True)

    assert shipped.count() == len(EXERCISES) >= 12
    assert set(shipped.values_list("key", flat=True)) == {e.key for e in EXERCISES}
    assert Counter(shipped.values_list("kind", flat=True)) == Counter(e.kind for e in EXERCISES)
    assert set(shipped.values_list("kind", flat=True)) == {"stretching", "strengthening", "aerobic"}
    walking = shipped.get(key="walking")
    assert (walking.default_dose, walking.earliest_day) == ({"minutes": 5}, 1)
    assert all(e.steps and e.precautions for e in shipped)


def test_everyone_signed_in_reads_the_shipped_library_and_their_clinics_own(cast, client_for):
    # Given Riverside and Hillside each added an exercise
    client_for(cast.carol).post(LIBRARY, NEW_EXERCISE, format="json")
    client_for(cast.grace).post(LIBRARY, {**NEW_EXERCISE, "name": "Hillside step-up"}, format="json")

    # When Alice (Riverside), Frank (Riverside's admin) and Erin (Hillside) read the library
    seen = {
        who: {e["name"] for e in client_for(getattr(cast, who)).get(LIBRARY).json()}
        for who in ("alice", "frank", "erin")
    }

    # Then each sees the shipped exercises and their own clinic's, never the other clinic's
    shipped = {e.name for e in EXERCISES}
    assert seen["alice"] == seen["frank"] == shipped | {"Wall push-up"}
    assert seen["erin"] == shipped | {"Hillside step-up"}


def test_a_library_entry_says_how_to_do_it(cast, client_for):
    library = client_for(cast.alice).get(LIBRARY).json()

    bridge = next(e for e in library if e["key"] == "bridge")
    assert bridge["kind"] == "strengthening"
    assert bridge["default_dose"] == {"sets": 2, "hold_seconds": 3, "reps": 8}
    assert bridge["earliest_day"] == 21
    assert bridge["clinic"] is None
    assert bridge["steps"][0].startswith("Lie on your back")


@pytest.mark.parametrize("who", ["carol", "frank"])
def test_clinicians_and_clinic_admins_add_their_clinics_exercises(cast, client_for, who):
    response = client_for(getattr(cast, who)).post(LIBRARY, NEW_EXERCISE, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["key"] == "wall_push_up"
    assert response.json()["clinic"] == str(cast.riverside.pk)
    assert Exercise.objects.get(key="wall_push_up").created_by == getattr(cast, who)


def test_patients_do_not_add_exercises(cast, client_for):
    assert client_for(cast.alice).post(LIBRARY, NEW_EXERCISE, format="json").status_code == 403
    assert client_for(None).post(LIBRARY, NEW_EXERCISE, format="json").status_code == 401
    assert client_for(None).get(LIBRARY).status_code == 401
    assert not Exercise.objects.filter(clinic__isnull=False).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"default_dose": {"sets": 2, "reps": 1000}}, "default_dose.reps", "less than or equal to 100"),
        ({"default_dose": {"sets": 2, "reps": 0}}, "default_dose.reps", "greater than or equal to 1"),
        ({"default_dose": {"minutes": 241}}, "default_dose.minutes", "less than or equal to 240"),
        ({"default_dose": {"minutes": 10, "sets": 2}}, "default_dose", "one style"),
        ({"default_dose": {}}, "default_dose", "one style"),
        ({"kind": "yoga"}, "kind", "not a valid choice"),
        ({"steps": []}, "steps", "at least 1"),
        ({"earliest_day": -2}, "earliest_day", "greater than or equal to 0"),
        ({"key": "walking"}, "key", "already has an exercise with the key 'walking'"),
        ({"key": "Wall Push"}, "key", "does not match"),
        ({"media_url": "javascript:alert(1)"}, "media_url", "valid URL"),
        ({"video": "x"}, "video", "Unknown field"),
    ],
)
def test_bad_exercise_is_refused_with_a_clear_message_and_nothing_stored(cast, client_for, change, field, message):
    response = client_for(cast.carol).post(LIBRARY, {**NEW_EXERCISE, **change}, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(message in m for m in errors[field]), errors
    assert not Exercise.objects.filter(clinic__isnull=False).exists()


def test_a_clinic_key_is_unique_within_the_clinic_only(cast, client_for):
    assert client_for(cast.carol).post(LIBRARY, NEW_EXERCISE, format="json").status_code == 201

    again = client_for(cast.dave).post(LIBRARY, NEW_EXERCISE, format="json")
    elsewhere = client_for(cast.erin).post(LIBRARY, NEW_EXERCISE, format="json")

    assert again.status_code == 400
    assert again.json()["errors"]["key"] == ["The library already has an exercise with the key 'wall_push_up'."]
    assert elsewhere.status_code == 201
