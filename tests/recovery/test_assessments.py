"""Outcome measures: a baseline before the procedure, then one set per milestone, scored on the server with the
instrument's version, compared with the baseline, and completing the milestone when the set is whole."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import PHIAccess
from recovery import services
from recovery.models import Assessment, PatientMilestone
from tests.factories import ProcedureFactory
from tests.recovery.support import ASSESSMENTS, NEW_YORK, odi, zcq
from tests.support import local, screened_candidate

DAY0 = dt.date(2027, 5, 10)

# A worked example by hand. Sections: pain 3, personal care 1, lifting 4, walking 2, sitting 2, standing 3,
# sleeping 1, sex life skipped, social life 2, travelling 1. Nine answered: 19 / (5 x 9) x 100 = 42.22... -> 42.2.
ODI_BASELINE = odi(3, 1, 4, 2, 2, 3, 1, None, 2, 1)
# At 2-3 weeks, all ten answered: 2+1+2+1+1+2+1+0+1+1 = 12 / 50 x 100 = 24.0; 18.2 points better: a responder.
ODI_WEEKS_2_3 = odi(2, 1, 2, 1, 1, 2, 1, 0, 1, 1)


def _post(client, instrument: str, timepoint: str, answers: dict):
    return client.post(
        ASSESSMENTS, {"instrument": instrument, "timepoint": timepoint, "answers": answers}, format="json"
    )


@pytest.fixture
def scheduled(cast, time_machine):
    """Alice's procedure on 10 May 2027, scheduled; the clock a week before, at 10:00 in New York."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 3, 10), tick=False)
    return ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)


def _done(cast, procedure):
    screened_candidate(procedure, cast.carol)
    return services.procedure_complete(procedure=procedure, by=cast.carol, now=local(NEW_YORK, 2027, 5, 10, 16))


@pytest.fixture
def baseline_taken(cast, client_for, scheduled):
    """The whole baseline: pain 6/7, ODI 42.2%, ZCQ severity 3.0 and function 3.0, standing 10 and walking 15 min."""
    alice = client_for(cast.alice)
    for instrument, answers in (
        ("pain", {"back_pain": 6, "leg_pain": 7}),
        ("odi", ODI_BASELINE),
        ("zcq", zcq(3, 3)),
        ("tolerance", {"standing_minutes": 10, "walking_minutes": 15}),
    ):
        assert _post(alice, instrument, "baseline", answers).status_code == 201
    return _done(cast, scheduled)


# --- Baseline ---------------------------------------------------------------------------------------------------------


def test_the_baseline_is_taken_before_the_procedure_and_scored_on_the_server(cast, client_for, scheduled):
    response = _post(client_for(cast.alice), "odi", "baseline", ODI_BASELINE)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["scores"] == {"odi_percent": 42.2}
    assert body["instrument_version"] == "2.1a-mild-2"
    assert (body["timepoint"], body["procedure"], body["milestone"]) == ("baseline", str(scheduled.pk), None)
    assert body["change_from_baseline"] is None
    assert body["local_date"] == "2027-05-03"
    stored = Assessment.objects.get()
    assert (stored.scores, stored.instrument_version, stored.answers) == (
        {"odi_percent": 42.2},
        "2.1a-mild-2",
        ODI_BASELINE,
    )


def test_the_client_cannot_send_its_own_scores(cast, client_for, scheduled):
    response = client_for(cast.alice).post(
        ASSESSMENTS,
        {"instrument": "odi", "timepoint": "baseline", "answers": ODI_BASELINE, "scores": {"odi_percent": 0}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"scores": ["Unknown field."]}
    assert not Assessment.objects.exists()


def test_with_fewer_than_8_odi_sections_answered_there_is_no_score(cast, client_for, scheduled):
    response = _post(client_for(cast.alice), "odi", "baseline", odi(3, 1, 4, 2, 2, 3, 1, None, None, None))

    assert response.status_code == 201
    assert response.json()["scores"] == {"odi_percent": None}


def test_a_baseline_needs_an_upcoming_procedure(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 3, 10), tick=False)

    response = _post(client_for(cast.alice), "pain", "baseline", {"back_pain": 6, "leg_pain": 7})

    assert response.status_code == 400
    assert "timepoint" in response.json()["errors"]
    assert not Assessment.objects.exists()


def test_a_baseline_cannot_be_taken_after_the_procedure(cast, client_for, time_machine, scheduled):
    _done(cast, scheduled)
    time_machine.move_to(local(NEW_YORK, 2027, 5, 12, 10), tick=False)

    response = _post(client_for(cast.alice), "pain", "baseline", {"back_pain": 6, "leg_pain": 7})

    assert response.status_code == 400
    assert "timepoint" in response.json()["errors"]


def test_zcq_satisfaction_is_not_asked_before_the_procedure(cast, client_for, scheduled):
    response = _post(client_for(cast.alice), "zcq", "baseline", zcq(3, 3, satisfaction=2))

    assert response.status_code == 400
    assert response.json()["errors"]["answers.overall_result"] == ["This question is only asked after the procedure."]
    assert not Assessment.objects.exists()


# --- At a milestone ---------------------------------------------------------------------------------------------------


def test_each_measure_at_2_to_3_weeks_carries_its_change_from_baseline(cast, client_for, time_machine, baseline_taken):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 25, 10), tick=False)  # day 15
    alice = client_for(cast.alice)

    odi_response = _post(alice, "odi", "weeks_2_3", ODI_WEEKS_2_3)
    pain_response = _post(alice, "pain", "weeks_2_3", {"back_pain": 5, "leg_pain": 4})
    zcq_response = _post(alice, "zcq", "weeks_2_3", zcq(2, 3, satisfaction=2))
    tolerance = _post(alice, "tolerance", "weeks_2_3", {"standing_minutes": 20, "walking_minutes": 30})

    assert odi_response.status_code == 201, odi_response.json()
    weeks_2_3 = PatientMilestone.objects.get(procedure=baseline_taken, key="weeks_2_3")
    assert odi_response.json()["milestone"] == str(weeks_2_3.pk)
    assert odi_response.json()["scores"] == {"odi_percent": 24.0}
    assert odi_response.json()["change_from_baseline"] == {
        "odi_percent": {"baseline": 42.2, "current": 24.0, "change": -18.2, "improvement": 18.2, "responder": True}
    }
    # pain: back 1 point better (not enough), leg 3 points better (a responder)
    pain = pain_response.json()["change_from_baseline"]
    assert pain["back_pain"] == {"baseline": 6, "current": 5, "change": -1, "improvement": 1, "responder": False}
    assert pain["leg_pain"] == {"baseline": 7, "current": 4, "change": -3, "improvement": 3, "responder": True}
    # ZCQ severity (2 x 6 + balance 3) / 7 = 2.1, 0.9 better; function unchanged; satisfaction has no baseline
    changes = zcq_response.json()["change_from_baseline"]
    assert changes["zcq_symptom_severity"]["improvement"] == 0.9
    assert changes["zcq_symptom_severity"]["responder"] is True
    assert changes["zcq_physical_function"]["responder"] is False
    assert changes["zcq_satisfaction"] == {
        "baseline": None, "current": 2.0, "change": None, "improvement": None, "responder": None,
    }  # fmt: skip
    # tolerance: more minutes is better, and there is no responder threshold
    assert tolerance.json()["change_from_baseline"]["walking_minutes"] == {
        "baseline": 15, "current": 30, "change": 15, "improvement": 15, "responder": None,
    }  # fmt: skip


def test_completing_every_measure_of_a_milestone_completes_it(cast, client_for, time_machine, baseline_taken):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 25, 10), tick=False)
    alice = client_for(cast.alice)
    weeks_2_3 = PatientMilestone.objects.get(procedure=baseline_taken, key="weeks_2_3")

    _post(alice, "pain", "weeks_2_3", {"back_pain": 5, "leg_pain": 4})
    _post(alice, "odi", "weeks_2_3", ODI_WEEKS_2_3)
    _post(alice, "zcq", "weeks_2_3", zcq(2, 3, satisfaction=2))
    weeks_2_3.refresh_from_db()
    assert weeks_2_3.completed_at is None

    _post(alice, "tolerance", "weeks_2_3", {"standing_minutes": 20, "walking_minutes": 30})

    weeks_2_3.refresh_from_db()
    assert weeks_2_3.completed_at == local(NEW_YORK, 2027, 5, 25, 10)
    summary = alice.get("/api/v1/me/recovery").json()
    assert summary["next_milestone"]["key"] == "weeks_6_8"


def test_a_measure_the_milestone_does_not_include_is_refused(cast, client_for, time_machine):
    # given Riverside's protocol, where the 2-3 week check is pain and ODI only
    time_machine.move_to(local(NEW_YORK, 2027, 5, 1, 10), tick=False)
    frank = client_for(cast.frank)
    default = frank.get("/api/v1/protocols").json()[0]
    copied = frank.post(f"/api/v1/protocols/{default['id']}/copy").json()
    milestones = [{**m, "assessments": ["pain", "odi"]} if m["key"] == "weeks_2_3" else m for m in copied["milestones"]]
    revision = {"name": copied["name"], "phases": copied["phases"], "milestones": milestones}
    assert frank.post(f"/api/v1/protocols/{copied['id']}/revisions", revision, format="json").status_code == 201
    procedure = ProcedureFactory(
        patient=cast.alice_profile, procedure_date=DAY0, protocol=services.protocol_current(cast.riverside)
    )
    _done(cast, procedure)
    time_machine.move_to(local(NEW_YORK, 2027, 5, 25, 10), tick=False)
    alice = client_for(cast.alice)

    refused = _post(alice, "zcq", "weeks_2_3", zcq(2, 3, satisfaction=2))

    assert refused.status_code == 400
    assert "does not include" in refused.json()["errors"]["instrument"][0]
    assert not Assessment.objects.exists()
    # and the two it does include complete it
    _post(alice, "pain", "weeks_2_3", {"back_pain": 5, "leg_pain": 4})
    _post(alice, "odi", "weeks_2_3", ODI_WEEKS_2_3)
    assert PatientMilestone.objects.get(procedure=procedure, key="weeks_2_3").completed_at is not None


def test_a_milestone_that_has_not_opened_yet_is_refused(cast, client_for, time_machine, baseline_taken):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 23, 22), tick=False)  # day 13, the evening before it opens

    response = _post(client_for(cast.alice), "pain", "weeks_2_3", {"back_pain": 5, "leg_pain": 4})

    assert response.status_code == 400
    assert "upcoming" in response.json()["errors"]["timepoint"][0]
    assert Assessment.objects.filter(timepoint="weeks_2_3").count() == 0


def test_a_missed_milestone_is_refused(cast, client_for, time_machine, baseline_taken):
    time_machine.move_to(local(NEW_YORK, 2027, 6, 15, 10), tick=False)  # 15 days after the window closed

    response = _post(client_for(cast.alice), "pain", "weeks_2_3", {"back_pain": 5, "leg_pain": 4})

    assert response.status_code == 400
    assert "missed" in response.json()["errors"]["timepoint"][0]


@pytest.mark.parametrize("timepoint", ["month_3", "week_1", "next_tuesday"])
def test_a_timepoint_that_is_not_a_milestone_of_the_procedure_is_refused(
    cast, client_for, time_machine, baseline_taken, timepoint
):
    time_machine.move_to(local(NEW_YORK, 2027, 8, 8, 10), tick=False)  # day 90: month_3 would be open if enabled

    response = _post(client_for(cast.alice), "pain", timepoint, {"back_pain": 5, "leg_pain": 4})

    assert response.status_code == 400
    assert "timepoint" in response.json()["errors"]


def test_the_same_measure_twice_at_a_timepoint_is_a_conflict(cast, client_for, time_machine, baseline_taken):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 25, 10), tick=False)
    alice = client_for(cast.alice)
    first = _post(alice, "pain", "weeks_2_3", {"back_pain": 5, "leg_pain": 4})

    again = _post(alice, "pain", "weeks_2_3", {"back_pain": 3, "leg_pain": 3})

    assert again.status_code == 409
    assert again.json()["existing_id"] == first.json()["id"]
    assert Assessment.objects.get(timepoint="weeks_2_3").scores == {"back_pain": 5, "leg_pain": 4}


# --- Bad answers ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "answers", "field"),
    [
        ("odi", {**ODI_BASELINE, "pain_intensity": 6}, "answers.pain_intensity"),
        ("odi", {**ODI_BASELINE, "walking": -1}, "answers.walking"),
        ("odi", {**ODI_BASELINE, "lifting": 2.5}, "answers.lifting"),
        ("odi", {**ODI_BASELINE, "sitting": "2"}, "answers.sitting"),
        ("odi", {**ODI_BASELINE, "sleeping": True}, "answers.sleeping"),
        ("odi", {**ODI_BASELINE, "gardening": 2}, "answers.gardening"),
        ("pain", {"back_pain": 11, "leg_pain": 3}, "answers.back_pain"),
        ("pain", {"back_pain": 3}, "answers.leg_pain"),
        ("zcq", {**zcq(3, 3), "balance": 2}, "answers.balance"),
        ("tolerance", {"standing_minutes": 1441, "walking_minutes": 5}, "answers.standing_minutes"),
    ],
)
def test_bad_answers_are_refused_per_question_and_nothing_is_stored(
    cast, client_for, scheduled, instrument, answers, field
):
    response = _post(client_for(cast.alice), instrument, "baseline", answers)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field], response.json()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "sf36", "timepoint": "baseline", "answers": {"x": 1}}, "instrument"),
        ({"instrument": "pain", "timepoint": "baseline", "answers": {}}, "answers"),
        ({"instrument": "pain", "timepoint": "baseline", "answers": [6, 7]}, "answers"),
        ({"instrument": "pain", "timepoint": "", "answers": {"back_pain": 6, "leg_pain": 7}}, "timepoint"),
    ],
)
def test_a_malformed_assessment_is_refused(cast, client_for, scheduled, body, field):
    response = client_for(cast.alice).post(ASSESSMENTS, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Assessment.objects.exists()


# --- Who reads them ---------------------------------------------------------------------------------------------------


def test_clinicians_read_their_patients_assessments_and_it_is_logged(cast, client_for, baseline_taken):
    response = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}/assessments")

    assert response.status_code == 200
    assert sorted(a["instrument"] for a in response.json()) == ["odi", "pain", "tolerance", "zcq"]
    assert PHIAccess.objects.filter(actor=cast.carol, resource="recovery.assessments").count() == 1
    for who in (cast.dave, cast.erin, cast.bob):
        assert client_for(who).get(f"/api/v1/patients/{cast.alice.pk}/assessments").status_code == 404


def test_patients_see_only_their_own_assessments(cast, client_for, baseline_taken):
    assert client_for(cast.bob).get(ASSESSMENTS).json() == []
    assert len(client_for(cast.alice).get(ASSESSMENTS).json()) == 4


def test_clinicians_cannot_record_a_patients_assessment_as_the_patient(cast, client_for, scheduled):
    response = _post(client_for(cast.carol), "pain", "baseline", {"back_pain": 6, "leg_pain": 7})

    assert response.status_code == 403
    assert not Assessment.objects.exists()
