"""The exercise models, which recovery's migrations 0003-0004 created and filled, now belong to this app.

State only: the tables keep their recovery_* names (each model sets db_table), so an existing database keeps every
row; recovery 0008_exercises_move_out removes the models from recovery's state. Existing content types (and so the
admin permissions attached to them) move to this app's label.
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


MOVED = (
    "calendarday",
    "calendarfeed",
    "exercise",
    "exerciseplan",
    "exerciserecord",
    "prescription",
    "prescriptionslot",
    "prescriptionversion",
    "progressionhold",
)


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MOVED).update(app_label=new)


def content_types_forward(apps, schema_editor):
    _relabel(apps, "recovery", "exercises")


def content_types_backward(apps, schema_editor):
    _relabel(apps, "exercises", "recovery")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_phiaccess_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("recovery", "0005_alert_assignment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarDay",
                    fields=[
                        ("date", models.DateField(primary_key=True, serialize=False)),
                        ("epoch_day", models.IntegerField(help_text="Days since 1970-01-01.", unique=True)),
                        ("weekday", models.PositiveSmallIntegerField(help_text="0 = Monday ... 6 = Sunday.")),
                        ("iso_year", models.PositiveSmallIntegerField()),
                        ("iso_week", models.PositiveSmallIntegerField()),
                    ],
                    options={
                        "db_table": "recovery_calendarday",
                        "ordering": ("date",),
                        "indexes": [
                            models.Index(fields=["weekday", "epoch_day"], name="recovery_ca_weekday_d90c7f_idx")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Exercise",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("key", models.SlugField(max_length=60)),
                        ("name", models.CharField(max_length=120)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("stretching", "Gentle stretching"),
                                    ("strengthening", "Strengthening"),
                                    ("aerobic", "Low-impact aerobic"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("steps", models.JSONField(default=list, help_text="Plain-language steps, in order.")),
                        (
                            "default_dose",
                            models.JSONField(
                                help_text="{'sets', 'reps'}, {'sets', 'hold_seconds', 'reps'} or {'minutes'}; prescriptions keep its style."
                            ),
                        ),
                        (
                            "earliest_day",
                            models.PositiveSmallIntegerField(help_text="The first day after the procedure it suits."),
                        ),
                        ("precautions", models.JSONField(default=list)),
                        ("media_url", models.URLField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "clinic",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="exercises",
                                to="accounts.clinic",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recovery_exercise",
                        "ordering": ("kind", "earliest_day", "name"),
                    },
                ),
                migrations.CreateModel(
                    name="ExercisePlan",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("created_at", models.DateTimeField()),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "patient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="exercise_plans",
                                to="accounts.patientprofile",
                            ),
                        ),
                        (
                            "procedure",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="exercise_plan",
                                to="recovery.procedure",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recovery_exerciseplan",
                        "ordering": ("-created_at",),
                    },
                ),
                migrations.CreateModel(
                    name="Prescription",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("protocol", "From the protocol's default plan"),
                                    ("clinician", "Added by a clinician"),
                                ],
                                max_length=12,
                            ),
                        ),
                        ("created_at", models.DateTimeField()),
                        (
                            "ended_at",
                            models.DateTimeField(blank=True, help_text="When a clinician removed it.", null=True),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "exercise",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="prescriptions",
                                to="exercises.exercise",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="prescriptions",
                                to="exercises.exerciseplan",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recovery_prescription",
                        "ordering": ("plan", "created_at", "id"),
                    },
                ),
                migrations.CreateModel(
                    name="PrescriptionVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveIntegerField()),
                        (
                            "change",
                            models.CharField(
                                choices=[
                                    ("created", "Prescribed"),
                                    ("changed", "Changed by a clinician"),
                                    ("held", "Progression held after pain during the exercise"),
                                    ("released", "Progression resumed after a clinician's review"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("dose", models.JSONField()),
                        ("days_of_week", models.JSONField(help_text="0 = Monday ... 6 = Sunday.")),
                        (
                            "times_of_day",
                            models.JSONField(
                                help_text="'HH:MM' on the patient's wall clock; times per day = how many."
                            ),
                        ),
                        (
                            "first_day",
                            models.PositiveSmallIntegerField(help_text="Day after the procedure (0 = procedure day)."),
                        ),
                        (
                            "last_day",
                            models.PositiveSmallIntegerField(
                                blank=True, help_text="Inclusive; empty: open-ended.", null=True
                            ),
                        ),
                        (
                            "held",
                            models.BooleanField(
                                default=False, help_text="A step-up waiting for a clinician's review: no sessions."
                            ),
                        ),
                        (
                            "from_key",
                            models.IntegerField(help_text="Local minute key of the first occurrence it governs."),
                        ),
                        (
                            "until_key",
                            models.IntegerField(
                                blank=True, help_text="Local minute key it stops at; empty: open.", null=True
                            ),
                        ),
                        ("created_at", models.DateTimeField()),
                        ("note", models.CharField(blank=True, max_length=500)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "prescription",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="versions",
                                to="exercises.prescription",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recovery_prescriptionversion",
                        "ordering": ("prescription", "version"),
                    },
                ),
                migrations.CreateModel(
                    name="PrescriptionSlot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("weekday", models.PositiveSmallIntegerField()),
                        ("local_time", models.TimeField()),
                        ("minute", models.PositiveSmallIntegerField(help_text="Minute of the day of local_time.")),
                        (
                            "version",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="slots",
                                to="exercises.prescriptionversion",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recovery_prescriptionslot",
                    },
                ),
                migrations.CreateModel(
                    name="ExerciseRecord",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("local_date", models.DateField()),
                        ("local_time", models.TimeField()),
                        (
                            "state",
                            models.CharField(
                                choices=[("done", "Done"), ("partly_done", "Partly done"), ("skipped", "Skipped")],
                                max_length=12,
                            ),
                        ),
                        (
                            "pain_during",
                            models.PositiveSmallIntegerField(
                                blank=True, help_text="0-10 during the exercise.", null=True
                            ),
                        ),
                        (
                            "difficulty",
                            models.CharField(
                                blank=True,
                                choices=[("easy", "Easy"), ("ok", "About right"), ("hard", "Hard")],
                                max_length=6,
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(help_text="When the patient recorded it, by their device's clock."),
                        ),
                        ("received_at", models.DateTimeField()),
                        ("updated_at", models.DateTimeField()),
                        (
                            "patient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="exercise_records",
                                to="accounts.patientprofile",
                            ),
                        ),
                        (
                            "prescription",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="records",
                                to="exercises.prescription",
                            ),
                        ),
                        (
                            "version",
                            models.ForeignKey(
                                help_text="The version in force.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="records",
                                to="exercises.prescriptionversion",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recovery_exerciserecord",
                        "ordering": ("local_date", "local_time"),
                    },
                ),
                migrations.CreateModel(
                    name="ProgressionHold",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("held_at", models.DateTimeField()),
                        (
                            "last_day",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="The prescription's last day before the hold, restored on release.",
                                null=True,
                            ),
                        ),
                        ("released_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "alert",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="recovery.alert"
                            ),
                        ),
                        (
                            "prescription",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="holds",
                                to="exercises.prescription",
                            ),
                        ),
                        (
                            "released_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recovery_progressionhold",
                        "ordering": ("held_at",),
                    },
                ),
                migrations.CreateModel(
                    name="CalendarFeed",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField()),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "patient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="calendar_feeds",
                                to="accounts.patientprofile",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recovery_calendarfeed",
                        "ordering": ("-created_at",),
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("revoked_at__isnull", True)),
                                fields=("patient",),
                                name="calendar_feed_one_live_per_patient",
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="exercise",
                    constraint=models.UniqueConstraint(fields=("clinic", "key"), name="exercise_key_unique_per_clinic"),
                ),
                migrations.AddConstraint(
                    model_name="exercise",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("clinic__isnull", True)),
                        fields=("key",),
                        name="exercise_shipped_key_unique",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="prescriptionversion",
                    constraint=models.UniqueConstraint(
                        fields=("prescription", "version"), name="prescription_version_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="prescriptionversion",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("until_key__isnull", True)),
                        fields=("prescription",),
                        name="prescription_one_open_version",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="prescriptionversion",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("last_day__isnull", True), ("last_day__gte", models.F("first_day")), _connector="OR"
                        ),
                        name="prescription_version_days_ordered",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="prescriptionversion",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("until_key__isnull", True), ("until_key__gte", models.F("from_key")), _connector="OR"
                        ),
                        name="prescription_version_window_ordered",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="prescriptionslot",
                    constraint=models.UniqueConstraint(
                        fields=("version", "weekday", "local_time"), name="prescription_slot_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="prescriptionslot",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("weekday__lte", 6)), name="prescription_slot_weekday_0_6"
                    ),
                ),
                migrations.AddIndex(
                    model_name="exerciserecord",
                    index=models.Index(fields=["patient", "local_date"], name="recovery_ex_patient_114282_idx"),
                ),
                migrations.AddConstraint(
                    model_name="exerciserecord",
                    constraint=models.UniqueConstraint(
                        fields=("prescription", "local_date", "local_time"), name="exercise_record_once_per_occurrence"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="exerciserecord",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("pain_during__isnull", True), ("pain_during__lte", 10), _connector="OR"),
                        name="exercise_record_pain_0_10",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="progressionhold",
                    constraint=models.UniqueConstraint(fields=("prescription", "alert"), name="progression_hold_once"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
