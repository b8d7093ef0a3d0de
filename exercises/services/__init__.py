"""Writes for physical therapy, one module per job, each service one transaction:

- `library`: a clinic's own exercises;
- `plans`: a procedure's plan, and prescriptions added, changed and removed;
- `sessions`: what the patient did at a session, and the pain alert;
- `holds`: progression held by a pain alert, and released when a clinician acknowledges it;
- `calendar_feed`: the private calendar feed's token;
- `versions`: how every change to a prescription is written (shared by the others).

Callers use the names gathered here (`from exercises import services`; `services.prescription_change(...)`).
"""

from exercises.services.calendar_feed import calendar_feed_revoke, calendar_feed_rotate
from exercises.services.holds import exercise_holds_release
from exercises.services.library import NotOwnExercise, exercise_create, exercise_translations_set
from exercises.services.plans import (
    exercise_plan_create_for_procedure,
    prescription_add,
    prescription_change,
    prescription_remove,
)
from exercises.services.sessions import (
    EXERCISE_PAIN_RULE,
    PAUSED_MESSAGE,
    ExercisesPaused,
    RecordResult,
    exercise_record_put,
)

__all__ = [
    "EXERCISE_PAIN_RULE",
    "PAUSED_MESSAGE",
    "ExercisesPaused",
    "NotOwnExercise",
    "RecordResult",
    "calendar_feed_revoke",
    "calendar_feed_rotate",
    "exercise_create",
    "exercise_holds_release",
    "exercise_plan_create_for_procedure",
    "exercise_record_put",
    "exercise_translations_set",
    "prescription_add",
    "prescription_change",
    "prescription_remove",
]
