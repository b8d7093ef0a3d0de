"""Around the patient screens: a signed-out start without errors, the inbox tab's unread count, a tapped notification
opening its screen, and a new version of the app waiting for the person to reload."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import APIResponse, BrowserContext, Route, expect

from notifications.models import Notification
from tests.e2e.conftest import Clinic
from tests.e2e.quality import check_screen
from tests.e2e.support import go, service_worker_in_control, shoot, sign_in
from web import views


def test_the_signed_out_start_logs_no_error(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    console: list[str] = []
    refused: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("response", lambda r: refused.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.goto("/app/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.wait_for_load_state("networkidle")
    service_worker_in_control(page)
    # And again with the service worker in control (the start a returning visitor has)
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.wait_for_load_state("networkidle")

    assert console == []
    assert refused == []
    check_screen(page, "sign-in")


def test_the_inbox_tab_shows_the_number_of_unread_messages(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    inbox = page.locator("#tabbar").get_by_role("link", name="Inbox 1 unread")
    expect(inbox).to_be_visible()
    expect(inbox.locator(".unread-badge")).to_have_text("1")

    # A new message counts on the next screen
    Notification.objects.create(
        recipient=clinic.alice, kind="checkin_reminder", occurrence="2027-06-16", title="Time for today's check-in",
        body="It takes a minute.", url="/app/checkin", created_at=timezone.now(),
    )  # fmt: skip
    page.locator("#tabbar").get_by_role("link", name="Progress").click()
    expect(page.locator("#tabbar").get_by_role("link", name="Inbox 2 unread")).to_be_visible()
    shoot(page, "patient-inbox-badge")

    # Reading them all clears it
    page.locator("#tabbar").get_by_role("link", name="Inbox 2 unread").click()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#tabbar .unread-badge")).to_have_count(0)
    expect(page.locator("#tabbar").get_by_role("link", name="Inbox", exact=True)).to_be_visible()


def test_of_two_counts_on_their_way_the_one_asked_last_is_shown_whatever_order_they_arrive_in(
    phone: BrowserContext, clinic: Clinic
):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    expect(page.locator("#tabbar").get_by_role("link", name="Inbox 1 unread")).to_be_visible()

    # The server answers each count when it is asked; the network holds the answers until the test lets them through.
    held: list[tuple[Route, APIResponse]] = []
    page.route("**/api/v1/me/inbox/unread-count", lambda route: held.append((route, route.fetch())))

    def asked_on(tab: str, questions: int) -> None:
        go(page, tab)
        for _ in range(200):
            if len(held) == questions:
                return
            page.wait_for_timeout(25)
        raise AssertionError(f"{len(held)} counts asked, {questions} expected")

    def a_new_message(day: str) -> None:
        Notification.objects.create(
            recipient=clinic.alice, kind="checkin_reminder", occurrence=day, title="Time for today's check-in",
            body="It takes a minute.", url="/app/checkin", created_at=timezone.now(),
        )  # fmt: skip

    # The earlier answer (1) arrives first, the later one (2) after it: the later one is shown
    asked_on("Progress", 1)
    a_new_message("2027-06-16")
    asked_on("Exercise", 2)
    for route, answer in held:
        route.fulfill(response=answer)
    expect(page.locator("#tabbar").get_by_role("link", name="Inbox 2 unread")).to_be_visible()

    # The later answer (3) arrives first, the earlier one (2) after it: it stays 3
    held.clear()
    asked_on("Progress", 1)
    a_new_message("2027-06-17")
    asked_on("Exercise", 2)
    for route, answer in reversed(held):
        route.fulfill(response=answer)
    expect(page.locator("#tabbar").get_by_role("link", name="Inbox 3 unread")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#tabbar").get_by_role("link", name="Inbox 3 unread")).to_be_visible()


def test_tapping_a_notification_opens_the_screen_it_is_about(phone: BrowserContext, clinic: Clinic):
    phone.grant_permissions(["notifications"])
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    service_worker_in_control(page)
    expect(page.get_by_role("heading", name=re.compile("Good"))).to_be_visible()
    (worker,) = phone.service_workers

    # The service worker shows a notification pointing at the progress check, and it is tapped
    worker.evaluate(
        """async () => {
            await self.registration.showNotification("Your recovery check-up is open", {
                body: "2 to 3 week progress check is open.", data: {url: "/app/assessments"},
            });
            const [notification] = await self.registration.getNotifications();
            self.dispatchEvent(new NotificationEvent("notificationclick", {notification}));
        }"""
    )

    expect(page).to_have_url(re.compile(r"/app/assessments$"))
    expect(page.get_by_role("heading", name="2 to 3 week progress check")).to_be_visible()
    assert worker.evaluate("self.registration.getNotifications().then(list => list.length)") == 0


def test_a_new_version_waits_until_the_person_reloads(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    service_worker_in_control(page)
    (old_cache,) = page.evaluate("caches.keys()")
    old_version = page.evaluate("document.body.dataset.version")

    # A new version of the app is deployed: one more file in the shell gives a new version and a new service worker
    added = views.STATIC_DIR / "web" / "e2e-new-version.txt"
    added.write_text("A file that exists only while this test runs.\n", encoding="utf-8")
    views._cached_version.cache_clear()
    try:
        page.evaluate("navigator.serviceWorker.getRegistration('/app/').then(r => r.update())")

        # Then the app says so and changes nothing by itself: the old worker and its cache still serve the page
        banner = page.locator('[data-testid="update-ready"]')
        expect(banner).to_contain_text("Update ready:")
        shoot(page, "patient-update-ready")
        assert page.evaluate("navigator.serviceWorker.getRegistration('/app/').then(r => r.waiting !== null)")
        assert old_cache in page.evaluate("caches.keys()")
        assert page.evaluate("document.body.dataset.version") == old_version

        # When she taps Reload, the new version takes over and the page reloads into it
        with page.expect_navigation():
            banner.get_by_role("button", name="Reload").click()
        expect(page.get_by_role("heading", name=re.compile("Good"))).to_be_visible()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        expect(page.locator('[data-testid="update-ready"]')).to_have_count(0)
        new_version = page.evaluate("document.body.dataset.version")
        assert new_version != old_version
        page.wait_for_function(
            "v => caches.keys().then(keys => keys.length === 1 && keys[0].endsWith(v))", arg=new_version
        )
    finally:
        added.unlink()
        views._cached_version.cache_clear()
