"""AdverseEvent over FHIR: the adverse events clinicians recorded, valid FHIR, with the Clavien-Dindo grade, the health
care used and the relation to the procedure; drafts and dismissed drafts are not served."""

from __future__ import annotations

import datetime as dt

import pytest

from recovery import safety
from recovery.models import AdverseEvent
from tests.interop.support import FHIR, PROCEDURE_DATE, all_pages, fhir_valid, get, record_of
from tests.support import adverse_event_body

pytestmark = pytest.mark.django_db

EXTENSIONS = "https://app.test/fhir/StructureDefinition/adverse-event-"


def test_a_recorded_adverse_event_is_served_with_its_grade_and_the_care_it_led_to(cast, client_for) -> None:
    procedure = record_of(cast.alice_profile, cast.carol)
    bleed = safety.adverse_event_record(
        procedure=procedure,
        by=cast.carol,
        data=adverse_event_body(
            PROCEDURE_DATE, kind="bleeding", grade="IIIb", relatedness="device", hospital_admission=True,
            further_surgery=True, outcome="resolved", resolved_date=PROCEDURE_DATE + dt.timedelta(days=6),
        ),
        now=dt.datetime.combine(PROCEDURE_DATE + dt.timedelta(days=8), dt.time(12), tzinfo=dt.UTC),
    )  # fmt: skip
    AdverseEvent.objects.create(
        patient=cast.alice_profile, procedure=procedure, status="draft", created_at=bleed.created_at,
        updated_at=bleed.created_at,
    )  # fmt: skip

    served = all_pages(client_for(cast.carol), f"{FHIR}/AdverseEvent")

    assert [r["date"] for r in served] == ["2026-09-03", "2026-09-03"]  # the draft is not served
    resource = fhir_valid(get(client_for(cast.carol), f"{FHIR}/AdverseEvent/{bleed.pk}").json())
    assert resource["subject"] == {"reference": f"Patient/{cast.alice.pk}"}
    assert resource["event"]["text"] == "Bleeding or haematoma"
    assert resource["seriousness"]["coding"][0]["code"] == "serious"
    assert resource["outcome"]["coding"][0]["code"] == "resolved"
    assert resource["recorder"] == {"reference": f"Practitioner/{cast.carol.pk}"}
    assert resource["suspectEntity"][0]["instance"] == {"reference": f"Procedure/{procedure.pk}"}
    assert resource["suspectEntity"][0]["causality"][0]["assessment"]["coding"][0]["code"] == "relatedness-device"
    extensions = {e["url"].removeprefix(EXTENSIONS): e for e in resource["extension"]}
    assert extensions["clavien-dindo-grade"]["valueCodeableConcept"]["coding"][0]["code"] == "clavien-dindo-IIIb"
    assert (extensions["hospital-admission"]["valueBoolean"], extensions["emergency-visit"]["valueBoolean"]) == (
        True,
        False,
    )
    # The grade codes are in our CodeSystem
    concepts = {c["code"] for c in get(client_for(cast.carol), f"{FHIR}/CodeSystem/mild-recovery").json()["concept"]}
    assert {"clavien-dindo-I", "clavien-dindo-V", "adverse-event-dural_tear", "relatedness-device"} <= concepts
    # Search by the day it started
    assert all_pages(client_for(cast.carol), f"{FHIR}/AdverseEvent", date="gt2026-09-03") == []
    assert get(client_for(cast.erin), f"{FHIR}/AdverseEvent/{bleed.pk}").status_code == 404
