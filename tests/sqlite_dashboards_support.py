"""The dashboards' answers for the demo clinic, read through their HTTP API: run once on PostgreSQL (the test database)
and once on SQLite (a subprocess with DATABASE_URL=sqlite, `python -m tests.sqlite_dashboards_support`)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from typing import Any

NOW = dt.datetime(2027, 5, 20, 16, tzinfo=dt.UTC)
STAFF = ("admin@riverside.example", "dr.chen@riverside.example", "dr.okafor@riverside.example")
_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")


def dashboards_read() -> dict[str, Any]:
    """Seed the demo (the clock already pinned to NOW) and read the roster, cohort and series of everyone in it, with
    database ids replaced by emails (people) or a placeholder (records), so that two databases compare equal."""
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from accounts.models import PatientProfile, User

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    answers: dict[str, Any] = {}
    clients = {}
    for email in STAFF:
        clients[email] = APIClient()
        clients[email].force_login(User.objects.get(email=email))
        answers[f"roster {email}"] = clients[email].get("/api/v1/clinician/patients?page_size=200").json()
        answers[f"cohort {email}"] = clients[email].get("/api/v1/clinician/cohort?weeks=40").json()
    admin = clients[STAFF[0]]
    for patient in PatientProfile.objects.select_related("user").order_by("user__email"):
        base = f"/api/v1/patients/{patient.pk}/series"
        email = patient.user.email
        answers[f"series {email}"] = admin.get(base).json()
        answers[f"series {email} by day"] = admin.get(f"{base}?from=2026-10-01&to=2027-05-20&bucket=day").json()
        answers[f"series {email} by week"] = admin.get(f"{base}?from=2026-06-01&to=2027-05-20&bucket=week").json()
        answers[f"filtered roster {email}"] = admin.get(
            f"/api/v1/clinician/patients?search={patient.user.full_name.split()[0]}&no_checkin_days=1"
        ).json()
    people = {str(u.pk): u.email for u in User.objects.all()} | {u.pk.hex: u.email for u in User.objects.all()}
    text = _UUID.sub(lambda m: people.get(m.group(0), "<id>"), json.dumps(answers, sort_keys=True))
    return dict(json.loads(text))


def main() -> None:
    import os

    import django
    import time_machine

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with time_machine.travel(NOW, tick=False):
        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host, in-memory email, as under pytest

        # The demo's passwords are hashed once; Argon2's cost is not what this compares.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0, interactive=False)
        sys.stdout.write(json.dumps(dashboards_read()) + "\n")


if __name__ == "__main__":
    main()
