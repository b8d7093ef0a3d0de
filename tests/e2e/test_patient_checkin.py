"""The daily check-in on a phone: one list of warning signs with a large "None of these", details only for a yes, a
pain scale with nothing preselected, medicine names in the clinic's words, and the taps it takes on an ordinary day."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import BrowserContext, Locator, Page, expect

from accounts.models import Clinic as ClinicModel
from recovery.content.healthcare_use import CURRENT as HEALTHCARE_USE
from recovery.content.red_flags import RED_FLAG_QUESTIONS
from recovery.models import CheckIn
from tests.e2e.conftest import Clinic
from tests.e2e.support import shoot, sign_in, tick_sign

WOUND_BLEEDING = "bled through the dressing"
THUMB = 34  # the slider's handle, px (app.css .scale-range::-webkit-slider-thumb)


class Taps:
    """Counts what a person does with a finger: taps on the screen and key presses on the phone's number keypad."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.screen = 0
        self.keypad = 0

    def tap(self, target: Locator, **position: float) -> None:
        target.click(position=position or None)
        self.screen += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.keypad += len(text)

    @property
    def total(self) -> int:
        return self.screen + self.keypad


def slider_at(slider: Locator, value: int, maximum: int = 10) -> dict[str, float]:
    """Where on a 0-maximum slider the handle's centre sits for `value` (the track runs between half-handles)."""
    box = slider.bounding_box()
    assert box is not None
    return {"x": THUMB / 2 + (box["width"] - THUMB) * value / maximum, "y": box["height"] / 2}


def handle_pixels(slider: Locator) -> int:
    """How many pixels of the slider's picture have the handle's colour (the brand blue, #0b4f6c): the screenshot is
    decoded in the page (createImageBitmap) and counted there."""
    png = list(slider.screenshot())
    return slider.page.evaluate(
        """async bytes => {
            const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], {type: 'image/png'}));
            const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
            const context = canvas.getContext('2d');
            context.drawImage(bitmap, 0, 0);
            const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
            let count = 0;
            for (let i = 0; i < data.length; i += 4) {
                const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
                if (Math.abs(r - 0x0b) < 8 && Math.abs(g - 0x4f) < 8 && Math.abs(b - 0x6c) < 8) count += 1;
            }
            return count;
        }""",
        png,
    )


def test_an_ordinary_day_takes_twelve_taps_or_fewer_from_today_to_sent(phone: BrowserContext, clinic: Clinic):
    alice = clinic.alice_profile
    # An ordinary day is not the weekly question's: she answered it ("no") on her check-in three days ago
    answered = CheckIn.objects.filter(patient=alice, local_date=alice.local_today() - dt.timedelta(days=3))
    assert answered.update(healthcare_use=False, healthcare_use_version=HEALTHCARE_USE.version) == 1
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    expect(page.get_by_text("Day 15 after your procedure")).to_be_visible()
    taps = Taps(page)

    taps.tap(page.get_by_role("link", name="Start today's check-in"))
    expect(page.get_by_role("heading", name="Daily check-in")).to_be_visible()
    back = page.get_by_label("Back pain", exact=True)
    leg = page.get_by_label("Leg pain", exact=True)
    # Nothing is preselected: no handle on either slider, and screen readers hear "Not chosen yet"
    for slider in (back, leg):
        expect(slider).to_have_attribute("aria-valuetext", "Not chosen yet")
        assert handle_pixels(slider) == 0
    taps.tap(back, **slider_at(back, 3))
    taps.tap(leg, **slider_at(leg, 4))
    expect(back).to_have_attribute("aria-valuetext", "3 out of 10")
    expect(leg).to_have_attribute("aria-valuetext", "4 out of 10")
    assert handle_pixels(back) > 200  # a handle of 34 px across is drawn now
    taps.tap(page.get_by_label("The longest you walked today without stopping to rest, in minutes"))
    taps.type("20")
    taps.tap(page.get_by_label("The longest time you stood without a break, in minutes"))
    taps.type("10")
    taps.tap(page.get_by_text("None", exact=True))
    # One list of warning signs, with their details hidden until one is ticked
    expect(page.locator(".section-red-flags li.sign")).to_have_count(len(RED_FLAG_QUESTIONS))
    expect(page.locator(".sign-details:visible")).to_have_count(0)
    expect(page.get_by_text(HEALTHCARE_USE.question)).to_have_count(0)
    taps.tap(page.get_by_text("None of these", exact=True))
    taps.tap(page.get_by_role("button", name="Send my check-in"))
    expect(page.get_by_text("Sent.")).to_be_visible()

    print(
        f"\nTaps from Today to 'sent' on a day with no warning signs: {taps.total} "
        f"({taps.screen} on the screen, {taps.keypad} on the number keypad)"
    )
    assert taps.total <= 12
    stored = CheckIn.objects.get(patient=alice, local_date=alice.local_today())
    assert (stored.back_pain, stored.leg_pain, stored.walking_minutes, stored.standing_minutes) == (3, 4, 20, 10)
    assert (stored.medication, stored.symptoms, stored.red_flags) == ("none", [], [])


def test_a_yes_shows_its_details_and_what_to_do_and_none_of_these_takes_it_back(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    page.locator("#tabbar").get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="Daily check-in")).to_be_visible()
    # The symptom ticks no longer repeat the warning sign on numbness and tingling
    expect(page.locator('fieldset[data-field="symptoms"] .choice')).to_have_text(
        ["Weakness in your legs", "Soreness, bruising or swelling around the small wound on your back"]
    )

    tick_sign(page, WOUND_BLEEDING)
    sign = page.locator(".section-red-flags li.sign", has_text=WOUND_BLEEDING)
    expect(sign.locator(".sign-details")).to_be_visible()
    expect(sign.locator(".sign-details")).to_contain_text("soaks through the dressing")
    expect(page.locator(".sign-details:visible")).to_have_count(1)
    expect(page.get_by_role("alert").filter(has_text="Call your clinic today")).to_be_visible()
    shoot(page, "patient-checkin-sign-ticked")

    page.get_by_text("None of these", exact=True).click()
    expect(sign.locator("input")).not_to_be_checked()
    expect(page.locator(".sign-details:visible")).to_have_count(0)
    expect(page.get_by_text("Call your clinic today")).to_have_count(0)

    # Sending with neither a sign nor "None of these" asks for one of them
    page.get_by_text("None of these", exact=True).click()
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.locator('fieldset[data-field="red_flags"] .field-error')).to_have_text(
        'Please tick the warning signs you have had, or "None of these".'
    )
    assert not CheckIn.objects.filter(patient=clinic.alice_profile, local_date=clinic.alice_profile.local_today())


def test_the_pain_scale_starts_at_zero_and_says_its_value(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    page.locator("#tabbar").get_by_role("link", name="Check in").click()
    back = page.get_by_label("Back pain", exact=True)
    leg = page.get_by_label("Leg pain", exact=True)

    # Minus on an unanswered scale chooses 0 (never 10), plus chooses 1; the number is said aloud each time
    page.get_by_role("button", name="Back pain: lower").click()
    expect(back).to_have_attribute("aria-valuetext", "0 out of 10")
    expect(page.get_by_role("status").filter(has_text="Back pain: 0 out of 10")).to_have_count(1)
    page.get_by_role("button", name="Leg pain: higher").click()
    expect(leg).to_have_attribute("aria-valuetext", "1 out of 10")
    page.get_by_role("button", name="Leg pain: higher").click()
    expect(page.get_by_role("status").filter(has_text="Leg pain: 2 out of 10")).to_have_count(1)
    expect(page.locator(".scale-value")).to_have_text(["0", "2"])


def test_medicine_names_follow_the_clinic(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    page.locator("#tabbar").get_by_role("link", name="Check in").click()
    medication = page.locator('fieldset[data-field="medication"]')
    expect(medication).to_contain_text("for example acetaminophen or ibuprofen")  # Riverside is in the US
    expect(medication).not_to_contain_text("paracetamol")

    ClinicModel.objects.filter(pk=clinic.alice.clinic_id).update(paracetamol_name="paracetamol")
    page.reload()
    expect(medication).to_contain_text("for example paracetamol or ibuprofen")
    expect(medication).not_to_contain_text("acetaminophen")
