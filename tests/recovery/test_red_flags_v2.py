"""Red-flag rule set version 2: new urgent warning signs, a watch alert for leg weakness ticked on its own, the rule-set
version on every alert, version 1's keys still accepted, and instructions that always name whom to call."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

import pytest
from django.utils import translation

from recovery import rules, wording
from recovery.content import red_flags, red_flags_v1
from recovery.models import Alert, CheckIn
from tests.recovery.support import NEW_YORK, put_checkin
from tests.support import checkin_body, local, procedure_done

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2027, 5, 10)
FORMS = "/api/v1/recovery/forms"


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def evening(n: int) -> dt.datetime:
    return dt.datetime.combine(day(n), dt.time(19), tzinfo=NEW_YORK)


@pytest.fixture
def alice_done(cast, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 12), tick=False)
    return procedure_done(cast.alice_profile, cast.carol, DAY0)


@pytest.mark.parametrize("flag", ["leg_numbness_weakness", "wound_bleeding", "spinal_fluid_leak"])
def test_the_new_warning_signs_are_urgent_and_tell_the_patient_to_call_the_clinic(
    cast, client_for, time_machine, alice_done, flag
):
    time_machine.move_to(evening(2), tick=False)

    response = put_checkin(client_for(cast.alice), checkin_body(day(2), red_flags=[flag]))

    assert response.status_code == 201, response.json()
    instruction = response.json()["instruction"]
    assert instruction["tier"] == "urgent"
    assert "Please call Riverside Spine Clinic today on +1 555 010 2030." in instruction["text"]
    assert "call 911" in instruction["text"]
    (alert,) = Alert.objects.filter(patient=cast.alice_profile)
    assert (alert.rule, alert.tier, alert.rule_set_version) == (flag, "urgent", 2)


def test_the_emergency_instruction_names_the_clinics_emergency_number(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 9), tick=False)
    response = put_checkin(client_for(cast.heidi), checkin_body(dt.date(2027, 5, 20), red_flags=["saddle_numbness"]))
    assert response.json()["instruction"]["text"].startswith("Call 999 now")  # Hillside is in London


def test_no_instruction_can_read_call_today_on_nothing(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(2), tick=False)
    for flags in (["fall"], ["chest_pain_breathless"]):
        text = put_checkin(client_for(cast.alice), checkin_body(day(2), red_flags=flags)).json()["instruction"]["text"]
        assert " on ." not in text and "{" not in text
        CheckIn.objects.all().delete()


def test_the_forms_carry_the_version_2_questions(cast, client_for):
    body = client_for(cast.alice).get(FORMS).json()
    keys = [q["key"] for q in body["red_flag_questions"]]
    assert body["rule_set_version"] == 2
    assert {"leg_numbness_weakness", "wound_bleeding", "spinal_fluid_leak"} <= set(keys)
    assert "new_numbness_tingling" not in keys
    question = next(q for q in body["red_flag_questions"] if q["key"] == "leg_numbness_weakness")
    assert "came on slowly" in question["question"]


def test_a_version_1_key_is_still_accepted_and_raises_its_own_alert(cast, client_for, time_machine, alice_done):
    """A check-in filled in on a form cached before version 2: stored as sent, alerted in the words the patient saw."""
    time_machine.move_to(evening(2), tick=False)
    checkin_id = uuid.uuid4()
    body = checkin_body(day(2), red_flags=["new_numbness_tingling"])
    alice = client_for(cast.alice)

    first = put_checkin(alice, body, checkin_id)
    replay = put_checkin(alice, body, checkin_id)

    assert first.status_code == 201 and replay.status_code == 201
    assert CheckIn.objects.get().red_flags == ["new_numbness_tingling"]
    (alert,) = Alert.objects.filter(patient=cast.alice_profile)
    assert (alert.rule, alert.tier, alert.title) == ("new_numbness_tingling", "urgent", "New numbness or tingling")
    assert first.json()["instruction"]["tier"] == "urgent"


def test_an_unknown_key_is_still_refused(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(2), tick=False)
    response = put_checkin(client_for(cast.alice), checkin_body(day(2), red_flags=["headache"]))
    assert response.status_code == 400
    assert "red_flags.0" in response.json()["errors"]
    assert not CheckIn.objects.exists()


def test_leg_weakness_ticked_on_its_own_raises_one_watch_alert_per_run(cast, client_for, time_machine, alice_done):
    alice = client_for(cast.alice)
    ids = {}
    for n, symptoms in ((1, ["leg_weakness"]), (2, ["leg_weakness", "tingling"]), (4, ["leg_weakness"])):
        time_machine.move_to(evening(n), tick=False)
        ids[n] = uuid.uuid4()
        assert put_checkin(alice, checkin_body(day(n), symptoms=symptoms), ids[n]).status_code == 201

    (alert,) = Alert.objects.filter(patient=cast.alice_profile)
    assert (alert.rule, alert.tier, alert.trigger) == ("leg_weakness_symptom", "watch", f"checkin:{ids[1]}")
    assert alert.details == {"since": day(1).isoformat()}

    # A day without it ends the run; the next report starts a new one.
    for n, symptoms in ((5, []), (6, ["leg_weakness"])):
        time_machine.move_to(evening(n), tick=False)
        ids[n] = uuid.uuid4()
        put_checkin(alice, checkin_body(day(n), symptoms=symptoms), ids[n])
    triggers = set(Alert.objects.filter(rule="leg_weakness_symptom").values_list("trigger", flat=True))
    assert triggers == {f"checkin:{ids[1]}", f"checkin:{ids[6]}"}


def test_leg_weakness_with_a_leg_red_flag_is_the_red_flags_alert_only(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(1), tick=False)
    put_checkin(
        client_for(cast.alice),
        checkin_body(day(1), symptoms=["leg_weakness"], red_flags=["leg_numbness_weakness"]),
    )
    assert list(Alert.objects.values_list("rule", flat=True)) == ["leg_numbness_weakness"]


def test_the_first_checkin_is_accepted_on_the_procedure_day(cast, client_for, time_machine, alice_done):
    time_machine.move_to(evening(0), tick=False)
    response = put_checkin(client_for(cast.alice), checkin_body(day(0)))
    assert response.status_code == 201
    assert response.json()["day"] == 0


def test_each_version_keeps_its_own_questions():
    assert rules.RULE_SET_VERSION == 2
    v1 = {q.key for q in red_flags.RULE_SETS[1].questions}
    v2 = {q.key for q in red_flags.RULE_SETS[2].questions}
    assert v1 - v2 == {"new_numbness_tingling"}
    assert v2 - v1 == {"leg_numbness_weakness", "wound_bleeding", "spinal_fluid_leak"}
    # Version 1's questions are its frozen English, with only its other languages added beside them
    assert [replace(q, translations={}) for q in red_flags.RULE_SETS[1].questions] == list(red_flags_v1.QUESTIONS)
    # Every question of every version has a rule of the same tier, and the catalogue keeps the retired ones.
    for rule_set in red_flags.RULE_SETS.values():
        by_key = {rule.key: rule for rule in rule_set.rules}
        for question in rule_set.questions:
            assert by_key[question.key].tier == question.tier
    assert v1 | v2 == rules.ACCEPTED_RED_FLAGS
    assert rules.RULES["new_numbness_tingling"].title == "New numbness or tingling"


def test_version_1s_retired_question_reads_in_spanish():
    [question] = [q for q in red_flags.RULE_SETS[1].questions if q.key == "new_numbness_tingling"]
    with translation.override("es"):
        spanish = wording.question_out(question)
    with translation.override("en"):
        english = wording.question_out(question)
    assert spanish["question"] == "¿Ha tenido un adormecimiento u hormigueo nuevo en las piernas o en los pies?"
    assert english["question"] == "Have you had new numbness or tingling in your legs or feet?"
