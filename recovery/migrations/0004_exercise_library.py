"""Installs the shipped exercise library (clinic = none) from recovery.content.exercises_default, and the calendar
table (one row per date, 2020-2045) that adherence counts scheduled sessions over.

Later changes to the shipped library ship as new data migrations; exercises already prescribed are never deleted.
"""

import datetime as dt

from django.db import migrations

from recovery.content import exercises_default as content

CALENDAR_FIRST = dt.date(2020, 1, 1)
CALENDAR_LAST = dt.date(2045, 12, 31)


def install_library(apps, schema_editor):
    Exercise = apps.get_model("recovery", "Exercise")
    installed = set(Exercise.objects.filter(clinic__isnull=True).values_list("key", flat=True))
    Exercise.objects.bulk_create(
        Exercise(
            clinic=None,
            key=e.key,
            name=e.name,
            kind=e.kind,
            steps=list(e.steps),
            default_dose=dict(e.dose),
            earliest_day=e.earliest_day,
            precautions=list(e.precautions),
            media_url=e.media_url or "",
        )
        for e in content.EXERCISES
        if e.key not in installed
    )


def uninstall_library(apps, schema_editor):
    apps.get_model("recovery", "Exercise").objects.filter(clinic__isnull=True, prescriptions__isnull=True).delete()


def install_calendar(apps, schema_editor):
    CalendarDay = apps.get_model("recovery", "CalendarDay")
    epoch = dt.date(1970, 1, 1)
    rows = []
    day = CALENDAR_FIRST
    while day <= CALENDAR_LAST:
        iso = day.isocalendar()
        rows.append(
            CalendarDay(
                date=day, epoch_day=(day - epoch).days, weekday=day.weekday(), iso_year=iso.year, iso_week=iso.week
            )
        )
        day += dt.timedelta(days=1)
    CalendarDay.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def uninstall_calendar(apps, schema_editor):
    apps.get_model("recovery", "CalendarDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("recovery", "0003_exercises")]

    operations = [
        migrations.RunPython(install_library, uninstall_library),
        migrations.RunPython(install_calendar, uninstall_calendar),
    ]
