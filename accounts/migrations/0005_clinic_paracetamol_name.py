"""Clinics get the name their patients know paracetamol by: acetaminophen in the US and Canada, paracetamol elsewhere
(accounts.medicines). Existing clinics take their country's name; clinic admins can change it."""

from django.db import migrations, models
from django.db.models import Q

from accounts.medicines import paracetamol_name_for


def paracetamol_name_fill(apps, schema_editor):
    Clinic = apps.get_model("accounts", "Clinic")
    for clinic in Clinic.objects.filter(paracetamol_name=""):
        clinic.paracetamol_name = paracetamol_name_for(clinic.country)
        clinic.save(update_fields=["paracetamol_name"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_phiaccess_no_truncate")]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="paracetamol_name",
            field=models.CharField(
                choices=[("acetaminophen", "acetaminophen"), ("paracetamol", "paracetamol")],
                default="",
                help_text="acetaminophen (US, Canada) or paracetamol: the name patients read in the app.",
                max_length=13,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(paracetamol_name_fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="clinic",
            constraint=models.CheckConstraint(
                condition=Q(paracetamol_name__in=["acetaminophen", "paracetamol"]),
                name="clinic_paracetamol_name_known",
            ),
        ),
    ]
