"""The cohort recovery curve: per week since the procedure, n, median and interquartile range of each patient's weekly
mean; the share of responders at 6-8 weeks, 6 months and 1 year; small cells suppressed in clinic-wide views."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from accounts.models import PHIAccess
from dashboards.cohort import percentile_cont
from tests.conftest import Cast
from tests.factories import AssessmentFactory, CheckInFactory, PatientFactory, UserFactory
from tests.recovery.support import NEW_YORK
from tests.support import local, procedure_done

NOW = local(NEW_YORK, 2027, 6, 1, 9)
COHORT = "/api/v1/clinician/cohort"
DAY0 = dt.date(2027, 3, 1)

# Per patient: week -> [(day after the procedure, back, leg, walking minutes)].
CHECKINS: dict[str, dict[int, list[tuple[int, int, int, int]]]] = {
    # Week 0 means: back 7, 5, 5, 9, 2; leg 7, 6, 6, 9, 3; walking 15, 30, 10, 5, 60.
    # Week 1 means (P4 missing): back 6, 4.5, 3, 1; leg 6, 5.5, 4, 2; walking 20, 35, 25, 90.
    "alice": {0: [(1, 8, 7, 10), (2, 6, 7, 20)], 1: [(8, 6, 6, 20)]},
    "p2": {0: [(1, 5, 6, 30)], 1: [(7, 4, 5, 30), (9, 5, 6, 40)]},
    "p3": {0: [(1, 4, 5, 10), (2, 4, 5, 10), (3, 7, 8, 10)], 1: [(10, 3, 4, 25)]},
    "p4": {0: [(3, 9, 9, 5)]},
    "p5": {0: [(6, 2, 3, 60)], 1: [(13, 1, 2, 90)]},
}


@pytest.fixture(autouse=True)
def _june_first():
    with time_machine.travel(NOW, tick=False):
        yield


def _carols_patient(cast: Cast, name: str) -> Any:
    user = UserFactory(email=f"{name}@patients.example", full_name=f"Patient {name}", role="patient",
                       clinic=cast.riverside)  # fmt: skip
    return PatientFactory(user=user, care_team=[cast.carol])


@pytest.fixture
def cohort(cast: Cast) -> dict[str, Any]:
    patients = {"alice": cast.alice.patient_profile} | {
        name: _carols_patient(cast, name) for name in ("p2", "p3", "p4", "p5")
    }
    procedures = {}
    for name, patient in patients.items():
        patient.enrolled_at = local(NEW_YORK, 2027, 1, 4, 10)
        patient.save()
        procedures[name] = procedure = procedure_done(patient, cast.carol, DAY0)
        for points in CHECKINS[name].values():
            for day, back, leg, walking in points:
                CheckInFactory(patient=patient, procedure=procedure, local_date=DAY0 + dt.timedelta(days=day),
                               back_pain=back, leg_pain=leg, walking_minutes=walking)  # fmt: skip
    # The day before the procedure is not week 0.
    CheckInFactory(patient=patients["alice"], procedure=None, local_date=DAY0 - dt.timedelta(days=1), back_pain=10)
    # Bob, Dave's patient at the same clinic: only in the clinic-wide view. Week 0 back pain 4.
    bob = cast.bob.patient_profile
    bob.enrolled_at = local(NEW_YORK, 2027, 1, 4, 10)
    bob.save()
    bob_procedure = procedure_done(bob, cast.dave, DAY0)
    CheckInFactory(patient=bob, procedure=bob_procedure, local_date=DAY0 + dt.timedelta(days=2), back_pain=4,
                   leg_pain=4, walking_minutes=12)  # fmt: skip
    # Outcomes at 6-8 weeks: (baseline ODI, ODI, baseline pain, pain or None).
    outcomes = {
        "alice": (50.0, 38.0, (7, 8), (6, 7)),  # ODI 12 better: responder; pain 1 and 1: not
        "p2": (40.0, 31.0, (8, 6), (5, 6)),  # ODI 9: not; back pain 3: responder
        "p3": (44.4, 34.4, (6, 6), (6, 4)),  # ODI exactly 10: responder; leg pain 2: responder
        "p4": (30.0, 30.0, (5, 5), None),  # ODI 0: not; no pain measure at 6-8 weeks
    }
    for name, (odi0, odi, pain0, pain) in outcomes.items():
        procedure = procedures[name]
        AssessmentFactory(procedure=procedure, instrument="odi", scores={"odi_percent": odi0})
        AssessmentFactory(procedure=procedure, instrument="odi", timepoint="weeks_6_8", scores={"odi_percent": odi})
        AssessmentFactory(procedure=procedure, scores={"back_pain": pain0[0], "leg_pain": pain0[1]})
        if pain is not None:
            AssessmentFactory(procedure=procedure, timepoint="weeks_6_8",
                              scores={"back_pain": pain[0], "leg_pain": pain[1]})  # fmt: skip
    return patients


def _cell(n: int | None, median: float | None, p25: float | None, p75: float | None, suppressed: bool = False):
    return {"n": n, "median": median, "p25": p25, "p75": p75, "suppressed": suppressed}


def test_percentile_cont_interpolates_between_ranks_like_postgresql():
    assert percentile_cont([1, 3, 4.5, 6], 0.25) == 2.5
    assert percentile_cont([1, 3, 4.5, 6], 0.5) == 3.75
    assert percentile_cont([1, 3, 4.5, 6], 0.75) == 4.875
    assert percentile_cont([7], 0.25) == 7
    assert percentile_cont([], 0.5) is None


def test_clinicians_curve_has_medians_and_quartiles_of_patients_weekly_means(cohort, cast, client_for):
    body = client_for(cast.carol).get(COHORT, {"weeks": 3}).json()

    assert (body["scope"], body["suppression_threshold"]) == ("care_team", None)
    week0, week1, week2 = body["weeks"]
    # Week 0, five patients. Back 2, 5, 5, 7, 9; leg 3, 6, 6, 7, 9; walking 5, 10, 15, 30, 60.
    assert week0["back_pain"] == _cell(5, 5.0, 5.0, 7.0)
    assert week0["leg_pain"] == _cell(5, 6.0, 6.0, 7.0)
    assert week0["walking_minutes"] == _cell(5, 15.0, 10.0, 30.0)
    # Week 1, four patients. Back 1, 3, 4.5, 6: p25 1 + 0.75 x 2 = 2.5, median 3.75, p75 4.5 + 0.25 x 1.5 = 4.875.
    assert week1["back_pain"] == _cell(4, 3.8, 2.5, 4.9)
    # Leg 2, 4, 5.5, 6: 3.5, 4.75, 5.625. Walking 20, 25, 35, 90: 23.75, 30, 48.75.
    assert week1["leg_pain"] == _cell(4, 4.8, 3.5, 5.6)
    assert week1["walking_minutes"] == _cell(4, 30.0, 23.8, 48.8)
    assert week2["back_pain"] == _cell(0, None, None, None)


def test_clinicians_responder_shares(cohort, cast, client_for):
    body = client_for(cast.carol).get(COHORT).json()

    six_weeks, six_months, one_year = body["responders"]
    assert six_weeks["timepoint"] == "weeks_6_8"
    assert six_weeks["odi"] == {"n": 4, "responders": 2, "share": 0.5, "suppressed": False}
    assert six_weeks["pain"] == {"n": 3, "responders": 2, "share": 0.667, "suppressed": False}
    assert (six_months["timepoint"], one_year["timepoint"]) == ("month_6", "year_1")
    assert six_months["odi"] == {"n": 0, "responders": 0, "share": None, "suppressed": False}


def test_clinic_admin_sees_the_whole_clinic_with_small_cells_suppressed(cohort, cast, client_for):
    body = client_for(cast.frank).get(COHORT, {"weeks": 2}).json()

    assert (body["scope"], body["suppression_threshold"]) == ("clinic", 5)
    week0, week1 = body["weeks"]
    # Week 0 now has Bob too: back 2, 4, 5, 5, 7, 9: p25 4 + 0.25 x 1 = 4.25, median 5, p75 5 + 0.75 x 2 = 6.5.
    assert week0["back_pain"] == _cell(6, 5.0, 4.3, 6.5)
    # Week 1 has four patients: fewer than 5, suppressed.
    assert week1["back_pain"] == _cell(None, None, None, None, suppressed=True)
    assert week1["walking_minutes"]["suppressed"] is True
    six_weeks = body["responders"][0]
    assert six_weeks["odi"] == {"n": None, "responders": None, "share": None, "suppressed": True}
    assert six_weeks["pain"]["suppressed"] is True


def test_another_clinicians_patients_are_not_in_the_curve(cohort, cast, client_for):
    # Dave's only patient is Bob: one patient in week 0, Carol's patients nowhere.
    body = client_for(cast.dave).get(COHORT, {"weeks": 2}).json()
    assert body["weeks"][0]["back_pain"] == _cell(1, 4.0, 4.0, 4.0)
    assert body["weeks"][1]["back_pain"]["n"] == 0
    assert body["responders"][0]["odi"]["n"] == 0
    # And Hillside sees none of Riverside.
    assert client_for(cast.grace).get(COHORT).json()["weeks"][0]["back_pain"]["n"] == 0


def test_a_clinicians_curve_is_logged_for_each_of_their_patients_and_the_suppressed_clinic_view_is_not(
    cohort, cast, client_for
):
    client_for(cast.carol).get(COHORT)
    logged = PHIAccess.objects.filter(actor=cast.carol)
    assert {row.patient_id for row in logged} == {p.pk for p in cohort.values()}
    assert logged.count() == 5
    assert {row.resource for row in logged} == {"dashboard.cohort"}

    client_for(cast.frank).get(COHORT)
    assert not PHIAccess.objects.filter(actor=cast.frank).exists()


def test_patients_and_strangers_are_refused(cast, client_for):
    assert client_for(cast.alice).get(COHORT).status_code == 403
    assert client_for(None).get(COHORT).status_code == 401


def test_bad_input_is_refused(cast, client_for):
    client = client_for(cast.carol)
    for params, field in (({"weeks": 0}, "weeks"), ({"weeks": 106}, "weeks"), ({"weeks": "all"}, "weeks"),
                          ({"clinic": "all"}, "clinic")):  # fmt: skip
        response = client.get(COHORT, params)
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]


def test_cohort_takes_a_fixed_number_of_queries(cohort, cast, client_for, django_assert_num_queries):
    client = client_for(cast.carol)
    # 1. the session (a database row: sessions never depend on Redis); 2. the signed-in user; 3. SAVEPOINT;
    # 4. SET LOCAL jit, work_mem (dashboards.sql.tuned_reads); 5. per-week n and quartiles
    # (percentile_cont over the patients' weekly means); 6. responders per timepoint; 7. adverse-event counts of the
    # episodes; 8. done episodes per patient (repeat procedures); 9. RELEASE SAVEPOINT; 10. the clinician's patients
    # (for the log); 11. INSERT of the PHI access rows
    with django_assert_num_queries(11):
        assert client.get(COHORT).status_code == 200
