"""What the browser tests do again and again: sign in, fill in a check-in, wait for the server, take screenshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.support import wait_for

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "artifacts" / "screenshots"


def shoot(page: Page, name: str) -> None:
    """A screenshot of what the screen shows now (the viewport: what a person sees on the phone)."""
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/app/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in")).to_have_count(0)


def service_worker_in_control(page: Page) -> None:
    """Wait until the service worker is installed (the shell is precached) and controls the page."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.evaluate("navigator.serviceWorker.ready")


def go(page: Page, tab: str) -> None:
    """Open a screen from the tab bar (client-side navigation: works offline)."""
    page.locator("#tabbar").get_by_role("link", name=tab).click()


def tick_sign(page: Page, text: str) -> None:
    """Tick (or untick) the warning sign whose question contains `text`."""
    page.locator(".section-red-flags li.sign", has_text=text).locator("label.choice").click()


def answer_red_flags(page: Page, yes: tuple[str, ...] = ()) -> None:
    """Tick the warning signs whose question contains one of `yes`; with none, tap "None of these"."""
    for part in yes:
        tick_sign(page, part)
    if not yes:
        page.get_by_text("None of these", exact=True).click()


def fill_checkin(
    page: Page,
    *,
    back: int,
    leg: int,
    walking: int,
    standing: int,
    red_flags: tuple[str, ...] = (),
    healthcare_use: bool = False,
) -> None:
    """Fill in the daily check-in; the weekly question about emergency visits and hospital stays, when the form asks
    it, is answered with `healthcare_use`."""
    page.get_by_label("Back pain", exact=True).fill(str(back))
    page.get_by_label("Leg pain", exact=True).fill(str(leg))
    page.get_by_label("The longest you walked today without stopping to rest, in minutes").fill(str(walking))
    page.get_by_label("The longest time you stood without a break, in minutes").fill(str(standing))
    page.get_by_text("None", exact=True).click()
    answer_red_flags(page, red_flags)
    weekly = page.locator("fieldset.yes-no", has_text="Since last week")
    if weekly.count():
        weekly.get_by_text("Yes" if healthcare_use else "No", exact=True).click()


def eventually(check: Callable[[], bool], timeout: float = 15.0, message: str = "condition") -> None:
    """Poll the database (or anything) until `check` holds; the app sends in the background."""
    wait_for(check, message, timeout, every=0.2)
