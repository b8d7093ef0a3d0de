"""What the browser tests do again and again: sign in, fill in a check-in, wait for the server, take screenshots."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

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


def answer_red_flags(page: Page, yes: tuple[str, ...] = ()) -> None:
    """Answer every warning-sign question: "Yes" for the questions whose text contains one of `yes`, else "No"."""
    questions = page.locator(".section-red-flags fieldset.yes-no")
    for i in range(questions.count()):
        question = questions.nth(i)
        text = question.locator("legend").inner_text()
        answer = "Yes" if any(part in text for part in yes) else "No"
        question.get_by_text(answer, exact=True).click()


def fill_checkin(
    page: Page, *, back: int, leg: int, walking: int, standing: int, red_flags: tuple[str, ...] = ()
) -> None:
    page.get_by_label("Back pain", exact=True).fill(str(back))
    page.get_by_label("Leg pain", exact=True).fill(str(leg))
    page.get_by_label("The longest you walked today without stopping to rest, in minutes").fill(str(walking))
    page.get_by_label("The longest time you stood without a break, in minutes").fill(str(standing))
    page.get_by_text("None", exact=True).click()
    answer_red_flags(page, red_flags)


def eventually(check: Callable[[], bool], timeout: float = 15.0, message: str = "condition") -> None:
    """Poll the database (or anything) until `check` holds; the app sends in the background."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {message}")
