"""A procedure episode keeps every screening: Screening.procedure is no longer one-to-one, and Procedure.screening
points at the latest (the one that decides whether the procedure may be marked done)."""

import django.db.models.deletion
from django.db import migrations, models


def latest_screening_forward(apps, schema_editor):
    Procedure = apps.get_model("recovery", "Procedure")
    Screening = apps.get_model("recovery", "Screening")
    # Until now an episode had at most one screening; take the latest all the same.
    for screening in Screening.objects.order_by("procedure_id", "decided_at", "created_at").iterator():
        Procedure.objects.filter(pk=screening.procedure_id).update(screening=screening.pk)


def latest_screening_backward(apps, schema_editor):
    # Back to one screening per episode: keep the latest of each, as the episode's pointer says.
    Procedure = apps.get_model("recovery", "Procedure")
    Screening = apps.get_model("recovery", "Screening")
    latest = Procedure.objects.filter(screening__isnull=False).values_list("screening", flat=True)
    Screening.objects.exclude(pk__in=latest).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recovery", "0011_entered_by_caregiver"),
    ]

    operations = [
        migrations.AlterField(
            model_name="screening",
            name="procedure",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="screenings", to="recovery.procedure"
            ),
        ),
        migrations.AddField(
            model_name="procedure",
            name="screening",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="recovery.screening",
            ),
        ),
        migrations.AddIndex(
            model_name="screening",
            index=models.Index(fields=["procedure", "-decided_at"], name="recovery_sc_procedu_624ea5_idx"),
        ),
        migrations.RunPython(latest_screening_forward, latest_screening_backward),
    ]
