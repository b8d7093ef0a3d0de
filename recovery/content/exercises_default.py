"""The exercise library and the default exercise plan the product ships, as plain data.

Stdlib only, so data migrations and seed commands can load it. Chosen for older adults after lumbar decompression:
nothing on the floor early on, something to hold for every standing exercise, and no backward bending, which narrows
the spinal canal and tends to bring back stenosis symptoms. Heavy lifting and deep bending are avoided early on.

Days count from the procedure (day 0). ``earliest_day`` is the first day the exercise may be prescribed; the plan
never starts an exercise before it. Patient-facing text is written for readers aged 60-85.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, TypeAlias, TypedDict, final

ExerciseKind = Literal["stretching", "strengthening", "aerobic"]
EXERCISE_KINDS: Final[frozenset[ExerciseKind]] = frozenset({"stretching", "strengthening", "aerobic"})


@final
class SetsRepsDose(TypedDict):
    sets: int
    reps: int


@final
class HoldDose(TypedDict):
    sets: int
    hold_seconds: int
    reps: int


@final
class MinutesDose(TypedDict):
    minutes: int


# Exactly one style per dose; tell them apart by their key sets (see DOSE_STYLES). The TypedDicts are final, so
# mypy narrows a Dose with `"minutes" in dose` / `"hold_seconds" in dose`.
Dose: TypeAlias = SetsRepsDose | HoldDose | MinutesDose
DOSE_STYLES: Final[tuple[frozenset[str], ...]] = (
    frozenset({"sets", "reps"}),
    frozenset({"sets", "hold_seconds", "reps"}),
    frozenset({"minutes"}),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Exercise:
    key: str
    name: str
    kind: ExerciseKind
    steps: tuple[str, ...]
    # The usual starting dose. A prescription may change the numbers but keeps the style. Copy before editing:
    # the dict is shared by every importer.
    dose: Dose
    earliest_day: int
    precautions: tuple[str, ...]
    media_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Prescription:
    exercise_key: str
    first_day: int
    last_day: int | None  # inclusive; None = open-ended
    dose: Dose
    times_per_day: int  # always len(times_of_day)
    days_of_week: tuple[int, ...]  # 0 = Monday ... 6 = Sunday, as datetime.date.weekday()
    times_of_day: tuple[str, ...]  # "HH:MM", the patient's local time


_STOP_IF_WORSE: Final = "Stop if your pain rises sharply, or your legs feel newly numb, tingly or weak."
_ROLL_OUT_OF_BED: Final = "To get up, roll onto your side first, then push up with your arms."
_HOLD_ON: Final = "Hold on to something steady, like a kitchen counter, the whole time."

# ---------------------------------------------------------------------------------------------------------------------
# Exercise library
# ---------------------------------------------------------------------------------------------------------------------

EXERCISES: Final[tuple[Exercise, ...]] = (
    # Stretching (flexibility).
    Exercise(
        key="pelvic_tilt",
        name="Pelvic tilt",
        kind="stretching",
        steps=(
            "Lie on your back on the bed, with your knees bent and feet flat.",
            "Gently tighten your tummy muscles.",
            "Press the small of your back down into the bed.",
            "Hold for a slow count of 5. Keep breathing.",
            "Relax, then repeat.",
        ),
        dose={"sets": 1, "hold_seconds": 5, "reps": 10},
        earliest_day=2,
        precautions=(
            "Keep the movement small and gentle.",
            _ROLL_OUT_OF_BED,
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="seated_hamstring_stretch",
        name="Sitting hamstring stretch",
        kind="stretching",
        steps=(
            "Sit on the front of a firm chair.",
            "Straighten one leg in front of you, heel on the floor and toes pointing up.",
            "Keep your back straight. Lean forward a little from your hips.",
            "Stop when you feel a gentle stretch behind your thigh.",
            "Hold, breathing normally. Then relax and swap legs.",
        ),
        dose={"sets": 1, "hold_seconds": 20, "reps": 3},
        earliest_day=2,
        precautions=(
            "Lean only a little. Do not bend down deeply.",
            "You should feel a gentle pull, not pain.",
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="knee_to_chest",
        name="Single knee to chest",
        kind="stretching",
        steps=(
            "Lie on your back on the bed, with both knees bent.",
            "Hold behind one thigh with both hands.",
            "Gently pull that knee towards your chest.",
            "Stop when you feel a gentle stretch in your lower back or buttock.",
            "Hold, breathing normally. Lower the leg slowly, then swap legs.",
        ),
        dose={"sets": 1, "hold_seconds": 20, "reps": 3},
        earliest_day=3,
        precautions=(
            "Do one leg at a time.",
            "Do not pull hard or bounce.",
            _ROLL_OUT_OF_BED,
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="standing_calf_stretch",
        name="Standing calf stretch",
        kind="stretching",
        steps=(
            "Stand facing a kitchen counter and hold on with both hands.",
            "Step one foot back. Keep that leg straight and the heel on the floor.",
            "Bend your front knee a little, until you feel a stretch in the back of the other calf.",
            "Hold, then swap legs.",
        ),
        dose={"sets": 1, "hold_seconds": 20, "reps": 3},
        earliest_day=7,
        precautions=(
            _HOLD_ON,
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="seated_hip_stretch",
        name="Sitting hip stretch",
        kind="stretching",
        steps=(
            "Sit on a firm chair with both feet flat on the floor.",
            "Rest one ankle on your other knee, if you can.",
            "Gently press down on the raised knee, until you feel a stretch in your hip or buttock.",
            "Hold, then swap legs.",
        ),
        dose={"sets": 1, "hold_seconds": 20, "reps": 3},
        earliest_day=14,
        precautions=(
            "If your ankle will not reach your knee, rest it on your other shin instead.",
            "Sit upright. Do not lean far forward.",
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="cat_camel",
        name="Cat and camel",
        kind="stretching",
        steps=(
            "Get onto your hands and knees on the bed or a firm mat.",
            "Put your hands under your shoulders and your knees under your hips.",
            "Slowly round your back up towards the ceiling, letting your head drop.",
            "Then slowly let your back go flat again, lifting your head.",
            "Keep the movement small and smooth.",
        ),
        dose={"sets": 1, "reps": 10},
        earliest_day=28,
        precautions=(
            "Only do this if you can get onto your hands and knees, and back up, safely.",
            "Do not let your back sag down. That can bring back leg symptoms.",
            _STOP_IF_WORSE,
        ),
    ),
    # Strengthening (supports the lower back). Starts after week 3.
    Exercise(
        key="abdominal_bracing",
        name="Tummy tightening",
        kind="strengthening",
        steps=(
            "Lie on your back with your knees bent, or sit up tall in a chair.",
            "Breathe in.",
            "As you breathe out, gently pull your belly button in, as if doing up a tight belt.",
            "Hold for a count of 5, and keep breathing.",
            "Relax, then repeat.",
        ),
        dose={"sets": 1, "hold_seconds": 5, "reps": 10},
        earliest_day=21,
        precautions=(
            "Do not hold your breath.",
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="bridge",
        name="Bridge",
        kind="strengthening",
        steps=(
            "Lie on your back on the bed, knees bent, feet flat and a little apart.",
            "Gently tighten your tummy muscles.",
            "Squeeze your buttocks and lift your hips a little way off the bed.",
            "Hold for a count of 3, then lower slowly.",
        ),
        dose={"sets": 2, "hold_seconds": 3, "reps": 8},
        earliest_day=21,
        precautions=(
            "Lift only as high as is comfortable. Do not arch your back.",
            _ROLL_OUT_OF_BED,
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="heel_raises",
        name="Heel raises",
        kind="strengthening",
        steps=(
            "Stand facing a kitchen counter and hold on with both hands.",
            "Stand with your feet a little apart.",
            "Slowly rise up onto your toes.",
            "Slowly lower your heels back to the floor.",
        ),
        dose={"sets": 2, "reps": 10},
        earliest_day=21,
        precautions=(
            _HOLD_ON,
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="sit_to_stand",
        name="Sit to stand",
        kind="strengthening",
        steps=(
            "Sit near the front of a firm chair with arms, feet flat and a little apart.",
            "Lean forward a little, with your nose over your toes.",
            "Push through your legs to stand up. Use the chair arms if you need to.",
            "Stand tall for a moment.",
            "Slowly sit back down.",
        ),
        dose={"sets": 2, "reps": 5},
        earliest_day=21,
        precautions=(
            "Use a sturdy chair that cannot slide. Put its back against a wall.",
            "Have someone nearby the first few times if your balance is poor.",
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="standing_hip_side_raise",
        name="Standing side leg raise",
        kind="strengthening",
        steps=(
            "Stand facing a kitchen counter and hold on with both hands.",
            "Stand up straight, with your toes pointing forward.",
            "Slowly lift one leg out to the side, a little way.",
            "Lower it slowly. Do all the repeats, then swap legs.",
        ),
        dose={"sets": 2, "reps": 8},
        earliest_day=21,
        precautions=(
            "Keep the lift small. Do not lean your body to the other side.",
            _HOLD_ON,
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="seated_knee_straightening",
        name="Sitting knee straightening",
        kind="strengthening",
        steps=(
            "Sit back in a firm chair, so your back is supported.",
            "Slowly straighten one knee, until the leg is out in front of you.",
            "Hold for a moment, then lower it slowly.",
            "Do all the repeats, then swap legs.",
        ),
        dose={"sets": 2, "reps": 10},
        earliest_day=21,
        precautions=(_STOP_IF_WORSE,),
    ),
    # Low-impact aerobic.
    Exercise(
        key="walking",
        name="Walking",
        kind="aerobic",
        steps=(
            "Wear comfortable shoes with a good grip.",
            "Use your walking stick or frame if you normally do.",
            "Walk at an easy pace on flat ground. You should still be able to talk.",
            "Sit down and rest if your legs get tired or sore.",
        ),
        dose={"minutes": 5},
        earliest_day=1,
        precautions=(
            "Choose flat, even paths with places to sit and rest.",
            "Avoid icy, wet or crowded paths.",
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="seated_marching",
        name="Sitting marching",
        kind="aerobic",
        steps=(
            "Sit near the front of a firm chair, with your feet flat on the floor.",
            "Hold the sides of the chair if you need to.",
            "Lift one knee a little, then put the foot down.",
            "Do the same with the other leg, like marching.",
            "Keep a steady pace and breathe normally.",
        ),
        dose={"minutes": 5},
        earliest_day=7,
        precautions=(
            "Use a sturdy chair without wheels.",
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="stationary_bike",
        name="Exercise bike",
        kind="aerobic",
        steps=(
            "A bike with a back rest is often the most comfortable.",
            "Set the seat so your knee stays a little bent at the bottom of each turn.",
            "Hold on and get on slowly. Ask for help if you need it.",
            "Pedal slowly, with little or no resistance.",
            "Build up the time slowly over the weeks.",
        ),
        dose={"minutes": 10},
        earliest_day=14,
        precautions=(
            "Keep the resistance low for the first few weeks.",
            "Take extra care getting on and off. That is when falls happen.",
            _STOP_IF_WORSE,
        ),
    ),
    Exercise(
        key="water_walking",
        name="Walking in a pool",
        kind="aerobic",
        steps=(
            "Use a pool with steps and a handrail.",
            "Stand in water between waist and chest deep.",
            "Walk forwards slowly, swinging your arms gently.",
            "Stay close to the side, so you can hold on if you need to.",
            "Rest at the side whenever you need to.",
        ),
        dose={"minutes": 15},
        # Only once the wound has fully healed, which takes about three weeks.
        earliest_day=21,
        precautions=(
            "Only start once your wound has fully healed and your clinic agrees.",
            "Take care on wet floors around the pool.",
            "Do not dive or jump into the water.",
            _STOP_IF_WORSE,
        ),
    ),
)

# ---------------------------------------------------------------------------------------------------------------------
# Default plan, created when a procedure is recorded.
#
# Procedure day (0) is rest, so nothing starts before day 1. Walks lengthen phase by phase (5, 10, 15, 20, then 30
# minutes a walk): continuous walking time is what recovery is measured by, so we grow one walk rather than add more
# walks. Stretches start in the first days; strengthening starts on day 21, three days a week, with rest days between.
# The exercise bike and pool need equipment many patients lack, so the clinician adds them per patient.
# ---------------------------------------------------------------------------------------------------------------------

EVERY_DAY: Final[tuple[int, ...]] = (0, 1, 2, 3, 4, 5, 6)
MON_WED_FRI: Final[tuple[int, ...]] = (0, 2, 4)

_MORNING: Final = "09:00"
_EVENING: Final = "18:00"
_STRENGTH_TIME: Final = "11:00"


def _every_day(
    exercise_key: str, first_day: int, last_day: int | None, dose: Dose, times_of_day: tuple[str, ...]
) -> Prescription:
    return Prescription(
        exercise_key=exercise_key,
        first_day=first_day,
        last_day=last_day,
        dose=dose,
        times_per_day=len(times_of_day),
        days_of_week=EVERY_DAY,
        times_of_day=times_of_day,
    )


def _strength(exercise_key: str, first_day: int, last_day: int | None, dose: Dose) -> Prescription:
    return Prescription(
        exercise_key=exercise_key,
        first_day=first_day,
        last_day=last_day,
        dose=dose,
        times_per_day=1,
        days_of_week=MON_WED_FRI,
        times_of_day=(_STRENGTH_TIME,),
    )


DEFAULT_PLAN: Final[tuple[Prescription, ...]] = (
    # Walking, every day.
    _every_day("walking", 1, 6, {"minutes": 5}, ("10:00", "13:00", "16:00")),
    _every_day("walking", 7, 13, {"minutes": 10}, ("10:00", "13:00", "16:00")),
    _every_day("walking", 14, 20, {"minutes": 15}, ("10:00", "15:00")),
    _every_day("walking", 21, 55, {"minutes": 20}, ("10:00", "15:00")),
    _every_day("walking", 56, None, {"minutes": 30}, ("10:00",)),
    # Gentle stretches: twice a day while activity builds up, then once a day for good.
    _every_day("pelvic_tilt", 2, 20, {"sets": 1, "hold_seconds": 5, "reps": 5}, (_MORNING, _EVENING)),
    _every_day("pelvic_tilt", 21, None, {"sets": 1, "hold_seconds": 5, "reps": 10}, (_MORNING,)),
    _every_day("seated_hamstring_stretch", 3, 20, {"sets": 1, "hold_seconds": 20, "reps": 2}, (_MORNING, _EVENING)),
    _every_day("seated_hamstring_stretch", 21, None, {"sets": 1, "hold_seconds": 30, "reps": 3}, (_MORNING,)),
    _every_day("knee_to_chest", 3, 20, {"sets": 1, "hold_seconds": 15, "reps": 2}, (_MORNING, _EVENING)),
    _every_day("knee_to_chest", 21, None, {"sets": 1, "hold_seconds": 20, "reps": 3}, (_MORNING,)),
    _every_day("standing_calf_stretch", 7, None, {"sets": 1, "hold_seconds": 20, "reps": 3}, (_MORNING,)),
    _every_day("seated_hip_stretch", 14, None, {"sets": 1, "hold_seconds": 20, "reps": 3}, (_MORNING,)),
    _every_day("cat_camel", 28, None, {"sets": 1, "reps": 10}, (_MORNING,)),
    # Strengthening from week 3, Monday, Wednesday and Friday; a little more from week 8.
    _strength("abdominal_bracing", 21, None, {"sets": 1, "hold_seconds": 5, "reps": 10}),
    _strength("seated_knee_straightening", 21, None, {"sets": 2, "reps": 10}),
    _strength("heel_raises", 21, 55, {"sets": 2, "reps": 10}),
    _strength("heel_raises", 56, None, {"sets": 3, "reps": 10}),
    _strength("sit_to_stand", 21, 55, {"sets": 2, "reps": 5}),
    _strength("sit_to_stand", 56, None, {"sets": 2, "reps": 10}),
    _strength("bridge", 21, 55, {"sets": 2, "hold_seconds": 3, "reps": 8}),
    _strength("bridge", 56, None, {"sets": 2, "hold_seconds": 5, "reps": 10}),
    _strength("standing_hip_side_raise", 21, None, {"sets": 2, "reps": 8}),
)
