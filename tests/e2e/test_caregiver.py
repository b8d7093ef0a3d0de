"""A caregiver in the app: chooses whom she is helping, sees it named on every screen, and fills in the check-in for
her; the patient manages the people who help her from Settings."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from accounts.models import CaregiverLink, Role, User
from recovery.models import CheckIn
from tests.e2e.conftest import Clinic
from tests.e2e.support import eventually, fill_checkin, go, shoot, sign_in
from tests.factories import UserFactory


def test_a_caregiver_chooses_the_patient_and_checks_in_for_her(phone: BrowserContext, clinic: Clinic):
    # Given Anna, Alice's daughter, whom Alice lets see her recovery and fill in her check-ins
    anna = UserFactory(
        email="anna@family.example", full_name="Anna Ellis", role=Role.CAREGIVER, clinic=clinic.alice.clinic
    )
    link = CaregiverLink.objects.create(
        patient=clinic.alice_profile, caregiver=anna, relationship="daughter", invited_by=clinic.alice,
        can_view=True, can_log=True,
    )  # fmt: skip
    today = clinic.alice_profile.local_today()
    page = phone.new_page()

    # When she signs in, she is asked whom she is helping, and chooses Alice
    sign_in(page, "anna@family.example")
    expect(page.get_by_role("heading", name="Who are you helping?")).to_be_visible()
    shoot(page, "caregiver-chooser")
    page.get_by_role("button", name="Alice Adams (your daughter)").click()

    # Then every screen says whom she is helping
    expect(page.locator("#helping-banner")).to_have_text("Helping Alice Adams")
    go(page, "Check in")
    expect(page.get_by_role("heading", name="Daily check-in")).to_be_visible()
    expect(page.locator("#helping-banner")).to_have_text("Helping Alice Adams")

    # And the check-in she sends is Alice's, entered by her
    fill_checkin(page, back=3, leg=4, walking=30, standing=15)
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.get_by_text("Sent.")).to_be_visible()
    shoot(page, "caregiver-checkin-sent")
    eventually(lambda: CheckIn.objects.filter(patient=clinic.alice_profile, local_date=today).exists())
    assert CheckIn.objects.get(patient=clinic.alice_profile, local_date=today).entered_by == link


def test_a_patient_invites_and_removes_a_caregiver_in_settings(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    page.goto("/app/settings")
    page.get_by_role("link", name="People who help me").click()
    expect(page.get_by_role("heading", name="People who help me", level=1)).to_be_visible()

    # She invites her son, to see her recovery and fill in her check-ins
    page.get_by_label("Their name").fill("Tom Adams")
    page.get_by_label("Their email address").fill("tom@family.example")
    page.get_by_label("How are they related to you?").fill("son")
    page.get_by_text("Fill in my check-ins and exercise sessions for me").click()
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("heading", name="Tom Adams, your son")).to_be_visible()
    shoot(page, "patient-caregivers")
    link = CaregiverLink.objects.get(caregiver__email="tom@family.example")
    assert link.grants == ["view", "log"]
    assert User.objects.get(email="tom@family.example").role == Role.CAREGIVER

    # An address that is her clinician's is refused, saying why
    page.get_by_label("Their name").fill("Carol")
    page.get_by_label("Their email address").fill("carol@riverside.example")
    page.get_by_label("How are they related to you?").fill("friend")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("belongs to a member of clinic staff")).to_be_visible()

    # And she stops sharing with him
    page.get_by_role("button", name="Stop sharing with Tom Adams").click()
    expect(page.get_by_role("heading", name="Tom Adams, your son")).to_have_count(0)
    link.refresh_from_db()
    assert link.revoked_at is not None
