"""The visit report PDF: what it says (read back with pypdf), its fonts (embedded TrueType), a page rendered to an
image (pypdfium2, kept in artifacts/report/), who may have it (404 when not yours, PHI-logged for staff) and bad
input. The patient is Alice, operated on 20 April 2027: on 1 June she is at day 42, her 6 to 8 week check."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import time_machine
from pypdf import PdfReader

from accounts.models import PHIAccess
from recovery import safety, services
from tests.conftest import Cast
from tests.factories import AlertFactory, AssessmentFactory, CheckInFactory
from tests.recovery.support import NEW_YORK
from tests.support import adverse_event_body, local, procedure_done

pytestmark = pytest.mark.clock_sensitive

NOW = local(NEW_YORK, 2027, 6, 1, 15)  # Tuesday 1 June 2027, 15:00 in New York
PROCEDURE_DAY = dt.date(2027, 4, 20)
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "artifacts" / "report"


@pytest.fixture(autouse=True)
def _june_first():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def alice(cast: Cast):
    """Alice with a baseline, check-ins on most days (none on days 10-12), the 2-3 and 6-8 week measures and an
    urgent alert her clinician acknowledged and resolved."""
    patient = cast.alice.patient_profile
    procedure = procedure_done(patient, cast.carol, PROCEDURE_DAY, levels=["L3-L4", "L4-L5"], side="bilateral")
    for n in range(-3, 43):
        if n in (10, 11, 12) or n == 0:
            continue
        CheckInFactory(
            patient=patient, procedure=procedure, local_date=PROCEDURE_DAY + dt.timedelta(days=n),
            back_pain=max(1, 7 - n // 7), leg_pain=max(2, 8 - n // 6), walking_minutes=10 + n,
            standing_minutes=5 + n // 2,
        )  # fmt: skip
    for timepoint, on, pain, odi_percent, zcq_scores in (
        ("baseline", dt.date(2027, 4, 10), (7, 8), 46.0, (3.4, 3.0)),
        ("weeks_2_3", dt.date(2027, 5, 6), (5, 6), 40.0, (3.0, 2.6)),
        ("weeks_6_8", dt.date(2027, 6, 1), (3, 4), 30.0, (2.4, 2.2)),
    ):
        AssessmentFactory(procedure=procedure, timepoint=timepoint, local_date=on,
                          scores={"back_pain": pain[0], "leg_pain": pain[1]})  # fmt: skip
        AssessmentFactory(procedure=procedure, timepoint=timepoint, local_date=on, instrument="odi",
                          scores={"odi_percent": odi_percent})  # fmt: skip
        AssessmentFactory(
            procedure=procedure, timepoint=timepoint, local_date=on, instrument="zcq",
            scores={"zcq_symptom_severity": zcq_scores[0], "zcq_physical_function": zcq_scores[1],
                    "zcq_satisfaction": None},
        )  # fmt: skip
    alert = AlertFactory(patient=patient, rule="fever_chills", raised_at=local(NEW_YORK, 2027, 5, 2, 8))
    services.alert_acknowledge(alert=alert, by=cast.carol, now=local(NEW_YORK, 2027, 5, 2, 8, 40))
    services.alert_resolve(
        alert=alert, by=cast.carol, note="Called; no fever today.", now=local(NEW_YORK, 2027, 5, 2, 11)
    )
    return patient, procedure


def _url(patient_id: Any) -> str:
    return f"/api/v1/patients/{patient_id}/report.pdf"


def _pdf(response: Any) -> PdfReader:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    # Words as laid out; runs of spaces and line breaks collapsed so phrases can be matched across table cells.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _reads(cast: Cast) -> list[tuple[Any, Any, str]]:
    return list(PHIAccess.objects.values_list("actor_id", "patient_id", "resource"))


def test_the_care_team_gets_the_visit_on_two_pages_with_its_outcomes_and_the_trial_reference(alice, cast, client_for):
    patient, _ = alice
    response = client_for(cast.carol).get(_url(patient.pk))
    reader = _pdf(response)
    text = _text(reader)

    assert len(reader.pages) == 2
    assert response["Content-Disposition"] == f'inline; filename="patient-{patient.pk}-visit-report.pdf"'
    assert "Visit report: recovery after MILD" in text
    assert cast.alice.full_name in text
    assert "6 to 8 week progress check. Day 42 after the procedure. Data up to 01 Jun 2027." in text
    assert "MILD, 20 Apr 2027" in text and "L3-L4, L4-L5; both sides" in text
    assert "Dr Carol Chen" in text
    # ODI 46 -> 30: 16 points better, a responder (MCID 10); at 2-3 weeks 46 -> 40 was not.
    assert (
        "ODI 46 at baseline, 30 at 6-8 weeks: change -16 points, a responder (an improvement of 10 points or more "
        "makes a responder)." in text
    )
    assert "ODI (disability, %) 2-3 weeks (day 16) 46 40 -6 No (10 points)" in text
    assert "ODI (disability, %) 6-8 weeks (day 42) 46 30 -16 Yes (10 points)" in text
    assert "ZCQ symptom severity (1-5) 6-8 weeks (day 42) 3.4 2.4 -1 Yes (0.5)" in text
    assert "Leg pain (NPRS 0-10) 6-8 weeks (day 42) 8 4 -4 Yes (2 points)" in text
    # The alert and its handling, in her zone.
    assert "02 May 08:00 (day 12) Urgent" in text
    assert "Dr Carol Chen, after 40 min" in text and "Dr Carol Chen, after 3.0 h: Called; no fever today." in text
    # The trial reference, labelled with its population; her expected ODI at 2 years is 46 - 22.7.
    assert "Trial reference: MiDAS ENCORE, MILD arm, 143 patients at 2 years" in text
    assert "ODI 22.7 23.3" in text
    assert "Exercise adherence" in text
    assert _reads(cast) == [(cast.carol.pk, patient.pk, "interop.visit_report")]


def test_recorded_adverse_events_of_the_episode_are_listed_and_drafts_are_not(alice, cast, client_for):
    patient, procedure = alice
    body = adverse_event_body(PROCEDURE_DAY, emergency_visit=True, outcome="resolved",
                              resolved_date=PROCEDURE_DAY + dt.timedelta(days=9))  # fmt: skip
    safety.adverse_event_record(procedure=procedure, by=cast.carol, data=body, now=local(NEW_YORK, 2027, 5, 1, 9))
    draft = safety.adverse_event_record(
        procedure=procedure, by=cast.carol, data=adverse_event_body(PROCEDURE_DAY, kind="bleeding"),
        now=local(NEW_YORK, 2027, 5, 1, 10),
    )  # fmt: skip
    draft.status = "draft"
    draft.save(update_fields=["status"])

    text = _text(_pdf(client_for(cast.carol).get(_url(patient.pk))))

    assert "Adverse events" in text
    assert "22 Apr 2027 Infection II Procedure-related emergency visit Resolved" in text
    assert "Bleeding" not in text
    assert "Clavien-Dindo" in text


def test_a_report_without_adverse_events_says_so(alice, cast, client_for):
    patient, _ = alice
    text = _text(_pdf(client_for(cast.carol).get(_url(patient.pk))))
    assert "No adverse event has been recorded for this procedure." in text


def test_every_font_is_embedded_truetype_and_the_first_page_renders_in_grey(alice, cast, client_for):
    patient, _ = alice
    content = client_for(cast.carol).get(_url(patient.pk)).content
    reader = PdfReader(io.BytesIO(content))

    fonts = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert {name.partition("+")[2] for name in fonts} == {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold"}, fonts
    for name, font in fonts.items():
        # A subset of Bitstream Vera (a subset's name starts with six capitals and "+"), with its font program in the
        # file: no font is left to the reader's machine.
        assert re.fullmatch(r"/[A-Z]{6}\+BitstreamVeraSans-(Roman|Bold)", name), name
        assert font["/Subtype"] == "/TrueType", name
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name

    document = pypdfium2.PdfDocument(content)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(document, start=1):
        page.render(scale=2).to_pil().convert("RGB").save(ARTIFACTS / f"visit-report-page-{number}.png")
    image = document[0].render(scale=2).to_pil().convert("RGB")
    assert image.size == (1224, 1584)  # US Letter at 144 dpi
    pixels = list(image.get_flattened_data())
    dark = sum(1 for r, _, _ in pixels if r < 128)
    assert dark > 10_000  # text and charts, not a blank page
    # Black and greys only: readable printed in grey, nothing told apart by colour alone.
    assert max(max(p) - min(p) for p in pixels) <= 2


def test_the_patient_gets_her_own_report_and_her_read_is_not_logged(alice, cast, client_for):
    response = client_for(cast.alice).get("/api/v1/me/report.pdf")
    text = _text(_pdf(response))

    assert response["Content-Disposition"] == 'inline; filename="my-visit-report.pdf"'
    assert cast.alice.full_name in text and "Day 42 after the procedure" in text
    assert _reads(cast) == []


@pytest.mark.parametrize(
    ("who", "status"), [("dave", 404), ("erin", 404), ("grace", 404), ("alice", 403), ("bob", 404)]
)
def test_a_patient_not_on_your_care_team_is_not_found_and_nothing_is_logged(who, status, alice, cast, client_for):
    patient, _ = alice
    response = client_for(getattr(cast, who)).get(_url(patient.pk))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert _reads(cast) == []


def test_staff_have_no_report_of_their_own(cast, client_for):
    assert client_for(cast.carol).get("/api/v1/me/report.pdf").status_code == 403
    assert client_for(None).get("/api/v1/me/report.pdf").status_code == 401


def test_her_clinics_admin_gets_it_and_the_read_is_logged(alice, cast, client_for):
    patient, _ = alice
    _pdf(client_for(cast.frank).get(_url(patient.pk)))
    assert _reads(cast) == [(cast.frank.pk, patient.pk, "interop.visit_report")]


def test_bad_procedure_ids_are_refused_per_field_and_nothing_is_logged(alice, cast, client_for):
    patient, _ = alice
    bobs = procedure_done(cast.bob.patient_profile, cast.dave, PROCEDURE_DAY)
    carol = client_for(cast.carol)

    for value, message in (
        ("not-an-id", "Must be a valid UUID."),
        (str(uuid.uuid4()), "This patient has no procedure with this id."),
        (str(bobs.pk), "This patient has no procedure with this id."),
    ):
        response = carol.get(_url(patient.pk), {"procedure": value}, HTTP_ACCEPT="application/pdf")
        assert response.status_code == 400, value
        assert response.json()["errors"] == {"procedure": [message]}
    assert client_for(cast.alice).get("/api/v1/me/report.pdf", {"procedure": str(bobs.pk)}).status_code == 400
    assert _reads(cast) == []


def test_an_earlier_episode_ends_the_day_before_the_next_one(alice, cast, client_for):
    patient, first = alice
    procedure_done(patient, cast.carol, dt.date(2027, 5, 25))  # a repeat procedure, 7 days ago

    latest = _text(_pdf(client_for(cast.carol).get(_url(patient.pk))))
    earlier = _text(_pdf(client_for(cast.carol).get(_url(patient.pk), {"procedure": str(first.pk)})))

    assert "Day 7 after the procedure" in latest and "MILD, 25 May 2027" in latest
    assert "No outcome measures recorded for this procedure." in latest
    assert "2 to 3 week progress check. Day 34 after the procedure. Data up to 24 May 2027." in earlier
    assert "MILD, 20 Apr 2027" in earlier and "Called; no fever today." in earlier


def test_a_patient_without_a_procedure_gets_one_page(cast, client_for):
    reader = _pdf(client_for(cast.carol).get(_url(cast.alice.pk)))
    text = _text(reader)
    assert len(reader.pages) == 1
    assert "No procedure recorded" in text and "MiDAS ENCORE, MILD arm, 143 patients at 2 years" in text


def test_a_long_term_visit_draws_weekly_means_and_stays_within_three_pages(cast, client_for):
    patient = cast.alice.patient_profile
    start = dt.date(2026, 11, 1)  # day 212 on 1 June 2027
    procedure = procedure_done(patient, cast.carol, start)
    for n in range(1, 213, 2):
        CheckInFactory(patient=patient, procedure=procedure, local_date=start + dt.timedelta(days=n),
                       back_pain=3, leg_pain=4)  # fmt: skip
    for n in range(20):
        AlertFactory(patient=patient, rule="pain_8_plus_two_days", raised_at=local(NEW_YORK, 2027, 1, 1 + n, 9))
    AssessmentFactory(procedure=procedure, instrument="odi", scores={"odi_percent": 50.0},
                      local_date=start - dt.timedelta(days=7))  # fmt: skip
    AssessmentFactory(procedure=procedure, instrument="odi", timepoint="month_6", scores={"odi_percent": 24.0},
                      local_date=dt.date(2027, 5, 3))  # fmt: skip

    reader = _pdf(client_for(cast.carol).get(_url(patient.pk)))
    text = _text(reader)

    assert 2 <= len(reader.pages) <= 3
    assert "Day 212 after the procedure" in text and "6 month follow-up" in text
    assert "From weekly means of the check-ins" in text
    assert "8 earlier alerts are not listed here." in text
    assert "ODI 50 at baseline, 24 at 6 months: change -26 points, a responder" in text
