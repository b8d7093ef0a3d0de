"""The recovery protocol the product ships by default, as plain data.

Stdlib only (plus the MCIDs from recovery.instruments, itself stdlib only), so data migrations and seed commands can
load it without the app registry. Clinics get their own editable copy; this module is the starting point, never a
live source of truth for a clinic that has edited its protocol.

Days count from the procedure: day 0 is the procedure day, day 1 the day after. Every ``end_day``/``close_day`` is
inclusive. Source: /work/shared/CLINICAL.md ("The recovery protocol", "Risks and warning signs", "Measuring recovery").

Patient-facing text is written for readers aged 60-85: short sentences, everyday words. It describes the clinic's
default protocol; it is not advice to any one person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from recovery.instruments import PAIN_MCID

PROTOCOL_NAME: Final = "MILD standard recovery"
# The shipped default's version. Each version is frozen in the data migration that installs it (recovery/migrations:
# 0002 version 1, 0007 version 2): changing anything below means a new version and a new migration installing it.
# tests/recovery/test_protocol_versions.py fails when this module and the newest installed default differ.
PROTOCOL_VERSION: Final = 2
PROTOCOL_VERSION_NOTE: Final = (
    "Version 2, the product default: adds 'When to get help', the warning signs by tier in plain words, with the new "
    "warning signs (a wound bleeding through its dressing, a possible spinal fluid leak, new numbness, tingling or "
    "weakness in a leg however slowly it came on). Phases follow published MILD recovery guidance; the follow-up "
    "schedule (6 months, 1 year, 2 years, optional 3 months) follows the MiDAS ENCORE trial. Clinics can edit their "
    "copy."
)

# ---------------------------------------------------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------------------------------------------------

MilestoneKind = Literal["milestone", "follow_up"]
AssessmentKey = Literal["pain", "odi", "zcq", "tolerance"]
RedFlagTier = Literal["emergency", "urgent"]
AlertTier = Literal["emergency", "urgent", "watch"]

ASSESSMENT_KEYS: Final[frozenset[AssessmentKey]] = frozenset({"pain", "odi", "zcq", "tolerance"})
RED_FLAG_TIERS: Final[frozenset[RedFlagTier]] = frozenset({"emergency", "urgent"})
ALERT_TIERS: Final[frozenset[AlertTier]] = frozenset({"emergency", "urgent", "watch"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Phase:
    key: str
    title: str
    start_day: int
    end_day: int | None  # inclusive; None = open-ended
    summary: str
    instructions: tuple[str, ...]  # things to do
    avoid: tuple[str, ...]  # things not to do


@dataclass(frozen=True, slots=True, kw_only=True)
class Milestone:
    key: str
    title: str
    kind: MilestoneKind
    open_day: int
    target_day: int
    close_day: int  # inclusive; overdue from close_day + 1
    assessments: tuple[AssessmentKey, ...]
    optional: bool  # True = off unless the clinic turns it on
    patient_text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RedFlagQuestion:
    key: str
    tier: RedFlagTier
    question: str  # a yes/no question; "yes" raises the flag
    help_text: str | None = None
    # Every other language, frozen with the rule set's version: {"es": {"question": ..., "help_text": ...}}.
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class TierInstruction:
    tier: RedFlagTier
    title: str
    text: str  # may contain str.format placeholders, see TIER_INSTRUCTIONS
    # Every other language, with the same placeholders: {"es": {"title": ..., "text": ...}}.
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertRule:
    key: str
    title: str  # the patient sees it for an open emergency or urgent alert (/me/recovery's open_alerts)
    tier: AlertTier
    explanation: str  # clinician-facing
    # The title in every other language, frozen with the rule set's version: {"es": {"title": ...}}. Every rule a
    # patient can see (the emergency and urgent tiers) has them; watch rules are for the clinic only.
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Symptom:
    key: str
    label: str  # patient-facing
    # False: no longer offered in the check-in, still accepted (an older form on a phone, an outbox replay) and
    # labelled.
    asked: bool = True
    # Every other language: {"es": {"label": ...}}.
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------------
# Thresholds. The rule engine and the explanations below read the same numbers, so they cannot drift apart.
# ---------------------------------------------------------------------------------------------------------------------

PAIN_RISE_POINTS: Final = PAIN_MCID  # a rise the size of the NPRS MCID is a real change for the worse
PAIN_RISE_DAYS: Final = 3
HIGH_PAIN_SCORE: Final = 8
HIGH_PAIN_DAYS: Final = 2
NO_CHECKIN_DAYS: Final = 3
FEVER_CELSIUS: Final = 38.0
FEVER_FAHRENHEIT: Final = 100.4
WOUND_DRAINAGE_DAY: Final = 5  # any drainage from this day after the procedure is a red flag
# Pain during the same prescribed exercise of this score or more, in this many sessions in a row.
EXERCISE_PAIN_SCORE: Final = 7
EXERCISE_PAIN_SESSIONS: Final = 2

# Two years of follow-up (730 days) plus the year-2 window's 30-day tail: nothing is scheduled after this day.
TRACKING_HORIZON_DAYS: Final = 760

# ---------------------------------------------------------------------------------------------------------------------
# Phases
# ---------------------------------------------------------------------------------------------------------------------

PHASES: Final[tuple[Phase, ...]] = (
    Phase(
        key="procedure_day",
        title="Procedure day",
        start_day=0,
        end_day=0,
        summary="Today is for rest, so the small wound on your back can start to heal.",
        instructions=(
            "Have someone drive you home.",
            "Rest for the rest of the day.",
            "Short walks around the house, such as to the bathroom, are fine.",
            "Get up slowly. Sit on the edge of the bed for a moment before you stand.",
            "Take your pain medicine the way your clinic told you.",
            "Keep the dressing clean and dry.",
            "Watch for the warning signs your clinic gave you.",
        ),
        avoid=(
            "Do not lift anything heavy, like shopping bags or a laundry basket.",
            "Do not bend down deeply or twist your back.",
            "Do not do housework, exercise or sport today.",
            "Do not drive today.",
            "Do not take a bath, swim or use a hot tub.",
        ),
    ),
    Phase(
        key="first_days",
        title="The first days",
        start_day=1,
        end_day=6,
        summary="Start light activity again, a little more each day; most people are back to daily life within a week.",
        instructions=(
            "Take short, gentle walks a few times a day.",
            "Go back to light tasks, like making a drink or getting dressed, when you feel ready.",
            "Some soreness, bruising or swelling around the wound is common for a few days.",
            "For soreness, you can take the pain medicine your clinic suggested.",
            "Keep the wound clean and dry. Follow your clinic's advice about showers and dressings.",
            "Use your walking stick or frame if you normally do.",
            "Fill in your daily check-in, so your care team knows how you are.",
        ),
        avoid=(
            "Do not lift anything heavy.",
            "Do not bend down deeply or twist your back.",
            "Do not soak the wound: no baths, swimming or hot tubs yet.",
            "Do not drive while you take medicine that makes you sleepy.",
            "Do not sit or lie still for hours. Get up and move a little every hour.",
            "Do not push on if an activity causes sharp pain.",
        ),
    ),
    Phase(
        key="weeks_1_3",
        title="Weeks 1 to 3",
        start_day=7,
        end_day=20,
        summary="Build up slowly over the next two weeks, with longer walks and gentle stretches.",
        instructions=(
            "Walk a little longer as the days go by.",
            "Do your gentle stretches every day.",
            "Go back to your normal daily tasks and light housework.",
            "Change position often. Do not stay sitting or standing for too long.",
            "About 2 weeks after your procedure, we will ask you to fill in your first progress check.",
        ),
        avoid=(
            "Do not lift anything heavy yet.",
            "Do not bend down deeply or twist your back.",
            "Do not swim or take a bath until the wound has fully healed.",
            "Do not play sports like golf or tennis yet.",
            "Do not keep doing anything that makes your pain much worse.",
        ),
    ),
    Phase(
        key="weeks_3_8",
        title="Weeks 3 to 8",
        start_day=21,
        end_day=55,
        summary="Keep building up; most people notice a clear improvement in their symptoms by 6 to 8 weeks.",
        instructions=(
            "Keep walking every day, and slowly go a bit further.",
            "Start the strengthening exercises in your plan.",
            "Once the wound has fully healed, you can walk or exercise in a pool.",
            "Ask your clinic whether physical therapy would help you.",
            "About 6 weeks after your procedure, we will ask you to fill in your second progress check.",
        ),
        avoid=(
            "Do not lift heavy things until your clinic says it is OK.",
            "Do not do deep bending, running or jumping.",
            "Do not rush. If an exercise hurts more than usual, go back to an easier level.",
        ),
    ),
    Phase(
        key="long_term",
        title="Staying well",
        start_day=56,
        end_day=None,
        summary="Stay active to keep your progress; we will check in with you from time to time for 2 years.",
        instructions=(
            "Keep walking and doing your exercises on most days.",
            "Slowly go back to hobbies you enjoy, like gardening or golf, if your clinic agrees.",
            "When lifting, bend your knees and keep the load close to your body.",
            "Fill in your follow-up checks when we ask. They show how you are doing over time.",
            "If your old leg or back symptoms come back, tell your clinic. The procedure can sometimes be repeated.",
        ),
        avoid=(
            "Do not stop being active. Long rest can bring back stiffness and weakness.",
            "Do not ignore new leg pain, numbness or weakness. Tell your clinic.",
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------------
# Milestones and follow-ups
#
# The baseline assessment is taken before the procedure and is not a milestone. Windows:
# - weeks_2_3: days 14-21 and weeks_6_8: days 42-56, exactly as the protocol defines them. Targets are the first day:
#   MILD studies measured standing/walking tolerance at 2 and 6 weeks.
# - month_3 (clinic option): 76-104, target 90, +/- 2 weeks; contains week 12 (day 84), the third tolerance point.
# - month_6: 168-210, target 182; opens 2 weeks early and stays open 4 weeks after, because older patients travel,
#   fall ill or need a relative's help to fill in forms.
# - year_1: 335-395 and year_2: 700-760, +/- 30 days around the anniversary, the usual tolerance for trial visits.
# Windows never overlap, so at most one assessment is due on any day.
# ---------------------------------------------------------------------------------------------------------------------

_ALL_ASSESSMENTS: Final[tuple[AssessmentKey, ...]] = ("pain", "odi", "zcq", "tolerance")

# Taken before the procedure. The ZCQ satisfaction subscale is post-treatment only, so baseline ZCQ omits it.
BASELINE_ASSESSMENTS: Final[tuple[AssessmentKey, ...]] = _ALL_ASSESSMENTS

MILESTONES: Final[tuple[Milestone, ...]] = (
    Milestone(
        key="weeks_2_3",
        title="2 to 3 week progress check",
        kind="milestone",
        open_day=14,
        target_day=14,
        close_day=21,
        assessments=_ALL_ASSESSMENTS,
        optional=False,
        patient_text=(
            "It is about 2 weeks since your procedure. Please fill in your first progress check. "
            "It asks about your pain, your daily life, and how long you can stand and walk. "
            "It takes about 10 minutes. Your answers help your care team see how you are healing."
        ),
    ),
    Milestone(
        key="weeks_6_8",
        title="6 to 8 week progress check",
        kind="milestone",
        open_day=42,
        target_day=42,
        close_day=56,
        assessments=_ALL_ASSESSMENTS,
        optional=False,
        patient_text=(
            "It is about 6 weeks since your procedure. This is when most people notice a clear change. "
            "Please fill in your progress check. It takes about 10 minutes. "
            "Your care team will look at your answers."
        ),
    ),
    Milestone(
        key="month_3",
        title="3 month follow-up",
        kind="follow_up",
        open_day=76,
        target_day=90,
        close_day=104,
        assessments=_ALL_ASSESSMENTS,
        optional=True,
        patient_text=(
            "It is about 3 months since your procedure. Please fill in your follow-up check. "
            "It takes about 10 minutes. It helps your care team see how you are doing."
        ),
    ),
    Milestone(
        key="month_6",
        title="6 month follow-up",
        kind="follow_up",
        open_day=168,
        target_day=182,
        close_day=210,
        assessments=_ALL_ASSESSMENTS,
        optional=False,
        patient_text=(
            "It is about 6 months since your procedure. Please fill in your follow-up check. "
            "It takes about 10 minutes. It helps your care team see how you are doing."
        ),
    ),
    Milestone(
        key="year_1",
        title="1 year follow-up",
        kind="follow_up",
        open_day=335,
        target_day=365,
        close_day=395,
        assessments=_ALL_ASSESSMENTS,
        optional=False,
        patient_text=(
            "It is about a year since your procedure. Please fill in your follow-up check. "
            "It takes about 10 minutes. It shows how you are doing over the longer term."
        ),
    ),
    Milestone(
        key="year_2",
        title="2 year follow-up",
        kind="follow_up",
        open_day=700,
        target_day=730,
        close_day=760,
        assessments=_ALL_ASSESSMENTS,
        optional=False,
        patient_text=(
            "It is about 2 years since your procedure. This is your last follow-up check. "
            "It takes about 10 minutes. Thank you for helping your care team follow your recovery."
        ),
    ),
)

# The red-flag rule set (questions, instructions, alert rules) is versioned on its own: recovery.content.red_flags.


# ---------------------------------------------------------------------------------------------------------------------
# Daily check-in symptoms (rated by the patient). Distinct from the red flags: these are expected, often pre-existing
# symptoms that are tracked over time. Numbness and tingling are no longer offered as ticks: the warning-sign question
# on new numbness, tingling or weakness in a leg (red flag `leg_numbness_weakness`) asks about them every day, and a
# second, looser tick beside it made the check-in longer and the answers harder to read. Leg weakness stays: it is the
# input of the `leg_weakness_symptom` watch rule.
# ---------------------------------------------------------------------------------------------------------------------

SYMPTOMS: Final[tuple[Symptom, ...]] = (
    Symptom(
        key="numbness",
        label="Numbness in your legs or feet",
        asked=False,
        translations={"es": {"label": "Adormecimiento en las piernas o los pies"}},
    ),
    Symptom(
        key="tingling",
        label="Tingling or pins and needles in your legs or feet",
        asked=False,
        translations={"es": {"label": "Hormigueo en las piernas o los pies"}},
    ),
    Symptom(
        key="leg_weakness", label="Weakness in your legs", translations={"es": {"label": "Debilidad en las piernas"}}
    ),
    Symptom(
        key="site_soreness",
        label="Soreness, bruising or swelling around the small wound on your back",
        translations={"es": {"label": "Dolor, moretones o hinchazón alrededor de la pequeña herida de la espalda"}},
    ),
)
# What the daily check-in offers (/api/v1/recovery/forms); a check-in may send any key of SYMPTOMS.
ASKED_SYMPTOMS: Final[tuple[Symptom, ...]] = tuple(s for s in SYMPTOMS if s.asked)


# ---------------------------------------------------------------------------------------------------------------------
# When to get help: the warning signs by tier, in plain words, for a screen the patient can open at any time (also
# offline). Part of the protocol version; the call buttons (clinic, emergency number) come from the clinic.
# ---------------------------------------------------------------------------------------------------------------------

WHEN_TO_GET_HELP: Final[dict[str, object]] = {
    "title": "When to get help",
    "tiers": [
        {
            "tier": "emergency",
            "heading": "Call the emergency number now, or go to the emergency department, if:",
            "signs": [
                "You cannot control your bladder or bowels, or you cannot pass urine.",
                "You feel numb between your legs or around your bottom.",
                "One or both legs suddenly become weak, or get weaker quickly.",
                "You have chest pain, or you suddenly cannot catch your breath.",
            ],
            "note": "Do not drive yourself. Tell them you recently had a MILD procedure on your lower back.",
        },
        {
            "tier": "urgent",
            "heading": "Call your clinic today if:",
            "signs": [
                f"You have a temperature above {FEVER_CELSIUS:.1f} °C ({FEVER_FAHRENHEIT:.1f} °F), or chills.",
                "The wound is red, hot or swollen, or leaks cloudy or bad-smelling fluid.",
                f"The wound still leaks any fluid {WOUND_DRAINAGE_DAY} or more days after your procedure.",
                "The wound bleeds through the dressing.",
                "Clear, watery fluid comes from the wound.",
                "You have a headache that gets worse when you sit or stand, and better when you lie down.",
                "You have new numbness, tingling or weakness in a leg or foot, even if it came on slowly.",
                "Your calf hurts or is swollen, or one leg is more swollen than the other.",
                "Your pain medicine is not controlling your pain.",
                "You have had a fall.",
            ],
            "note": (
                "If you cannot reach your clinic within 24 hours, or you feel worse, go to the emergency department."
            ),
        },
    ],
}
