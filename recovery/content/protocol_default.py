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
from dataclasses import dataclass
from typing import Final, Literal

from recovery.instruments import ODI_MCID, PAIN_MCID

PROTOCOL_NAME: Final = "MILD standard recovery"
PROTOCOL_VERSION_NOTE: Final = (
    "Version 1, the product default. Phases follow published MILD recovery guidance; the follow-up schedule "
    "(6 months, 1 year, 2 years, optional 3 months) follows the MiDAS ENCORE trial. Clinics can edit their copy."
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


@dataclass(frozen=True, slots=True, kw_only=True)
class TierInstruction:
    tier: RedFlagTier
    title: str
    text: str  # may contain str.format placeholders, see TIER_INSTRUCTIONS


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertRule:
    key: str
    title: str
    tier: AlertTier
    explanation: str  # clinician-facing


@dataclass(frozen=True, slots=True, kw_only=True)
class Symptom:
    key: str
    label: str  # patient-facing


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

# ---------------------------------------------------------------------------------------------------------------------
# Red flags: one yes/no question per warning sign in the emergency and urgent tiers. Asked at every daily check-in.
# ---------------------------------------------------------------------------------------------------------------------

RED_FLAG_QUESTIONS: Final[tuple[RedFlagQuestion, ...]] = (
    # Emergency: go to the emergency department now.
    RedFlagQuestion(
        key="bladder_bowel_control",
        tier="emergency",
        question=(
            "Since your last check-in, have you lost control of your bladder or bowels, or been unable to pass urine?"
        ),
        help_text="This means wetting or soiling yourself without warning, or needing to pass urine but nothing comes.",
    ),
    RedFlagQuestion(
        key="saddle_numbness",
        tier="emergency",
        question="Have you had new numbness between your legs or around your bottom?",
        help_text="This is the area that would touch a bicycle seat. It may feel numb, dead or strange to touch.",
    ),
    RedFlagQuestion(
        key="sudden_leg_weakness",
        tier="emergency",
        question="Has one or both of your legs suddenly become weak, or is leg weakness getting worse quickly?",
        help_text="For example, your foot drags or slaps down, or your leg gives way when you stand.",
    ),
    RedFlagQuestion(
        key="chest_pain_breathless",
        tier="emergency",
        question="Have you had chest pain, or suddenly become short of breath?",
        help_text="Short of breath means you cannot catch your breath, even when you rest.",
    ),
    # Urgent: call the clinic within 24 hours.
    RedFlagQuestion(
        key="fever_chills",
        tier="urgent",
        question=(
            f"Have you had a temperature above {FEVER_CELSIUS:.1f} °C ({FEVER_FAHRENHEIT:.1f} °F), or chills "
            "(shivering and feeling very cold)?"
        ),
        help_text="If you have a thermometer, check your temperature when you feel hot or shivery.",
    ),
    RedFlagQuestion(
        key="wound_problem",
        tier="urgent",
        question=(
            "Is the small wound on your back red, hot or swollen, or leaking cloudy or bad-smelling fluid? "
            f"Or is it still leaking any fluid {WOUND_DRAINAGE_DAY} or more days after your procedure?"
        ),
        help_text=(
            "Mild soreness and bruising in the first few days is common. "
            "We mean redness, heat or swelling that is getting worse."
        ),
    ),
    RedFlagQuestion(
        key="new_numbness_tingling",
        tier="urgent",
        question="Have you had new numbness or tingling in your legs or feet?",
        help_text="New means you did not have it before, or it has spread to a new place.",
    ),
    RedFlagQuestion(
        key="calf_pain_swelling",
        tier="urgent",
        question="Do you have pain or swelling in the calf, or is one leg more swollen than the other?",
        help_text="The calf is the back of your lower leg. This can be a sign of a blood clot, so it needs checking.",
    ),
    RedFlagQuestion(
        key="pain_uncontrolled",
        tier="urgent",
        question="Is your pain so bad that the medicine your clinic gave you is not helping?",
        help_text=None,
    ),
    RedFlagQuestion(
        key="fall",
        tier="urgent",
        question="Have you had a fall since your last check-in?",
        help_text="Please tell us even if you do not think you were hurt.",
    ),
)

# What the patient sees after answering "yes". The emergency text has no placeholders. The urgent text is a
# str.format template with exactly two placeholders: {clinic_name} and {clinic_phone}.
TIER_INSTRUCTIONS: Final[Mapping[RedFlagTier, TierInstruction]] = {
    "emergency": TierInstruction(
        tier="emergency",
        title="Get emergency help now",
        text=(
            "Call your local emergency number now, or have someone take you to the nearest emergency department. "
            "Do not drive yourself. Do not wait for the clinic to call you. "
            "Tell them you recently had a MILD procedure on your lower back."
        ),
    ),
    "urgent": TierInstruction(
        tier="urgent",
        title="Call your clinic today",
        text=(
            "Please call {clinic_name} today on {clinic_phone}. Tell them what you told us here. "
            "If you cannot reach them within 24 hours, or you feel worse, go to the emergency department. "
            "You can also call your local emergency number."
        ),
    ),
}

# ---------------------------------------------------------------------------------------------------------------------
# Alert rules, clinician-facing. The "watch" tier is reviewed at the next opportunity; every red-flag question has a
# rule with the same key and tier, raised when the patient answers "yes".
# ---------------------------------------------------------------------------------------------------------------------

WATCH_RULES: Final[tuple[AlertRule, ...]] = (
    AlertRule(
        key="pain_above_baseline_3_days",
        title="Pain above baseline",
        tier="watch",
        explanation=(
            f"Back or leg pain (NPRS) was {PAIN_RISE_POINTS}+ points above the patient's pre-procedure baseline for "
            f"that site on {PAIN_RISE_DAYS} consecutive days. {PAIN_RISE_POINTS} points is the NPRS MCID."
        ),
    ),
    AlertRule(
        key="pain_8_plus_two_days",
        title="Severe pain two days running",
        tier="watch",
        explanation=(
            f"Back or leg pain (NPRS) was {HIGH_PAIN_SCORE} or more on {HIGH_PAIN_DAYS} consecutive days. "
            "Check analgesia and whether the patient needs to be seen."
        ),
    ),
    AlertRule(
        key="no_checkin_3_days",
        title="No check-in for 3 days",
        tier="watch",
        explanation=(
            f"No daily check-in for {NO_CHECKIN_DAYS} consecutive days while daily check-ins are expected. "
            "Older patients may be unwell, have fallen, or have trouble with the device; consider a call."
        ),
    ),
    AlertRule(
        key="milestone_overdue",
        title="Milestone overdue",
        tier="watch",
        explanation=(
            "A milestone or follow-up assessment was not completed by the last day of its window. "
            "Optional follow-ups count only when the clinic has turned them on."
        ),
    ),
    AlertRule(
        key="no_improvement_6_8_weeks",
        title="No meaningful improvement at 6-8 weeks",
        tier="watch",
        explanation=(
            f"At the 6-8 week milestone, ODI has not improved by {ODI_MCID}+ points and neither back nor leg "
            f"pain has improved by {PAIN_MCID}+ points from baseline. Significant improvement is usually "
            "expected by now; consider review of the diagnosis, imaging or further treatment."
        ),
    ),
    AlertRule(
        key="exercise_pain_7_plus_twice",
        title="Pain during an exercise, twice in a row",
        tier="watch",
        explanation=(
            f"Pain during the same prescribed exercise was {EXERCISE_PAIN_SCORE} or more (0-10) in "
            f"{EXERCISE_PAIN_SESSIONS} sessions in a row. Its progression is held: the patient stays on the current "
            "dose and the next phase's step-up waits until a clinician acknowledges this alert. Review the exercise "
            "and its dose."
        ),
    ),
    # Emergency red flags.
    AlertRule(
        key="bladder_bowel_control",
        title="Bladder or bowel dysfunction",
        tier="emergency",
        explanation=(
            "Patient reported loss of bladder or bowel control or urinary retention. Possible cauda equina syndrome; "
            "the patient was told to go to the emergency department now."
        ),
    ),
    AlertRule(
        key="saddle_numbness",
        title="Saddle anaesthesia",
        tier="emergency",
        explanation=(
            "Patient reported new numbness in the groin/saddle area. Possible cauda equina syndrome; "
            "the patient was told to go to the emergency department now."
        ),
    ),
    AlertRule(
        key="sudden_leg_weakness",
        title="Sudden or progressive leg weakness",
        tier="emergency",
        explanation=(
            "Patient reported sudden new or rapidly worsening weakness in one or both legs. Possible acute nerve "
            "compression (e.g. epidural haematoma); the patient was told to go to the emergency department now."
        ),
    ),
    AlertRule(
        key="chest_pain_breathless",
        title="Chest pain or sudden breathlessness",
        tier="emergency",
        explanation=(
            "Patient reported chest pain or sudden shortness of breath. Possible cardiac event or pulmonary embolism; "
            "the patient was told to go to the emergency department now."
        ),
    ),
    # Urgent red flags.
    AlertRule(
        key="fever_chills",
        title="Fever or chills",
        tier="urgent",
        explanation=(
            f"Patient reported a temperature above {FEVER_CELSIUS:.1f} C ({FEVER_FAHRENHEIT:.1f} F) or chills. "
            "Possible wound or deep infection; higher risk in diabetes. The patient was told to call the clinic "
            "within 24 hours."
        ),
    ),
    AlertRule(
        key="wound_problem",
        title="Wound problem",
        tier="urgent",
        explanation=(
            "Patient reported an incision that is red, hot, swollen or draining cloudy or foul fluid, or any drainage "
            f"from day {WOUND_DRAINAGE_DAY} after the procedure. Possible infection. The patient was told to call "
            "the clinic within 24 hours."
        ),
    ),
    AlertRule(
        key="new_numbness_tingling",
        title="New numbness or tingling",
        tier="urgent",
        explanation=(
            "Patient reported new numbness or tingling in the legs or feet. Possible nerve irritation or injury, "
            "usually temporary; higher risk in older patients. The patient was told to call the clinic within 24 hours."
        ),
    ),
    AlertRule(
        key="calf_pain_swelling",
        title="Calf pain or leg swelling",
        tier="urgent",
        explanation=(
            "Patient reported calf pain or leg swelling. Rule out deep vein thrombosis. The patient was told to call "
            "the clinic within 24 hours."
        ),
    ),
    AlertRule(
        key="pain_uncontrolled",
        title="Pain not controlled",
        tier="urgent",
        explanation=(
            "Patient reported pain not controlled by the prescribed medication. Review analgesia and look for a "
            "complication. The patient was told to call the clinic within 24 hours."
        ),
    ),
    AlertRule(
        key="fall",
        title="Fall",
        tier="urgent",
        explanation=(
            "Patient reported a fall since the last check-in. Check for injury to the wound or spine and for new "
            "neurological symptoms; review fall risk. The patient was told to call the clinic within 24 hours."
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------------
# Daily check-in symptoms (rated by the patient). Distinct from the red flags: these are expected, often pre-existing
# symptoms that are tracked over time; a *new* numbness or tingling is also asked about as a red flag.
# ---------------------------------------------------------------------------------------------------------------------

SYMPTOMS: Final[tuple[Symptom, ...]] = (
    Symptom(key="numbness", label="Numbness in your legs or feet"),
    Symptom(key="tingling", label="Tingling or pins and needles in your legs or feet"),
    Symptom(key="leg_weakness", label="Weakness in your legs"),
    Symptom(key="site_soreness", label="Soreness, bruising or swelling around the small wound on your back"),
)
