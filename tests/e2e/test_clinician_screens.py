"""Browser tests of the clinician's screens (issues 11 and 15): the roster laid out for a tablet (820x1180) with the
rest of each row in a detail, and as cards on a phone; a long-term patient (day 200) whose series come week by week,
charted against the trial's reference at its visits; an exercise-pain alert with its sessions and its assignment;
the recovery curves and the clinic's response times; the last roster and alert queue readable offline. axe-core runs
on every screen (0 violations) and no screen scrolls sideways at 320, 390 and 820 px."""

from __future__ import annotations

import datetime as dt
import io
import re

from playwright.sync_api import BrowserContext, Page, expect

from accounts.models import PatientProfile
from exercises.selectors import exercise_occurrences_on
from exercises.services import EXERCISE_PAIN_RULE, exercise_record_put
from recovery.models import Alert
from tests.e2e.axe import assert_no_axe_violations, assert_no_sideways_scroll
from tests.e2e.conftest import Clinic
from tests.e2e.support import eventually, shoot, sign_in
from tests.factories import AssessmentFactory, CheckInFactory, PatientFactory, UserFactory
from tests.support import procedure_done

TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
WIDE = {"width": 1366, "height": 900}
TRIAL = "MiDAS ENCORE, MILD arm, 143 patients at 2 years"


def _june(clinic: Clinic) -> PatientProfile:
    """June Jones, day 200 after her procedure: checked in every other day for three months, then now and then; her
    last check-in was 15 days ago. Baselines of pain, ODI and ZCQ, and her 6-month ODI and ZCQ."""
    user = UserFactory(
        email="june@patients.example", full_name="June Jones", role="patient", clinic=clinic.carol.clinic
    )
    PatientFactory(user=user, care_team=[clinic.carol], time_zone="America/New_York")
    profile = PatientProfile.objects.get(user=user)
    today = profile.local_today()
    procedure = procedure_done(profile, clinic.carol, today - dt.timedelta(days=200))
    before = procedure.procedure_date - dt.timedelta(days=10)
    for instrument, scores in (
        ("pain", {"back_pain": 6, "leg_pain": 8}),
        ("odi", {"odi_percent": 48.0}),
        ("zcq", {"zcq_symptom_severity": 3.6, "zcq_physical_function": 2.8, "zcq_satisfaction": None}),
    ):
        AssessmentFactory(procedure=procedure, instrument=instrument, scores=scores, local_date=before)
    six_months = procedure.procedure_date + dt.timedelta(days=182)
    for instrument, scores in (
        ("odi", {"odi_percent": 26.0}),
        ("zcq", {"zcq_symptom_severity": 2.4, "zcq_physical_function": 2.0, "zcq_satisfaction": 1.8}),
    ):
        AssessmentFactory(
            procedure=procedure, instrument=instrument, timepoint="month_6", scores=scores, local_date=six_months
        )
    days = [*range(1, 91, 2), *range(95, 186, 10)]
    for day in days:
        CheckInFactory(
            patient=profile,
            procedure=procedure,
            local_date=procedure.procedure_date + dt.timedelta(days=day),
            back_pain=max(1, 6 - day // 30),
            leg_pain=max(1, 8 - day // 25),
            walking_minutes=min(60, 10 + day // 3),
            standing_minutes=min(45, 5 + day // 4),
        )
    return profile


def _exercise_alert(clinic: Clinic) -> Alert:
    """Alice's walks hurt twice in a row yesterday (8 and 9 out of 10): the exercise-pain watch alert."""
    profile = clinic.alice_profile
    yesterday = profile.local_today() - dt.timedelta(days=1)
    occurrences = exercise_occurrences_on(profile, yesterday)
    walks = [o for o in occurrences if o.exercise_key == "walking"]
    assert len(walks) >= 2, occurrences
    for occurrence, pain in zip(walks[:2], (8, 9), strict=True):
        exercise_record_put(
            patient=profile, occurrence=occurrence.key, state="done", pain_during=pain, difficulty="hard"
        )
    return Alert.objects.get(patient=profile, rule=EXERCISE_PAIN_RULE)


def _signed_in(desk: BrowserContext, clinic: Clinic, viewport: dict) -> Page:
    page = desk.new_page()
    page.set_viewport_size(viewport)
    sign_in(page, clinic.carol.email)
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    return page


def _at_every_width(page: Page, screen: str, shot: str) -> None:
    """No sideways scrolling at 820, 390 and 320 px; a screenshot at each; axe-core at the tablet and phone widths."""
    for name, viewport in (("tablet", TABLET), ("phone", PHONE), ("small-phone", SMALL_PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(100)
        assert_no_sideways_scroll(page, f"{screen} at {viewport['width']} px")
        shoot(page, f"{shot}-{name}")
        if name != "small-phone":
            assert_no_axe_violations(page, f"{screen} at {viewport['width']} px")
    page.set_viewport_size(TABLET)


def test_the_roster_fits_a_tablet_with_the_rest_of_each_row_in_its_detail(desk: BrowserContext, clinic: Clinic):
    june = _june(clinic)
    page = _signed_in(desk, clinic, TABLET)

    rows = page.locator("table.roster tbody tr:not(.row-detail)")
    expect(rows).to_have_count(4)
    assert_no_sideways_scroll(page, "the roster at 820 px")
    # Priority columns on the tablet; the others wait in each row's detail
    for column in ("Name", "Needs attention ▲", "Day", "Last check-in", "Leg pain (7-day mean)"):
        expect(page.get_by_role("columnheader", name=column, exact=True)).to_be_visible()
    expect(page.get_by_role("columnheader", name="ODI change")).to_be_hidden()

    # June, day 200, last heard from 15 days ago: daily check-ins ended at day 90, so nothing is painted red
    june_row = page.locator(f"tbody[data-patient='{june.pk}']")
    expect(june_row.locator("td.warn")).to_have_count(0)
    expect(june_row).to_contain_text("15 days ago")
    expect(june_row).to_contain_text("No daily check-ins after day 90")
    # ... while Alice (day 15), silent for 3 days while daily check-ins are asked for, is
    alice_row = page.locator(f"tbody[data-patient='{clinic.alice_profile.pk}']")
    expect(alice_row.locator("td.warn")).to_contain_text("3 days ago")

    # The detail: ODI change with its unit and where it went, back pain in the leg pain's layout
    june_row.get_by_role("button", name="More about June Jones").click()
    detail = june_row.locator("tr.row-detail")
    expect(detail).to_be_visible()
    expect(detail).to_contain_text("\N{MINUS SIGN}22 points")
    expect(detail).to_contain_text("48% to 26%")
    expect(detail).to_contain_text("latest 1 · before 6")
    expect(june_row.locator("td").nth(3)).to_contain_text("latest 1 · before 8")
    assert june_row.get_by_role("button", name="More about June Jones").get_attribute("aria-expanded") == "true"
    _at_every_width(page, "the roster", "clinician-roster")

    # On a wide screen every column is there, still without sideways scrolling
    page.set_viewport_size(WIDE)
    expect(page.get_by_role("columnheader", name="ODI change")).to_be_visible()
    assert_no_sideways_scroll(page, "the roster at 1366 px")
    shoot(page, "clinician-roster-wide")


def test_a_day_200_patients_charts_read_the_weekly_series_and_the_trial_at_its_visits(
    desk: BrowserContext, clinic: Clinic
):
    june = _june(clinic)
    page = _signed_in(desk, clinic, TABLET)
    page.goto(f"/app/clinician/patients/{june.pk}")

    expect(page.get_by_role("heading", name="June Jones")).to_be_visible()
    expect(page.locator("p.lead").first).to_contain_text("day 200")
    # The series API answers week by week for 201 days: the charts draw those weeks, not a blank
    pain = page.get_by_role("img", name="Back and leg pain by week (weekly means) after the procedure")
    expect(pain).to_be_visible()
    assert pain.locator(".chart-series.series-1:not(.reference) polyline").count() >= 1
    assert pain.locator(".chart-series.series-2:not(.reference) polyline").count() >= 1
    activity = page.get_by_role("img", name="Walking and standing minutes by week (weekly means) after the procedure")
    assert activity.locator(".chart-series polyline").count() >= 2
    # No trial point on the pain chart: the trial's first visit with a published mean is at 2 years (day 730)
    expect(pain.locator(".reference circle")).to_have_count(0)
    # The outcome charts reach the 2-year visit: one expected ODI point, two expected ZCQ points (ZCQ included)
    odi = page.get_by_role("img", name="Oswestry Disability Index by day after the procedure")
    expect(odi.locator(".chart-series.reference circle")).to_have_count(1)
    expect(odi.locator(".chart-series.series-1 circle")).to_have_count(2)
    zcq = page.get_by_role("img", name="Zurich Claudication Questionnaire by day after the procedure")
    expect(zcq.locator(".chart-series.reference circle")).to_have_count(2)
    # Labelled with the trial's real population, never "trial average"
    expect(page.get_by_text(f"Expected at the trial's visits: {TRIAL}")).to_have_count(3)
    expect(page.locator("main")).not_to_contain_text("Expected (trial average)")
    expect(page.locator("main")).to_contain_text("2 years (day 730): ODI (%) 25.3")
    page.get_by_text("Show the numbers").first.click()
    expect(page.get_by_role("columnheader", name="Week from")).to_be_visible()
    # The tables name what they hold: dates in words, the progress check, the measure and its scores by name
    for toggle in page.get_by_text("Show the numbers").all():
        if toggle.locator("xpath=..").get_attribute("open") is None:
            toggle.click()
    table = page.get_by_role("region", name="Assessments").locator("table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(5)
    procedure_date = june.procedures.get().procedure_date
    baseline_odi = rows.filter(has_text="Before the procedure").filter(has_text="ODI 48%")
    before = procedure_date - dt.timedelta(days=10)
    expect(baseline_odi).to_contain_text(f"{before.day} {before:%B} {before.year}")
    six_month_zcq = rows.filter(has_text="6 month follow-up").filter(has_text="ZCQ")
    for score in ("symptoms 2.4", "function 2", "satisfaction 1.8", "symptoms: yes", "function: yes"):
        expect(six_month_zcq).to_contain_text(score)
    main_text = page.locator("main").inner_text()
    for code in ("month_6", "odi_percent", "zcq_", "back_pain"):
        assert code not in main_text, code
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b", main_text), re.search(r".{40}\d{4}-\d\d-\d\d.{20}", main_text)
    _at_every_width(page, "a day-200 patient's page", "clinician-patient-day-200")


def test_an_exercise_pain_alert_shows_its_sessions_and_is_assigned(desk: BrowserContext, clinic: Clinic):
    alert = _exercise_alert(clinic)
    page = _signed_in(desk, clinic, TABLET)
    page.goto(f"/app/clinician/alerts/{alert.pk}")

    reported = page.locator("section.trigger")
    expect(reported.get_by_role("heading", name="What the patient reported")).to_be_visible()
    expect(reported).to_contain_text("Exercise: Walking")
    sessions = reported.locator("table.trigger-sessions tbody tr")
    expect(sessions).to_have_count(2)
    expect(sessions.nth(0)).to_contain_text("8/10")
    expect(sessions.nth(1)).to_contain_text("9/10")
    expect(sessions.nth(1)).to_contain_text("Hard")
    expect(reported).to_contain_text("7 or more")

    # When Dr Chen takes it
    expect(page.locator(".assigned-now")).to_contain_text("Nobody yet")
    page.get_by_label("Give it to").select_option(label="Dr Carol Chen (primary)")
    page.get_by_label("Note for them (optional)").fill("I will call her about the walks.")
    page.get_by_role("button", name="Assign").click()

    # Then it is hers, and her queue's "Me" filter finds it
    expect(page.locator(".assigned-now")).to_have_text("Dr Carol Chen")
    eventually(lambda: Alert.objects.get(pk=alert.pk).assigned_to_id == clinic.carol.pk, message="assigned")
    expect(page.locator("ol.events")).to_contain_text("I will call her about the walks.")
    _at_every_width(page, "the exercise alert", "clinician-alert-exercise")
    page.goto("/app/clinician/alerts?state=unresolved&assigned_to=me")
    items = page.locator(".alert-item")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("assigned to Dr Carol Chen")
    _at_every_width(page, "the alert queue", "clinician-alerts-mine")


def test_recovery_curves_and_response_times(desk: BrowserContext, clinic: Clinic):
    _june(clinic)
    page = _signed_in(desk, clinic, TABLET)

    page.locator("#topnav").get_by_role("link", name="Response times").click()
    expect(page.get_by_role("heading", name="Response times")).to_be_visible()
    # Bob's urgent alert is waiting: raised 1, acknowledged 0, waiting 1, no times yet
    urgent = page.locator("tr[data-tier='urgent'] td")
    expect(urgent).to_have_text(["1", "0", "1", "\N{EN DASH}", "\N{EN DASH}"])
    _at_every_width(page, "the response times", "clinician-response-times")

    page.locator("#topnav").get_by_role("link", name="Recovery curves").click()
    expect(page.get_by_role("heading", name="Recovery curves")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.get_by_role("img", name="Leg pain: median and middle half by week after the procedure")).to_be_visible()
    expect(page.get_by_role("row", name="6 months")).to_contain_text("100% (1 of 1)")
    page.get_by_label("Weeks since the procedure").select_option("26")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/app/clinician/cohort\?weeks=26$"))
    _at_every_width(page, "the recovery curves", "clinician-recovery-curves")


def test_the_last_roster_and_alert_queue_stay_readable_offline_with_their_time(desk: BrowserContext, clinic: Clinic):
    page = _signed_in(desk, clinic, TABLET)
    rows = page.locator("table.roster tbody tr:not(.row-detail)")
    expect(rows).to_have_count(3)
    page.locator("#topnav").get_by_role("link", name="Alerts").click()
    expect(page.locator(".alert-item")).to_have_count(1)

    desk.set_offline(True)
    try:
        page.locator("#topnav").get_by_role("link", name="Patients").click()
        expect(page.get_by_text("Showing what the app last saw, on")).to_be_visible()
        expect(rows).to_have_count(3)
        expect(page.locator(".banner-offline")).to_be_visible()
        shoot(page, "clinician-roster-offline")
        assert_no_axe_violations(page, "the roster offline")

        page.locator("#topnav").get_by_role("link", name="Alerts").click()
        expect(page.get_by_text("Showing what the app last saw, on")).to_be_visible()
        expect(page.locator(".alert-item")).to_contain_text("Bob Baker")
        shoot(page, "clinician-alerts-offline")
        assert_no_axe_violations(page, "the alert queue offline")
    finally:
        desk.set_offline(False)


def test_the_demos_june_day_200_on_the_tablet(desk: BrowserContext, transactional_db: None):
    """The demo clinic as `make run` seeds it: Dr Okafor's June (day 200) on the roster and her weekly charts."""
    from django.core.management import call_command

    from accounts.management.commands.seed_demo import DEMO_PASSWORD
    from tests.conftest import migration_data_install

    migration_data_install()
    call_command("seed_demo", stdout=io.StringIO())
    june = PatientProfile.objects.get(user__email="june@patients.example")
    page = desk.new_page()
    page.set_viewport_size(TABLET)
    sign_in(page, "dr.okafor@riverside.example", DEMO_PASSWORD)

    row = page.locator(f"tbody[data-patient='{june.pk}']")
    expect(row).to_contain_text("Day 200")
    expect(row.locator("td.warn")).to_have_count(0)
    assert_no_sideways_scroll(page, "the demo roster at 820 px")

    row.get_by_role("link", name=re.compile("June")).click()
    expect(page.locator("p.lead").first).to_contain_text("day 200")
    pain = page.get_by_role("img", name="Back and leg pain by week (weekly means) after the procedure")
    assert (
        pain.locator(
            ".chart-series.series-2:not(.reference) polyline, .chart-series.series-2:not(.reference) circle"
        ).count()
        >= 1
    )
    expect(page.locator("main")).not_to_contain_text("Expected (trial average)")
    assert_no_sideways_scroll(page, "the demo's June at 820 px")
    assert_no_axe_violations(page, "the demo's June")
    shoot(page, "clinician-demo-june-tablet")
