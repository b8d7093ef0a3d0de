"""The exercise models moved from the recovery app to the exercises app without losing a row: a database that holds
exercise data in the old state (recovery 0007, before the move) reads the same through the new models after
migrating forward."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from exercises.models import CalendarDay, CalendarFeed, Exercise, ExercisePlan, ExerciseRecord, PrescriptionVersion
from tests.factories import ProcedureFactory

BEFORE_THE_MOVE = [("recovery", "0007_default_protocol_v2"), ("exercises", None)]
NOW = dt.datetime(2027, 5, 12, 18, tzinfo=dt.UTC)


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader: the applied set changed


@pytest.mark.django_db(transaction=True)
def test_a_database_with_exercise_data_keeps_every_row_across_the_move(cast):
    procedure = ProcedureFactory(patient=cast.alice_profile, status="done")
    exercise_type_id = ContentType.objects.get_for_model(Exercise).pk

    # Given a database in the state before the move, holding exercise data written with that state's models
    old = _migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE[:1]).apps
    assert "exercise" in old.all_models["recovery"] and not old.all_models["exercises"]
    exercise = old.get_model("recovery", "Exercise").objects.create(
        clinic_id=cast.riverside.pk, key="chair-march", name="Chair march", kind="aerobic", steps=["March."],
        default_dose={"minutes": 5}, earliest_day=3, precautions=[],
    )  # fmt: skip
    plan = old.get_model("recovery", "ExercisePlan").objects.create(
        patient_id=cast.alice_profile.pk, procedure_id=procedure.pk, created_at=NOW
    )
    prescription = old.get_model("recovery", "Prescription").objects.create(
        plan=plan, exercise=exercise, source="clinician", created_at=NOW
    )
    version = old.get_model("recovery", "PrescriptionVersion").objects.create(
        prescription=prescription, version=1, change="created", dose={"minutes": 5}, days_of_week=[0, 2, 4],
        times_of_day=["09:00"], first_day=3, from_key=1, created_at=NOW,
    )  # fmt: skip
    old.get_model("recovery", "PrescriptionSlot").objects.create(
        version=version, weekday=0, local_time=dt.time(9), minute=540
    )
    record = old.get_model("recovery", "ExerciseRecord").objects.create(
        patient_id=cast.alice_profile.pk, prescription=prescription, version=version, local_date=dt.date(2027, 5, 13),
        local_time=dt.time(9), state="done", pain_during=2, recorded_at=NOW, received_at=NOW, updated_at=NOW,
    )  # fmt: skip
    old.get_model("recovery", "CalendarFeed").objects.create(
        patient_id=cast.alice_profile.pk, token_hash="a" * 64, created_at=NOW
    )
    calendar_days = old.get_model("recovery", "CalendarDay").objects.count()

    # When it migrates forward to the exercises app
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    # Then the new models read every row, with its relations
    moved = ExerciseRecord.objects.select_related("prescription__exercise", "prescription__plan", "version").get(
        pk=record.pk
    )
    assert (moved.state, moved.pain_during, moved.local_date) == ("done", 2, dt.date(2027, 5, 13))
    assert moved.prescription.exercise.name == "Chair march"
    assert moved.prescription.plan == ExercisePlan.objects.get(procedure=procedure)
    assert list(PrescriptionVersion.objects.get(pk=version.pk).slots.values_list("minute", flat=True)) == [540]
    assert CalendarFeed.objects.filter(patient=cast.alice_profile, token_hash="a" * 64).exists()
    assert calendar_days > 9000
    assert Exercise.objects.filter(clinic__isnull=True).exists()  # the shipped library is still there
    assert CalendarDay.objects.count() == calendar_days
    # and the content type (with its admin permissions) is the same row, now labelled exercises
    ContentType.objects.clear_cache()
    assert ContentType.objects.get(app_label="exercises", model="exercise").pk == exercise_type_id
