"""Closing the safety loop: the patient's open alerts with what to do and whom to call (/me/recovery), the "When to
get help" text and call buttons with the forms (/recovery/forms), and the clinician's view of what raised an alert
(/alerts/{id}: the trigger's answers, the rule's explanation, the patient's contact)."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import PHIAccess
from recovery.content.protocol_default import WHEN_TO_GET_HELP
from recovery.content.red_flags_v1 import QUESTIONS as V1_QUESTIONS
from recovery.models import Alert, Protocol
from tests.factories import AlertFactory, AssessmentFactory
from tests.recovery.support import NEW_YORK, put_checkin
from tests.support import checkin_body, local, procedure_done

pytestmark = pytest.mark.clock_sensitive

ME = "/api/v1/me/recovery"
FORMS = "/api/v1/recovery/forms"
DAY0 = dt.date(2027, 5, 10)
RIVERSIDE_CALL = {"label": "Call Riverside Spine Clinic", "tel": "+1 555 010 2030"}


@pytest.fixture
def recovering(cast, time_machine):
    """Alice, day 3 after her procedure, 09:00 in New York."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 9), tick=False)
    procedure = procedure_done(cast.alice_profile, cast.carol, DAY0)
    time_machine.move_to(local(NEW_YORK, 2027, 5, 13, 9), tick=False)
    return procedure


def _report(client, **fields):
    response = put_checkin(client, checkin_body(dt.date(2027, 5, 13), **fields))
    assert response.status_code == 201, response.json()
    return response.json()


# --- /me/recovery: open_alerts ----------------------------------------------------------------------------------------


def test_an_emergency_carries_the_emergency_number_first_then_the_clinic(cast, client_for, recovering):
    alice = client_for(cast.alice)
    _report(alice, red_flags=["saddle_numbness"])

    (alert,) = alice.get(ME).json()["open_alerts"]

    assert (alert["tier"], alert["title"], alert["acknowledged_at"]) == ("emergency", "Saddle anaesthesia", None)
    assert alert["raised_at"] == "2027-05-13T13:00:00Z"
    assert alert["call"] == [{"label": "Call 911", "tel": "911"}, RIVERSIDE_CALL]
    assert alert["instruction"]["title"] == "Get emergency help now"
    assert alert["instruction"]["text"].startswith("Call 911 now")
    assert alert["id"] == str(Alert.objects.get().pk)


def test_an_urgent_alert_carries_the_clinic_and_says_when_it_was_acknowledged(
    cast, client_for, recovering, time_machine
):
    alice = client_for(cast.alice)
    _report(alice, red_flags=["fever_chills"])
    (alert,) = alice.get(ME).json()["open_alerts"]
    assert alert["call"] == [RIVERSIDE_CALL]
    assert "Please call Riverside Spine Clinic today on +1 555 010 2030" in alert["instruction"]["text"]

    time_machine.move_to(local(NEW_YORK, 2027, 5, 13, 14, 5), tick=False)
    client_for(cast.carol).post(f"/api/v1/alerts/{alert['id']}/acknowledge", {"note": ""}, format="json")
    (alert,) = alice.get(ME).json()["open_alerts"]
    assert alert["acknowledged_at"] == "2027-05-13T18:05:00Z"

    client_for(cast.carol).post(f"/api/v1/alerts/{alert['id']}/resolve", {"note": "Called, fine."}, format="json")
    assert alice.get(ME).json()["open_alerts"] == []


def test_open_alerts_list_the_most_serious_first_and_leave_out_watch_alerts(cast, client_for, recovering):
    AlertFactory(patient=cast.alice_profile, rule="no_checkin_3_days")
    AlertFactory(patient=cast.alice_profile, rule="fever_chills")
    AlertFactory(patient=cast.alice_profile, rule="chest_pain_breathless")
    AlertFactory(patient=cast.bob.patient_profile, rule="fall")

    tiers = [a["tier"] for a in client_for(cast.alice).get(ME).json()["open_alerts"]]

    assert tiers == ["emergency", "urgent"]


def test_open_alerts_add_one_query_to_the_summary(cast, client_for, recovering, django_assert_num_queries):
    alice = client_for(cast.alice)
    _report(alice, red_flags=["fever_chills", "saddle_numbness"])
    alice.get(ME)  # warm: the session, the user
    # The summary's 5 statements (tests/recovery/test_request_cost.py, where she has no open alert): the session, the
    # user with clinic and profile, the current and next procedures with their milestones, the latest check-in days
    # (the streak, today's and the weekly question), and the open alerts: one query however many there are
    with django_assert_num_queries(5):
        body = alice.get(ME).json()
    assert len(body["open_alerts"]) == 2


# --- /recovery/forms: when to get help, and whom to call --------------------------------------------------------------


def test_forms_carry_when_to_get_help_from_the_patients_protocol_and_the_call_buttons(cast, client_for, recovering):
    body = client_for(cast.alice).get(FORMS).json()

    assert body["when_to_get_help"] == WHEN_TO_GET_HELP
    assert [t["tier"] for t in body["when_to_get_help"]["tiers"]] == ["emergency", "urgent"]
    assert body["call"] == [{"label": "Call 911", "tel": "911"}, RIVERSIDE_CALL]


def test_forms_follow_the_protocol_version_of_the_patients_procedure(cast, client_for, recovering):
    # Riverside makes its own version after Alice's procedure started on the shipped default
    custom = {"title": "When to get help", "tiers": [{"tier": "emergency", "heading": "H", "signs": ["S"], "note": ""}]}
    Protocol.objects.create(clinic=cast.riverside, name="Riverside", version=1, when_to_get_help=custom)

    # Alice keeps her procedure's version; Bob (no procedure) and the staff read the clinic's current one
    assert client_for(cast.alice).get(FORMS).json()["when_to_get_help"] == WHEN_TO_GET_HELP
    assert client_for(cast.bob).get(FORMS).json()["when_to_get_help"] == custom
    assert client_for(cast.carol).get(FORMS).json()["when_to_get_help"] == custom


def test_forms_for_hillside_call_999(cast, client_for):
    assert client_for(cast.heidi).get(FORMS).json()["call"][0] == {"label": "Call 999", "tel": "999"}


# --- /alerts/{id}: trigger and contact --------------------------------------------------------------------------------


def test_the_alert_shows_every_answer_of_the_checkin_that_raised_it(cast, client_for, recovering):
    profile = cast.alice_profile
    profile.phone = "+1 555 222 3333"
    profile.emergency_contact_name = "Adam Adams"
    profile.emergency_contact_phone = "+1 555 444 5555"
    profile.emergency_contact_relationship = "Son"
    profile.save()
    _report(
        client_for(cast.alice),
        red_flags=["wound_bleeding"],
        symptoms=["leg_weakness"],
        back_pain=7,
        leg_pain=3,
        medication="prescribed",
        note="Dressing soaked this morning.",
    )
    alert = Alert.objects.get(rule="wound_bleeding")
    logged_before = PHIAccess.objects.filter(patient=profile, actor=cast.carol).count()

    body = client_for(cast.carol).get(f"/api/v1/alerts/{alert.pk}").json()

    trigger = body["trigger"]
    assert (trigger["kind"], trigger["key"]) == ("checkin", alert.trigger)
    assert "bleeding through the dressing" in trigger["explanation"]
    checkin = trigger["checkin"]
    assert (checkin["back_pain"], checkin["leg_pain"], checkin["medication"]) == (7, 3, "prescribed")
    assert checkin["medication_label"] == "Prescribed"
    assert checkin["note"] == "Dressing soaked this morning."
    assert [s["key"] for s in checkin["symptoms"]] == ["leg_weakness"]
    answered = {f["key"]: f for f in checkin["red_flags"]}
    assert answered["wound_bleeding"]["answer"] is True
    assert answered["wound_bleeding"]["question"] == "Has the small wound on your back bled through the dressing?"
    assert answered["fever_chills"]["answer"] is False
    assert (trigger["assessments"], trigger["exercise"]) == ([], None)
    assert body["contact"] == {
        "name": "Alice Adams",
        "phone": "+1 555 222 3333",
        "email": "alice@patients.example",
        "emergency_contact": {"name": "Adam Adams", "phone": "+1 555 444 5555", "relationship": "Son"},
    }
    assert PHIAccess.objects.filter(patient=profile, actor=cast.carol).count() == logged_before + 1


def test_an_alert_of_rule_set_1_shows_its_own_question_wording(cast, client_for, recovering):
    checkin = _report(client_for(cast.alice))
    old = next(q for q in V1_QUESTIONS if q.key == "fever_chills")
    alert = AlertFactory(
        patient=cast.alice_profile, rule="fever_chills", rule_set_version=1, trigger=f"checkin:{checkin['id']}"
    )

    flags = client_for(cast.carol).get(f"/api/v1/alerts/{alert.pk}").json()["trigger"]["checkin"]["red_flags"]

    assert [f["key"] for f in flags] == [q.key for q in V1_QUESTIONS]
    assert next(f for f in flags if f["key"] == "fever_chills")["question"] == old.question


def test_a_milestone_alert_shows_the_assessments_and_no_contact_fields_left_blank(cast, client_for, recovering):
    milestone = recovering.milestones.order_by("opens_on").first()
    AssessmentFactory(procedure=recovering, milestone=milestone, timepoint=milestone.key, instrument="odi",
                      scores={"odi_percent": 40.0})  # fmt: skip
    alert = AlertFactory(
        patient=cast.alice_profile, rule="no_improvement_6_8_weeks", trigger=f"milestone:{milestone.pk}"
    )

    body = client_for(cast.carol).get(f"/api/v1/alerts/{alert.pk}").json()

    assert body["trigger"]["kind"] == "milestone"
    assert [(a["instrument"], a["scores"]) for a in body["trigger"]["assessments"]] == [("odi", {"odi_percent": 40.0})]
    assert body["trigger"]["checkin"] is None
    assert body["contact"]["emergency_contact"] is None


def test_the_patient_cannot_read_the_alert_detail(cast, client_for, recovering):
    _report(client_for(cast.alice), red_flags=["fall"])
    alert = Alert.objects.get()
    assert client_for(cast.alice).get(f"/api/v1/alerts/{alert.pk}").status_code == 403
    assert client_for(cast.dave).get(f"/api/v1/alerts/{alert.pk}").status_code == 404
