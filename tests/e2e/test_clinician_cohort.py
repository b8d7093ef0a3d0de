"""Browser test of the cohort screen's safety card and group comparison (issue 16): the adverse-event rates with their
95% confidence interval beside the pivotal trial's reference, repeat procedures, and the cohort compared by age at the
procedure, the numbers checked against the API's own answer. axe-core runs (0 violations) and the screen does not
scroll sideways at 820, 390 and 320 px."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from accounts.models import PatientProfile
from recovery import safety
from tests.e2e.axe import assert_no_axe_violations, assert_no_sideways_scroll
from tests.e2e.conftest import Clinic
from tests.e2e.support import shoot, sign_in
from tests.factories import AssessmentFactory, PatientFactory, UserFactory
from tests.support import adverse_event_body, procedure_done

TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
AGE_LABELS = {"under_65": "Under 65", "65_74": "65-74", "75_over": "75 and over"}


def _seed(clinic: Clinic) -> None:
    """Alice (75 at her procedure) had a procedure-related wound infection; Bob was 70; Dora (62), 49 days after her
    procedure, answered her 6-8 week pain and ODI questionnaires much better than before it."""
    safety.adverse_event_record(
        procedure=clinic.alice_profile.procedures.get(status="done"),
        by=clinic.carol,
        data=adverse_event_body(clinic.alice_profile.procedures.get(status="done").procedure_date),
    )
    PatientProfile.objects.filter(user=clinic.bob).update(date_of_birth=dt.date(1957, 3, 2))
    user = UserFactory(email="dora@patients.example", full_name="Dora Diaz", role="patient", clinic=clinic.carol.clinic)
    PatientFactory(user=user, care_team=[clinic.carol], time_zone="America/New_York", date_of_birth=dt.date(1965, 1, 9))
    dora = PatientProfile.objects.get(user=user)
    procedure = procedure_done(dora, clinic.carol, dora.local_today() - dt.timedelta(days=49))
    for timepoint, day, pain, odi in (("baseline", -7, (7, 8), 52.0), ("weeks_6_8", 45, (3, 3), 30.0)):
        for instrument, scores in (
            ("pain", {"back_pain": pain[0], "leg_pain": pain[1]}),
            ("odi", {"odi_percent": odi}),
        ):
            AssessmentFactory(
                procedure=procedure,
                instrument=instrument,
                timepoint=timepoint,
                scores=scores,
                local_date=procedure.procedure_date + dt.timedelta(days=day),
            )


def _percent(value: float, places: int) -> str:
    """A share as the screen writes it in English (Intl rounds the number's shortest decimal form, halves up)."""
    exact = Decimal(repr(value)) * 100
    return f"{exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"


def _rate(rate: dict[str, Any], total: int, unit: str) -> str:
    if not total:
        return f"No {unit}s yet"
    counted = f"{rate['events']} of {total} {unit}{'' if total == 1 else 's'}"
    return (
        f"{_percent(rate['rate'], 1)} (95% CI {_percent(rate['ci95_low'], 1)} to {_percent(rate['ci95_high'], 1)}), "
        f"{counted}"
    )


def _share(cell: dict[str, Any]) -> str:
    if not cell["n"]:
        return "No patients yet"
    return f"{_percent(cell['share'], 0)} ({cell['responders']} of {cell['n']})"


def _every_width(page: Page, screen: str, shot: str) -> None:
    for name, viewport in (("tablet", TABLET), ("phone", PHONE), ("small-phone", SMALL_PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(100)
        assert_no_sideways_scroll(page, f"{screen} at {viewport['width']} px")
        shoot(page, f"{shot}-{name}")
        assert_no_axe_violations(page, f"{screen} at {viewport['width']} px")
    page.set_viewport_size(TABLET)


def test_the_cohort_shows_its_safety_beside_the_trial_and_compares_age_bands(desk: BrowserContext, clinic: Clinic):
    _seed(clinic)
    page = desk.new_page()
    page.set_viewport_size(TABLET)
    sign_in(page, clinic.carol.email)
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()

    page.locator("#topnav").get_by_role("link", name="Recovery curves").click()
    card = page.locator("section[aria-labelledby='cohort-safety']")
    expect(card.get_by_role("heading", name="Safety")).to_be_visible()
    # Alice's infection: 1 of the 3 done procedures (Alice, Bob, Dora), related to the procedure.
    whole = page.request.get("/api/v1/clinician/cohort?weeks=13").json()["safety"]
    assert (whole["procedures"], whole["related"]["events"], whole["any"]["events"]) == (3, 1, 1)
    related = card.locator("tr[data-rate='related'] td")
    expect(related).to_have_text([_rate(whole["related"], 3, "procedure"), "1.3%"])
    expect(related.first).to_have_text(re.compile(r"^33\.3% \(95% CI \d+\.\d% to \d+\.\d%\), 1 of 3 procedures$"))
    expect(card.locator("tr[data-rate='any'] td").first).to_have_text(_rate(whole["any"], 3, "procedure"))
    expect(card.locator("tr[data-rate='serious_related'] td")).to_have_text(
        [_rate(whole["serious_related"], 3, "procedure"), "None"]
    )
    repeat = whole["repeat_procedures"]
    expect(card.locator("tr[data-rate='repeat_procedures'] td").first).to_have_text(
        _rate(repeat, repeat["patients"], "patient")
    )
    expect(card).to_contain_text(
        "In the pivotal trial (MiDAS ENCORE pivotal trial, MILD arm), 1.3% of patients had an adverse event related to "
        "the device or the procedure; none was serious."
    )
    expect(page.locator("section[aria-labelledby='cohort-groups']")).to_have_count(0)

    page.get_by_label("Compare groups").select_option(label="Age at procedure")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/app/clinician/cohort\?weeks=13&split=age_band$"))
    groups = page.locator("section[aria-labelledby='cohort-groups']")
    expect(groups.get_by_role("heading", name="Compared by: Age at procedure")).to_be_visible()
    body = page.request.get("/api/v1/clinician/cohort?weeks=13&split=age_band").json()
    assert [g["value"] for g in body["groups"]] == ["under_65", "65_74", "75_over"]
    assert [g["safety"]["repeat_procedures"]["patients"] for g in body["groups"]] == [1, 1, 1]
    rows = groups.locator("tbody tr")
    expect(rows.locator("th")).to_have_text([AGE_LABELS[g["value"]] for g in body["groups"]])
    for index, group in enumerate(body["groups"]):
        early = next(r for r in group["responders"] if r["timepoint"] == "weeks_6_8")
        expect(rows.nth(index).locator("td")).to_have_text(
            [
                str(group["safety"]["repeat_procedures"]["patients"]),
                _share(early["odi"]),
                _share(early["pain"]),
                _rate(group["safety"]["related"], group["safety"]["procedures"], "procedure"),
            ]
        )
    # Dora answered her 6-8 week questionnaires: she is the under-65 group's responder.
    expect(rows.first.locator("td").nth(1)).to_have_text("100% (1 of 1)")
    expect(page.get_by_label("Compare groups")).to_have_value("age_band")
    _every_width(page, "the cohort compared by age", "clinician-cohort-age-bands")
