"""Language becomes every person's own (caregivers and staff read too): moved from the patient profile to the user."""

from django.db import migrations, models


def copy_to_user(apps, schema_editor):
    PatientProfile = apps.get_model("accounts", "PatientProfile")
    User = apps.get_model("accounts", "User")
    for user_id, language in PatientProfile.objects.exclude(language="en").values_list("user_id", "language"):
        User.objects.filter(pk=user_id).update(language=language)


def copy_to_profile(apps, schema_editor):
    PatientProfile = apps.get_model("accounts", "PatientProfile")
    User = apps.get_model("accounts", "User")
    for user_id, language in User.objects.exclude(language="en").values_list("pk", "language"):
        PatientProfile.objects.filter(user_id=user_id).update(language=language)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_caregivers")]

    operations = [
        migrations.AddField(model_name="user", name="language", field=models.CharField(default="en", max_length=8)),
        migrations.RunPython(copy_to_user, copy_to_profile),
        migrations.RemoveField(model_name="patientprofile", name="language"),
    ]
