"""Browser tests of the clinician's side of the journey on a patient's page (issue 16): recording a screening (refused
field by field, then saved, with its history), recording an adverse event and dismissing a draft the weekly question
opened, and the preparation checklist's state with the articles read; the roster's screening and baseline flags.
axe-core runs on each screen (0 violations) and none scrolls sideways at 320, 390 and 820 px."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import BrowserContext, Page, expect

from journey import editing
from journey.models import EducationLibrary
from journey.services import article_read, preparation_tick
from recovery.models import AdverseEvent, Procedure, Screening
from tests.e2e.axe import assert_no_axe_violations, assert_no_sideways_scroll
from tests.e2e.conftest import Clinic
from tests.e2e.support import eventually, shoot, sign_in
from tests.factories import ClinicAdminFactory, ProcedureFactory

TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}


def _checked_at_every_width(page: Page, screen: str, shot: str) -> None:
    for name, viewport in (("tablet", TABLET), ("phone", PHONE), ("small-phone", SMALL_PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(100)
        assert_no_sideways_scroll(page, f"{screen} at {viewport['width']} px")
        shoot(page, f"{shot}-{name}")
        assert_no_axe_violations(page, f"{screen} at {viewport['width']} px")
    page.set_viewport_size(TABLET)


def _patient_page(desk: BrowserContext, clinic: Clinic, patient_id: object) -> Page:
    page = desk.new_page()
    page.set_viewport_size(TABLET)
    sign_in(page, clinic.carol.email)
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    page.goto(f"{page.url.split('/app/')[0]}/app/clinician/patients/{patient_id}")
    return page


def _answer(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question, exact=True).get_by_label(answer, exact=True).check()


def _charlies_procedure(clinic: Clinic) -> Procedure:
    charlie = clinic.charlie.patient_profile
    ProcedureFactory(patient=charlie, procedure_date=charlie.local_today() + dt.timedelta(days=6))
    return Procedure.objects.get(patient=charlie, status="scheduled")


def test_a_clinician_records_a_screening_and_sees_its_history(desk: BrowserContext, clinic: Clinic):
    procedure = _charlies_procedure(clinic)
    page = _patient_page(desk, clinic, procedure.patient_id)
    before = page.locator("section[aria-labelledby='patient-before']")
    expect(before.locator(".screening-status")).to_contain_text("Screening: Not screened")
    expect(before).to_contain_text("No screening recorded for this procedure.")

    before.get_by_text("Record a screening").click()
    form = before.get_by_role("form", name="Record a screening")
    _answer(page, "Lumbar spinal stenosis confirmed on MRI or CT", "Yes")
    form.get_by_label("Imaging", exact=True).select_option("mri")
    imaging = procedure.procedure_date - dt.timedelta(days=60)
    form.get_by_label("Imaging date").fill(imaging.isoformat())
    _answer(page, "Neurogenic claudication: worse standing or walking, eased by sitting or bending forward", "Yes")
    _answer(page, "Conservative care tried and failed", "Yes")
    form.get_by_label("Physical therapy tried").check()
    form.get_by_label("Physical therapy: weeks tried").fill("12")
    for caution in (
        "Severe heart disease",
        "Uncontrolled diabetes",
        "Spinal instability or significant spondylolisthesis",
    ):
        _answer(page, caution, "No")
    _answer(page, "Previous spinal surgery at the level", "Yes")
    _answer(page, "Diabetes, controlled or not (a risk factor)", "No")
    _answer(page, "Outcome", "Candidate")
    _checked_at_every_width(page, "the screening form", "clinician-screening-form")

    # A candidate with a caution answered yes and no note is refused at that caution's note; nothing is stored
    form.get_by_role("button", name="Save screening").click()
    note = form.locator("[data-field='previous_spinal_surgery_note'] .field-error")
    expect(note).to_contain_text("say why the patient is a candidate all the same")
    assert not Screening.objects.filter(procedure=procedure).exists()

    form.get_by_label("Previous spinal surgery at the level: note").fill("Discectomy at L2-L3; a different level.")
    form.get_by_role("button", name="Save screening").click()

    expect(before.locator(".screening-status")).to_contain_text("Screening: Candidate")
    history = before.locator(".screening-history li")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Candidate (latest, decides the procedure) — Dr Carol Chen")
    expect(history.first).to_contain_text("Previous spinal surgery at the level (Discectomy at L2-L3")
    [screening] = Screening.objects.filter(procedure=procedure)
    assert (screening.outcome, screening.previous_spinal_surgery, screening.decided_by) == (
        "candidate",
        "yes",
        clinic.carol,
    )
    assert screening.conservative_care == [{"treatment": "physical_therapy", "weeks": 12, "note": ""}]
    _checked_at_every_width(page, "the screening history", "clinician-screening-history")


def test_a_clinician_records_an_adverse_event_and_dismisses_a_draft(desk: BrowserContext, clinic: Clinic):
    alice = clinic.alice_profile
    procedure = Procedure.objects.get(patient=alice, status="done")
    now = procedure.completed_at
    AdverseEvent.objects.create(
        patient=alice, procedure=procedure, status="draft", created_at=now, updated_at=now,
        description="At the check-in the patient said they went to an emergency department.",
    )  # fmt: skip
    page = _patient_page(desk, clinic, alice.pk)
    events = page.locator("section[aria-labelledby='patient-adverse-events']")
    expect(events.locator("li.adverse-event")).to_have_count(1)
    expect(events.locator("li.adverse-event").first).to_contain_text("Draft from the weekly question")

    events.get_by_text("Record an adverse event", exact=True).click()
    form = events.get_by_role("form", name="Record an adverse event")
    form.get_by_label("What happened").select_option("infection")
    form.get_by_label("Clavien-Dindo grade").select_option("II")
    # An event dated before the procedure is refused at its date
    form.get_by_label("Started on").fill((procedure.procedure_date - dt.timedelta(days=1)).isoformat())
    form.get_by_label("Related to").select_option("procedure")
    form.get_by_label("Outcome").select_option("resolved")
    form.get_by_label("Emergency department visit").check()
    _checked_at_every_width(page, "the adverse-event form", "clinician-adverse-event-form")
    form.get_by_role("button", name="Record adverse event").click()
    expect(form.locator("[data-field='onset_date'] .field-error")).to_contain_text("before the procedure")
    assert AdverseEvent.objects.filter(status="recorded").count() == 0

    form.get_by_label("Started on").fill((procedure.procedure_date + dt.timedelta(days=3)).isoformat())
    form.get_by_label("Resolved on (if resolved)").fill((procedure.procedure_date + dt.timedelta(days=10)).isoformat())
    form.get_by_role("button", name="Record adverse event").click()

    recorded = events.locator("li.adverse-event.status-recorded")
    expect(recorded).to_have_count(1)
    expect(recorded).to_contain_text("Infection")
    expect(recorded).to_contain_text("Clavien-Dindo II · Procedure-related · Resolved · emergency visit")
    event = AdverseEvent.objects.get(status="recorded")
    assert (event.kind, event.grade, event.emergency_visit, event.recorded_by) == (
        "infection",
        "II",
        True,
        clinic.carol,
    )

    # The draft: dismissed with the reason
    draft = events.locator("li.adverse-event.status-draft")
    draft.get_by_text("Complete or dismiss this draft").click()
    draft.get_by_label("Why this is not an adverse event").fill("A fall at home, unrelated to the procedure.")
    draft.get_by_role("button", name="Dismiss draft").click()
    expect(events.locator("li.adverse-event.status-dismissed")).to_contain_text("dismissed: A fall at home")
    eventually(lambda: AdverseEvent.objects.filter(status="dismissed").count() == 1, message="the dismissal")
    _checked_at_every_width(page, "the adverse events", "clinician-adverse-events")


def test_a_clinician_sees_what_is_not_done_before_the_procedure_and_what_was_read(desk: BrowserContext, clinic: Clinic):
    procedure = _charlies_procedure(clinic)
    charlie = procedure.patient
    preparation_tick(patient=charlie, item_key="driver", done=True)
    article_read(patient=charlie, key="what_is_mild")
    page = _patient_page(desk, clinic, charlie.pk)

    before = page.locator("section[aria-labelledby='patient-before']")
    state = before.locator(".preparation-state")
    expect(state).to_contain_text("Your procedure is in 6 days")
    expect(state).to_contain_text("4 of 5 checklist items not done.")
    expect(state.locator("li")).to_have_count(4)
    expect(state).not_to_contain_text("Arrange a lift home")
    expect(state.locator(".flag-text")).to_contain_text("Baseline missing")
    read = before.locator(".education-state")
    expect(read.locator("li")).to_have_count(1)
    expect(read.locator("li")).to_contain_text("What is MILD, and who is it for?")
    _checked_at_every_width(page, "the preparation state", "clinician-preparation")

    # The clinic rewords "What is MILD" in its own library: it is not read in its new text, and the page says when he
    # read the old one
    default = EducationLibrary.objects.get(clinic__isnull=True, version=1)
    admin = ClinicAdminFactory(clinic=clinic.carol.clinic)
    own = editing.education_copy_for_clinic(clinic=clinic.carol.clinic, source=default, by=admin)
    articles = editing.library_definition(own)["articles"]
    next(a for a in articles if a["key"] == "what_is_mild")["summary"] = "What MILD is, in your care team's words."
    editing.education_revise(library=own, name=own.name, articles=articles, by=admin)
    page.reload()
    read = page.locator("section[aria-labelledby='patient-before'] .education-state")
    expect(read.locator("li")).to_have_count(1)  # the read stays listed, with its time
    expect(read.locator("p.muted")).to_contain_text("What is MILD, and who is it for? (changed since read on ")

    # The roster shows his screening status and the missing baseline
    page.goto(page.url.split("/app/")[0] + "/app/clinician/patients")
    row = page.locator(f"tbody[data-patient='{charlie.pk}']")
    row.get_by_role("button", name="More about Charlie Clark").click()
    detail = row.locator("tr.row-detail")
    expect(detail).to_contain_text("Not screened")
    expect(detail).to_contain_text("4 of 5 checklist items not done")
    expect(detail.locator(".flag-text")).to_contain_text(["Not screened", "Baseline missing"])
    assert_no_sideways_scroll(page, "the roster at 820 px")
    assert_no_axe_violations(page, "the roster with screening and preparation")
