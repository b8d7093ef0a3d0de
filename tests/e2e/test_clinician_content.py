"""The clinic's clinical content in the browser: every version of the recovery protocol, the preparation checklist
and the education library, with when and by whom each was saved, what it came from, its change note, and the one in
use. axe-core runs on the screen (0 violations) and it does not scroll sideways at 320, 390 and 820 px."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

from journey import editing
from journey.models import EducationLibrary
from tests.e2e.axe import assert_no_axe_violations, assert_no_sideways_scroll
from tests.e2e.conftest import Clinic
from tests.e2e.support import shoot, sign_in
from tests.factories import ClinicAdminFactory

WIDTHS = {"tablet": (820, 1180), "phone": (390, 844), "small-phone": (320, 640)}


def _content(desk: BrowserContext, clinic: Clinic) -> Page:
    page = desk.new_page()
    page.set_viewport_size({"width": 820, "height": 1180})
    sign_in(page, clinic.carol.email)
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    page.locator("#topnav").get_by_role("link", name="Clinical content").click()
    expect(page.get_by_role("heading", name="Clinical content")).to_be_visible()
    return page


def _rows(page: Page, section: str):
    return page.locator(f"section[data-content='{section}'] tbody tr")


def test_staff_see_every_version_of_the_clinical_content_and_the_one_in_use(desk: BrowserContext, clinic: Clinic):
    page = _content(desk, clinic)

    # Before the clinic has its own, the shipped versions are in use
    for section, heading in (
        ("content-protocol", "Recovery protocol"),
        ("content-checklist", "Preparation checklist"),
        ("content-library", "Education library"),
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        in_use = page.locator(f"section[data-content='{section}'] tbody tr", has=page.locator(".badge"))
        expect(in_use).to_have_count(1)
        expect(in_use.locator("th")).to_contain_text("Shipped version")
        expect(in_use).to_contain_text("Shipped with the app")
    expect(_rows(page, "content-protocol").first).to_contain_text(re.compile(r"\d+ phases, \d+ milestones"))

    # The clinic admin copies the library and adds an article: the new version is in use and says where it came from
    admin = ClinicAdminFactory(clinic=clinic.carol.clinic, full_name="Frank Admin")
    default = EducationLibrary.objects.get(clinic__isnull=True, version=1)
    own = editing.education_copy_for_clinic(clinic=clinic.carol.clinic, source=default, by=admin)
    articles = editing.library_definition(own)["articles"]
    parking = {
        "key": "parking", "title": "Parking at Riverside", "summary": "Where to park on the day.",
        "body": ["Park on level 2 of the garage."], "stages": ["before"], "translations": {},
    }  # fmt: skip
    editing.education_revise(
        library=own, name="Riverside guide", articles=[*articles, parking], by=admin, change_note="Parking added."
    )
    page.reload()

    library = _rows(page, "content-library")
    expect(library).to_have_count(3)
    newest, copy, shipped = library.nth(0), library.nth(1), library.nth(2)
    expect(newest.locator("th")).to_have_text("Version 2In use")
    expect(newest).to_contain_text("Riverside guide")
    expect(newest).to_contain_text(f"{len(articles) + 1} articles")
    expect(newest).to_contain_text("Frank Admin")
    expect(newest.locator("td").nth(4)).to_have_text("Version 1")
    expect(newest).to_contain_text("Parking added.")
    expect(copy.locator("td").nth(4)).to_have_text("Shipped version 1")
    expect(copy).to_contain_text("Copied from")
    expect(shipped.locator(".badge")).to_have_count(0)
    expect(shipped.locator("td").nth(4)).to_have_text("\u2013")

    for name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(100)
        assert_no_sideways_scroll(page, f"clinical content at {width} px")
        shoot(page, f"clinician-content-{name}")
        assert_no_axe_violations(page, f"clinical content at {width} px")


def test_offline_the_screen_says_so_instead_of_failing(desk: BrowserContext, clinic: Clinic):
    page = desk.new_page()
    page.set_viewport_size({"width": 820, "height": 1180})
    sign_in(page, clinic.carol.email)
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    desk.set_offline(True)
    try:
        page.locator("#topnav").get_by_role("link", name="Clinical content").click()
        expect(page.get_by_role("heading", name="Clinical content")).to_be_visible()
        expect(page.locator(".notice-info")).to_have_text(
            "You are offline. Connect to the internet to see patients' data."
        )
        expect(page.locator("section.content-versions")).to_have_count(0)
    finally:
        desk.set_offline(False)
