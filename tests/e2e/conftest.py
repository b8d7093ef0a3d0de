"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser), headless, against
pytest-django's live server (a real HTTP server on a thread, transactional database).

The cast: Riverside clinic, Dr Carol (clinician) and her patients Alice (day 15 after her procedure: the 2-3 week
progress check is open), Bob (an open urgent alert) and Charlie (nothing to report). Screenshots of every screen at a
phone viewport go to artifacts/screenshots/ (not committed).

The clock: the server (the test, the live server thread) starts at E2E_NOW and runs on from there (time_machine), and
each browser profile's clock starts at the server's time (Playwright's clock), so "today", "yesterday" and the
day's exercise sessions are the same at whatever hour the suite runs.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, expect, sync_playwright

from accounts.models import PatientProfile, User
from notifications.models import Notification
from tests.conftest import migration_data_install
from tests.e2e.support import SCREENSHOTS
from tests.factories import (
    AlertFactory,
    AssessmentFactory,
    CheckInFactory,
    ClinicFactory,
    ClinicianFactory,
    PatientFactory,
    UserFactory,
)
from tests.support import procedure_done

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Wednesday 16 June 2027, 11:00 in New York (EDT): the morning's exercise sessions are past, the afternoon's to come.
# Chromium's own network stack (cookies, HTTP caches) keeps the real time; the server's cookies carry Max-Age.
E2E_NOW = dt.datetime(2027, 6, 16, 15, 0, tzinfo=dt.UTC)
# How long an expectation waits for the page, as long as an action may (the contexts' default timeout): a screen that
# loads several API answers can take more than Playwright's 5 s default on a busy 2-core machine.
expect.set_options(timeout=15_000)


@pytest.fixture(autouse=True)
def _server_clock() -> Iterator[None]:
    """The server's clock at E2E_NOW and moving on, before any of the test's data is made."""
    with time_machine.travel(E2E_NOW, tick=True):
        yield


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is not installed: `make browser` installs Debian's chromium package.")
    # Playwright's sync API runs an event loop in this thread; Django would refuse the ORM calls the tests make
    # between browser steps. They are plain synchronous calls, so the guard can stand down for these tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                headless=True,
                args=CHROMIUM_ARGS,
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _print_console(context: BrowserContext) -> None:
    """The pages' errors end up in the test's captured output, shown when a test fails."""
    context.on("console", lambda message: print(f"[browser {message.type}] {message.text}"))
    context.on("weberror", lambda error: print(f"[browser error] {error.error}"))


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[BrowserContext]:
    """A phone-sized browser profile of its own (cookies, service worker, IndexedDB), on the live server."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, device_scale_factor=1)
    context.clock.install(time=timezone.now())  # the pages' Date starts at the server's time and runs on
    context.set_default_timeout(15_000)
    _print_console(context)
    yield context
    context.close()


@pytest.fixture
def desk(browser: Browser, live_server) -> Iterator[BrowserContext]:
    """A clinician's desktop browser."""
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, device_scale_factor=1)
    context.clock.install(time=timezone.now())
    context.set_default_timeout(15_000)
    _print_console(context)
    yield context
    context.close()


@dataclass
class Clinic:
    carol: User
    alice: User
    bob: User
    charlie: User

    @property
    def alice_profile(self) -> PatientProfile:
        return PatientProfile.objects.get(user=self.alice)


def _patient(email: str, name: str, clinic, clinician: User) -> User:
    PatientFactory(
        user=UserFactory(email=email, full_name=name, role="patient", clinic=clinic),
        care_team=[clinician],
        time_zone="America/New_York",
    )
    user = User.objects.get(email=email)
    # Enrolled a month ago, so missed days of the last week can be added.
    PatientProfile.objects.filter(user=user).update(enrolled_at=timezone.now() - dt.timedelta(days=30))
    return user


@pytest.fixture
def clinic(transactional_db: None) -> Clinic:
    from recovery.models import Protocol

    if not Protocol.objects.filter(clinic__isnull=True).exists():
        migration_data_install()
    riverside = ClinicFactory(name="Riverside Spine Clinic", phone="+1 555 010 2030")
    carol = ClinicianFactory(email="carol@riverside.example", full_name="Dr Carol Chen", clinic=riverside)
    alice = _patient("alice@patients.example", "Alice Adams", riverside, carol)
    bob = _patient("bob@patients.example", "Bob Baker", riverside, carol)
    charlie = _patient("charlie@patients.example", "Charlie Clark", riverside, carol)

    profile = PatientProfile.objects.get(user=alice)
    today = profile.local_today()
    procedure = procedure_done(profile, carol, today - dt.timedelta(days=15))
    for instrument, scores in (
        ("pain", {"back_pain": 7, "leg_pain": 8}),
        ("tolerance", {"standing_minutes": 5, "walking_minutes": 10}),
        ("odi", {"odi_percent": 54.0}),
    ):
        AssessmentFactory(
            procedure=procedure,
            instrument=instrument,
            scores=scores,
            local_date=procedure.procedure_date - dt.timedelta(days=7),
        )
    # Days 1 to 12: improving. Yesterday and today are left for the tests.
    for day in range(1, 13):
        CheckInFactory(
            patient=profile,
            procedure=procedure,
            local_date=procedure.procedure_date + dt.timedelta(days=day),
            back_pain=max(2, 7 - day // 2),
            leg_pain=max(2, 8 - day // 2),
            walking_minutes=10 + 3 * day,
            standing_minutes=5 + day,
        )
    Notification.objects.create(
        recipient=alice,
        kind="milestone_opened",
        occurrence="weeks_2_3",
        title="Your recovery check-up is open",
        body="2 to 3 week progress check is open.",
        url="https://app.test/app/assessments",
        created_at=timezone.now(),
    )
    bob_profile = PatientProfile.objects.get(user=bob)
    procedure_done(bob_profile, carol, bob_profile.local_today() - dt.timedelta(days=30))
    AlertFactory(patient=bob_profile, rule="fever_chills")
    return Clinic(carol=carol, alice=alice, bob=bob, charlie=charlie)
