"""An emergency answer tells the patient what to do at once (offline too); her clinician sees her first."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from recovery.models import Alert, AlertState, CheckIn
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import Clinic
from tests.e2e.support import eventually, fill_checkin, service_worker_in_control, shoot, sign_in, tick_sign

BLADDER = "lost control of your bladder"


def test_emergency_answer_shows_the_instruction_at_once_and_tops_the_clinicians_roster(
    phone: BrowserContext, desk: BrowserContext, clinic: Clinic
):
    alice = clinic.alice_profile
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    service_worker_in_control(page)
    page.locator("#tabbar").get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="Daily check-in")).to_be_visible()

    # When, with no connection, Alice says she has lost control of her bladder
    phone.set_offline(True)
    tick_sign(page, BLADDER)

    # Then the emergency instruction is on screen at once, worked out on the phone
    instruction = page.get_by_role("alert").filter(has_text="Get emergency help now")
    expect(instruction).to_be_visible()
    expect(instruction).to_contain_text("Call 911 now")
    shoot(page, "patient-checkin-emergency")

    # And "None of these" takes it away again (and unticks the sign); ticking it brings it back
    page.get_by_text("None of these", exact=True).click()
    expect(page.get_by_text("Get emergency help now")).to_have_count(0)
    expect(page.locator(".section-red-flags li.sign input:checked")).to_have_count(0)

    # When she is online again and sends the check-in with that answer
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    fill_checkin(page, back=6, leg=7, walking=5, standing=3, red_flags=(BLADDER,))
    page.get_by_role("button", name="Send my check-in").click()

    # Then the server's instruction is shown, and an emergency alert is raised
    expect(page.get_by_role("heading", name="Get emergency help now")).to_be_visible()
    expect(page.get_by_text("Sent.")).to_be_visible()
    shoot(page, "patient-checkin-emergency-sent")
    assert CheckIn.objects.filter(patient=alice).count() == 13
    eventually(lambda: Alert.objects.filter(patient=alice, tier="emergency").exists(), message="the emergency alert")

    # When her clinician signs in on a desktop
    desktop = desk.new_page()
    sign_in(desktop, "carol@riverside.example")

    # Then Alice is at the top of the roster, with her emergency alert; Bob (urgent) comes next
    expect(desktop.get_by_role("heading", name="Patients")).to_be_visible()
    rows = desktop.locator("table.roster tbody tr:not(.row-detail)")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("th a")).to_have_text("Alice Adams")
    expect(rows.nth(0)).to_contain_text("1 emergency")
    expect(rows.nth(1).locator("th a")).to_have_text("Bob Baker")
    expect(rows.nth(1)).to_contain_text("1 urgent")
    shoot(desktop, "clinician-roster-desktop")
    desktop.set_viewport_size({"width": 390, "height": 844})
    shoot(desktop, "clinician-roster")
    desktop.set_viewport_size({"width": 1280, "height": 900})

    # And the roster filters by alert tier
    desktop.get_by_label("Alerts").select_option("urgent")
    desktop.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator("th a")).to_have_text("Bob Baker")
    desktop.get_by_role("link", name="Clear").click()
    expect(rows).to_have_count(3)

    # And by phase: the phases of the clinic's protocol, as the server lists them
    phase = desktop.get_by_label("Phase")
    expect(phase.locator("option")).to_have_text(
        ["Any", "Procedure day", "The first days", "Weeks 1 to 3", "Weeks 3 to 8", "Staying well"]
    )
    phase.select_option("weeks_3_8")
    desktop.get_by_role("button", name="Filter").click()
    expect(desktop.locator("table.roster", has_text="Alice Adams")).to_have_count(0)
    expect(rows.locator("th a", has_text="Bob Baker")).to_have_count(1)
    expect(desktop.get_by_label("Phase")).to_have_value("weeks_3_8")
    desktop.get_by_role("link", name="Clear").click()
    expect(rows).to_have_count(3)

    # And her record shows the charts against the expected recovery
    desktop.get_by_role("link", name="Alice Adams").click()
    expect(desktop.get_by_role("heading", name="Alice Adams")).to_be_visible()
    expect(desktop.get_by_role("img", name="Back and leg pain by day after the procedure")).to_be_visible()
    expect(desktop.locator(".alert-item.alert-emergency")).to_have_count(1)
    expect(desktop.locator("section.trigger")).to_have_count(1)  # what she reported, under the open alert
    assert_no_axe_violations(desktop, "the patient page (daily series, an open emergency alert)")
    shoot(desktop, "clinician-patient-desktop")
    desktop.set_viewport_size({"width": 390, "height": 844})
    shoot(desktop, "clinician-patient")
    desktop.set_viewport_size({"width": 1280, "height": 900})

    # When she acknowledges the alert in the queue, then resolves it
    desktop.locator("#topnav").get_by_role("link", name="Alerts").click()
    alerts = desktop.locator(".alert-item")
    expect(alerts.first).to_contain_text("Emergency")
    expect(alerts.first).to_contain_text("Alice Adams")
    assert_no_axe_violations(desktop, "the alert queue")
    shoot(desktop, "clinician-alerts-desktop")
    desktop.set_viewport_size({"width": 390, "height": 844})
    shoot(desktop, "clinician-alerts")
    desktop.set_viewport_size({"width": 1280, "height": 900})
    alerts.first.get_by_role("button", name="Acknowledge").click()
    expect(alerts.first).to_contain_text("Acknowledged")
    alert = Alert.objects.get(patient=alice, tier="emergency")
    eventually(lambda: Alert.objects.get(pk=alert.pk).state == AlertState.ACKNOWLEDGED, message="acknowledged")
    alerts.first.get_by_label("What was done (needed to resolve)").fill(
        "Called Alice; she is at the emergency department."
    )
    alerts.first.get_by_role("button", name="Resolve").click()
    expect(alerts.first).to_contain_text("Resolved")
    eventually(lambda: Alert.objects.get(pk=alert.pk).state == AlertState.RESOLVED, message="resolved")
