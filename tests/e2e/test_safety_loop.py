"""Closing the safety loop in the browser: the pinned "What to do now" card with a working call link, the emergency
panel's call buttons above the tab bar, "When to get help" offline, and what the clinician sees of the trigger."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import BrowserContext, expect

from accounts.models import PatientProfile
from recovery.models import Alert
from tests.e2e.conftest import Clinic
from tests.e2e.support import service_worker_in_control, shoot, sign_in, tick_sign
from tests.factories import AlertFactory, CheckInFactory

BLADDER = "lost control of your bladder"


def test_an_open_urgent_alert_pins_what_to_do_with_a_call_link_on_today_and_inbox(
    phone: BrowserContext, clinic: Clinic
):
    # Bob has an open urgent alert (a fever)
    page = phone.new_page()
    sign_in(page, "bob@patients.example")

    card = page.locator(".what-to-do")
    expect(card.get_by_role("heading", name="What to do now")).to_be_visible()
    expect(card).to_contain_text("Call your clinic today")
    call = card.get_by_role("link", name="Call Riverside Spine Clinic")
    expect(call).to_be_visible()
    assert call.get_attribute("href") == "tel:+15550102030"
    expect(card).to_contain_text("Your clinic has not seen it yet")
    shoot(page, "patient-today-what-to-do")

    # Once Dr Carol acknowledges it, the card says so, in Bob's local time
    alert = Alert.objects.get(patient__user=clinic.bob)
    Alert.objects.filter(pk=alert.pk).update(
        state="acknowledged", acknowledged_at=dt.datetime(2027, 6, 16, 18, 5, tzinfo=dt.UTC)
    )
    page.locator("#tabbar").get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    expect(page.locator(".what-to-do")).to_contain_text("Your clinic knows, since 14:05")  # 18:05 UTC in New York


def test_the_emergency_panels_call_buttons_sit_above_the_tab_bar(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    page.locator("#tabbar").get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="Daily check-in")).to_be_visible()

    tick_sign(page, BLADDER)

    panel = page.get_by_role("alert").filter(has_text="Get emergency help now")
    expect(panel).to_be_visible()
    buttons = panel.locator(".call-buttons a")
    expect(buttons).to_have_count(2)
    assert [buttons.nth(i).get_attribute("href") for i in range(2)] == ["tel:911", "tel:+15550102030"]
    page.wait_for_timeout(400)  # the scroll settles
    tabbar = page.locator("#tabbar").bounding_box()
    assert tabbar is not None
    for i in range(2):
        box = buttons.nth(i).bounding_box()
        assert box is not None
        assert box["y"] >= 0, box
        assert box["y"] + box["height"] <= tabbar["y"], (box, tabbar)
    shoot(page, "patient-checkin-emergency-buttons")


def test_when_to_get_help_opens_offline_from_any_screen(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "charlie@patients.example")
    service_worker_in_control(page)
    page.wait_for_function("() => window.indexedDB !== undefined")
    page.locator("#tabbar").get_by_role("link", name="Progress").click()
    page.wait_for_timeout(1000)  # the cache is filled after sign-in

    phone.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.locator("#topnav").get_by_role("link", name="When to get help").click()

    expect(page.get_by_role("heading", name="When to get help", level=1)).to_be_visible()
    expect(page.get_by_text("You feel numb between your legs or around your bottom.")).to_be_visible()
    expect(page.get_by_text("The wound bleeds through the dressing.")).to_be_visible()
    assert page.get_by_role("link", name="Call 911").first.get_attribute("href") == "tel:911"
    shoot(page, "patient-when-to-get-help-offline")


def test_the_clinicians_alert_page_shows_the_triggering_answers_and_note(desk: BrowserContext, clinic: Clinic):
    profile = PatientProfile.objects.get(user=clinic.charlie)
    profile.phone = "+1 555 777 8888"
    profile.emergency_contact_name = "Chris Clark"
    profile.emergency_contact_phone = "+1 555 999 0000"
    profile.save()
    checkin = CheckInFactory(
        patient=profile,
        local_date=profile.local_today(),
        back_pain=8,
        leg_pain=6,
        red_flags=["wound_bleeding"],
        symptoms=["leg_weakness"],
        note="Blood through the plaster twice today.",
    )
    alert = AlertFactory(patient=profile, rule="wound_bleeding", rule_set_version=2, trigger=f"checkin:{checkin.pk}")

    page = desk.new_page()
    sign_in(page, "carol@riverside.example")
    page.goto(f"/app/clinician/alerts/{alert.pk}")

    reported = page.locator("section.trigger")
    expect(reported.get_by_role("heading", name="What the patient reported")).to_be_visible()
    expect(reported).to_contain_text("Blood through the plaster twice today.")
    expect(reported).to_contain_text("Has the small wound on your back bled through the dressing?")
    expect(reported).to_contain_text("Back 8/10, leg 6/10")
    expect(reported).to_contain_text("Weakness in your legs")
    contact = page.locator("section.contact")
    assert contact.get_by_role("link", name="Call +1 555 777 8888").get_attribute("href") == "tel:+15557778888"
    assert contact.get_by_role("link", name="Call +1 555 999 0000").get_attribute("href") == "tel:+15559990000"
    shoot(page, "clinician-alert-trigger")
