"""The README's demo table is true: `seed_demo` seeds exactly who it says, with the roles, care teams, days since the
procedure, open milestones and alerts it names. The table is read from README.md itself, so editing one without the
other fails here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.management.commands.seed_demo import DEMO_PASSWORD
from accounts.models import CareTeamMember, Role, User
from recovery.models import Alert
from tests.accounts.support import app_client, app_login

README = Path(__file__).resolve().parents[2] / "README.md"
ROLES = {
    "Clinic admin": Role.CLINIC_ADMIN,
    "Clinician": Role.CLINICIAN,
    "Patient": Role.PATIENT,
    "Caregiver of": Role.CAREGIVER,
}


@dataclass(frozen=True)
class Row:
    who: str
    email: str
    shows: str


def demo_table() -> list[Row]:
    """The rows of the markdown table under "### Demo logins"."""
    text = README.read_text()
    section = text.split("### Demo logins", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert rows[0].replace(" ", "") == "|who|email|whatyouwillsee|", rows[0]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]
    return [Row(who, email, shows) for who, email, shows in cells]


def names(listed: str) -> set[str]:
    """ "Margaret, Harold and Rosa" -> {"Margaret", "Harold", "Rosa"}."""
    return {name.strip() for name in re.split(r",| and ", listed) if name.strip()}


@pytest.fixture
def seeded(db, settings, time_machine):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(dt.datetime(2027, 5, 20, 16, tzinfo=dt.UTC), tick=False)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return demo_table()


def test_the_readme_table_lists_every_demo_login_with_its_role(seeded):
    assert len(seeded) == User.objects.filter(email__endswith=".example").count() == 11
    for row in seeded:
        user = User.objects.get(email=row.email)
        assert user.role == ROLES[re.sub(r"^(Caregiver of) .*|,.*", r"\1", row.who)], row
        assert user.check_password(DEMO_PASSWORD)
        # Whoever the table says reads Spanish does; everyone else reads English
        assert user.language == ("es" if "reads Spanish" in row.shows else "en"), row


def test_each_clinician_is_primary_for_exactly_the_patients_the_readme_names_and_sees_no_others(seeded):
    clinicians = [row for row in seeded if row.who == "Clinician"]
    assert len(clinicians) == 2
    for row in clinicians:
        match = re.fullmatch(r"primary clinician of (.+)", row.shows)
        assert match, row
        clinician = User.objects.get(email=row.email)
        memberships = CareTeamMember.objects.filter(clinician=clinician).select_related("patient__user")
        # primary for exactly those, and on no other patient's care team
        assert {m.patient.user.get_short_name() for m in memberships if m.is_primary} == names(match.group(1))
        assert all(m.is_primary for m in memberships)
        # so the demo shows it: the clinician's list holds only them, and another's patient is "not found"
        client = app_client(row.email, DEMO_PASSWORD)
        listed = client.get("/api/v1/patients").json()["results"]
        assert {p["email"] for p in listed} == {m.patient.user.email for m in memberships}
        others = User.objects.filter(role=Role.PATIENT, email__endswith=".example").exclude(
            pk__in=[m.patient_id for m in memberships]
        )
        assert others.exists()
        for other in others:
            assert client.get(f"/api/v1/patients/{other.pk}").status_code == 404


def test_each_patient_is_at_the_day_with_the_open_milestones_and_alerts_the_readme_says(seeded):
    patients = [row for row in seeded if re.fullmatch(r"Patient, day \d+", row.who)]
    assert len(patients) == 6
    claims = 0
    for row in patients:
        client = app_client(row.email, DEMO_PASSWORD)
        day = int(re.fullmatch(r"Patient, day (\d+)", row.who).group(1))
        assert client.get("/api/v1/me/recovery").json()["day"] == day, row

        milestones = client.get("/api/v1/me/milestones").json()
        milestones = milestones["results"] if isinstance(milestones, dict) else milestones
        for title in re.findall(r"the (.+?) is open", row.shows):
            claims += 1
            [milestone] = [m for m in milestones if m["title"].lower() == title.lower()]
            assert milestone["status"] == "open", (row, milestone)
            assert milestone["completed_at"] is None, (row, milestone)

        patient = User.objects.get(email=row.email).patient_profile
        for tier in re.findall(r"an open (emergency|urgent|watch) alert", row.shows):
            claims += 1
            assert Alert.objects.filter(patient=patient, tier=tier, state="open").count() == 1, row
        if "alert" not in row.shows:
            assert not Alert.objects.filter(patient=patient, tier__in=("emergency", "urgent"), state="open").exists()
    # Rosa's and June's open milestones and Walter's urgent alert: the claims were all read
    assert claims == 3


def test_the_patient_preparing_has_her_procedure_when_the_readme_says_and_half_her_checklist_ticked(seeded):
    preparing = [row for row in seeded if row.who.startswith("Patient, procedure")]
    assert len(preparing) == 1
    [row] = preparing
    days = int(re.fullmatch(r"Patient, procedure in (\d+) days", row.who).group(1))
    client = app_client(row.email, DEMO_PASSWORD)
    preparation = client.get("/api/v1/me/preparation").json()
    assert preparation["days_to_go"] == days
    assert preparation["countdown"] == f"Your procedure is in {days} days"
    assert "half of her checklist is ticked" in row.shows
    ticked = [item for item in preparation["items"] if item["done_at"]]
    assert len(ticked) == len(preparation["items"]) // 2 and ticked
    assert "baseline questions are not answered yet" in row.shows
    assert preparation["baseline"]["done"] == []
    # Today has no "day N" yet: no procedure is done
    assert client.get("/api/v1/me/recovery").json()["day"] is None


def test_the_caregiver_helps_the_patient_the_readme_names_and_logged_her_day_1_check_in(seeded):
    [row] = [row for row in seeded if row.who.startswith("Caregiver of ")]
    patient_name = row.who.removeprefix("Caregiver of ")
    relationship = re.fullmatch(
        rf"{patient_name}'s (\w+); has logged {patient_name}'s day 1 check-in for her"
        r", and gets her reminders: one is in her inbox",
        row.shows,
    )
    assert relationship, row
    caregiver = User.objects.get(email=row.email)
    client = app_client(row.email, DEMO_PASSWORD)
    # One of the patient's reminders is in her inbox, naming the patient
    inbox = client.get("/api/v1/me/inbox").json()["results"]
    assert [item["about"]["name"].split()[0] for item in inbox] == [patient_name], inbox

    # She helps exactly that patient, as what the table says
    [helped] = client.get("/api/v1/me/caring-for").json()
    assert (helped["full_name"].split()[0], helped["relationship"]) == (patient_name, relationship.group(1))

    # And the patient's day 1 check-in is there, entered by her, as the clinician sees it
    token = app_login(APIClient(), row.email, DEMO_PASSWORD).json()["meta"]["session_token"]
    client.credentials(HTTP_X_SESSION_TOKEN=token, HTTP_X_PATIENT=helped["patient"])
    assert client.get("/api/v1/me/recovery").json()["day"] == 1
    [checkin] = [c for c in client.get("/api/v1/me/checkins").json()["results"] if c["day"] == 1]
    assert checkin["entered_by"]["shown_as"] == f"{caregiver.full_name}, {relationship.group(1)}"
