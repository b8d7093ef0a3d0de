"""Patient-reported outcome instruments: answer checking, scoring rules and change from baseline.

Expected numbers are worked out by hand in the comments, from the rules in CLINICAL.md ("Measuring recovery").
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery.instruments import (
    INSTRUMENTS,
    ODI,
    ODI_MCID,
    PAIN,
    PAIN_MCID,
    TOLERANCE,
    ZCQ,
    ZCQ_MCID,
    OdiScore,
    PainScore,
    ToleranceScore,
    ZcqScore,
    compare_to_baseline,
    odi_band,
    score,
    score_odi,
    score_pain,
    score_tolerance,
    score_zcq,
    validate_answers,
)

ODI_KEYS = [item.key for item in ODI.items]
SEVERITY_KEYS = [item.key for item in ZCQ.subscale_items("symptom_severity")]
FUNCTION_KEYS = [item.key for item in ZCQ.subscale_items("physical_function")]
SATISFACTION_KEYS = [item.key for item in ZCQ.subscale_items("satisfaction")]


def odi_answers(*values: int | None) -> dict[str, int | None]:
    """ODI answers in section order; pass None for a skipped section."""
    assert len(values) == len(ODI_KEYS)
    return dict(zip(ODI_KEYS, values, strict=True))


# --- The instruments themselves -------------------------------------------------------------------------------


def test_registry_holds_the_four_instruments_by_key() -> None:
    assert INSTRUMENTS == {"odi": ODI, "zcq": ZCQ, "pain": PAIN, "tolerance": TOLERANCE}
    assert (ODI.version, ZCQ.version, PAIN.version, TOLERANCE.version) == ("2.1a-mild-2", "mild-1", "nprs-1", "mild-1")


def test_odi_has_ten_sections_each_with_six_answers_scored_0_to_5() -> None:
    assert ODI_KEYS == [
        "pain_intensity",
        "personal_care",
        "lifting",
        "walking",
        "sitting",
        "standing",
        "sleeping",
        "sex_life",
        "social_life",
        "travelling",
    ]
    for item in ODI.items:
        assert [option.value for option in item.options] == [0, 1, 2, 3, 4, 5]
        assert item.subscale is None


def test_zcq_has_the_published_subscale_sizes_and_ranges() -> None:
    assert len(SEVERITY_KEYS) == 7
    assert len(FUNCTION_KEYS) == 5
    assert len(SATISFACTION_KEYS) == 6
    for item in ZCQ.subscale_items("symptom_severity"):
        assert (min(item.values), max(item.values)) == (1, 5)
    for item in ZCQ.subscale_items("physical_function") + ZCQ.subscale_items("satisfaction"):
        assert sorted(item.values) == [1, 2, 3, 4]
    assert all(item.post_treatment_only for item in ZCQ.subscale_items("satisfaction"))


def test_every_question_and_answer_has_wording() -> None:
    for instrument in INSTRUMENTS.values():
        assert instrument.title
        assert instrument.instructions
        for item in instrument.items:
            assert item.text.strip()
            assert all(option.label.strip() for option in item.options)


# --- Validation ---------------------------------------------------------------------------------------------------


def test_complete_odi_answers_are_valid() -> None:
    assert validate_answers(ODI, odi_answers(0, 1, 2, 3, 4, 5, 0, 1, 2, 3), post_treatment=False) == {}


def test_skipped_odi_sections_are_allowed() -> None:
    # An ODI section left blank (None) or left out is "unanswered"; the scoring rule handles it.
    answers = odi_answers(1, 1, 1, 1, 1, 1, 1, None, 1, 1)
    del answers["travelling"]
    assert validate_answers(ODI, answers, post_treatment=False) == {}


def test_odi_answer_of_6_is_rejected() -> None:
    answers = odi_answers(1, 1, 1, 6, 1, 1, 1, 1, 1, 1)
    assert validate_answers(ODI, answers, post_treatment=False) == {"walking": ["Must be a whole number from 0 to 5."]}


@pytest.mark.parametrize("bad", [11, -1, 2.5, 2.0, True, False, "3", [3]])
def test_pain_rating_must_be_a_whole_number_from_0_to_10(bad: object) -> None:
    # bool is a subclass of int in Python, and 2.0 == 2: both must still be refused.
    errors = validate_answers(PAIN, {"back_pain": bad, "leg_pain": 4}, post_treatment=False)
    assert errors == {"back_pain": ["Must be a whole number from 0 to 10."]}


@pytest.mark.parametrize("good", [0, 10])
def test_pain_ratings_at_the_ends_of_the_scale_are_valid(good: int) -> None:
    assert validate_answers(PAIN, {"back_pain": good, "leg_pain": good}, post_treatment=False) == {}


def test_pain_ratings_cannot_be_left_blank() -> None:
    errors = validate_answers(PAIN, {"back_pain": None}, post_treatment=False)
    assert errors == {"back_pain": ["This question needs an answer."], "leg_pain": ["This question needs an answer."]}


def test_unknown_question_is_rejected() -> None:
    errors = validate_answers(PAIN, {"back_pain": 3, "leg_pain": 3, "neck_pain": 2}, post_treatment=False)
    assert errors == {"neck_pain": ["Not a question in the Pain rating."]}


def test_satisfaction_answered_before_treatment_is_rejected() -> None:
    errors = validate_answers(ZCQ, {"pain_overall": 3, "overall_result": 1}, post_treatment=False)
    assert errors == {"overall_result": ["This question is only asked after the procedure."]}


def test_satisfaction_left_blank_before_treatment_is_fine() -> None:
    assert validate_answers(ZCQ, {"pain_overall": 3, "overall_result": None}, post_treatment=False) == {}


def test_satisfaction_answered_after_treatment_is_valid() -> None:
    assert validate_answers(ZCQ, {"pain_overall": 3, "overall_result": 1}, post_treatment=True) == {}


def test_zcq_function_answer_of_5_is_rejected() -> None:
    errors = validate_answers(ZCQ, {"walking_distance": 5}, post_treatment=False)
    assert errors == {"walking_distance": ["Must be a whole number from 1 to 4."]}


def test_zcq_balance_accepts_only_its_three_published_values() -> None:
    # The balance item has three answers scored 1, 3 and 5; 2 is not an answer a patient could give.
    assert validate_answers(ZCQ, {"balance": 3}, post_treatment=False) == {}
    assert validate_answers(ZCQ, {"balance": 2}, post_treatment=False) == {"balance": ["Must be one of 1, 3 or 5."]}


def test_tolerance_minutes_run_from_0_to_a_whole_day() -> None:
    ok = {"standing_minutes": 0, "walking_minutes": 1440}
    assert validate_answers(TOLERANCE, ok, post_treatment=False) == {}
    errors = validate_answers(TOLERANCE, {"standing_minutes": 1441, "walking_minutes": -5}, post_treatment=False)
    assert errors == {
        "standing_minutes": ["Must be a whole number from 0 to 1440."],
        "walking_minutes": ["Must be a whole number from 0 to 1440."],
    }


def test_every_bad_answer_is_reported_at_once() -> None:
    errors = validate_answers(ODI, {"walking": 6, "sitting": 2.5, "mood": 1}, post_treatment=False)
    assert set(errors) == {"walking", "sitting", "mood"}


# --- ODI scoring ----------------------------------------------------------------------------------------------------


def test_odi_all_zero_is_0_percent_minimal() -> None:
    # 0 / (5 x 10) x 100 = 0
    assert score_odi(odi_answers(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) == OdiScore(percent=0.0, answered=10, band="minimal")


def test_odi_all_five_is_100_percent_bed_bound() -> None:
    # 50 / (5 x 10) x 100 = 100
    assert score_odi(odi_answers(5, 5, 5, 5, 5, 5, 5, 5, 5, 5)) == OdiScore(
        percent=100.0, answered=10, band="bed-bound"
    )


def test_odi_skipped_section_shrinks_the_denominator() -> None:
    # Sex life skipped: 9 sections summing 2+2+2+2+2+2+2+2+2 = 18 -> 18 / (5 x 9) x 100 = 18/45 x 100 = 40.0,
    # which is the top of "moderate" (21-40). Counting the skipped section as 0 would wrongly give 18/50 = 36.
    result = score_odi(odi_answers(2, 2, 2, 2, 2, 2, 2, None, 2, 2))
    assert result == OdiScore(percent=40.0, answered=9, band="moderate")


def test_odi_left_out_section_counts_as_skipped() -> None:
    answers = odi_answers(2, 2, 2, 2, 2, 2, 2, 2, 2, 2)
    del answers["sex_life"]
    assert score_odi(answers) == OdiScore(percent=40.0, answered=9, band="moderate")


def test_odi_with_only_7_sections_answered_has_no_score() -> None:
    # Fewer than 8 sections answered: the ODI rule says report no score.
    result = score_odi(odi_answers(3, 3, 3, 3, 3, 3, 3, None, None, None))
    assert result == OdiScore(percent=None, answered=7, band=None)


def test_odi_with_no_answers_has_no_score() -> None:
    assert score_odi({}) == OdiScore(percent=None, answered=0, band=None)


def test_odi_with_exactly_8_sections_answered_is_scored() -> None:
    # 2+2+2+2+3+3+3+3 = 20 -> 20 / (5 x 8) x 100 = 20/40 x 100 = 50.0 -> "severe" (41-60)
    result = score_odi(odi_answers(2, 2, 2, 2, 3, 3, 3, 3, None, None))
    assert result == OdiScore(percent=50.0, answered=8, band="severe")


def test_odi_percent_is_rounded_to_one_decimal() -> None:
    # 9 sections summing 19 -> 19/45 x 100 = 42.222... -> 42.2, "severe"
    result = score_odi(odi_answers(3, 2, 2, 2, 2, 2, 2, 2, 2, None))
    assert result == OdiScore(percent=42.2, answered=9, band="severe")


@pytest.mark.parametrize(
    ("values", "percent", "band"),
    [
        # 10 sections summing 10 -> 10/50 x 100 = 20.0: the top of "minimal" (0-20)
        ((1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 20.0, "minimal"),
        # 10 sections summing 11 -> 22.0: "moderate"
        ((2, 1, 1, 1, 1, 1, 1, 1, 1, 1), 22.0, "moderate"),
        # 9 sections summing 10 -> 10/45 x 100 = 22.2: the smallest 9-section score above 20
        ((2, 1, 1, 1, 1, 1, 1, 1, 1, None), 22.2, "moderate"),
        # 10 sections summing 30 -> 60.0: the top of "severe" (41-60)
        ((3, 3, 3, 3, 3, 3, 3, 3, 3, 3), 60.0, "severe"),
        # 8 sections summing 25 -> 25/40 x 100 = 62.5: "crippling" (61-80)
        ((4, 3, 3, 3, 3, 3, 3, 3, None, None), 62.5, "crippling"),
        # 10 sections summing 40 -> 80.0: the top of "crippling"
        ((4, 4, 4, 4, 4, 4, 4, 4, 4, 4), 80.0, "crippling"),
        # 10 sections summing 41 -> 82.0: "bed-bound" (81-100)
        ((5, 4, 4, 4, 4, 4, 4, 4, 4, 4), 82.0, "bed-bound"),
    ],
)
def test_odi_scores_at_band_edges(values: tuple[int | None, ...], percent: float, band: str) -> None:
    result = score_odi(odi_answers(*values))
    assert (result.percent, result.band) == (percent, band)


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0, "minimal"),
        (20, "minimal"),
        # Between the published whole-number bands, a value belongs to the higher band (upper figure is inclusive).
        (20.5, "moderate"),
        (21, "moderate"),
        (40, "moderate"),
        (40.5, "severe"),
        (60, "severe"),
        (60.5, "crippling"),
        (80, "crippling"),
        (80.5, "bed-bound"),
        (100, "bed-bound"),
    ],
)
def test_odi_band_boundaries(percent: float, band: str) -> None:
    assert odi_band(percent) == band


@pytest.mark.parametrize("percent", [-0.1, 100.1])
def test_odi_band_outside_0_to_100_is_an_error(percent: float) -> None:
    with pytest.raises(ValueError, match="0 to 100"):
        odi_band(percent)


def test_scoring_refuses_invalid_answers() -> None:
    with pytest.raises(ValueError, match="walking"):
        score_odi(odi_answers(1, 1, 1, 6, 1, 1, 1, 1, 1, 1))


odi_sections = st.fixed_dictionaries(
    {}, optional={key: st.none() | st.integers(min_value=0, max_value=5) for key in ODI_KEYS}
)


@settings(database=None, max_examples=300)
@given(answers=odi_sections)
def test_odi_percent_is_within_0_to_100_when_8_or_more_sections_are_answered(answers: dict[str, int | None]) -> None:
    answered = sum(value is not None for value in answers.values())
    result = score_odi(answers)
    assert result.answered == answered
    if answered >= 8:
        assert result.percent is not None
        assert 0 <= result.percent <= 100
        # The band read from the exact percentage is the band of the rounded percentage shown to the clinician.
        assert result.band == odi_band(result.percent)
    else:
        assert result.percent is None
        assert result.band is None


# --- ZCQ scoring ----------------------------------------------------------------------------------------------------

ZCQ_BEFORE = {
    # symptom severity: 4 + 4 + 3 + 5 + 3 + 2 + 3 = 24 -> 24 / 7 = 3.428... -> 3.4
    "pain_overall": 4,
    "pain_frequency": 4,
    "back_pain": 3,
    "leg_pain": 5,
    "numbness": 3,
    "weakness": 2,
    "balance": 3,
    # physical function: 2 + 3 + 2 + 1 + 1 = 9 -> 9 / 5 = 1.8
    "walking_distance": 2,
    "walking_for_pleasure": 3,
    "shopping": 2,
    "walking_at_home": 1,
    "walking_to_bathroom": 1,
}


def test_zcq_subscales_are_the_means_of_their_items() -> None:
    assert score_zcq(ZCQ_BEFORE) == ZcqScore(symptom_severity=3.4, physical_function=1.8, satisfaction=None)


def test_zcq_satisfaction_is_the_mean_of_its_items_after_treatment() -> None:
    # satisfaction: 1 + 2 + 1 + 2 + 2 + 1 = 9 -> 9 / 6 = 1.5
    after = {**ZCQ_BEFORE, **dict(zip(SATISFACTION_KEYS, [1, 2, 1, 2, 2, 1], strict=True))}
    assert score_zcq(after).satisfaction == 1.5


def test_zcq_subscale_with_half_its_items_answered_is_the_mean_of_those_answered() -> None:
    # Severity 4 of 7 answered (4 >= 3.5): 3 + 4 + 2 + 3 = 12 -> 12 / 4 = 3.0
    # Function 3 of 5 answered (3 >= 2.5): 2 + 3 + 4 = 9 -> 9 / 3 = 3.0
    # Satisfaction 3 of 6 answered (3 >= 3): 1 + 1 + 2 = 4 -> 4 / 3 = 1.33... -> 1.3
    answers = {
        **dict(zip(SEVERITY_KEYS[:4], [3, 4, 2, 3], strict=True)),
        **dict(zip(FUNCTION_KEYS[:3], [2, 3, 4], strict=True)),
        **dict(zip(SATISFACTION_KEYS[:3], [1, 1, 2], strict=True)),
    }
    assert score_zcq(answers) == ZcqScore(symptom_severity=3.0, physical_function=3.0, satisfaction=1.3)


def test_zcq_subscale_with_fewer_than_half_its_items_answered_has_no_score() -> None:
    # Severity 3 of 7, function 2 of 5, satisfaction 2 of 6: each below half, so no score.
    answers: dict[str, int | None] = {
        **dict(zip(SEVERITY_KEYS[:3], [3, 4, 2], strict=True)),
        **dict(zip(FUNCTION_KEYS[:2], [2, 3], strict=True)),
        **dict(zip(SATISFACTION_KEYS[:2], [1, 1], strict=True)),
        SEVERITY_KEYS[3]: None,  # explicitly blank counts the same as left out
    }
    assert score_zcq(answers) == ZcqScore(symptom_severity=None, physical_function=None, satisfaction=None)


def test_zcq_means_round_half_up() -> None:
    # Severity 4 items: 4 + 3 + 3 + 3 = 13 -> 13 / 4 = 3.25 -> 3.3 (Python's round(3.25, 1) would give 3.2)
    answers = dict(zip(SEVERITY_KEYS[:4], [4, 3, 3, 3], strict=True))
    assert score_zcq(answers).symptom_severity == 3.3


# --- Pain and tolerance, and the uniform score dict --------------------------------------------------------------


def test_pain_and_tolerance_scores_are_the_answers_given() -> None:
    assert score_pain({"back_pain": 6, "leg_pain": 4}) == PainScore(back_pain=6, leg_pain=4)
    assert score_tolerance({"standing_minutes": 5, "walking_minutes": 12}) == ToleranceScore(
        standing_minutes=5, walking_minutes=12
    )


def test_score_gives_a_flat_dict_of_named_scores_for_each_instrument() -> None:
    assert score("odi", odi_answers(2, 2, 2, 2, 2, 2, 2, None, 2, 2)) == {"odi_percent": 40.0}
    assert score("odi", {}) == {"odi_percent": None}
    assert score("zcq", ZCQ_BEFORE) == {
        "zcq_symptom_severity": 3.4,
        "zcq_physical_function": 1.8,
        "zcq_satisfaction": None,
    }
    assert score("pain", {"back_pain": 6, "leg_pain": 4}) == {"back_pain": 6, "leg_pain": 4}
    assert score("tolerance", {"standing_minutes": 5, "walking_minutes": 12}) == {
        "standing_minutes": 5,
        "walking_minutes": 12,
    }


def test_score_of_an_unknown_instrument_is_an_error() -> None:
    with pytest.raises(ValueError, match="Unknown instrument 'sf36'"):
        score("sf36", {})


# --- Change from baseline -----------------------------------------------------------------------------------------


def test_mcids_match_the_clinical_brief() -> None:
    assert (ODI_MCID, PAIN_MCID, ZCQ_MCID) == (10, 2, 0.5)


def test_odi_improving_12_points_is_a_responder() -> None:
    # 50 -> 38: change -12, lower is better so improvement +12 >= 10
    assert compare_to_baseline("odi", {"odi_percent": 50.0}, {"odi_percent": 38.0}) == {
        "odi_percent": {"baseline": 50.0, "current": 38.0, "change": -12, "improvement": 12, "responder": True}
    }


def test_odi_improving_exactly_10_points_is_a_responder() -> None:
    assert compare_to_baseline("odi", {"odi_percent": 42.2}, {"odi_percent": 32.2})["odi_percent"]["responder"]


def test_odi_improving_9_points_is_not_a_responder() -> None:
    # 50 -> 41: improvement 9 < 10
    change = compare_to_baseline("odi", {"odi_percent": 50.0}, {"odi_percent": 41.0})["odi_percent"]
    assert (change["improvement"], change["responder"]) == (9, False)


def test_odi_getting_worse_is_a_negative_improvement() -> None:
    change = compare_to_baseline("odi", {"odi_percent": 40.0}, {"odi_percent": 42.2})["odi_percent"]
    assert (change["change"], change["improvement"], change["responder"]) == (2.2, -2.2, False)


def test_pain_improving_2_points_is_a_responder_for_each_pain_score_separately() -> None:
    # back 7 -> 5: improvement 2 >= 2, responder; leg 7 -> 6: improvement 1 < 2, not
    result = compare_to_baseline("pain", {"back_pain": 7, "leg_pain": 7}, {"back_pain": 5, "leg_pain": 6})
    assert result == {
        "back_pain": {"baseline": 7, "current": 5, "change": -2, "improvement": 2, "responder": True},
        "leg_pain": {"baseline": 7, "current": 6, "change": -1, "improvement": 1, "responder": False},
    }


def test_zcq_improving_exactly_half_a_point_is_a_responder() -> None:
    # severity 3.5 -> 3.0: improvement exactly 0.5 >= 0.5
    # function 2.3 -> 1.8: in floats 2.3 - 1.8 = 0.4999999999999998, but the stored scores mean exactly 0.5
    baseline = {"zcq_symptom_severity": 3.5, "zcq_physical_function": 2.3, "zcq_satisfaction": None}
    current = {"zcq_symptom_severity": 3.0, "zcq_physical_function": 1.8, "zcq_satisfaction": 1.5}
    result = compare_to_baseline("zcq", baseline, current)
    assert result["zcq_symptom_severity"] == {
        "baseline": 3.5,
        "current": 3.0,
        "change": -0.5,
        "improvement": 0.5,
        "responder": True,
    }
    assert result["zcq_physical_function"]["improvement"] == 0.5
    assert result["zcq_physical_function"]["responder"] is True


def test_zcq_improving_less_than_half_a_point_is_not_a_responder() -> None:
    result = compare_to_baseline("zcq", {"zcq_symptom_severity": 3.4}, {"zcq_symptom_severity": 3.0})
    assert result["zcq_symptom_severity"]["improvement"] == 0.4
    assert result["zcq_symptom_severity"]["responder"] is False


def test_zcq_satisfaction_has_no_baseline_and_no_responder() -> None:
    result = compare_to_baseline("zcq", {"zcq_satisfaction": None}, {"zcq_satisfaction": 1.5})
    assert result["zcq_satisfaction"] == {
        "baseline": None,
        "current": 1.5,
        "change": None,
        "improvement": None,
        "responder": None,
    }


def test_more_standing_and_walking_minutes_is_an_improvement_without_a_responder_flag() -> None:
    # standing 5 -> 20: +15 better; walking 10 -> 8: -2 worse. No MCID for tolerance, so no responder.
    result = compare_to_baseline(
        "tolerance", {"standing_minutes": 5, "walking_minutes": 10}, {"standing_minutes": 20, "walking_minutes": 8}
    )
    assert result == {
        "standing_minutes": {"baseline": 5, "current": 20, "change": 15, "improvement": 15, "responder": None},
        "walking_minutes": {"baseline": 10, "current": 8, "change": -2, "improvement": -2, "responder": None},
    }


def test_no_change_is_reported_when_either_side_has_no_score() -> None:
    missing_baseline = compare_to_baseline("odi", {"odi_percent": None}, {"odi_percent": 30.0})
    missing_current = compare_to_baseline("odi", {"odi_percent": 50.0}, {})
    assert missing_baseline["odi_percent"] == {
        "baseline": None,
        "current": 30.0,
        "change": None,
        "improvement": None,
        "responder": None,
    }
    assert missing_current["odi_percent"] == {
        "baseline": 50.0,
        "current": None,
        "change": None,
        "improvement": None,
        "responder": None,
    }


def test_compare_works_on_stored_scores_end_to_end() -> None:
    # Baseline ZCQ severity 24/7 = 3.4 (above); after treatment 3+3+2+4+2+2+3 = 19 -> 19/7 = 2.71... -> 2.7.
    # 3.4 -> 2.7: improvement 0.7 >= 0.5, responder.
    after = {**ZCQ_BEFORE, "pain_overall": 3, "pain_frequency": 3, "back_pain": 2, "leg_pain": 4, "numbness": 2}
    result = compare_to_baseline("zcq", score("zcq", ZCQ_BEFORE), score("zcq", after))
    assert result["zcq_symptom_severity"]["improvement"] == 0.7
    assert result["zcq_symptom_severity"]["responder"] is True
    assert result["zcq_physical_function"]["change"] == 0
    assert result["zcq_physical_function"]["responder"] is False


def test_compare_refuses_answers_in_place_of_scores() -> None:
    with pytest.raises(ValueError, match="pain_intensity"):
        compare_to_baseline("odi", {"pain_intensity": 3}, {"pain_intensity": 1})


def test_compare_of_an_unknown_instrument_is_an_error() -> None:
    with pytest.raises(ValueError, match="Unknown instrument"):
        compare_to_baseline("sf36", {}, {})
