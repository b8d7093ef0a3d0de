"""Alerts record the red-flag rule set version as a number; every alert raised so far came from version 1 (released as
"2026.11.2"). Protocol versions carry their "When to get help" text."""

from django.db import migrations, models


def alerts_from_version_1(apps, schema_editor):
    apps.get_model("recovery", "Alert").objects.update(rule_set_version="1")


class Migration(migrations.Migration):
    dependencies = [("recovery", "0005_alert_assignment")]

    operations = [
        migrations.RunPython(alerts_from_version_1, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="alert",
            name="rule_set_version",
            field=models.PositiveSmallIntegerField(),
        ),
        migrations.AddField(
            model_name="protocol",
            name="when_to_get_help",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
