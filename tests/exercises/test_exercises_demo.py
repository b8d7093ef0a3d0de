"""The demo seed gives its patients a few days of exercise sessions, recorded as the product would have."""

from __future__ import annotations

from collections import Counter

from django.core.management import call_command

from exercises.models import ExercisePlan, ExerciseRecord
from exercises.services import EXERCISE_PAIN_RULE
from recovery.models import Alert


def test_demo_patients_have_a_plan_and_recent_exercise_records(db):
    # When the demo is seeded (twice: the second run changes nothing)
    call_command("seed_demo")
    counts = (ExercisePlan.objects.count(), ExerciseRecord.objects.count())
    call_command("seed_demo")

    # Then every demo patient with a done procedure has a plan, and those past their first days have records of the
    # last three days, mostly done, with mild pain and no exercise alert
    assert (ExercisePlan.objects.count(), ExerciseRecord.objects.count()) == counts
    assert counts[0] == 6
    by_patient = Counter(ExerciseRecord.objects.values_list("patient__user__email", flat=True))
    assert set(by_patient) == {
        "harold@patients.example",
        "carmen@patients.example",
        "rosa@patients.example",
        "walter@patients.example",
        "june@patients.example",
    }
    states = Counter(ExerciseRecord.objects.values_list("state", flat=True))
    assert states["done"] > states["partly_done"] + states["skipped"]
    assert not ExerciseRecord.objects.filter(pain_during__gt=4).exists()
    assert not Alert.objects.filter(rule=EXERCISE_PAIN_RULE).exists()
