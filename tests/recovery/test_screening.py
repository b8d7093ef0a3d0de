"""The candidate screening of a procedure episode: recorded by a clinician, checked field by field, and the gate it
puts on marking a procedure done (a "candidate" screening, or a clinician's recorded override). Its risk factors reach
the roster and every alert of the patient."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import PatientProfile, PHIAccess
from recovery.models import PatientMilestone, Procedure, Screening
from tests.factories import AlertFactory, ProcedureFactory
from tests.recovery.support import NEW_YORK
from tests.support import local, screening_body

pytestmark = pytest.mark.clock_sensitive

DAY0 = dt.date(2027, 5, 10)


def _url(procedure: Procedure) -> str:
    return f"/api/v1/patients/{procedure.patient_id}/procedures/{procedure.pk}"


@pytest.fixture
def scheduled(cast, time_machine):
    """Alice's procedure on 10 May 2027, scheduled; the clock on the procedure day, 15:00 in New York."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 15), tick=False)
    return ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)


def test_a_clinician_records_the_screening_and_who_decided_it_when(cast, client_for, scheduled):
    body = screening_body(
        conservative_care=[
            {"treatment": "physical_therapy", "weeks": 12, "note": "Twice weekly."},
            {"treatment": "epidural_injections", "weeks": 6},
        ],
        previous_spinal_surgery="yes",
        previous_spinal_surgery_note="Discectomy at L2-L3 in 2015; a different level.",
    )

    response = client_for(cast.carol).put(f"{_url(scheduled)}/screening", body, format="json")

    assert response.status_code == 200, response.json()
    screening = response.json()
    assert screening["outcome"] == "candidate"
    assert screening["imaging_date"] == "2027-03-01"
    assert screening["conservative_care"][1] == {"treatment": "epidural_injections", "weeks": 6, "note": ""}
    assert screening["decided_by"] == {"id": str(cast.carol.pk), "full_name": "Dr Carol Chen"}
    assert screening["decided_at"] == "2027-05-10T19:00:00Z"
    surgery = next(c for c in screening["cautions"] if c["key"] == "previous_spinal_surgery")
    assert surgery["answer"] == "yes" and surgery["note"].startswith("Discectomy")
    assert PHIAccess.objects.filter(actor=cast.carol, patient=cast.alice_profile, resource="recovery.screening")
    # Her staff read it back; the procedure shows its screening status
    assert client_for(cast.frank).get(f"{_url(scheduled)}/screening").json()["id"] == screening["id"]
    assert client_for(cast.carol).get(_url(scheduled)).json()["screening"]["status"] == "candidate"


def test_saving_again_records_a_new_decision_beside_the_earlier_one(cast, client_for, scheduled, time_machine):
    carol = client_for(cast.carol)
    first = carol.put(f"{_url(scheduled)}/screening", screening_body(outcome="needs_review"), format="json").json()
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 15, 5), tick=False)

    response = carol.put(f"{_url(scheduled)}/screening", screening_body(), format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "candidate"
    assert response.json()["decided_at"] == "2027-05-10T19:05:00Z"
    assert response.json()["id"] != first["id"] and response.json()["latest"] is True
    # the earlier decision is kept (tests/recovery/test_safety_screening_history.py)
    assert Screening.objects.count() == 2
    assert Screening.objects.get(pk=first["id"]).outcome == "needs_review"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        # A candidate with a caution answered yes and no note.
        ({"heart_disease": "yes", "heart_disease_note": "  "}, {"heart_disease_note"}),
        ({"spinal_instability": "yes"}, {"spinal_instability_note"}),
        # A candidate must meet the criteria.
        ({"claudication": "unknown"}, {"outcome"}),
        (
            {"stenosis_confirmed": "yes", "imaging_date": None, "imaging_modality": ""},
            {"imaging_date", "imaging_modality"},
        ),
        ({"imaging_date": "2027-06-01"}, {"imaging_date"}),
        ({"conservative_care_failed": "yes", "conservative_care": []}, {"conservative_care"}),
        ({"conservative_care": [{"treatment": "surgery", "weeks": 3}]}, {"conservative_care.0.treatment"}),
        ({"conservative_care": [{"treatment": "medication", "weeks": 0}]}, {"conservative_care.0.weeks"}),
        ({"heart_disease": "maybe"}, {"heart_disease"}),
        ({"outcome": "probably"}, {"outcome"}),
        ({"decided_by": "someone"}, {"decided_by"}),
    ],
)
def test_bad_screenings_are_refused_field_by_field_and_nothing_is_stored(cast, client_for, scheduled, fields, errors):
    response = client_for(cast.carol).put(f"{_url(scheduled)}/screening", screening_body(**fields), format="json")

    assert response.status_code == 400, response.json()
    assert set(response.json()["errors"]) == errors
    assert not Screening.objects.exists()


def test_a_caution_answered_yes_may_stay_without_a_note_when_the_outcome_is_not_candidate(cast, client_for, scheduled):
    body = screening_body(spinal_instability="yes", outcome="needs_review")

    assert client_for(cast.carol).put(f"{_url(scheduled)}/screening", body, format="json").status_code == 200


def test_only_clinicians_decide_a_screening(cast, client_for, scheduled):
    frank = client_for(cast.frank).put(f"{_url(scheduled)}/screening", screening_body(), format="json")
    alice = client_for(cast.alice).put(f"{_url(scheduled)}/screening", screening_body(), format="json")
    dave = client_for(cast.dave).put(f"{_url(scheduled)}/screening", screening_body(), format="json")

    assert (frank.status_code, alice.status_code, dave.status_code) == (403, 403, 404)
    assert client_for(cast.alice).get(f"{_url(scheduled)}/screening").status_code == 403
    assert not Screening.objects.exists()


# --- The gate on marking a procedure done -----------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [None, "needs_review", "not_candidate"])
def test_a_procedure_without_a_candidate_screening_cannot_be_marked_done(cast, client_for, scheduled, outcome):
    carol = client_for(cast.carol)
    if outcome:
        carol.put(f"{_url(scheduled)}/screening", screening_body(outcome=outcome), format="json")

    response = carol.post(f"{_url(scheduled)}/complete")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["screening"]
    assert Procedure.objects.get().status == "scheduled"
    assert not PatientMilestone.objects.exists()


def test_a_clinician_overrides_the_screening_with_a_reason_which_is_recorded(cast, client_for, scheduled):
    response = client_for(cast.carol).post(
        f"{_url(scheduled)}/complete", {"override_reason": "Screened at the referring hospital."}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done"
    assert response.json()["screening"] == {
        "status": "override",
        "decided_at": None,
        "override_reason": "Screened at the referring hospital.",
        "override_by": {"id": str(cast.carol.pk), "full_name": "Dr Carol Chen"},
        "override_at": "2027-05-10T19:00:00Z",
    }
    assert PatientMilestone.objects.filter(procedure=scheduled).count() == 5


def test_a_clinic_admin_cannot_override_the_screening(cast, client_for, scheduled):
    response = client_for(cast.frank).post(
        f"{_url(scheduled)}/complete", {"override_reason": "No time to screen."}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["override_reason"]
    assert Procedure.objects.get().status == "scheduled"


def test_with_a_candidate_screening_the_clinic_admin_marks_it_done(cast, client_for, scheduled):
    client_for(cast.carol).put(f"{_url(scheduled)}/screening", screening_body(), format="json")

    response = client_for(cast.frank).post(f"{_url(scheduled)}/complete")

    assert response.status_code == 200, response.json()
    assert response.json()["screening"]["status"] == "candidate"
    assert response.json()["screening"]["override_reason"] == ""


# --- Risk factors beside every alert and on the roster ----------------------------------------------------------------


def test_risk_factors_answered_yes_reach_the_profile_the_roster_and_every_alert(cast, client_for, scheduled):
    body = screening_body(
        diabetes="yes", previous_spinal_surgery="yes", previous_spinal_surgery_note="L5-S1 fusion, 2019."
    )
    client_for(cast.carol).put(f"{_url(scheduled)}/screening", body, format="json")
    AlertFactory(patient=cast.alice_profile, tier="watch")

    profile = PatientProfile.objects.get(pk=cast.alice.pk)
    assert (profile.has_diabetes, profile.has_heart_disease, profile.had_previous_spinal_surgery) == (True, False, True)
    [alert] = client_for(cast.carol).get("/api/v1/alerts").json()["results"]
    age = cast.alice_profile.age(dt.date(2027, 5, 10))
    assert alert["risk_factors"] == {
        "age": age,
        "diabetes": True,
        "heart_disease": False,
        "previous_spinal_surgery": True,
        "present": ["diabetes", "previous_spinal_surgery"],
    }
    assert client_for(cast.carol).get(f"/api/v1/alerts/{alert['id']}").json()["risk_factors"] == alert["risk_factors"]
    [row] = client_for(cast.carol).get("/api/v1/clinician/patients").json()["results"]
    assert row["risk_factors"] == ["diabetes", "previous_spinal_surgery"]
    assert row["screening"] == {
        "procedure_id": str(scheduled.pk),
        "procedure_status": "scheduled",
        "status": "candidate",
    }


def test_a_no_in_the_screening_leaves_a_risk_factor_known_from_enrolment(cast, client_for, scheduled):
    PatientProfile.objects.filter(pk=cast.alice.pk).update(has_heart_disease=True)

    client_for(cast.carol).put(f"{_url(scheduled)}/screening", screening_body(heart_disease="no"), format="json")

    assert PatientProfile.objects.get(pk=cast.alice.pk).has_heart_disease is True


def test_the_roster_says_when_a_patient_is_not_screened(cast, client_for, scheduled):
    [row] = client_for(cast.carol).get("/api/v1/clinician/patients").json()["results"]

    assert row["screening"]["status"] == "none"
    assert client_for(cast.dave).get("/api/v1/clinician/patients").json()["results"][0]["screening"] is None
