"""Adverse events after a procedure: recorded by a clinician (checked field by field), opened as a draft by the
patient's weekly answer about emergency visits and hospital stays, completed or dismissed; in the patient's export."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from accounts.exports import patient_export
from recovery.models import AdverseEvent, Alert, CheckIn
from tests.recovery.support import NEW_YORK, put_checkin
from tests.support import adverse_event_body, checkin_body, json_ready, local, procedure_done

pytestmark = pytest.mark.clock_sensitive

DAY0 = dt.date(2027, 5, 10)


@pytest.fixture
def done(cast, time_machine):
    """Alice's procedure on 10 May 2027, done; the clock on 20 May, 10:00 in New York (day 10)."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 15), tick=False)
    procedure = procedure_done(cast.alice_profile, cast.carol, DAY0)
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 10), tick=False)
    return procedure


def _events(patient_id) -> str:
    return f"/api/v1/patients/{patient_id}/adverse-events"


def _body(procedure, **fields):
    return {"procedure": str(procedure.pk), **json_ready(adverse_event_body(procedure.procedure_date, **fields))}


def test_a_clinician_records_an_adverse_event_and_her_team_reads_it(cast, client_for, done):
    body = _body(done, kind="bleeding", grade="IIIb", relatedness="device", further_surgery=True)

    response = client_for(cast.carol).post(_events(cast.alice.pk), body, format="json")

    assert response.status_code == 201, response.json()
    event = response.json()
    assert (event["status"], event["kind"], event["grade"], event["related"]) == ("recorded", "bleeding", "IIIb", True)
    assert event["onset_date"] == "2027-05-12"
    assert event["procedure_date"] == "2027-05-10"
    assert event["further_surgery"] is True
    assert event["recorded_by"] == {"id": str(cast.carol.pk), "full_name": "Dr Carol Chen"}
    listed = client_for(cast.frank).get(_events(cast.alice.pk)).json()
    assert [e["id"] for e in listed] == [event["id"]]
    assert client_for(cast.frank).get(f"{_events(cast.alice.pk)}/{event['id']}").json() == event
    # Alice's own reads go through her export; the clinicians' record is not hers to browse
    assert client_for(cast.alice).get(_events(cast.alice.pk)).status_code == 403


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        # Dated before the procedure.
        ({"onset_date": "2027-05-09"}, {"onset_date"}),
        ({"onset_date": "2027-05-21"}, {"onset_date"}),
        ({"resolved_date": "2027-05-11"}, {"resolved_date"}),
        # A Clavien-Dindo grade outside I-V.
        ({"grade": "VI"}, {"grade"}),
        ({"grade": "0"}, {"grade"}),
        ({"grade": "III"}, {"grade"}),
        ({"grade": "V", "outcome": "resolved"}, {"grade"}),
        ({"kind": "other", "kind_other": ""}, {"kind_other"}),
        ({"kind": "fracture"}, {"kind"}),
        ({"relatedness": None}, {"relatedness"}),
        ({"procedure": str(uuid.uuid4())}, {"procedure"}),
        ({"status": "recorded"}, {"status"}),
    ],
)
def test_bad_adverse_events_are_refused_field_by_field_and_nothing_is_stored(cast, client_for, done, fields, errors):
    response = client_for(cast.carol).post(_events(cast.alice.pk), {**_body(done), **fields}, format="json")

    assert response.status_code == 400, response.json()
    assert set(response.json()["errors"]) == errors
    assert not AdverseEvent.objects.exists()


def test_the_grade_message_names_the_clavien_dindo_grades(cast, client_for, done):
    response = client_for(cast.carol).post(_events(cast.alice.pk), {**_body(done), "grade": "VI"}, format="json")

    assert response.json()["errors"]["grade"] == ["Choose a Clavien-Dindo grade: I, II, IIIa, IIIb, IVa, IVb or V."]


def test_another_patients_procedure_is_refused(cast, client_for, done, time_machine):
    bobs = procedure_done(cast.bob.patient_profile, cast.dave, dt.date(2027, 5, 11))

    response = client_for(cast.carol).post(_events(cast.alice.pk), _body(bobs), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["procedure"]
    assert not AdverseEvent.objects.exists()


def test_an_event_is_changed_by_a_clinician_and_never_moved_to_another_procedure(cast, client_for, done):
    carol = client_for(cast.carol)
    event = carol.post(_events(cast.alice.pk), _body(done), format="json").json()
    url = f"{_events(cast.alice.pk)}/{event['id']}"

    changed = carol.patch(url, {"outcome": "resolved", "resolved_date": "2027-05-18"}, format="json")
    moved = carol.patch(url, {"procedure": str(done.pk)}, format="json")
    early = carol.patch(url, {"onset_date": "2027-05-01"}, format="json")

    assert changed.status_code == 200, changed.json()
    assert (changed.json()["outcome"], changed.json()["resolved_date"]) == ("resolved", "2027-05-18")
    assert moved.status_code == 400 and list(moved.json()["errors"]) == ["procedure"]
    assert early.status_code == 400 and list(early.json()["errors"]) == ["onset_date"]
    assert AdverseEvent.objects.get().onset_date == dt.date(2027, 5, 12)
    assert client_for(cast.frank).patch(url, {"outcome": "ongoing"}, format="json").status_code == 403


# --- The weekly question ----------------------------------------------------------------------------------------------


def test_the_weekly_question_is_versioned_content_asked_once_a_week(cast, client_for, done, time_machine):
    alice = client_for(cast.alice)
    forms = alice.get("/api/v1/recovery/forms").json()["healthcare_use_question"]
    assert forms["version"] == 1
    assert forms["question"] == "Since last week, have you been to an emergency department, or stayed in hospital?"
    assert forms["ask_every_days"] == 7
    assert alice.get("/api/v1/me/recovery").json()["healthcare_use_question_due"] is True

    put_checkin(alice, checkin_body(dt.date(2027, 5, 20), healthcare_use=False, healthcare_use_version=1))

    stored = CheckIn.objects.get()
    assert (stored.healthcare_use, stored.healthcare_use_version) == (False, 1)
    for day, due in ((20, True), (21, False), (26, False), (27, True)):
        time_machine.move_to(local(NEW_YORK, 2027, 5, day, 10), tick=False)
        assert alice.get("/api/v1/me/recovery").json()["healthcare_use_question_due"] is due, day


def test_a_yes_raises_a_watch_alert_and_a_draft_adverse_event_once(cast, client_for, done):
    alice = client_for(cast.alice)
    checkin_id = uuid.uuid4()
    body = checkin_body(dt.date(2027, 5, 20), healthcare_use=True)

    first = put_checkin(alice, body, checkin_id)
    replay = put_checkin(alice, body, checkin_id)

    assert (first.status_code, replay.status_code) == (201, 201)
    assert first.json()["healthcare_use_version"] == 1
    [alert] = Alert.objects.filter(rule="healthcare_use")
    assert (alert.tier, alert.trigger) == ("watch", f"checkin:{checkin_id}")
    [draft] = AdverseEvent.objects.all()
    assert (draft.status, draft.procedure_id, draft.checkin_id) == ("draft", done.pk, checkin_id)
    opened = client_for(cast.carol).get(f"/api/v1/alerts/{alert.pk}").json()
    assert "draft adverse event" in opened["trigger"]["explanation"]
    assert opened["trigger"]["checkin"]["healthcare_use"] is True
    # A draft does not count until a clinician completes it
    assert client_for(cast.carol).get(f"{_events(cast.alice.pk)}?status=draft").json()[0]["id"] == str(draft.pk)


def test_an_answer_of_no_or_no_answer_opens_nothing(cast, client_for, done):
    alice = client_for(cast.alice)
    put_checkin(alice, checkin_body(dt.date(2027, 5, 19), healthcare_use=False))
    put_checkin(alice, checkin_body(dt.date(2027, 5, 20)))

    assert not Alert.objects.filter(rule="healthcare_use").exists()
    assert not AdverseEvent.objects.exists()


def test_a_replay_of_a_check_in_stored_before_the_question_is_still_a_replay(cast, client_for, done):
    alice = client_for(cast.alice)
    checkin_id = uuid.uuid4()
    body = checkin_body(dt.date(2027, 5, 20))

    put_checkin(alice, body, checkin_id)
    again = put_checkin(alice, body, checkin_id)

    assert again.status_code == 201
    assert CheckIn.objects.get().version == 1


def test_the_clinician_completes_the_draft_or_dismisses_it(cast, client_for, done):
    alice = client_for(cast.alice)
    put_checkin(alice, checkin_body(dt.date(2027, 5, 13), healthcare_use=True))
    put_checkin(alice, checkin_body(dt.date(2027, 5, 20), healthcare_use=True))
    first, second = AdverseEvent.objects.order_by("checkin__local_date")
    carol = client_for(cast.carol)

    incomplete = carol.patch(f"{_events(cast.alice.pk)}/{first.pk}", {"kind": "infection"}, format="json")
    completed = carol.patch(
        f"{_events(cast.alice.pk)}/{first.pk}",
        json_ready(adverse_event_body(DAY0, hospital_admission=True)),
        format="json",
    )
    dismissed = carol.post(
        f"{_events(cast.alice.pk)}/{second.pk}/dismiss",
        {"reason": "A fall at home; seen and sent home."},
        format="json",
    )

    assert incomplete.status_code == 400
    assert set(incomplete.json()["errors"]) == {"grade", "onset_date", "relatedness", "outcome"}
    assert completed.status_code == 200, completed.json()
    assert (completed.json()["status"], completed.json()["hospital_admission"]) == ("recorded", True)
    assert completed.json()["recorded_by"]["id"] == str(cast.carol.pk)
    assert dismissed.status_code == 200, dismissed.json()
    assert (dismissed.json()["status"], dismissed.json()["dismiss_reason"]) == (
        "dismissed",
        "A fall at home; seen and sent home.",
    )
    # A recorded event is corrected, not dismissed; a dismissed draft stays dismissed
    again = carol.post(f"{_events(cast.alice.pk)}/{first.pk}/dismiss", {"reason": "Oops."}, format="json")
    assert again.status_code == 400
    revived = carol.patch(f"{_events(cast.alice.pk)}/{second.pk}", {"grade": "I"}, format="json")
    assert revived.status_code == 400
    assert AdverseEvent.objects.get(pk=second.pk).status == "dismissed"


# --- Export -----------------------------------------------------------------------------------------------------------


def test_the_patients_export_holds_her_screenings_and_adverse_events(cast, client_for, done):
    client_for(cast.carol).post(_events(cast.alice.pk), _body(done), format="json")

    document = patient_export(cast.alice_profile)

    assert [s["outcome"] for s in document["screenings"]] == ["candidate"]
    assert [(e["kind"], e["grade"], e["status"]) for e in document["adverse_events"]] == [
        ("infection", "II", "recorded")
    ]
