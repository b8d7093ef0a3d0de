"""The other patient screens: accepting an invitation, the progress check, progress charts, the inbox."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from playwright.sync_api import BrowserContext, expect

from accounts.services import patient_enrol
from notifications.models import Notification
from recovery.models import Assessment
from tests.e2e.conftest import Clinic
from tests.e2e.support import go, shoot, sign_in

NEW_PASSWORD = "blue kettle on the hill"


def test_an_invited_patient_chooses_a_password_and_lands_on_today(phone: BrowserContext, clinic: Clinic):
    patient_enrol(
        by=clinic.carol,
        full_name="Dora Diaz",
        email="dora@patients.example",
        date_of_birth=dt.date(1949, 4, 2),
        time_zone="America/Chicago",
    )
    token = re.search(r"/app/invitation#token=([A-Za-z0-9_-]+)", mail.outbox[-1].body).group(1)
    page = phone.new_page()

    page.goto(f"/app/invitation#token={token}")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    shoot(page, "invitation")

    # Two different passwords are caught before anything is sent
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill("something else entirely")
    page.get_by_role("button", name="Save my password").click()
    expect(page.get_by_text("The two passwords are not the same.")).to_be_visible()

    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my password").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dora")
    expect(page.get_by_role("link", name="Start today's check-in")).to_be_visible()
    assert "token" not in page.url


def test_sign_in_with_a_wrong_password_says_so(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    page.goto("/app/signin")
    page.get_by_label("Email address").fill("alice@patients.example")
    page.get_by_label("Password", exact=True).fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")


def test_progress_check_progress_charts_and_inbox(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")

    # Today says the 2-3 week progress check is ready
    expect(page.get_by_role("heading", name="Your progress check is ready")).to_be_visible()
    page.get_by_role("link", name="Fill it in now").click()
    expect(page.get_by_role("heading", name="2 to 3 week progress check")).to_be_visible()
    shoot(page, "patient-assessments")

    # The pain rating, answered and sent, is scored on the server and marked done
    page.get_by_role("link", name="Pain rating").click()
    expect(page.get_by_role("heading", name="Pain rating")).to_be_visible()
    shoot(page, "patient-assessment-pain")
    sliders = page.locator("input[type=range]")
    sliders.nth(0).fill("4")
    sliders.nth(1).fill("3")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Your answers to the Pain rating are saved.")).to_be_visible()
    taken = Assessment.objects.get(patient=clinic.alice_profile, timepoint="weeks_2_3", instrument="pain")
    assert taken.scores == {"back_pain": 4, "leg_pain": 3}
    expect(page.locator(".task-done")).to_contain_text("Pain rating")

    # Progress draws pain and walking with the level before the procedure
    go(page, "Progress")
    expect(page.get_by_role("img", name="Back and leg pain by day")).to_be_visible()
    expect(page.get_by_role("img", name="Minutes of walking and standing by day")).to_be_visible()
    assert page.locator("svg .chart-baseline").count() == 4
    expect(page.get_by_text("Your leg pain is 5 points lower than before the procedure.")).to_be_visible()
    shoot(page, "patient-progress")

    # The inbox lists the message; opening it marks it read and goes where it points
    go(page, "Inbox")
    expect(page.get_by_text("Your recovery check-up is open")).to_be_visible()
    shoot(page, "patient-inbox")
    page.get_by_text("Your recovery check-up is open").click()
    expect(page).to_have_url(re.compile(r"/app/assessments$"))
    assert Notification.objects.get(recipient=clinic.alice).read_at is not None

    go(page, "Exercise")
    expect(page.get_by_role("heading", name="Today's exercises")).to_be_visible()
    shoot(page, "patient-exercises")


def test_patient_screens_fit_a_small_phone_with_large_targets(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "alice@patients.example")
    for path in (
        "/app/",
        "/app/checkin",
        "/app/exercises",
        "/app/assessments",
        "/app/progress",
        "/app/inbox",
        "/app/settings",
    ):
        page.goto(path)
        expect(page.locator("#main h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        # Nothing wider than the screen, text of 18px, every button and choice at least 48px tall
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
        small = page.evaluate(
            """() => [...document.querySelectorAll('#main button, #main .button, #main .choice, #main input.input,'
                + ' #main select, #tabbar a')].filter(el => el.offsetParent !== null)
                .filter(el => el.getBoundingClientRect().height < 48).map(el => el.textContent.trim() || el.name)"""
        )
        assert small == [], (path, small)
