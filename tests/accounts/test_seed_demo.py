"""`manage.py seed_demo`: a demo clinic with staff and patients, safe to run again."""

from __future__ import annotations

import io

from django.apps import apps
from django.core.management import call_command

from accounts.management.commands.seed_demo import DEMO_CLINIC, DEMO_PASSWORD, PATIENTS, STAFF
from accounts.models import CareTeamMember, Clinic, PatientProfile, Role, User
from tests.accounts.support import app_client


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def every_row_count() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_seed_demo_creates_a_clinic_with_staff_and_patients_on_care_teams(db):
    output = seed()

    assert DEMO_CLINIC in output
    clinic = Clinic.objects.get(name=DEMO_CLINIC)
    staff = User.objects.filter(clinic=clinic, role__in=(Role.CLINICIAN, Role.CLINIC_ADMIN))
    assert {u.email for u in staff} == {email for email, _, _ in STAFF}
    assert staff.filter(role=Role.CLINIC_ADMIN).count() == 1
    patients = PatientProfile.objects.filter(user__clinic=clinic)
    assert {p.user.email for p in patients} == {row[0] for row in PATIENTS}
    for patient in patients:
        team = CareTeamMember.objects.filter(patient=patient)
        assert team.filter(is_primary=True).count() == 1
        assert all(m.clinician.role == Role.CLINICIAN and m.clinician.clinic == clinic for m in team)
    # Everyone can sign in for real with the demo password, and sees what their role shows
    assert all(u.is_active for u in User.objects.filter(clinic=clinic))
    clinician = app_client("dr.chen@riverside.example", DEMO_PASSWORD)
    listed = {p["email"] for p in clinician.get("/api/v1/patients").json()["results"]}
    assert {"margaret@patients.example", "harold@patients.example"} <= listed
    margaret = app_client("margaret@patients.example", DEMO_PASSWORD)
    assert margaret.get("/api/v1/me").json()["patient"]["time_zone"] == "America/New_York"


def test_running_seed_demo_again_changes_nothing(db):
    seed()
    # Margaret has since chosen her own password
    margaret = User.objects.get(email="margaret@patients.example")
    margaret.set_password("margarets-own-passphrase")
    margaret.save()
    rows = every_row_count()
    people = list(User.objects.order_by("email").values_list("email", "password", "full_name", "is_active"))

    seed()

    assert every_row_count() == rows
    assert list(User.objects.order_by("email").values_list("email", "password", "full_name", "is_active")) == people
    margaret.refresh_from_db()
    assert margaret.check_password("margarets-own-passphrase")
