"""Demo exercise sessions for `seed_demo`: the last three days of each demo patient's plan, recorded each evening as
the product would have recorded them. Runs after recovery's demo receiver (recovery comes first in INSTALLED_APPS),
which marks the procedures done and so creates the plans. Deterministic, and skipped for patients who already have
records, so seeding twice changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from accounts.models import Clinic, PatientProfile
from exercises import selectors, services
from exercises.models import ExercisePlan, ExerciseRecord
from recovery.selectors import exercise_pause


def demo_exercises_seed(sender: Any, *, clinic: Clinic, patients: dict[str, PatientProfile], **kwargs: Any) -> None:
    now = timezone.now()
    for email, patient in sorted(patients.items()):
        plan = ExercisePlan.objects.filter(patient=patient).select_related("procedure").order_by("-created_at").first()
        if plan is None or ExerciseRecord.objects.filter(patient=patient).exists():
            continue
        day0 = plan.procedure.procedure_date
        day = (patient.local_today(now) - day0).days
        _exercise_history(patient, day0, day, random.Random(f"{email}:exercises"))  # noqa: S311 (demo data)


def _exercise_history(patient: PatientProfile, day0: dt.date, day: int, rng: random.Random) -> None:
    """The last three days of exercise sessions, recorded each evening: mostly done, some partly done or skipped,
    with mild pain (never the 7+ that would raise an alert). None from the day an open emergency or urgent alert
    paused the plan (a demo patient with such an alert, as the product would have it)."""
    pause = exercise_pause(patient)
    for n in range(max(1, day - 3), day):
        date = day0 + dt.timedelta(days=n)
        if pause is not None and date >= pause["since_date"]:
            continue
        for occurrence in selectors.exercise_occurrences_on(patient, date):
            state = rng.choices(("done", "partly_done", "skipped"), weights=(7, 2, 1))[0]
            services.exercise_record_put(
                patient=patient,
                occurrence=occurrence.key,
                state=state,
                pain_during=None if state == "skipped" else rng.randint(1, 4),
                difficulty="" if state == "skipped" else rng.choice(("easy", "ok", "ok", "hard")),
                now=dt.datetime.combine(date, dt.time(20), tzinfo=patient.zone),
            )
