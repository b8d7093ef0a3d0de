"""The recovery app speaks each reader's language: a patient who reads Spanish gets the protocol, the red-flag
questions and instructions, the weekly question, the check-in's own measures and the messages of a refused check-in in
Spanish; a clinician reading the same patient gets her own language. ODI and ZCQ are English only and say so, and every
assessment records the language it was answered in."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import User
from recovery import exports, services
from recovery.content.red_flags import CURRENT
from recovery.models import Alert, Assessment, Protocol
from tests.factories import ProcedureFactory
from tests.recovery.support import ASSESSMENTS, NEW_YORK, odi, put_checkin
from tests.support import checkin_body, local, procedure_done, screened_candidate

pytestmark = pytest.mark.clock_sensitive

ME = "/api/v1/me/recovery"
FORMS = "/api/v1/recovery/forms"
DAY0 = dt.date(2027, 5, 10)


def _speaks(user: User, code: str) -> None:
    User.objects.filter(pk=user.pk).update(language=code)


@pytest.fixture
def day_3(cast, time_machine):
    """Alice three days after her procedure (phase "The first days"), at 10:00 in New York."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 9), tick=False)
    procedure_done(cast.alice_profile, cast.carol, DAY0)
    time_machine.move_to(local(NEW_YORK, 2027, 5, 13, 10), tick=False)
    return cast


def _recovery(client, path: str = ME) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


# --- GET /me/recovery -------------------------------------------------------------------------------------------------


def test_a_patient_who_reads_spanish_gets_her_recovery_in_spanish(day_3, client_for):
    _speaks(day_3.alice, "es")

    summary = _recovery(client_for(day_3.alice))

    phase = summary["phase"]
    assert phase["title"] == "Los primeros días"
    assert phase["summary"].startswith("Vuelva a hacer actividades suaves")
    assert phase["instructions"][0] == "Dé caminatas cortas y suaves varias veces al día."
    assert phase["avoid"][0] == "No levante nada pesado."
    assert len(phase["instructions"]) == 7
    assert summary["next_milestone"]["title"] == "Control de avance de las 2 a 3 semanas"


def test_a_patient_who_reads_english_gets_it_in_english(day_3, client_for):
    summary = _recovery(client_for(day_3.alice))

    assert summary["phase"]["title"] == "The first days"
    assert summary["phase"]["instructions"][0] == "Take short, gentle walks a few times a day."
    assert summary["next_milestone"]["title"] == "2 to 3 week progress check"


def test_the_milestones_read_in_the_patients_language(day_3, client_for):
    _speaks(day_3.alice, "es")

    milestones = _recovery(client_for(day_3.alice), "/api/v1/me/milestones")
    rows = milestones["results"] if isinstance(milestones, dict) else milestones

    first = next(m for m in rows if m["key"] == "weeks_2_3")
    assert first["title"] == "Control de avance de las 2 a 3 semanas"
    assert first["patient_text"].startswith("Han pasado unas 2 semanas desde su procedimiento.")


def test_a_clinician_reading_a_spanish_speaking_patient_gets_her_own_language(day_3, client_for):
    _speaks(day_3.alice, "es")
    path = f"/api/v1/patients/{day_3.alice.pk}/recovery"

    assert _recovery(client_for(day_3.carol), path)["phase"]["title"] == "The first days"

    _speaks(day_3.carol, "es")
    assert _recovery(client_for(day_3.carol), path)["phase"]["title"] == "Los primeros días"


def test_an_open_red_flag_tells_a_spanish_reader_what_to_do_with_the_clinics_numbers(day_3, client_for):
    _speaks(day_3.alice, "es")
    alice = client_for(day_3.alice)

    response = put_checkin(alice, checkin_body(dt.date(2027, 5, 13), red_flags=["saddle_numbness"]))

    assert response.status_code == 201, response.content
    instruction = response.json()["instruction"]
    assert instruction["title"] == "Pida ayuda de emergencia ahora"
    assert instruction["text"].startswith("Llame ahora al 911,")
    [alert] = _recovery(alice)["open_alerts"]
    assert alert["instruction"]["text"].startswith("Llame ahora al 911,")
    assert [b["label"] for b in alert["call"]] == ["Llamar al 911", "Llamar a Riverside Spine Clinic"]


def test_an_open_alerts_title_is_in_the_patients_language(day_3, client_for):
    alice = client_for(day_3.alice)
    response = put_checkin(alice, checkin_body(dt.date(2027, 5, 13), red_flags=["saddle_numbness", "fall"]))
    assert response.status_code == 201, response.content

    assert [a["title"] for a in _recovery(alice)["open_alerts"]] == ["Saddle anaesthesia", "Fall"]
    _speaks(day_3.alice, "es")
    assert [a["title"] for a in _recovery(alice)["open_alerts"]] == [
        "Adormecimiento entre las piernas o en las nalgas",
        "Una caída",
    ]
    # The alert keeps the title it was raised with; the clinic reads it in English
    assert set(Alert.objects.filter(patient=day_3.alice_profile).values_list("title", flat=True)) == {
        "Saddle anaesthesia",
        "Fall",
    }


def test_an_open_alert_of_an_earlier_rule_set_version_reads_in_spanish_too(day_3, client_for):
    _speaks(day_3.alice, "es")
    alice = client_for(day_3.alice)
    # Version 1's retired question, sent from an old cached form; and an alert version 1 raised before version 2
    response = put_checkin(alice, checkin_body(dt.date(2027, 5, 13), red_flags=["new_numbness_tingling"]))
    assert response.status_code == 201, response.content
    Alert.objects.filter(patient=day_3.alice_profile).update(rule_set_version=1)

    [alert] = _recovery(alice)["open_alerts"]

    assert alert["title"] == "Adormecimiento u hormigueo nuevo"
    assert alert["instruction"]["title"] == "Llame hoy a su clínica"


def test_the_urgent_instruction_fills_in_the_clinics_name_and_phone_in_spanish(day_3, client_for):
    _speaks(day_3.alice, "es")

    response = put_checkin(client_for(day_3.alice), checkin_body(dt.date(2027, 5, 13), red_flags=["fall"]))

    assert response.json()["instruction"]["text"].startswith(
        "Por favor, llame hoy a Riverside Spine Clinic al +1 555 010 2030."
    )
    assert "{" not in response.json()["instruction"]["text"]


# --- The check-in's forms ---------------------------------------------------------------------------------------------


def test_the_check_in_questions_are_in_the_readers_language(day_3, client_for):
    _speaks(day_3.alice, "es")

    forms = _recovery(client_for(day_3.alice), FORMS)

    questions = {q["key"]: q for q in forms["red_flag_questions"]}
    assert len(questions) == len(CURRENT.questions)
    assert questions["fall"]["question"] == "¿Se ha caído desde su último registro?"
    assert questions["fever_chills"]["question"].startswith("¿Ha tenido una temperatura de más de 38.0 °C")
    assert questions["pain_uncontrolled"]["help_text"] is None
    # The templates keep their placeholders: the PWA fills in the clinic's numbers offline
    assert forms["tier_instructions"]["emergency"]["text"].startswith("Llame ahora al {emergency_number},")
    assert forms["healthcare_use_question"]["question"].startswith("Desde la semana pasada")
    assert forms["symptoms"][0]["label"] == "Debilidad en las piernas"
    assert forms["phases"][0]["title"] == "Día del procedimiento"
    assert forms["when_to_get_help"]["title"] == "Cuándo pedir ayuda"
    assert forms["when_to_get_help"]["tiers"][1]["heading"] == "Llame hoy a su clínica si:"
    assert forms["call"][0]["label"] == "Llamar al 911"

    measures = {i["key"]: i for i in forms["instruments"]}
    pain = measures["pain"]
    assert (pain["language"], pain["language_notice"]) == ("es", None)
    assert pain["title"] == "Nivel de dolor"
    assert pain["items"][0]["text"].startswith("En promedio, en las últimas 24 horas")
    assert pain["items"][0]["options"][0]["label"] == "0 - sin dolor"
    assert measures["tolerance"]["items"][0]["unit_label"] == "minutos"
    for licensed in ("odi", "zcq"):
        assert measures[licensed]["language"] == "en"
        assert measures[licensed]["title"] in ("Oswestry Disability Index", "Zurich Claudication Questionnaire")
        assert measures[licensed]["language_notice"].startswith("Este cuestionario solo está en inglés")
        assert "familiar o a su clínica" in measures[licensed]["language_notice"]


def test_in_english_the_forms_are_english_and_carry_no_notice(day_3, client_for):
    forms = _recovery(client_for(day_3.alice), FORMS)

    assert {q["key"]: q["question"] for q in forms["red_flag_questions"]}["fall"] == (
        "Have you had a fall since your last check-in?"
    )
    assert forms["when_to_get_help"]["title"] == "When to get help"
    for measure in forms["instruments"]:
        assert (measure["language"], measure["language_notice"]) == ("en", None)


# --- Refusals ---------------------------------------------------------------------------------------------------------


def test_a_refused_check_in_reads_spanish_and_stores_nothing(day_3, client_for):
    _speaks(day_3.alice, "es")
    alice = client_for(day_3.alice)

    future = put_checkin(alice, checkin_body(dt.date(2027, 5, 14)))
    out_of_range = put_checkin(alice, checkin_body(dt.date(2027, 5, 13), back_pain=11))

    assert future.status_code == 400
    assert future["Content-Language"] == "es"
    assert future.json()["errors"]["local_date"] == ["Esta fecha todavía no ha llegado donde usted está."]
    assert out_of_range.status_code == 400
    assert out_of_range.json()["errors"]["back_pain"] == ["Asegúrese de que este valor es menor o igual a 10."]
    assert day_3.alice_profile.checkins.count() == 0


def test_the_same_refusal_reads_english_for_an_english_reader(day_3, client_for):
    response = put_checkin(client_for(day_3.alice), checkin_body(dt.date(2027, 5, 14)))

    assert response.json()["errors"]["local_date"] == ["This date is in the future where you are."]


# --- Assessments ------------------------------------------------------------------------------------------------------


@pytest.fixture
def before_procedure(cast, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 3, 10), tick=False)
    return ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)


def _post(client, instrument: str, answers: dict, timepoint: str = "baseline"):
    return client.post(
        ASSESSMENTS, {"instrument": instrument, "timepoint": timepoint, "answers": answers}, format="json"
    )


def test_each_assessment_records_the_language_it_was_answered_in(cast, client_for, before_procedure):
    _speaks(cast.alice, "es")
    alice = client_for(cast.alice)

    pain = _post(alice, "pain", {"back_pain": 6, "leg_pain": 7})
    oswestry = _post(alice, "odi", odi(3, 1, 4, 2, 2, 3, 1, None, 2, 1))

    assert (pain.status_code, oswestry.status_code) == (201, 201)
    # Pain is offered in Spanish; the ODI is English only, whatever the patient reads
    assert (pain.json()["language"], oswestry.json()["language"]) == ("es", "en")
    stored = dict(Assessment.objects.filter(patient=cast.alice_profile).values_list("instrument", "language"))
    assert stored == {"pain": "es", "odi": "en"}
    # Shown to the patient, to her clinician, and in her own data export
    own = {a["instrument"]: a["language"] for a in _recovery(alice, ASSESSMENTS)}
    assert own == {"pain": "es", "odi": "en"}
    clinician = _recovery(client_for(cast.carol), f"/api/v1/patients/{cast.alice.pk}/assessments")
    assert {a["instrument"]: a["language"] for a in clinician} == {"pain": "es", "odi": "en"}
    exported = {a["instrument"]: a["language"] for a in exports.assessments_export(cast.alice_profile)}
    assert exported == {"pain": "es", "odi": "en"}


def test_an_english_readers_assessment_is_english(cast, client_for, before_procedure):
    response = _post(client_for(cast.alice), "pain", {"back_pain": 6, "leg_pain": 7})

    assert response.json()["language"] == "en"


def test_a_refused_assessment_reads_spanish(cast, client_for, before_procedure):
    _speaks(cast.alice, "es")

    response = _post(client_for(cast.alice), "pain", {"back_pain": 12})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["answers.back_pain"] == ["Debe ser un número entero del 0 al 10."]
    assert errors["answers.leg_pain"] == ["Esta pregunta necesita una respuesta."]
    assert not Assessment.objects.filter(patient=cast.alice_profile).exists()


def test_a_milestone_that_is_not_open_is_named_in_spanish(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 9), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)
    screened_candidate(procedure, cast.carol)
    services.procedure_complete(procedure=procedure, by=cast.carol, now=local(NEW_YORK, 2027, 5, 10, 16))
    time_machine.move_to(local(NEW_YORK, 2027, 5, 13, 10), tick=False)
    _speaks(cast.alice, "es")

    response = _post(client_for(cast.alice), "pain", {"back_pain": 3, "leg_pain": 3}, timepoint="weeks_2_3")

    assert response.status_code == 400
    assert response.json()["errors"]["timepoint"] == [
        "Control de avance de las 2 a 3 semanas todavía no empieza. No se puede hacer ahora."
    ]


# --- A clinic's own protocol keeps its translations -------------------------------------------------------------------


def _revision(protocol: dict, **changes) -> dict:
    body = {
        "name": protocol["name"],
        "change_note": "Edited",
        "phases": [
            {k: p[k] for k in ("key", "title", "start_day", "end_day", "summary", "instructions", "avoid")}
            for p in protocol["phases"]
        ],
        "milestones": [
            {
                k: m[k]
                for k in (
                    "key", "title", "kind", "open_day", "target_day", "close_day", "assessments", "optional",
                    "enabled", "patient_text",
                )
            }
            for m in protocol["milestones"]
        ],
    }  # fmt: skip
    body.update(changes)
    return body


def test_a_clinics_copy_and_its_revisions_carry_the_translations(cast, client_for):
    frank = client_for(cast.frank)
    default = Protocol.objects.filter(clinic__isnull=True).latest("version")

    copied = frank.post(f"/api/v1/protocols/{default.pk}/copy")

    assert copied.status_code == 201, copied.content
    copy = copied.json()
    assert copy["phases"][1]["translations"]["es"]["title"] == "Los primeros días"
    assert copy["translations"]["es"]["when_to_get_help"]["title"] == "Cuándo pedir ayuda"
    assert copy["milestones"][0]["translations"]["es"]["title"] == "Control de avance de las 2 a 3 semanas"

    # The clinic rewrites one phase's title in English: that title loses its Spanish (a translation of the old words
    # would mislead), everything it left unchanged keeps its translation
    body = _revision(copy)
    body["phases"][1]["title"] = "Days 1 to 6"
    revised = frank.post(f"/api/v1/protocols/{copy['id']}/revisions", body, format="json")

    assert revised.status_code == 201, revised.content
    phase = revised.json()["phases"][1]
    assert "title" not in phase["translations"]["es"]
    assert phase["translations"]["es"]["summary"].startswith("Vuelva a hacer actividades suaves")
    assert revised.json()["translations"]["es"]["when_to_get_help"]["title"] == "Cuándo pedir ayuda"

    # Its own Spanish for the new title, sent with the revision
    body = _revision(revised.json())
    body["phases"][1]["translations"] = {"es": {**phase["translations"]["es"], "title": "Días 1 a 6"}}
    again = frank.post(f"/api/v1/protocols/{revised.json()['id']}/revisions", body, format="json")
    assert again.status_code == 201, again.content
    assert again.json()["phases"][1]["translations"]["es"]["title"] == "Días 1 a 6"


@pytest.mark.parametrize(
    "translations",
    [{"fr": {"title": "Les premiers jours"}}, {"es": {"key": "otro"}}, {"es": {"instructions": "no es una lista"}}],
)
def test_a_revision_with_translations_that_do_not_fit_is_refused(cast, client_for, translations):
    frank = client_for(cast.frank)
    default = Protocol.objects.filter(clinic__isnull=True).latest("version")
    copy = frank.post(f"/api/v1/protocols/{default.pk}/copy").json()
    body = _revision(copy)
    body["phases"][1]["translations"] = translations

    response = frank.post(f"/api/v1/protocols/{copy['id']}/revisions", body, format="json")

    assert response.status_code == 400
    assert Protocol.objects.filter(clinic=cast.riverside).count() == 1
