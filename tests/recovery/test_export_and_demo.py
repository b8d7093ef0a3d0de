"""The patient's own export carries their recovery; the demo seed shows believable recoveries and is safe to rerun."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.management import call_command

from accounts.models import PatientProfile, User
from recovery import services
from recovery.models import (
    AdverseEvent,
    Alert,
    AlertEvent,
    Assessment,
    CheckIn,
    CheckInRevision,
    PatientMilestone,
    Procedure,
    Screening,
)
from recovery.selectors import recovery_summary
from tests.accounts.support import app_client
from tests.factories import ProcedureFactory
from tests.recovery.support import NEW_YORK
from tests.support import local, screened_candidate, utc

DAY0 = dt.date(2027, 5, 10)


def _checkin_data(local_date: dt.date, **fields) -> dict:
    data = {
        "local_date": local_date,
        "back_pain": 5,
        "leg_pain": 6,
        "walking_minutes": 15,
        "standing_minutes": 8,
        "steps": 1800,
        "medication": "otc",
        "symptoms": ["site_soreness"],
        "red_flags": [],
        "note": "",
        "recorded_at": None,
    }
    data.update(fields)
    return data


def test_the_export_includes_procedures_checkins_with_revisions_assessments_and_alerts(cast, time_machine):
    # given Alice's baseline, her procedure, a check-in with a fever that she later corrected, and Bob's check-in
    time_machine.move_to(local(NEW_YORK, 2027, 5, 3, 10), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0, performed_by=cast.carol)
    services.assessment_record(
        patient=cast.alice_profile,
        by=cast.alice,
        instrument="pain",
        timepoint="baseline",
        answers={"back_pain": 6, "leg_pain": 7},
    )
    screened_candidate(procedure, cast.carol)
    services.procedure_complete(procedure=procedure, by=cast.carol, now=local(NEW_YORK, 2027, 5, 10, 16))
    time_machine.move_to(local(NEW_YORK, 2027, 5, 13, 19), tick=False)
    checkin_id = uuid.uuid4()
    first = services.checkin_put(
        patient=cast.alice_profile,
        by=cast.alice,
        checkin_id=checkin_id,
        data=_checkin_data(dt.date(2027, 5, 13), red_flags=["fever_chills"]),
        if_match=None,
    )
    services.checkin_put(
        patient=cast.alice_profile,
        by=cast.alice,
        checkin_id=checkin_id,
        data=_checkin_data(dt.date(2027, 5, 13), red_flags=["fever_chills"], note="38.4 C at 6pm."),
        if_match=first.checkin.etag,
    )
    bobs_id = uuid.uuid4()
    services.checkin_put(
        patient=cast.bob.patient_profile,
        by=cast.bob,
        checkin_id=bobs_id,
        data=_checkin_data(dt.date(2027, 5, 13), red_flags=["fall"]),
        if_match=None,
    )

    # when Alice signs in for real and downloads her data
    time_machine.move_to(local(NEW_YORK, 2027, 5, 14, 10), tick=False)
    response = app_client("alice@patients.example").get("/api/v1/me/export")

    # then
    assert response.status_code == 200, response.content
    assert response["Content-Disposition"] == 'attachment; filename="my-recovery-data.json"'
    document = response.json()
    assert [(p["id"], p["status"], p["levels"]) for p in document["procedures"]] == [
        (str(procedure.pk), "done", ["L4-L5"])
    ]
    [checkin] = document["checkins"]
    assert (checkin["id"], checkin["version"], checkin["note"]) == (str(checkin_id), 2, "38.4 C at 6pm.")
    assert [(r["version"], r["changes"]) for r in checkin["revisions"]] == [
        (1, {}),
        (2, {"note": ["", "38.4 C at 6pm."]}),
    ]
    [assessment] = document["assessments"]
    assert (assessment["instrument"], assessment["timepoint"], assessment["scores"]) == (
        "pain",
        "baseline",
        {"back_pain": 6, "leg_pain": 7},
    )
    [alert] = document["alerts"]
    assert (alert["tier"], alert["state"], alert["raised_at"]) == ("urgent", "open", "2027-05-13T23:00:00+00:00")
    # nothing of Bob's
    assert str(bobs_id) not in response.content.decode()
    assert "fall" not in {a["title"] for a in document["alerts"]}


def test_the_export_needs_a_recent_sign_in(cast, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 14, 10), tick=False)
    client = app_client("alice@patients.example")

    time_machine.move_to(local(NEW_YORK, 2027, 5, 16, 10), tick=False)

    assert client.get("/api/v1/me/export").status_code == 403


# --- Demo data --------------------------------------------------------------------------------------------------------

DEMO_DAYS = {
    "margaret@patients.example": 1,
    "harold@patients.example": 10,
    "carmen@patients.example": 7,
    "rosa@patients.example": 20,
    "walter@patients.example": 45,
    "june@patients.example": 200,
}


def _row_counts() -> dict[str, int]:
    models = (
        User,
        PatientProfile,
        Procedure,
        PatientMilestone,
        CheckIn,
        CheckInRevision,
        Assessment,
        Alert,
        AlertEvent,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeded(db, time_machine, settings):
    # The demo accounts' passwords are hashed once each; Argon2 is slow on purpose, and the hashing is not what is
    # tested here (tests/accounts covers it).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(utc(2027, 5, 20, 16), tick=False)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {email: PatientProfile.objects.get(user__email=email) for email in DEMO_DAYS}


def test_seed_demo_adds_patients_at_different_points_of_their_recovery(seeded):
    for email, patient in seeded.items():
        summary = recovery_summary(patient)
        assert summary["day"] == DEMO_DAYS[email], email
        assert summary["procedure"].status == "done"

    counts = {email: CheckIn.objects.filter(patient=p).count() for email, p in seeded.items()}
    # daily until the day before today; after the 6-8 week milestone, weekly; Margaret's day 1 (today) was logged by
    # her daughter, her caregiver
    assert counts == {
        "margaret@patients.example": 1,
        "harold@patients.example": 9,
        "carmen@patients.example": 6,
        "rosa@patients.example": 19,
        "walter@patients.example": 44,
        "june@patients.example": 56 + 20,
    }


def test_seed_demo_margarets_day_1_check_in_was_entered_by_her_caregiver(seeded):
    checkin = CheckIn.objects.get(patient=seeded["margaret@patients.example"])
    assert checkin.entered_by is not None
    assert checkin.entered_by.label == "Anna Ellis, daughter"
    assert checkin.revisions.get().entered_by == checkin.entered_by


def test_seed_demo_histories_are_believable(seeded):
    june = CheckIn.objects.filter(patient=seeded["june@patients.example"]).order_by("local_date")
    rosa = CheckIn.objects.filter(patient=seeded["rosa@patients.example"]).order_by("local_date")

    # June improved a lot; Rosa plateaued
    assert june.first().worst_pain - june.last().worst_pain >= 4
    assert abs(rosa.first().worst_pain - rosa.last().worst_pain) <= 2
    # June's 2-3 week and 6-8 week checks are done, each with its four measures, as is the baseline; her 6 month
    # follow-up is open (the README's demo table says so), as is Rosa's 2-3 week check
    done = PatientMilestone.objects.filter(patient=seeded["june@patients.example"], completed_at__isnull=False)
    assert set(done.values_list("key", flat=True)) == {"weeks_2_3", "weeks_6_8"}
    assert Assessment.objects.filter(patient=seeded["june@patients.example"]).count() == 12
    rosa_done = PatientMilestone.objects.filter(patient=seeded["rosa@patients.example"], completed_at__isnull=False)
    assert not rosa_done.exists()
    # Walter reported a fever yesterday: an open urgent alert
    walter = seeded["walter@patients.example"]
    assert Alert.objects.filter(patient=walter, rule="fever_chills", tier="urgent", state="open").count() == 1


def test_seed_demo_screens_every_done_procedure_and_records_walters_wound_infection(seeded):
    for email, patient in seeded.items():
        [screening] = Screening.objects.filter(patient=patient)
        assert screening.outcome == "candidate", email
        assert screening.procedure.status == "done", email
        assert screening.decided_at.date() < screening.procedure.procedure_date, email
        # the cautions follow the profile's risk factors, each answered yes with its note
        assert (screening.previous_spinal_surgery == "yes") == patient.had_previous_spinal_surgery, email
        assert (screening.heart_disease == "yes") == patient.has_heart_disease, email
    [event] = AdverseEvent.objects.all()
    assert event.patient == seeded["walter@patients.example"]
    assert (event.status, event.kind, event.grade, event.relatedness) == ("recorded", "infection", "II", "procedure")
    assert (event.onset_date, event.resolved_date) == (
        event.procedure.procedure_date + dt.timedelta(days=6),
        event.procedure.procedure_date + dt.timedelta(days=16),
    )


def test_seed_demo_twice_changes_nothing(seeded, time_machine):
    before = _row_counts()

    time_machine.move_to(utc(2027, 5, 20, 17), tick=False)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _row_counts() == before
    assert before["CheckIn"] == 155
