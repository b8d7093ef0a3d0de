"""A patient checks in, goes offline, keeps using the app, comes back online: every record reaches the server once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from playwright.sync_api import BrowserContext, expect

from exercises.models import ExerciseRecord
from recovery.models import CheckIn
from tests.e2e.conftest import Clinic
from tests.e2e.support import eventually, fill_checkin, go, service_worker_in_control, shoot, sign_in
from tests.factories import CheckInFactory


def test_checkins_and_exercises_made_offline_reach_the_server_exactly_once(phone: BrowserContext, clinic: Clinic):
    alice = clinic.alice_profile
    today = alice.local_today()
    yesterday = today - dt.timedelta(days=1)
    page = phone.new_page()

    # Given Alice signed in on her phone, with the app installed by its service worker
    sign_in(page, "alice@patients.example")
    expect(page.get_by_text("Day 15 after your procedure")).to_be_visible()
    service_worker_in_control(page)
    shoot(page, "patient-today")

    # When she checks in for today, online
    page.get_by_role("link", name="Start today's check-in").click()
    expect(page.get_by_role("heading", name="Daily check-in")).to_be_visible()
    shoot(page, "patient-checkin")
    # (today and the missed days of the server's backfill window: she joined a month ago)
    days = page.get_by_label("Which day is this check-in for?").locator("option")
    expect(days).to_have_count(settings.CHECKIN_BACKFILL_DAYS + 1)
    fill_checkin(page, back=3, leg=4, walking=30, standing=15)
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.get_by_text("Sent.")).to_be_visible()
    assert CheckIn.objects.filter(patient=alice, local_date=today).count() == 1

    # And then loses her connection
    phone.set_offline(True)
    go(page, "Check in")
    page.get_by_label("Which day is this check-in for?").select_option(yesterday.isoformat())
    expect(page.get_by_label("Which day is this check-in for?")).to_have_value(yesterday.isoformat())
    fill_checkin(page, back=4, leg=5, walking=25, standing=12)
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.locator(".status-saved", has_text="Saved on this phone")).to_be_visible()
    shoot(page, "patient-checkin-saved-on-phone")

    # And records her first exercise of the day
    go(page, "Exercise")
    first = page.locator("article.exercise").first
    first.get_by_text("Done", exact=True).click()
    first.get_by_label("Pain during the exercise", exact=True).fill("2")
    first.get_by_text("About right", exact=True).click()
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".status-saved")).to_have_text("Saved on this phone — will send when you're online.")
    expect(page.locator(".banner-saved")).to_contain_text("2 records")
    first.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "patient-exercises-offline")

    # Then nothing has reached the server yet, and the app still opens from the phone
    assert CheckIn.objects.filter(patient=alice).exclude(local_date__lt=yesterday).count() == 1
    assert ExerciseRecord.objects.filter(patient=alice).count() == 0
    queued = page.evaluate("MildOutbox.all('outbox')")
    assert sorted(item["kind"] for item in queued) == ["checkin", "exercise"]
    page.reload()
    expect(page.get_by_text("You are offline.").first).to_be_visible()
    expect(page.locator(".banner-saved")).to_contain_text("Saved on this phone")
    go(page, "Today")
    expect(page.get_by_text("Day 15 after your procedure")).to_be_visible()
    shoot(page, "patient-today-offline")

    # When she is back online
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")

    # Then each record reaches the server exactly once, and the phone's outbox empties
    eventually(
        lambda: CheckIn.objects.filter(patient=alice, local_date=yesterday).exists(), message="yesterday's check-in"
    )
    eventually(lambda: ExerciseRecord.objects.filter(patient=alice).exists(), message="the exercise record")
    expect(page.locator(".banner-saved")).to_have_count(0)
    assert page.evaluate("MildOutbox.all('outbox')") == []
    sent = CheckIn.objects.get(patient=alice, local_date=yesterday)
    assert (sent.back_pain, sent.leg_pain, sent.walking_minutes, sent.standing_minutes) == (4, 5, 25, 12)
    assert str(sent.pk) == next(i["checkinId"] for i in queued if i["kind"] == "checkin")
    record = ExerciseRecord.objects.get(patient=alice)
    assert (record.state, record.pain_during, record.difficulty) == ("done", 2, "ok")

    # And a replay of the very same requests (a retry after a lost answer) stores nothing new
    statuses = page.evaluate(
        """async (items) => {
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const out = [];
            for (const item of items) {
                const response = await fetch(item.url, {method: item.method, body: JSON.stringify(item.body),
                    headers: {"Content-Type": "application/json", "X-CSRFToken": token}});
                out.push(response.status);
            }
            return out;
        }""",
        queued,
    )
    assert all(status in (200, 201) for status in statuses), statuses
    assert CheckIn.objects.filter(patient=alice, local_date__gte=yesterday).count() == 2
    assert ExerciseRecord.objects.filter(patient=alice).count() == 1


def test_a_day_checked_in_elsewhere_while_offline_is_not_stored_twice(phone: BrowserContext, clinic: Clinic):
    alice = clinic.alice_profile
    yesterday = alice.local_today() - dt.timedelta(days=1)
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    service_worker_in_control(page)

    # Given Alice checks in for yesterday on her phone, offline
    phone.set_offline(True)
    go(page, "Check in")
    page.get_by_label("Which day is this check-in for?").select_option(yesterday.isoformat())
    fill_checkin(page, back=4, leg=5, walking=25, standing=12)
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.locator(".status-saved", has_text="Saved on this phone")).to_be_visible()

    # And meanwhile the same day was checked in from another device
    elsewhere = CheckInFactory(patient=alice, procedure=alice.procedures.first(), local_date=yesterday, back_pain=6)

    # When her phone is back online
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")

    # Then the server refuses the second check-in for that day (409) and the app says so, keeping nothing queued
    expect(page.locator(".banner-problem")).to_contain_text("that day already has a check-in")
    assert page.evaluate("MildOutbox.all('outbox')") == []
    assert list(CheckIn.objects.filter(patient=alice, local_date=yesterday).values_list("pk", flat=True)) == [
        elsewhere.pk
    ]
