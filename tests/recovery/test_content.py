"""The default protocol and exercise content hold together: no gaps in time, no dangling keys, valid doses and times.

Plain data checks, no database: the content is loaded by data migrations and seed commands, so a mistake here would
ship to every clinic.
"""

from __future__ import annotations

import dataclasses
import json
import re
import string
from collections import Counter, defaultdict
from datetime import time
from itertools import pairwise
from typing import TYPE_CHECKING

import pytest

from recovery.content.exercises_default import (
    DEFAULT_PLAN,
    DOSE_STYLES,
    EXERCISE_KINDS,
    EXERCISES,
    Dose,
    Exercise,
    Prescription,
)
from recovery.content.protocol_default import (
    ALERT_TIERS,
    ASKED_SYMPTOMS,
    ASSESSMENT_KEYS,
    BASELINE_ASSESSMENTS,
    MILESTONES,
    PHASES,
    PROTOCOL_NAME,
    RED_FLAG_TIERS,
    SYMPTOMS,
    TRACKING_HORIZON_DAYS,
)
from recovery.content.red_flags import RED_FLAG_QUESTIONS, TIER_INSTRUCTIONS, WATCH_RULES

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

EXERCISES_BY_KEY: dict[str, Exercise] = {exercise.key: exercise for exercise in EXERCISES}
SLUG = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_WORDS_PER_SENTENCE = 20  # readers aged 60-85, reading age about 11


def _dose_style(dose: Dose) -> frozenset[str]:
    return frozenset(dose)


def _patient_texts() -> list[str]:
    texts: list[str] = []
    for phase in PHASES:
        texts += [phase.title, phase.summary, *phase.instructions, *phase.avoid]
    for milestone in MILESTONES:
        texts += [milestone.title, milestone.patient_text]
    for flag in RED_FLAG_QUESTIONS:
        texts += [flag.question] + ([flag.help_text] if flag.help_text else [])
    for instruction in TIER_INSTRUCTIONS.values():
        texts += [instruction.title, instruction.text]
    texts += [symptom.label for symptom in SYMPTOMS]
    for exercise in EXERCISES:
        texts += [exercise.name, *exercise.steps, *exercise.precautions]
    return texts


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


# --- Protocol ---------------------------------------------------------------------------------------------------------


def test_protocol_has_a_name() -> None:
    assert PROTOCOL_NAME == "MILD standard recovery"


def test_phases_run_from_procedure_day_without_gaps_or_overlaps() -> None:
    assert [phase.key for phase in PHASES] == ["procedure_day", "first_days", "weeks_1_3", "weeks_3_8", "long_term"]
    assert PHASES[0].start_day == 0
    for earlier, later in pairwise(PHASES):
        assert earlier.end_day is not None, f"{earlier.key} is open-ended but is not the last phase"
        assert earlier.start_day <= earlier.end_day
        assert later.start_day == earlier.end_day + 1, f"gap or overlap between {earlier.key} and {later.key}"
    assert PHASES[-1].end_day is None


def test_phases_match_the_protocol_days() -> None:
    days = {phase.key: (phase.start_day, phase.end_day) for phase in PHASES}
    assert days == {
        "procedure_day": (0, 0),
        "first_days": (1, 6),
        "weeks_1_3": (7, 20),
        "weeks_3_8": (21, 55),
        "long_term": (56, None),
    }


def test_every_phase_tells_the_patient_what_to_do_and_what_to_avoid() -> None:
    for phase in PHASES:
        assert SLUG.match(phase.key)
        assert phase.title
        assert phase.summary
        assert phase.instructions, phase.key
        assert phase.avoid, phase.key


def test_milestone_windows_are_ordered_and_inside_the_tracking_horizon() -> None:
    assert len({milestone.key for milestone in MILESTONES}) == len(MILESTONES)
    for milestone in MILESTONES:
        assert 0 < milestone.open_day <= milestone.target_day <= milestone.close_day <= TRACKING_HORIZON_DAYS
        assert milestone.target_day <= 2 * 365, f"{milestone.key} targets beyond two years"
    for earlier, later in pairwise(MILESTONES):
        assert earlier.close_day < later.open_day, f"{earlier.key} overlaps {later.key}"


def test_milestone_windows_match_the_protocol() -> None:
    windows = {milestone.key: (milestone.open_day, milestone.close_day) for milestone in MILESTONES}
    assert windows["weeks_2_3"] == (14, 21)
    assert windows["weeks_6_8"] == (42, 56)
    assert [milestone.key for milestone in MILESTONES] == [
        "weeks_2_3",
        "weeks_6_8",
        "month_3",
        "month_6",
        "year_1",
        "year_2",
    ]


def test_baseline_is_taken_before_the_procedure_not_as_a_milestone() -> None:
    assert "baseline" not in {milestone.key for milestone in MILESTONES}
    assert set(BASELINE_ASSESSMENTS) <= ASSESSMENT_KEYS


def test_only_the_3_month_follow_up_is_a_clinic_option() -> None:
    assert [milestone.key for milestone in MILESTONES if milestone.optional] == ["month_3"]


def test_milestones_use_known_kinds_and_instruments() -> None:
    for milestone in MILESTONES:
        assert milestone.kind in {"milestone", "follow_up"}
        assert milestone.assessments, milestone.key
        assert set(milestone.assessments) <= ASSESSMENT_KEYS
        assert len(set(milestone.assessments)) == len(milestone.assessments)
        assert milestone.patient_text
    kinds = {milestone.key: milestone.kind for milestone in MILESTONES}
    assert kinds["weeks_2_3"] == kinds["weeks_6_8"] == "milestone"


def test_red_flag_questions_cover_every_emergency_and_urgent_sign() -> None:
    tiers = {flag.key: flag.tier for flag in RED_FLAG_QUESTIONS}
    assert len(tiers) == len(RED_FLAG_QUESTIONS), "red flag keys are not unique"
    assert tiers == {
        "bladder_bowel_control": "emergency",
        "saddle_numbness": "emergency",
        "sudden_leg_weakness": "emergency",
        "chest_pain_breathless": "emergency",
        "fever_chills": "urgent",
        "wound_problem": "urgent",
        "wound_bleeding": "urgent",
        "spinal_fluid_leak": "urgent",
        "leg_numbness_weakness": "urgent",
        "calf_pain_swelling": "urgent",
        "pain_uncontrolled": "urgent",
        "fall": "urgent",
    }


def test_red_flag_questions_are_yes_no_questions_with_valid_tiers() -> None:
    for flag in RED_FLAG_QUESTIONS:
        assert SLUG.match(flag.key), flag.key
        assert flag.tier in RED_FLAG_TIERS
        assert flag.question.endswith("?"), flag.key
        assert flag.help_text is None or flag.help_text.strip()


def test_red_flag_questions_carry_the_clinical_thresholds() -> None:
    questions = {flag.key: flag.question for flag in RED_FLAG_QUESTIONS}
    assert "38.0" in questions["fever_chills"]
    assert "100.4" in questions["fever_chills"]
    assert "5 or more days" in questions["wound_problem"]


def test_tier_instructions_exist_for_every_red_flag_tier() -> None:
    assert set(TIER_INSTRUCTIONS) == RED_FLAG_TIERS
    for tier, instruction in TIER_INSTRUCTIONS.items():
        assert instruction.tier == tier
        assert instruction.title
        assert instruction.text


def test_urgent_instruction_names_the_clinic_and_its_phone_number() -> None:
    urgent = TIER_INSTRUCTIONS["urgent"].text
    assert _placeholders(urgent) == {"clinic_name", "clinic_phone", "emergency_number"}
    rendered = urgent.format(clinic_name="Riverside Spine Clinic", clinic_phone="555 0100", emergency_number="911")
    assert "Riverside Spine Clinic" in rendered
    assert "555 0100" in rendered
    assert "911" in rendered


def test_emergency_instruction_names_the_emergency_number_and_says_not_to_wait() -> None:
    emergency = TIER_INSTRUCTIONS["emergency"].text
    assert _placeholders(emergency) == {"emergency_number"}
    assert "emergency" in emergency.lower()
    assert "do not wait" in emergency.lower()


def test_every_red_flag_has_an_alert_rule_with_the_same_tier() -> None:
    rules = {rule.key: rule for rule in WATCH_RULES}
    assert len(rules) == len(WATCH_RULES), "alert rule keys are not unique"
    for flag in RED_FLAG_QUESTIONS:
        assert flag.key in rules, f"no alert rule for red flag {flag.key}"
        assert rules[flag.key].tier == flag.tier
    red_flag_keys = {flag.key for flag in RED_FLAG_QUESTIONS}
    assert {rule.key for rule in WATCH_RULES if rule.tier != "watch"} == red_flag_keys


def test_watch_tier_rules_are_the_protocols() -> None:
    watch = [rule.key for rule in WATCH_RULES if rule.tier == "watch"]
    assert watch == [
        "pain_above_baseline_3_days",
        "pain_8_plus_two_days",
        "no_checkin_3_days",
        "milestone_overdue",
        "no_improvement_6_8_weeks",
        "exercise_pain_7_plus_twice",
        "leg_weakness_symptom",
    ]


def test_alert_rules_are_explained_to_clinicians() -> None:
    for rule in WATCH_RULES:
        assert SLUG.match(rule.key), rule.key
        assert rule.tier in ALERT_TIERS
        assert rule.title
        assert rule.explanation


def test_symptoms_accepted_are_four_and_the_check_in_asks_two() -> None:
    assert [symptom.key for symptom in SYMPTOMS] == ["numbness", "tingling", "leg_weakness", "site_soreness"]
    assert all(symptom.label for symptom in SYMPTOMS)
    # Numbness and tingling are asked by the warning-sign question leg_numbness_weakness instead.
    assert [symptom.key for symptom in ASKED_SYMPTOMS] == ["leg_weakness", "site_soreness"]


# --- Exercises --------------------------------------------------------------------------------------------------------


def test_exercise_keys_are_unique_slugs() -> None:
    keys = [exercise.key for exercise in EXERCISES]
    assert len(set(keys)) == len(keys)
    assert all(SLUG.match(key) for key in keys)
    assert len(EXERCISES) >= 15


def test_each_kind_of_exercise_has_at_least_four_choices() -> None:
    counts = Counter(exercise.kind for exercise in EXERCISES)
    assert set(counts) == EXERCISE_KINDS
    assert all(count >= 4 for count in counts.values()), counts


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.key)
def test_exercise_is_complete(exercise: Exercise) -> None:
    assert exercise.name
    assert exercise.steps
    assert exercise.precautions
    assert exercise.media_url is None
    assert exercise.earliest_day >= 1, "the procedure day is for rest"


def test_strengthening_and_pool_exercises_wait_until_week_3() -> None:
    for exercise in EXERCISES:
        if exercise.kind == "strengthening":
            assert exercise.earliest_day >= 21, exercise.key
    assert EXERCISES_BY_KEY["water_walking"].earliest_day >= 21
    assert EXERCISES_BY_KEY["walking"].earliest_day == 1


def _assert_valid_dose(dose: Dose) -> None:
    assert frozenset(dose) in DOSE_STYLES, f"dose {dose} mixes or misses styles"
    values = list(dose.values())
    assert all(type(value) is int and value > 0 for value in values), f"dose {dose} has a non-positive number"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.key)
def test_exercise_dose_has_exactly_one_style_with_positive_numbers(exercise: Exercise) -> None:
    _assert_valid_dose(exercise.dose)


# --- Default plan -----------------------------------------------------------------------------------------------------


def _plan_id(prescription: Prescription) -> str:
    return f"{prescription.exercise_key}-{prescription.first_day}"


@pytest.mark.parametrize("prescription", DEFAULT_PLAN, ids=_plan_id)
def test_prescription_uses_a_known_exercise_no_earlier_than_allowed(prescription: Prescription) -> None:
    exercise = EXERCISES_BY_KEY.get(prescription.exercise_key)
    assert exercise is not None, f"unknown exercise {prescription.exercise_key}"
    assert exercise.earliest_day <= prescription.first_day
    assert prescription.last_day is None or prescription.first_day <= prescription.last_day


@pytest.mark.parametrize("prescription", DEFAULT_PLAN, ids=_plan_id)
def test_prescription_dose_is_valid_and_in_the_exercises_style(prescription: Prescription) -> None:
    _assert_valid_dose(prescription.dose)
    assert _dose_style(prescription.dose) == _dose_style(EXERCISES_BY_KEY[prescription.exercise_key].dose)


@pytest.mark.parametrize("prescription", DEFAULT_PLAN, ids=_plan_id)
def test_prescription_schedule_has_valid_days_and_times(prescription: Prescription) -> None:
    assert prescription.days_of_week, "no days"
    assert len(set(prescription.days_of_week)) == len(prescription.days_of_week)
    assert all(type(day) is int and 0 <= day <= 6 for day in prescription.days_of_week)
    assert prescription.times_per_day == len(prescription.times_of_day) >= 1
    for hh_mm in prescription.times_of_day:
        assert HH_MM.match(hh_mm), hh_mm
        time.fromisoformat(hh_mm)
    assert list(prescription.times_of_day) == sorted(set(prescription.times_of_day))


def test_no_exercise_is_prescribed_twice_on_the_same_day() -> None:
    by_exercise: dict[str, list[Prescription]] = defaultdict(list)
    for prescription in DEFAULT_PLAN:
        by_exercise[prescription.exercise_key].append(prescription)
    for key, prescriptions in by_exercise.items():
        prescriptions.sort(key=lambda prescription: prescription.first_day)
        for earlier, later in pairwise(prescriptions):
            assert earlier.last_day is not None, f"{key}: open-ended prescription followed by another"
            assert earlier.last_day < later.first_day, f"{key}: prescriptions overlap"


def test_walks_run_every_day_from_day_1_and_get_longer_phase_by_phase() -> None:
    walks = sorted(
        (prescription for prescription in DEFAULT_PLAN if prescription.exercise_key == "walking"),
        key=lambda prescription: prescription.first_day,
    )
    assert walks[0].first_day == 1
    assert walks[-1].last_day is None
    for earlier, later in pairwise(walks):
        assert earlier.last_day is not None
        assert later.first_day == earlier.last_day + 1, "a gap in the walking plan"
    minutes: list[int] = []
    for walk in walks:
        assert "minutes" in walk.dose, "walks are dosed in minutes"
        minutes.append(walk.dose["minutes"])
    assert minutes == sorted(set(minutes)), f"walks do not get longer: {minutes}"
    assert all(walk.days_of_week == (0, 1, 2, 3, 4, 5, 6) for walk in walks)
    first_days_walk = walks[0]
    assert first_days_walk.dose == {"minutes": 5}
    assert first_days_walk.times_per_day == 3


def test_plan_follows_the_phases() -> None:
    kinds = {key: exercise.kind for key, exercise in EXERCISES_BY_KEY.items()}
    assert all(prescription.first_day >= 1 for prescription in DEFAULT_PLAN), "the procedure day is for rest"
    assert any(kinds[p.exercise_key] == "stretching" and p.first_day <= 6 for p in DEFAULT_PLAN)
    strengthening = [p for p in DEFAULT_PLAN if kinds[p.exercise_key] == "strengthening"]
    assert strengthening
    assert all(p.first_day >= 21 for p in strengthening)


# --- Patient-facing wording -------------------------------------------------------------------------------------------


def test_patient_text_is_in_short_sentences() -> None:
    for text in _patient_texts():
        assert text, repr(text)
        assert text == text.strip(), repr(text)
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            words = sentence.split()
            assert len(words) <= MAX_WORDS_PER_SENTENCE, f"{len(words)} words: {sentence}"


# --- Loading --------------------------------------------------------------------------------------------------------


def test_all_content_converts_to_json_for_migrations_and_seeding() -> None:
    records: list[DataclassInstance] = [
        *PHASES,
        *MILESTONES,
        *RED_FLAG_QUESTIONS,
        *TIER_INSTRUCTIONS.values(),
        *WATCH_RULES,
        *SYMPTOMS,
        *EXERCISES,
        *DEFAULT_PLAN,
    ]
    for record in records:
        as_dict = dataclasses.asdict(record)
        assert json.loads(json.dumps(as_dict)) is not None
