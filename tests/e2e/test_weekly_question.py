"""The weekly question of the check-in: asked when it is due, and a "yes" reaches the care team as a watch alert and a
draft adverse event."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from recovery.models import AdverseEvent, Alert, CheckIn
from tests.e2e.conftest import Clinic
from tests.e2e.support import eventually, fill_checkin, service_worker_in_control, sign_in

WEEKLY = "Since last week, have you been to an emergency department, or stayed in hospital?"


def test_a_yes_to_the_weekly_question_opens_a_draft_adverse_event(phone: BrowserContext, clinic: Clinic):
    alice = clinic.alice_profile
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    service_worker_in_control(page)
    page.locator("#tabbar").get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="Daily check-in")).to_be_visible()

    # The question is on today's form (she has not answered it this week), and must be answered
    expect(page.locator("fieldset.yes-no", has_text=WEEKLY)).to_be_visible()
    fill_checkin(page, back=4, leg=4, walking=20, standing=10, healthcare_use=True)
    page.get_by_role("button", name="Send my check-in").click()

    expect(page.get_by_text("Sent.")).to_be_visible()
    eventually(lambda: CheckIn.objects.filter(patient=alice, healthcare_use=True).exists(), message="the answer")
    assert Alert.objects.filter(patient=alice, rule="healthcare_use", tier="watch").count() == 1
    [draft] = AdverseEvent.objects.filter(patient=alice)
    assert draft.status == "draft"
