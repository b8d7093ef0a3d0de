"""The exercise library in English and Spanish: every shipped exercise carries its Spanish (frozen in a data
migration), each reader gets their own language (patients and clinicians alike), a clinic's own exercise without
Spanish reads in English, and a clinic adds the Spanish of its own exercises, checked field by field."""

from __future__ import annotations

import importlib
import re

import pytest
from icalendar import Calendar

from accounts.models import User
from exercises.content.exercises_es import SPANISH
from exercises.models import EXERCISE_TEXT_FIELDS, Exercise
from recovery.content.exercises_default import EXERCISES
from tests.exercises.support import (
    FEED,
    LIBRARY,
    MY_PLAN,
    OCCURRENCES,
    TODAY,
    at,
    key,
    plan_of,
    prescription,
    procedure_done,
)

PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]")

WALL_PUSH_UP = {
    "name": "Wall push-up",
    "kind": "strengthening",
    "steps": ["Stand an arm's length from a wall.", "Put your hands on the wall.", "Bend your elbows, then push back."],
    "default_dose": {"sets": 2, "reps": 8},
    "earliest_day": 21,
    "precautions": ["Keep your back straight."],
}
WALL_PUSH_UP_ES = {
    "name": "Flexiones contra la pared",
    "steps": [
        "Párese a un brazo de distancia de la pared.",
        "Apoye las manos en la pared.",
        "Doble los codos y luego empuje hacia atrás.",
    ],
    "precautions": ["Mantenga la espalda recta."],
}


def _speaks(user: User, code: str) -> None:
    User.objects.filter(pk=user.pk).update(language=code)


def _texts(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# --- Completeness -----------------------------------------------------------------------------------------------------


def test_every_shipped_exercise_has_spanish_for_every_text_field(db):
    shipped = list(Exercise.objects.filter(clinic__isnull=True))
    assert {e.key for e in shipped} == {e.key for e in EXERCISES}
    for exercise in shipped:
        spanish = exercise.translations.get("es", {})
        for field in EXERCISE_TEXT_FIELDS:
            english, translated = getattr(exercise, field), spanish.get(field)
            assert translated, f"{exercise.key}.{field} has no Spanish"
            assert isinstance(translated, type(english)), f"{exercise.key}.{field}"
            assert len(_texts(translated)) == len(_texts(english)), f"{exercise.key}.{field}: not one for one"
            for en, es in zip(_texts(english), _texts(translated), strict=True):
                assert es.strip() == es and es, f"{exercise.key}.{field}: {es!r}"
                assert sorted(PLACEHOLDER.findall(en)) == sorted(PLACEHOLDER.findall(es)), f"{exercise.key}.{field}"
        assert spanish["name"] != exercise.name, f"{exercise.key}: the Spanish name is the English one"


def test_the_spanish_of_the_library_is_frozen_in_its_data_migration():
    frozen = importlib.import_module("exercises.migrations.0004_exercise_library_es")
    assert frozen.SPANISH == SPANISH, "changed Spanish needs a new data migration that writes it"
    assert set(SPANISH) == {e.key for e in EXERCISES}


def test_the_spanish_is_in_short_sentences():
    for key_, fields in SPANISH.items():
        for field in EXERCISE_TEXT_FIELDS:
            for text in _texts(fields[field]):
                for sentence in re.split(r"(?<=[.?!])\s+", text):
                    assert len(sentence.split()) <= 20, f"{key_}.{field}: {sentence}"


# --- Each reader in their language ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name", "first_step", "kind_label", "dose_text"),
    [
        ("en", "Bridge", "Lie on your back on the bed, knees bent, feet flat and a little apart.", "Strengthening",
         "2 sets of 8 repetitions, holding each for 3 seconds"),
        ("es", "Puente", "Acuéstese boca arriba en la cama, con las rodillas dobladas y los pies apoyados y un poco "
         "separados.", "Fortalecimiento", "2 series de 8 repeticiones, manteniendo cada una 3 segundos"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("who", ["alice", "carol"])
def test_the_library_answers_in_the_readers_language(cast, client_for, who, code, name, first_step, kind_label,
                                                     dose_text):  # fmt: skip
    _speaks(getattr(cast, who), code)

    response = client_for(getattr(cast, who)).get(LIBRARY)

    assert response.status_code == 200
    assert response["Content-Language"] == code
    bridge = next(e for e in response.json() if e["key"] == "bridge")
    assert (bridge["name"], bridge["steps"][0], bridge["kind_label"]) == (name, first_step, kind_label)
    assert bridge["default_dose"] == {"sets": 2, "hold_seconds": 3, "reps": 8}
    assert bridge["default_dose_text"] == dose_text
    assert len(bridge["precautions"]) == 3
    # The key and kind, which the app matches on, never change with the language
    assert (bridge["key"], bridge["kind"]) == ("bridge", "strengthening")


def test_a_clinician_reads_in_her_own_language_whatever_her_patients_read(cast, client_for):
    _speaks(cast.alice, "es")

    names = {e["key"]: e["name"] for e in client_for(cast.carol).get(LIBRARY).json()}

    assert names["walking"] == "Walking"


def test_todays_sessions_and_the_plan_are_in_the_patients_language(cast, client_for, time_machine):
    time_machine.move_to(at(8, 9, 30), tick=False)
    plan = plan_of(procedure_done(cast.alice_profile, cast.carol))
    alice = client_for(cast.alice)

    english = {s["local_time"]: s for s in alice.get(TODAY).json()["sessions"] if s["exercise"]["key"] == "walking"}
    _speaks(cast.alice, "es")
    today = alice.get(TODAY)
    spanish = {s["local_time"]: s for s in today.json()["sessions"] if s["exercise"]["key"] == "walking"}

    assert today["Content-Language"] == "es"
    assert (english["10:00"]["exercise"]["name"], english["10:00"]["dose_text"]) == ("Walking", "10 minutes")
    assert (spanish["10:00"]["exercise"]["name"], spanish["10:00"]["dose_text"]) == ("Caminar", "10 minutos")
    assert spanish["10:00"]["exercise"]["steps"][0] == "Use zapatos cómodos que no resbalen."
    assert spanish["10:00"]["key"] == english["10:00"]["key"]
    walks = prescription(plan, "walking", 7)
    body = alice.get(MY_PLAN).json()["plan"]
    mine = next(p for p in body["prescriptions"] if p["id"] == str(walks.pk))
    assert mine["exercise"]["name"] == "Caminar"
    assert mine["current"]["dose_text"] == "10 minutos"


def test_recording_a_session_explains_what_is_missing_in_spanish(cast, client_for, time_machine):
    time_machine.move_to(at(8, 10, 40), tick=False)
    walks = prescription(plan_of(procedure_done(cast.alice_profile, cast.carol)), "walking", 7)
    _speaks(cast.alice, "es")
    alice = client_for(cast.alice)
    url = f"{OCCURRENCES}/{key(walks, 8, '10:00')}"

    missing = alice.put(url, {"state": "done"}, format="json")
    ahead = alice.put(f"{OCCURRENCES}/{key(walks, 9, '10:00')}", {"state": "skipped"}, format="json")
    unknown = alice.put(f"{OCCURRENCES}/{walks.pk}:2027-05-18:10:01", {"state": "skipped"}, format="json")

    assert missing.status_code == 400
    assert missing.json()["errors"] == {
        "pain_during": ["Diga cuánto dolor (de 0 a 10) tuvo durante el ejercicio."],
        "difficulty": ["Diga qué tan difícil le pareció: fácil, bien o difícil."],
    }
    assert ahead.status_code == 400
    assert ahead.json()["errors"]["occurrence"] == ["Esta sesión es de un día después de hoy, donde usted está."]
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No hay ninguna sesión de ejercicio con esta clave."
    assert not walks.records.exists()


def test_the_calendar_feed_speaks_its_patients_language_without_sign_in(cast, client_for, time_machine):
    time_machine.move_to(at(8, 9, 30), tick=False)
    procedure_done(cast.alice_profile, cast.carol)
    _speaks(cast.alice, "es")
    url = client_for(cast.alice).post(FEED).json()["url"].removeprefix("https://app.test")

    # Fetched by a calendar app, which asks in English and signs in as nobody
    response = client_for(None).get(url, HTTP_ACCEPT_LANGUAGE="en-US")

    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Ejercicios de recuperación"
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Caminar" in summaries and "Walking" not in summaries


# --- A clinic's own exercises -----------------------------------------------------------------------------------------


def test_a_clinics_own_exercise_without_spanish_reads_in_english(cast, client_for):
    assert client_for(cast.carol).post(LIBRARY, WALL_PUSH_UP, format="json").status_code == 201
    _speaks(cast.alice, "es")

    mine = next(e for e in client_for(cast.alice).get(LIBRARY).json() if e["key"] == "wall_push_up")

    assert (mine["name"], mine["steps"]) == ("Wall push-up", WALL_PUSH_UP["steps"])
    # ... while what is the product's own (the kind's label, the dose) is in Spanish
    assert (mine["kind_label"], mine["default_dose_text"]) == ("Fortalecimiento", "2 series de 8 repeticiones")


def test_a_clinic_adds_its_exercise_with_its_spanish(cast, client_for):
    created = client_for(cast.carol).post(LIBRARY, {**WALL_PUSH_UP, "translations": {"es": WALL_PUSH_UP_ES}},
                                          format="json")  # fmt: skip

    assert created.status_code == 201, created.json()
    assert created.json()["translations"] == {"es": WALL_PUSH_UP_ES}
    assert created.json()["name"] == "Wall push-up"
    assert Exercise.objects.get(key="wall_push_up").translations == {"es": WALL_PUSH_UP_ES}
    _speaks(cast.alice, "es")
    mine = next(e for e in client_for(cast.alice).get(LIBRARY).json() if e["key"] == "wall_push_up")
    assert (mine["name"], mine["steps"], mine["precautions"]) == (
        WALL_PUSH_UP_ES["name"], WALL_PUSH_UP_ES["steps"], WALL_PUSH_UP_ES["precautions"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("translations", "errors"),
    [
        ({"fr": {"name": "Pompes au mur"}}, ["translations.fr"]),
        ({"en": {"name": "Wall push-up"}}, ["translations.en"]),
        ({"es-MX": {"name": "Lagartijas"}}, ["translations.es-MX"]),
        ({"es": {"colour": "rojo"}}, ["translations.es.colour"]),
        ({"es": {"name": ""}}, ["translations.es.name"]),
        ({"es": {"name": "x" * 121}}, ["translations.es.name"]),
        ({"es": {"steps": "Párese."}}, ["translations.es.steps"]),
        ({"es": {"steps": ["Uno.", "Dos."]}}, ["translations.es.steps"]),
        ({"es": {"precautions": ["Una.", "Dos."]}}, ["translations.es.precautions"]),
        ({"es": "Flexiones"}, ["translations.es"]),
        (["es"], ["translations"]),
        ({"es": {"name": "", "colour": "rojo"}, "fr": {}}, ["translations.es.name", "translations.es.colour",
                                                            "translations.fr"]),
    ],
)  # fmt: skip
def test_bad_translations_are_refused_field_by_field_and_nothing_is_stored(cast, client_for, translations, errors):
    before = Exercise.objects.count()

    response = client_for(cast.carol).post(LIBRARY, {**WALL_PUSH_UP, "translations": translations}, format="json")

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == sorted(errors)
    assert all(response.json()["errors"][field] for field in errors)
    assert Exercise.objects.count() == before


def test_a_clinic_translates_its_own_exercise_later(cast, client_for):
    created = client_for(cast.carol).post(LIBRARY, WALL_PUSH_UP, format="json").json()
    url = f"{LIBRARY}/{created['id']}"

    changed = client_for(cast.frank).patch(url, {"translations": {"es": WALL_PUSH_UP_ES}}, format="json")

    assert changed.status_code == 200, changed.json()
    assert changed.json()["translations"] == {"es": WALL_PUSH_UP_ES}
    _speaks(cast.alice, "es")
    assert next(e for e in client_for(cast.alice).get(LIBRARY).json() if e["id"] == created["id"])["name"] == (
        "Flexiones contra la pared"
    )
    # A wrong one changes nothing
    refused = client_for(cast.carol).patch(url, {"translations": {"es": {"steps": ["Uno."]}}}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["translations.es.steps"]
    assert Exercise.objects.get(pk=created["id"]).translations == {"es": WALL_PUSH_UP_ES}


def test_only_a_clinics_own_staff_translate_its_own_exercises(cast, client_for):
    created = client_for(cast.carol).post(LIBRARY, WALL_PUSH_UP, format="json").json()
    walking = Exercise.objects.get(key="walking", clinic=None)
    body = {"translations": {"es": {"name": "Pasear"}}}

    # Another clinic's staff, and anyone on the shipped library: 404, as for an exercise that does not exist
    assert client_for(cast.erin).patch(f"{LIBRARY}/{created['id']}", body, format="json").status_code == 404
    assert client_for(cast.carol).patch(f"{LIBRARY}/{walking.pk}", body, format="json").status_code == 404
    # A patient does not change the library
    assert client_for(cast.alice).patch(f"{LIBRARY}/{created['id']}", body, format="json").status_code == 403
    assert Exercise.objects.get(pk=created["id"]).translations == {}
    assert Exercise.objects.get(pk=walking.pk).translations["es"]["name"] == "Caminar"
