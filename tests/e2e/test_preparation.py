"""A patient whose procedure is scheduled sees the countdown on Today, ticks a preparation item offline, and it reaches
the server once; the articles open offline too, and the read is recorded once back online."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import BrowserContext, expect

from journey import editing
from journey.models import ArticleRead, EducationLibrary, PreparationTick
from tests.e2e.conftest import Clinic
from tests.e2e.support import eventually, service_worker_in_control, shoot, sign_in
from tests.factories import ClinicAdminFactory, ProcedureFactory


def test_the_countdown_and_a_tick_made_offline_reach_the_server_once(phone: BrowserContext, clinic: Clinic):
    charlie = clinic.charlie.patient_profile
    ProcedureFactory(patient=charlie, procedure_date=charlie.local_today() + dt.timedelta(days=6))
    page = phone.new_page()
    ticks_received: list[int] = []
    page.on(
        "response",
        lambda r: ticks_received.append(r.status) if "/api/v1/me/preparation/items/" in r.url else None,
    )

    # Given Charlie, whose procedure is in 6 days, signed in on his phone with the app installed
    sign_in(page, "charlie@patients.example")
    card = page.locator("section.preparation")
    expect(card.get_by_role("heading", name="Your procedure is in 6 days")).to_be_visible()
    expect(card.locator("li.prep-item")).to_have_count(5)
    service_worker_in_control(page)
    shoot(page, "patient-preparation")

    # When he loses his connection and ticks "Arrange a lift home"
    phone.set_offline(True)
    driver = card.locator("li.prep-item[data-key='driver']")
    driver.get_by_label("Arrange a lift home").check()
    expect(driver.locator(".status-saved")).to_have_text("Saved on this phone — will send when you're online.")
    shoot(page, "patient-preparation-offline")

    # Then nothing reached the server yet, and the tick waits in the phone's outbox
    assert not PreparationTick.objects.exists()
    assert [item["kind"] for item in page.evaluate("MildOutbox.all('outbox')")] == ["preparation"]

    # And the articles open from the phone while offline
    page.get_by_role("link", name="Learn about your procedure").click()
    expect(page.get_by_role("heading", name="Learn about your procedure")).to_be_visible()
    page.get_by_role("link", name="What is MILD, and who is it for?").click()
    expect(page.get_by_text("MILD stands for Minimally Invasive Lumbar Decompression.", exact=False)).to_be_visible()
    shoot(page, "patient-education-article-offline")

    # When he is back online
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")

    # Then the tick and the read each reach the server exactly once, and the outbox empties
    eventually(lambda: PreparationTick.objects.filter(item_key="driver").exists(), message="the tick")
    eventually(lambda: ArticleRead.objects.filter(patient=charlie).exists(), message="the read")
    eventually(lambda: page.evaluate("MildOutbox.all('outbox')") == [], message="the outbox to empty")
    assert PreparationTick.objects.filter(patient=charlie).count() == 1
    assert ArticleRead.objects.filter(patient=charlie).count() == 1
    assert ticks_received == [201]

    # And Today shows it done
    page.goto("/app/")
    expect(page.locator("li.prep-item[data-key='driver'] .status-done")).to_have_text("Done")


def test_after_the_clinic_revises_its_library_only_the_changed_article_is_offered_again(
    phone: BrowserContext, clinic: Clinic
):
    charlie = clinic.charlie.patient_profile
    ProcedureFactory(patient=charlie, procedure_date=charlie.local_today() + dt.timedelta(days=6))
    default = EducationLibrary.objects.get(clinic__isnull=True, version=1)
    for article in default.articles.filter(key__in=("what_is_mild", "when_to_get_help")):
        ArticleRead.objects.create(patient=charlie, article=article, read_at=charlie.user.date_joined)
    # The clinic's own library: "What is MILD" reworded, "When to get help" copied as it was, a parking article added
    admin = ClinicAdminFactory(clinic=clinic.charlie.clinic)
    own = editing.education_copy_for_clinic(clinic=clinic.charlie.clinic, source=default, by=admin)
    articles = editing.library_definition(own)["articles"]
    mild = next(a for a in articles if a["key"] == "what_is_mild")
    mild["summary"] = "A short procedure through a small cut in your back, explained by your care team."
    parking = {
        "key": "parking", "title": "Parking at Riverside", "summary": "Where to park on the day.",
        "body": ["Park on level 2 of the garage."], "stages": ["before"], "translations": {},
    }  # fmt: skip
    editing.education_revise(library=own, name=own.name, articles=[*articles, parking], by=admin)

    page = phone.new_page()
    sign_in(page, "charlie@patients.example")
    page.get_by_role("link", name="Learn about your procedure").click()
    expect(page.get_by_role("heading", name="Learn about your procedure")).to_be_visible()

    def status_of(title: str):
        return page.locator("li.article-link", has_text=title).locator(".status")

    expect(status_of("When to get help")).to_have_text("Read")
    expect(status_of("What is MILD")).to_have_text("Updated since you read it")
    expect(status_of("Parking at Riverside")).to_have_count(0)
    shoot(page, "patient-education-updated-article")

    # Opening the changed article records its read, and the list says Read
    page.get_by_role("link", name="What is MILD, and who is it for?").click()
    expect(page.get_by_text("explained by your care team", exact=False)).to_be_visible()
    eventually(lambda: ArticleRead.objects.filter(patient=charlie, article__library__clinic__isnull=False).exists())
    page.get_by_role("link", name="All articles").click()
    expect(status_of("What is MILD")).to_have_text("Read")
