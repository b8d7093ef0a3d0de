"""Preparing for the procedure: the countdown and the clinic's checklist (blood thinners as the clinic decided, blood
sugar for people with diabetes, fasting when sedation is planned, a driver and someone at home, what to bring, the
arrival time), ticked by the patient (safe to send again), seen by the care team, refused when it makes no sense."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.exports import patient_export
from accounts.models import PHIAccess
from journey.models import BloodThinnerPlan, PreparationTick, ProcedurePreparation
from recovery import services as recovery_services
from tests.factories import ProcedureFactory
from tests.recovery.support import NEW_YORK
from tests.support import local, screened_candidate

pytestmark = pytest.mark.clock_sensitive

DAY0 = dt.date(2027, 5, 10)
ME = "/api/v1/me/preparation"
EVERYONE = ["medicines_list", "driver", "someone_at_home", "what_to_bring", "arrival"]


def _item(key: str) -> str:
    return f"{ME}/items/{key}"


def _plan_url(procedure) -> str:
    return f"/api/v1/patients/{procedure.patient_id}/procedures/{procedure.pk}/preparation"


@pytest.fixture
def scheduled(cast, time_machine):
    """Alice's procedure on Monday 10 May 2027, scheduled; the clock six days before, at 10:00 in New York."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 4, 10), tick=False)
    return ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)


def _plan(client, procedure, **body):
    body = {"arrival_time": "07:30", "blood_thinners": [], **body}
    return client.put(_plan_url(procedure), body, format="json")


def test_a_scheduled_procedure_counts_down_and_lists_what_applies_to_everyone(cast, client_for, scheduled):
    answer = client_for(cast.alice).get(ME)
    assert answer.status_code == 200
    body = answer.json()
    assert body["countdown"] == "Your procedure is in 6 days"
    assert body["days_to_go"] == 6
    assert body["procedure"]["procedure_date"] == "2027-05-10"
    # No diabetes, no sedation, no blood thinner entered: the items for everyone, by the day each is due
    assert [i["key"] for i in body["items"]] == EVERYONE
    assert body["open"] == 5
    assert all(i["done_at"] is None for i in body["items"])
    arrival = body["items"][-1]
    assert arrival["text"].startswith("Your clinic will tell you what time to arrive")
    assert body["baseline"] == {
        "instruments": ["pain", "odi", "zcq", "tolerance"],
        "done": [],
        "missing": ["pain", "odi", "zcq", "tolerance"],
    }


def test_without_a_scheduled_procedure_there_is_nothing_to_prepare(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 4, 10), tick=False)
    body = client_for(cast.alice).get(ME).json()
    assert body["procedure"] is None and body["countdown"] is None and body["items"] == []


def test_tomorrow_and_today_are_said_in_words(cast, client_for, scheduled, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 9, 23, 30), tick=False)
    assert client_for(cast.alice).get(ME).json()["countdown"] == "Your procedure is tomorrow"
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 6), tick=False)
    assert client_for(cast.alice).get(ME).json()["countdown"] == "Your procedure is today"


def test_diabetes_and_sedation_add_their_items(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 4, 10), tick=False)
    profile = cast.alice_profile
    profile.has_diabetes = True
    profile.save()
    ProcedureFactory(patient=profile, procedure_date=DAY0, anaesthesia="local_sedation")
    keys = [i["key"] for i in client_for(cast.alice).get(ME).json()["items"]]
    assert "blood_sugar" in keys and "fasting" in keys
    assert len(keys) == 7


def test_the_clinician_enters_blood_thinners_and_the_arrival_time(cast, client_for, scheduled):
    carol = client_for(cast.carol)
    answer = _plan(
        carol,
        scheduled,
        blood_thinners=[{"medicine": "Clopidogrel", "stop_on": "2027-05-05", "restart_on": "2027-05-11"}],
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["protocol_version"] == 1
    body = client_for(cast.alice).get(ME).json()
    assert body["procedure"]["arrival_time"] == "07:30"
    medicine = next(i for i in body["items"] if i["kind"] == "medicine")
    assert medicine["title"] == "Clopidogrel: stop on Wednesday 5 May"
    assert "Start taking it again on Tuesday 11 May" in medicine["text"]
    assert medicine["due_on"] == "2027-05-04"
    # Due the day before it is stopped: after the list of medicines (due 10 days before), before the lift home
    assert [i["key"] for i in body["items"]][:3] == ["medicines_list", medicine["key"], "driver"]
    arrival = next(i for i in body["items"] if i["key"] == "arrival")
    assert arrival["text"].startswith("Please arrive at 07:30")


def test_a_stop_date_after_the_procedure_date_is_refused_and_nothing_is_stored(cast, client_for, scheduled):
    answer = _plan(
        client_for(cast.carol),
        scheduled,
        arrival_time="08:00",
        blood_thinners=[
            {"medicine": "Aspirin", "stop_on": "2027-05-03"},
            {"medicine": "Warfarin", "stop_on": "2027-05-11", "restart_on": "2027-05-12"},
        ],
    )
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert list(errors) == ["blood_thinners.1.stop_on"]
    assert "on or before the procedure date (Monday 10 May)" in errors["blood_thinners.1.stop_on"][0]
    assert not BloodThinnerPlan.objects.exists()
    assert not ProcedurePreparation.objects.exists()


def test_a_restart_date_before_the_procedure_is_refused(cast, client_for, scheduled):
    answer = _plan(
        client_for(cast.carol),
        scheduled,
        blood_thinners=[{"medicine": "Apixaban", "stop_on": "2027-05-07", "restart_on": "2027-05-08"}],
    )
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["blood_thinners.0.restart_on"]
    assert not BloodThinnerPlan.objects.exists()


def test_a_done_procedure_has_no_preparation_to_plan(cast, client_for, scheduled, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 16), tick=False)
    screened_candidate(scheduled, cast.carol)
    recovery_services.procedure_complete(procedure=scheduled, by=cast.carol)
    answer = _plan(client_for(cast.carol), scheduled)
    assert answer.status_code == 400
    assert "preparation is planned for a scheduled procedure" in answer.json()["errors"]["procedure"][0]


def test_ticking_is_safe_to_send_again_and_can_be_undone(cast, client_for, scheduled, time_machine):
    alice = client_for(cast.alice)
    first = alice.put(_item("driver"), {"done": True}, format="json")
    assert first.status_code == 201
    assert first.json()["done"] is True
    time_machine.move_to(local(NEW_YORK, 2027, 5, 4, 11), tick=False)
    again = alice.put(_item("driver"), {"done": True}, format="json")
    # The replay from the phone's outbox changes nothing: the first time stays
    assert again.status_code == 200
    assert again.json()["done_at"] == first.json()["done_at"]
    assert PreparationTick.objects.count() == 1
    body = alice.get(ME).json()
    assert body["open"] == 4
    assert next(i for i in body["items"] if i["key"] == "driver")["done_at"] == first.json()["done_at"]
    undone = alice.put(_item("driver"), {"done": False}, format="json")
    assert undone.status_code == 201 and undone.json()["done"] is False
    assert not PreparationTick.objects.exists()
    assert alice.put(_item("driver"), {"done": False}, format="json").status_code == 200


def test_a_tick_needs_a_true_or_false(cast, client_for, scheduled):
    answer = client_for(cast.alice).put(_item("driver"), {"done": "yes"}, format="json")
    assert answer.status_code == 400
    assert "done" in answer.json()["errors"]
    assert not PreparationTick.objects.exists()


def test_an_item_of_another_patient_or_not_on_the_list_is_404_and_nothing_is_stored(cast, client_for, scheduled):
    bobs = ProcedureFactory(patient=cast.bob.patient_profile, procedure_date=DAY0)
    answer = _plan(client_for(cast.dave), bobs, blood_thinners=[{"medicine": "Aspirin", "stop_on": "2027-05-03"}])
    assert answer.status_code == 200
    bobs_item = f"medicine-{answer.json()['blood_thinners'][0]['id']}"
    assert bobs_item in [i["key"] for i in answer.json()["items"]]
    alice = client_for(cast.alice)
    for key in (bobs_item, "blood_sugar", "fasting", "no-such-item"):
        refused = alice.put(_item(key), {"done": True}, format="json")
        assert refused.status_code == 404, key
        assert refused.json()["detail"] == "This item is not on your preparation checklist."
    assert not PreparationTick.objects.exists()
    # Bob ticks his own
    assert client_for(cast.bob).put(_item(bobs_item), {"done": True}, format="json").status_code == 201


def test_the_care_team_sees_what_is_not_done_and_the_read_is_logged(cast, client_for, scheduled):
    carol = client_for(cast.carol)
    _plan(carol, scheduled, blood_thinners=[{"medicine": "Aspirin", "stop_on": "2027-05-03", "note": "Low dose."}])
    alice = client_for(cast.alice)
    assert alice.put(_item("driver"), {"done": True}, format="json").status_code == 201
    before = PHIAccess.objects.filter(actor=cast.carol).count()
    body = carol.get(_plan_url(scheduled)).json()
    assert PHIAccess.objects.filter(actor=cast.carol).count() == before + 1
    assert body["open"] == 5
    assert [i["key"] for i in body["items"] if i["done_at"] is None] == [
        "medicines_list", f"medicine-{body['blood_thinners'][0]['id']}", "someone_at_home", "what_to_bring", "arrival",
    ]  # fmt: skip
    assert body["blood_thinners"][0]["note"] == "Low dose."
    assert body["baseline"]["missing"] == ["pain", "odi", "zcq", "tolerance"]


def test_keeping_a_medicine_keeps_its_tick_and_removing_it_removes_the_tick(cast, client_for, scheduled):
    carol, alice = client_for(cast.carol), client_for(cast.alice)
    plan = _plan(carol, scheduled, blood_thinners=[{"medicine": "Aspirin", "stop_on": "2027-05-03"}]).json()
    medicine = plan["blood_thinners"][0]
    assert alice.put(_item(f"medicine-{medicine['id']}"), {"done": True}, format="json").status_code == 201
    kept = _plan(
        carol, scheduled, blood_thinners=[{"id": medicine["id"], "medicine": "Aspirin", "stop_on": "2027-05-04"}]
    ).json()
    assert kept["blood_thinners"][0]["stop_on"] == "2027-05-04"
    assert PreparationTick.objects.filter(item_key=f"medicine-{medicine['id']}").exists()
    _plan(carol, scheduled, blood_thinners=[])
    assert not BloodThinnerPlan.objects.exists() and not PreparationTick.objects.exists()


def test_a_medicine_id_of_another_procedure_is_refused(cast, client_for, scheduled):
    bobs = ProcedureFactory(patient=cast.bob.patient_profile, procedure_date=DAY0)
    bobs_plan = _plan(client_for(cast.dave), bobs, blood_thinners=[{"medicine": "Aspirin", "stop_on": "2027-05-03"}])
    other = bobs_plan.json()["blood_thinners"][0]["id"]
    answer = _plan(
        client_for(cast.carol), scheduled, blood_thinners=[{"id": other, "medicine": "X", "stop_on": "2027-05-03"}]
    )
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["blood_thinners.0.id"]
    assert BloodThinnerPlan.objects.get(pk=other).medicine == "Aspirin"


def test_the_checklist_and_the_ticks_are_in_the_patients_export(cast, client_for, scheduled):
    alice = client_for(cast.alice)
    alice.put(_item("what_to_bring"), {"done": True}, format="json")
    export = patient_export(cast.alice_profile)
    [prepared] = export["preparation"]
    assert prepared["procedure_date"] == "2027-05-10"
    ticked = [i["key"] for i in prepared["items"] if i["done_at"]]
    assert ticked == ["what_to_bring"]
    assert len(prepared["items"]) == 5
