"""A procedure episode keeps every screening: a re-screening adds to the history, the latest decides whether the
procedure may be marked done, the care team lists the history (who, when, outcome), scoped and PHI-logged, and the
patient's export carries all of it."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import PHIAccess
from recovery.models import Procedure, Screening
from tests.accounts.support import app_client
from tests.factories import ProcedureFactory
from tests.recovery.support import NEW_YORK
from tests.support import local, screening_body

DAY0 = dt.date(2027, 5, 10)


def _url(procedure: Procedure) -> str:
    return f"/api/v1/patients/{procedure.patient_id}/procedures/{procedure.pk}"


@pytest.fixture
def rescreened(cast, client_for, time_machine):
    """Alice's procedure on 10 May 2027, screened three times by Dr Carol: 'needs review' on 1 May, 'candidate' on
    3 May, 'not a candidate' on 5 May (heart disease found)."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 1, 9), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)
    decisions = [
        (1, screening_body(outcome="needs_review", claudication="unknown")),
        (3, screening_body()),
        (5, screening_body(outcome="not_candidate", heart_disease="yes", heart_disease_note="Unstable angina.")),
    ]
    for day, body in decisions:
        time_machine.move_to(local(NEW_YORK, 2027, 5, day, 9), tick=False)
        response = client_for(cast.carol).put(f"{_url(procedure)}/screening", body, format="json")
        assert response.status_code == 200, response.json()
    return procedure


def test_the_history_lists_every_screening_latest_first_with_who_when_and_the_outcome(cast, client_for, rescreened):
    response = client_for(cast.carol).get(f"{_url(rescreened)}/screenings")

    assert response.status_code == 200, response.json()
    history = response.json()
    assert [(s["outcome"], s["decided_at"], s["latest"]) for s in history] == [
        ("not_candidate", "2027-05-05T13:00:00Z", True),
        ("candidate", "2027-05-03T13:00:00Z", False),
        ("needs_review", "2027-05-01T13:00:00Z", False),
    ]
    assert {s["decided_by"]["full_name"] for s in history} == {"Dr Carol Chen"}
    # each keeps its own answers
    assert history[2]["claudication"] == "unknown" and history[1]["claudication"] == "yes"
    assert next(c for c in history[0]["cautions"] if c["key"] == "heart_disease")["note"] == "Unstable angina."
    assert Screening.objects.filter(procedure=rescreened).count() == 3
    # the screening endpoint reads the latest
    assert client_for(cast.frank).get(f"{_url(rescreened)}/screening").json()["id"] == history[0]["id"]


def test_reading_the_history_is_phi_logged(cast, client_for, rescreened):
    client_for(cast.frank).get(f"{_url(rescreened)}/screenings")

    assert PHIAccess.objects.filter(
        actor=cast.frank, patient=cast.alice_profile, resource="recovery.screening_history"
    ).exists()


def test_the_latest_screening_decides_the_done_gate(cast, client_for, rescreened, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 15), tick=False)
    carol = client_for(cast.carol)

    refused = carol.post(f"{_url(rescreened)}/complete")

    # an earlier 'candidate' does not count once the re-screening said otherwise
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["screening"]
    assert "Not a candidate" in refused.json()["errors"]["screening"][0]
    rescreened.refresh_from_db()
    assert rescreened.status == "scheduled"
    # screened again as a candidate (the angina treated): now it may be marked done
    body = screening_body(heart_disease="yes", heart_disease_note="Angina treated; cleared by cardiology.")
    assert carol.put(f"{_url(rescreened)}/screening", body, format="json").status_code == 200
    done = carol.post(f"{_url(rescreened)}/complete")
    assert done.status_code == 200, done.json()
    assert done.json()["screening"]["status"] == "candidate"
    assert Screening.objects.filter(procedure=rescreened).count() == 4


def test_the_roster_shows_the_latest_screening(cast, client_for, rescreened):
    [row] = [
        r
        for r in client_for(cast.carol).get("/api/v1/clinician/patients").json()["results"]
        if r["id"] == str(cast.alice_profile.pk)
    ]

    assert row["screening"]["status"] == "not_candidate"


def test_the_history_is_scoped_to_the_care_team_and_refused_to_the_patient(cast, client_for, rescreened):
    bobs = ProcedureFactory(patient=cast.bob.patient_profile, procedure_date=DAY0)

    assert client_for(cast.dave).get(f"{_url(rescreened)}/screenings").status_code == 404
    assert client_for(cast.alice).get(f"{_url(rescreened)}/screenings").status_code == 403
    # another patient's procedure under Alice's path
    wrong = f"/api/v1/patients/{cast.alice_profile.pk}/procedures/{bobs.pk}/screenings"
    assert client_for(cast.carol).get(wrong).status_code == 404
    assert not PHIAccess.objects.filter(actor=cast.dave).exists()


def test_the_patients_export_carries_every_screening(cast, rescreened, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 6, 10), tick=False)

    document = app_client("alice@patients.example").get("/api/v1/me/export").json()

    assert [(s["outcome"], s["latest"]) for s in document["screenings"]] == [
        ("needs_review", False),
        ("candidate", False),
        ("not_candidate", True),
    ]
