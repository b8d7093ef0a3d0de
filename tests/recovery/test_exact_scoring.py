"""Rounding is for display only: responder status and the 6-8 week rule are judged on exact scores. The ODI instruction
follows version 2.1a, and the baseline is refused from the procedure day on."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from recovery import services
from recovery.instruments import ODI, compare_answers, compare_recorded, compare_to_baseline, exact_scores, score
from recovery.models import Alert, Assessment
from tests.factories import ProcedureFactory
from tests.recovery.support import ASSESSMENTS, NEW_YORK, odi
from tests.support import local, screened_candidate

DAY0 = dt.date(2027, 5, 10)
FUNCTION_3 = dict.fromkeys(
    ("walking_distance", "walking_for_pleasure", "shopping", "walking_at_home", "walking_to_bathroom"), 3
)
# ZCQ symptom severity 4+4+4+4+3+3+3 = 25 -> 25/7 = 3.571..., shown 3.6.
ZCQ_25_7 = {
    "pain_overall": 4, "pain_frequency": 4, "back_pain": 4, "leg_pain": 4, "numbness": 3, "weakness": 3, "balance": 3,
    **FUNCTION_3,
}  # fmt: skip
# 4+3+3+3+3+3+3 = 22 -> 22/7 = 3.142..., shown 3.1. The real improvement is 3/7 = 0.43: not the 0.5 MCID.
ZCQ_22_7 = {**ZCQ_25_7, "pain_frequency": 3, "back_pain": 3, "leg_pain": 3}


def test_the_issues_example_shows_3_6_to_3_1_but_is_not_a_responder():
    assert score("zcq", ZCQ_25_7)["zcq_symptom_severity"] == 3.6
    assert score("zcq", ZCQ_22_7)["zcq_symptom_severity"] == 3.1
    assert exact_scores("zcq", ZCQ_25_7)["zcq_symptom_severity"] == Fraction(25, 7)

    change = compare_answers("zcq", ZCQ_25_7, ZCQ_22_7)["zcq_symptom_severity"]

    assert change == {"baseline": 3.6, "current": 3.1, "change": -0.4, "improvement": 0.4, "responder": False}


def test_an_exact_half_point_between_different_numbers_of_answers_is_a_responder():
    # 6 items answered, sum 21 -> 3.5; 4 items answered (the half rule's minimum), sum 12 -> 3.0: exactly 0.5.
    baseline = {"pain_overall": 3, "pain_frequency": 4, "back_pain": 3, "leg_pain": 4, "numbness": 3, "weakness": 4}
    current = {"pain_overall": 3, "pain_frequency": 3, "back_pain": 3, "leg_pain": 3}
    assert exact_scores("zcq", baseline)["zcq_symptom_severity"] == Fraction(21, 6)
    assert exact_scores("zcq", current)["zcq_symptom_severity"] == 3
    assert compare_answers("zcq", baseline, current)["zcq_symptom_severity"]["responder"] is True


def test_exact_scores_round_to_the_stored_scores():
    for answers in (ZCQ_25_7, ZCQ_22_7):
        exact = exact_scores("zcq", answers)
        shown = score("zcq", answers)
        for name, value in exact.items():
            assert shown[name] == (None if value is None else float(_round1(Fraction(value))))


def _round1(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_rounded_odi_percentages_never_change_an_odi_responder_decision():
    """Why the clinic-wide responder shares may count ODI on the stored one-decimal scores: over every ODI score there
    can be (8, 9 or 10 sections answered), the rounded difference reaches 10 points exactly when the exact one does."""
    percents = {Fraction(total * 100, 5 * n) for n in (8, 9, 10) for total in range(5 * n + 1)}
    for before in percents:
        for after in percents:
            assert (before - after >= 10) == (_round1(before) - _round1(after) >= 10)


def test_stored_scores_stand_when_the_answers_do_not_give_them_back():
    # An assessment stored without its answers (or scored under rules since changed) compares on its stored scores.
    change = compare_recorded(
        "odi", ({}, {"odi_percent": 42.2}), (odi(2, 1, 2, 1, 1, 2, 1, 0, 1, 1), {"odi_percent": 24.0})
    )
    assert change["odi_percent"]["improvement"] == 18.2
    wrong = compare_recorded("zcq", (ZCQ_25_7, {"zcq_symptom_severity": 3.5}), (ZCQ_22_7, score("zcq", ZCQ_22_7)))
    assert wrong["zcq_symptom_severity"]["baseline"] == 3.5


def test_stored_one_decimal_scores_still_compare_exactly():
    # 2.3 -> 1.8 is exactly 0.5 (in floats 0.4999999999999998).
    result = compare_to_baseline("zcq", {"zcq_physical_function": 2.3}, {"zcq_physical_function": 1.8})
    assert result["zcq_physical_function"]["responder"] is True


def test_the_odi_instruction_follows_version_2_1a():
    assert "mark the one sentence that most closely describes your problem" in ODI.instructions
    assert ODI.version.startswith("2.1a")


# --- Through the API and the 6-8 week rule ---------------------------------------------------------------------------


def _post(client, instrument, timepoint, answers):
    return client.post(
        ASSESSMENTS, {"instrument": instrument, "timepoint": timepoint, "answers": answers}, format="json"
    )


@pytest.mark.django_db
def test_no_improvement_at_6_to_8_weeks_is_raised_on_exact_values(cast, client_for, time_machine):
    """ZCQ 3.6 -> 3.1 on the screen, 0.43 in truth: not a responder, so the 6-8 week alert is raised."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 3, 10), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)
    assert _post(client_for(cast.alice), "zcq", "baseline", ZCQ_25_7).status_code == 201
    screened_candidate(procedure, cast.carol)
    services.procedure_complete(procedure=procedure, by=cast.carol, now=local(NEW_YORK, 2027, 5, 10, 16))
    time_machine.move_to(local(NEW_YORK, 2027, 6, 22, 10), tick=False)  # day 43
    alice = client_for(cast.alice)
    zcq_after = {**ZCQ_22_7, **dict.fromkeys(("overall_result", "pain_relief", "walking_ability"), 2)}
    response = _post(alice, "zcq", "weeks_6_8", zcq_after)
    assert response.json()["change_from_baseline"]["zcq_symptom_severity"] == {
        "baseline": 3.6, "current": 3.1, "change": -0.4, "improvement": 0.4, "responder": False,
    }  # fmt: skip
    for instrument, answers in (
        ("pain", {"back_pain": 5, "leg_pain": 5}),
        ("odi", odi(2, 2, 2, 2, 2, 2, 2, None, 2, 2)),
        ("tolerance", {"standing_minutes": 10, "walking_minutes": 10}),
    ):
        assert _post(alice, instrument, "weeks_6_8", answers).status_code == 201

    (alert,) = Alert.objects.filter(patient=cast.alice_profile)
    assert alert.rule == "no_improvement_6_8_weeks"
    assert alert.details["improvement"] == {"zcq.zcq_symptom_severity": 0.4, "zcq.zcq_physical_function": 0}


@pytest.mark.django_db
def test_the_baseline_is_refused_on_the_procedure_day(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 7), tick=False)  # early on the procedure day
    ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)

    response = _post(client_for(cast.alice), "pain", "baseline", {"back_pain": 6, "leg_pain": 7})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["timepoint"]
    assert "before the day of the procedure" in errors["timepoint"][0]
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_the_baseline_is_accepted_the_evening_before(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 9, 23, 30), tick=False)
    ProcedureFactory(patient=cast.alice_profile, procedure_date=DAY0)

    response = _post(client_for(cast.alice), "pain", "baseline", {"back_pain": 6, "leg_pain": 7})

    assert response.status_code == 201
