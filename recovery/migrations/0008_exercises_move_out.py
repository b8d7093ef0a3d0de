"""The exercise models moved to the exercises app (exercises 0001_initial). Only Django's idea of which app owns them
changes: their tables keep their names (the models set db_table) and every row stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('recovery', '0007_default_protocol_v2'),
        ('exercises', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='CalendarDay',
                ),
                migrations.RemoveField(
                    model_name='exercise',
                    name='clinic',
                ),
                migrations.RemoveField(
                    model_name='exercise',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='prescription',
                    name='exercise',
                ),
                migrations.RemoveField(
                    model_name='exerciseplan',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='exerciseplan',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='exerciseplan',
                    name='procedure',
                ),
                migrations.RemoveField(
                    model_name='prescription',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='exerciserecord',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='exerciserecord',
                    name='prescription',
                ),
                migrations.RemoveField(
                    model_name='exerciserecord',
                    name='version',
                ),
                migrations.RemoveField(
                    model_name='prescription',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='progressionhold',
                    name='prescription',
                ),
                migrations.RemoveField(
                    model_name='prescriptionversion',
                    name='prescription',
                ),
                migrations.RemoveField(
                    model_name='prescriptionslot',
                    name='version',
                ),
                migrations.RemoveField(
                    model_name='prescriptionversion',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='progressionhold',
                    name='alert',
                ),
                migrations.RemoveField(
                    model_name='progressionhold',
                    name='released_by',
                ),
                migrations.DeleteModel(
                    name='CalendarFeed',
                ),
                migrations.DeleteModel(
                    name='Exercise',
                ),
                migrations.DeleteModel(
                    name='ExercisePlan',
                ),
                migrations.DeleteModel(
                    name='ExerciseRecord',
                ),
                migrations.DeleteModel(
                    name='Prescription',
                ),
                migrations.DeleteModel(
                    name='PrescriptionSlot',
                ),
                migrations.DeleteModel(
                    name='PrescriptionVersion',
                ),
                migrations.DeleteModel(
                    name='ProgressionHold',
                ),
            ],
            database_operations=[],
        ),
    ]
