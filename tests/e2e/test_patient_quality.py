"""Every patient screen at 320, 390 and 820 px wide: no sideways scrolling, no axe-core violations, a screenshot of
each in artifacts/screenshots/; and the progress screen in words as well as charts."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from tests.e2e.conftest import Clinic
from tests.e2e.quality import check_screen
from tests.e2e.support import fill_checkin, go, sign_in, tick_sign

SCREENS = (
    ("/app/", "patient-today"),
    ("/app/checkin", "patient-checkin"),
    ("/app/exercises", "patient-exercises"),
    ("/app/assessments", "patient-assessments"),
    ("/app/progress", "patient-progress"),
    ("/app/inbox", "patient-inbox"),
    ("/app/settings", "patient-settings"),
    ("/app/help", "patient-help"),
)


def test_every_patient_screen_fits_320_390_and_820_px_and_passes_axe(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    for path, name in SCREENS:
        page.goto(path)
        expect(page.locator("#main h1")).to_be_visible()
        check_screen(page, name)

    # The check-in's states that only a tap reaches: a warning sign ticked, and the thank-you page
    page.set_viewport_size({"width": 390, "height": 844})
    go(page, "Check in")
    tick_sign(page, "bled through the dressing")
    expect(page.get_by_role("alert")).to_be_visible()
    check_screen(page, "patient-checkin-warning-sign", reload=False)
    tick_sign(page, "bled through the dressing")  # untick it: an ordinary day after all
    fill_checkin(page, back=3, leg=4, walking=30, standing=15)
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.get_by_text("Sent.")).to_be_visible()
    check_screen(page, "patient-checkin-sent", reload=False)


def test_progress_says_in_words_how_pain_and_walking_compare_with_before(phone: BrowserContext, clinic: Clinic):
    """Alice on day 15: baselines back 7, leg 8, walking 10 minutes; her check-ins of days 9 to 12 are the last week's
    (leg 4, 3, 3, 2: mean 3; back 3, 2, 2, 2: mean 2.25; walking 37 to 46: mean 41.5)."""
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    go(page, "Progress")
    words = page.locator(".progress-words")
    expect(words.locator('[data-measure="leg_pain"] .measure-sentence')).to_have_text(
        "Your leg pain is 5 points lower than before the procedure."
    )
    expect(words.locator('[data-measure="back_pain"] .measure-sentence')).to_have_text(
        "Your back pain is 4.8 points lower than before the procedure."
    )
    expect(words.locator('[data-measure="walking_minutes"] .measure-sentence')).to_have_text(
        "You can walk 32 minutes longer without stopping than before the procedure."
    )
    expect(words.locator('[data-measure="leg_pain"] .measure-detail')).to_have_text(
        "Last 7 days: 3 out of 10 on average (4 check-ins). Before the procedure: 8 out of 10."
    )
    expect(words.locator('[data-measure="leg_pain"] .measure-expected')).to_contain_text("about 4.4 out of 10")
    expect(words.locator(".course")).to_have_text(
        "Most people notice a clear improvement 6 to 8 weeks after the procedure. Today is day 15."
    )
    # The charts run on to weeks 6 to 8, shaded, with the level before the procedure dashed across
    expect(page.locator("svg .chart-band")).to_have_count(2)
    assert page.locator("svg .chart-baseline").count() == 4
    expect(page.locator(".legend").first).to_contain_text("Most people feel clearly better by weeks 6 to 8")
