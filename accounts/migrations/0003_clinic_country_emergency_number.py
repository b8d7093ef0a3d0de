"""Clinics get a country and a local emergency number, and a phone number that can never be blank.

Existing clinics: the country is read from the clinic's time zone (accounts.emergency, the tz database's zone.tab),
"US" when the zone names no country (UTC); the emergency number is that country's (911, 999, 112, 000, 111), or 112
(answered on mobile networks in most countries) for a country without a default. Clinic admins can correct both.
A clinic with a blank phone number stops the migration: its patients would be told to call nobody.
"""

from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan

from accounts.emergency import country_for_time_zone, emergency_number_for


def clinic_defaults_fill(apps, schema_editor):
    Clinic = apps.get_model("accounts", "Clinic")
    blank = sorted(c.name for c in Clinic.objects.all() if not c.phone.strip())
    if blank:
        raise RuntimeError(
            "These clinics have no phone number; set one (Django admin or SQL) before migrating: " + ", ".join(blank)
        )
    for clinic in Clinic.objects.filter(Q(country="") | Q(emergency_number="")):
        clinic.country = clinic.country or country_for_time_zone(clinic.time_zone) or "US"
        clinic.emergency_number = clinic.emergency_number or emergency_number_for(clinic.country) or "112"
        clinic.save(update_fields=["country", "emergency_number"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_phiaccess_append_only")]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="country",
            field=models.CharField(default="", help_text="ISO 3166-1 alpha-2 code, e.g. US, GB, DE.", max_length=2),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="clinic",
            name="emergency_number",
            field=models.CharField(default="", help_text="Digits only, e.g. 911, 999, 112, 000.", max_length=6),
            preserve_default=False,
        ),
        migrations.RunPython(clinic_defaults_fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="clinic",
            constraint=models.CheckConstraint(
                condition=Q(GreaterThan(Length(Trim("phone")), 0)), name="clinic_phone_not_blank"
            ),
        ),
        migrations.AddConstraint(
            model_name="clinic",
            constraint=models.CheckConstraint(
                condition=Q(emergency_number__regex="^[0-9]{2,6}$"), name="clinic_emergency_number_digits"
            ),
        ),
        migrations.AddConstraint(
            model_name="clinic",
            constraint=models.CheckConstraint(condition=Q(country__regex="^[A-Z]{2}$"), name="clinic_country_alpha2"),
        ),
    ]
