"""Safety in the cohort view: adverse-event rates with their 95% Wilson interval beside the pivotal trial's 1.3%, the
rate of repeat procedures, and the cohort split by a caution or risk factor of the screening."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from dashboards.safety import wilson_interval
from recovery import safety
from tests.conftest import Cast
from tests.factories import CheckInFactory, PatientFactory, UserFactory
from tests.recovery.support import NEW_YORK
from tests.support import adverse_event_body, local, procedure_done, screened_candidate

COHORT = "/api/v1/clinician/cohort"
DAY0 = dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("events", "n", "low", "high"),
    [
        # Newcombe (1998), Stat. Med. 17:857-872, Table I, method 3 (Wilson score without continuity correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_the_wilson_interval_matches_newcombes_published_values(events, n, low, high):
    found = wilson_interval(events, n)

    assert found is not None
    assert round(found[0], 4) == pytest.approx(low, abs=1e-4)
    assert round(found[1], 4) == pytest.approx(high, abs=1e-4)


def test_no_episodes_have_no_interval():
    assert wilson_interval(0, 0) is None


def _patient(cast: Cast, name: str) -> Any:
    user = UserFactory(email=f"{name}@patients.example", full_name=f"Patient {name}", role="patient",
                       clinic=cast.riverside)  # fmt: skip
    patient = PatientFactory(user=user, care_team=[cast.carol])
    patient.enrolled_at = local(NEW_YORK, 2027, 1, 4, 10)
    patient.save()
    return patient


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    """Six of Dr Carol's patients with a done procedure on 1 March 2027; P1 had a second one on 1 May. P1 and P2 had
    previous spinal surgery (screening: yes). Events: P1 a related infection (grade II) after her first procedure, P2 an
    unrelated one, P3 a draft (does not count). Each has one check-in in the first week."""
    with time_machine.travel(local(NEW_YORK, 2027, 3, 1, 15), tick=False):
        patients = [cast.alice_profile] + [_patient(cast, f"p{i}") for i in range(2, 7)]
        procedures = []
        for i, patient in enumerate(patients):
            surgery = {"previous_spinal_surgery": "yes", "previous_spinal_surgery_note": "Old fusion."} if i < 2 else {}
            procedure = safety_procedure(patient, cast, DAY0, **surgery)
            procedures.append(procedure)
            CheckInFactory(patient=patient, procedure=procedure, local_date=DAY0 + dt.timedelta(days=2),
                           back_pain=5 - (i < 2), leg_pain=5, walking_minutes=20)  # fmt: skip
    with time_machine.travel(local(NEW_YORK, 2027, 5, 1, 15), tick=False):
        procedure_done(patients[0], cast.carol, dt.date(2027, 5, 1))
    with time_machine.travel(local(NEW_YORK, 2027, 5, 20, 10), tick=False):
        safety.adverse_event_record(procedure=procedures[0], by=cast.carol, data=adverse_event_body(DAY0))
        safety.adverse_event_record(
            procedure=procedures[1], by=cast.carol, data=adverse_event_body(DAY0, relatedness="not_related")
        )
        safety.AdverseEvent.objects.create(
            patient=patients[2], procedure=procedures[2], status="draft", created_at=local(NEW_YORK, 2027, 5, 20, 10),
            updated_at=local(NEW_YORK, 2027, 5, 20, 10),
        )  # fmt: skip
    return {"patients": patients, "procedures": procedures}


def safety_procedure(patient: Any, cast: Cast, day: dt.date, **screening: Any) -> Any:
    from recovery import services

    procedure = services.procedure_schedule(
        patient=patient, by=cast.carol, procedure_date=day, levels=["L4-L5"], side="bilateral", anaesthesia="local"
    )
    screened_candidate(procedure, cast.carol, **screening)
    return services.procedure_complete(
        procedure=procedure, by=cast.carol, now=dt.datetime.combine(day, dt.time(16), tzinfo=patient.zone)
    )


@pytest.fixture
def june(world):
    with time_machine.travel(local(NEW_YORK, 2027, 6, 1, 9), tick=False):
        yield world


def test_the_cohort_shows_adverse_event_rates_with_wilson_intervals_beside_the_trial(cast, client_for, june):
    body = client_for(cast.carol).get(COHORT, {"weeks": 2}).json()

    rates = body["safety"]
    assert rates["procedures"] == 7  # six first episodes and P1's repeat
    expected_low, expected_high = wilson_interval(2, 7)
    assert rates["any"] == {
        "events": 2,
        "rate": 0.2857,
        "ci95_low": round(expected_low, 4),
        "ci95_high": round(expected_high, 4),
    }
    assert rates["related"]["events"] == 1 and rates["related"]["rate"] == 0.1429
    assert rates["serious_related"]["events"] == 0
    assert rates["repeat_procedures"]["patients"] == 6
    assert rates["repeat_procedures"]["events"] == 1 and rates["repeat_procedures"]["rate"] == 0.1667
    assert rates["reference"]["related_rate"] == 0.013
    assert "Wilson" in rates["method"]
    assert body["groups"] == [] and body["split"] is None


def test_the_cohort_splits_by_previous_spinal_surgery(cast, client_for, june):
    body = client_for(cast.carol).get(COHORT, {"weeks": 2, "split": "previous_spinal_surgery"}).json()

    groups = {g["value"]: g for g in body["groups"]}
    assert list(groups) == ["yes", "no", "unknown"]
    assert groups["yes"]["safety"]["procedures"] == 2
    assert groups["yes"]["safety"]["any"]["events"] == 2
    # P1's repeat procedure was screened with no previous surgery (the default candidate screening)
    assert groups["no"]["safety"]["procedures"] == 5
    assert groups["unknown"]["safety"]["procedures"] == 0
    # week 0 back pain: 4 for the two with previous surgery, 5 for the four without
    assert groups["yes"]["weeks"][0]["back_pain"]["median"] == 4.0
    assert groups["yes"]["weeks"][0]["back_pain"]["n"] == 2
    assert groups["no"]["weeks"][0]["back_pain"]["median"] == 5.0
    assert groups["no"]["weeks"][0]["back_pain"]["n"] == 4


def test_an_unknown_split_is_refused(cast, client_for, june):
    response = client_for(cast.carol).get(COHORT, {"split": "age"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["split"]


def test_clinic_wide_the_safety_rates_of_few_episodes_are_suppressed(cast, client_for):
    with time_machine.travel(local(NEW_YORK, 2027, 3, 1, 15), tick=False):
        procedure_done(cast.alice_profile, cast.carol, DAY0)
    with time_machine.travel(local(NEW_YORK, 2027, 6, 1, 9), tick=False):
        rates = client_for(cast.frank).get(COHORT, {"weeks": 2}).json()["safety"]

    assert rates["suppressed"] is True
    assert rates["procedures"] is None and rates["any"]["rate"] is None
    assert rates["repeat_procedures"]["patients"] is None


def _set(patient: Any, **fields: Any) -> None:
    for field, value in fields.items():
        setattr(patient, field, value)
    patient.save(update_fields=list(fields))


def test_the_cohort_splits_by_age_on_the_day_of_each_procedure(cast, client_for, june):
    p1, p2, p3, p4, _p5, _p6 = june["patients"]
    _set(p1, date_of_birth=dt.date(1962, 3, 2))  # 64 on 1 March 2027, 65 on 1 May (her repeat)
    _set(p2, date_of_birth=dt.date(1962, 3, 1))  # 65 that very day
    _set(p3, date_of_birth=dt.date(1952, 3, 2))  # 74
    _set(p4, date_of_birth=dt.date(1952, 3, 1))  # 75 that very day; P5 and P6: 74 (born 17 May 1952)

    body = client_for(cast.carol).get(COHORT, {"weeks": 2, "split": "age_band"}).json()

    assert body["split"] == "age_band"
    groups = {g["value"]: g for g in body["groups"]}
    assert list(groups) == ["under_65", "65_74", "75_over"]
    assert groups["under_65"]["title"] == "Age on the day of the procedure: under 65"
    assert groups["under_65"]["safety"]["procedures"] == 1
    assert groups["65_74"]["safety"]["procedures"] == 5  # P1's repeat, P2, P3, P5, P6
    assert groups["75_over"]["safety"]["procedures"] == 1
    # P1's related infection after her first procedure counts under 65; P2's unrelated event at 65-74
    assert groups["under_65"]["safety"]["any"]["events"] == 1 and groups["under_65"]["safety"]["related"]["events"] == 1
    assert groups["65_74"]["safety"]["any"]["events"] == 1 and groups["65_74"]["safety"]["related"]["events"] == 0
    assert groups["75_over"]["safety"]["any"]["events"] == 0
    # week 0 back pain: P1 (4) alone under 65; P2 (4), P3, P5, P6 (5) at 65-74
    assert groups["under_65"]["weeks"][0]["back_pain"]["n"] == 1
    assert groups["under_65"]["weeks"][0]["back_pain"]["median"] == 4.0
    assert groups["65_74"]["weeks"][0]["back_pain"]["n"] == 4
    assert groups["65_74"]["weeks"][0]["back_pain"]["median"] == 5.0
    assert groups["75_over"]["weeks"][0]["back_pain"]["n"] == 1


@pytest.mark.parametrize(
    ("split", "factor"),
    [
        ("risk_diabetes", "has_diabetes"),
        ("risk_heart_disease", "has_heart_disease"),
        ("risk_previous_spinal_surgery", "had_previous_spinal_surgery"),
    ],
)
def test_the_cohort_splits_by_each_risk_factor_of_the_patient(cast, client_for, june, split, factor):
    p1, p2, p3, *_ = june["patients"]
    for patient in (p1, p2, p3):
        patient.refresh_from_db()
        _set(patient, **{"has_diabetes": False, "has_heart_disease": False, "had_previous_spinal_surgery": False})
    _set(p2, **{factor: True})
    _set(p3, **{factor: True})

    body = client_for(cast.carol).get(COHORT, {"weeks": 2, "split": split}).json()

    groups = {g["value"]: g for g in body["groups"]}
    assert list(groups) == ["yes", "no"]
    assert groups["yes"]["title"].startswith("Risk factor: ")
    assert groups["yes"]["safety"]["procedures"] == 2
    assert groups["yes"]["safety"]["any"]["events"] == 1  # P2's unrelated event
    assert groups["no"]["safety"]["procedures"] == 5  # P1 twice, P4, P5, P6
    assert groups["no"]["safety"]["any"]["events"] == 1
    assert groups["yes"]["weeks"][0]["back_pain"]["n"] == 2
    assert groups["no"]["weeks"][0]["back_pain"]["n"] == 4


@pytest.mark.parametrize("split", ["age", "age_band_65", "risk_factor", "has_diabetes", "Age_Band", "", "unknown"])
def test_a_split_that_is_not_offered_is_refused_naming_the_field(cast, client_for, june, split):
    response = client_for(cast.carol).get(COHORT, {"weeks": 2, "split": split})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["split"]


def test_clinic_wide_a_small_age_band_is_suppressed(cast, client_for, june):
    p1, _p2, _p3, p4, _p5, _p6 = june["patients"]
    _set(p1, date_of_birth=dt.date(1962, 3, 2))
    _set(p4, date_of_birth=dt.date(1952, 3, 1))

    body = client_for(cast.frank).get(COHORT, {"weeks": 2, "split": "age_band"}).json()

    groups = {g["value"]: g for g in body["groups"]}
    assert groups["under_65"]["safety"]["suppressed"] is True
    assert groups["under_65"]["safety"]["procedures"] is None
    assert groups["under_65"]["weeks"][0]["back_pain"]["suppressed"] is True
    assert groups["75_over"]["safety"]["procedures"] is None
    assert groups["65_74"]["safety"]["suppressed"] is False
    assert groups["65_74"]["safety"]["procedures"] == 5
