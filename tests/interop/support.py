"""A patient record with something of every kind, and FHIR validation with fhir.resources (R4B models, which are R4
for every resource served here)."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from rest_framework.test import APIClient

from accounts.models import PatientProfile, User
from recovery import instruments, safety
from recovery.models import Procedure
from tests.factories import AlertFactory, AssessmentFactory, CheckInFactory
from tests.recovery.support import odi, zcq
from tests.support import adverse_event_body, procedure_done

FHIR = "/fhir/r4"
PROCEDURE_DATE = dt.date(2026, 9, 1)


def fhir_valid(resource: dict[str, Any]) -> dict[str, Any]:
    """Parse the resource with its fhir.resources model (which refuses unknown or mistyped elements), write it back,
    and require the same JSON: nothing was dropped, renamed or reshaped."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert json.loads(model.model_dump_json()) == resource
    return resource


def record_of(patient: PatientProfile, clinician: User, *, days: int = 5) -> Procedure:
    """A done procedure (milestones and exercise plan laid out by the service), `days` check-ins (steps on every
    other day, one edited), the four measures at baseline, an open urgent alert and a recorded adverse event (a
    wound infection from day 2)."""
    procedure = procedure_done(patient, clinician, PROCEDURE_DATE, levels=["L3-L4", "L4-L5"], side="bilateral")
    for n in range(days):
        CheckInFactory(
            patient=patient,
            procedure=procedure,
            local_date=PROCEDURE_DATE + dt.timedelta(days=n + 1),
            back_pain=6 - n % 5,
            leg_pain=5,
            steps=2000 + 100 * n if n % 2 == 0 else None,
            symptoms=["site_soreness"] if n == 0 else [],
            red_flags=["fever_chills"] if n == 1 else [],
            version=2 if n == 2 else 1,
        )
    baseline = {
        "pain": {"back_pain": 7, "leg_pain": 6},
        "odi": odi(3, 2, 3, 3, 2, 3, 2, None, 2, 3),
        "zcq": zcq(4, 3),
        "tolerance": {"standing_minutes": 5, "walking_minutes": 10},
    }
    for instrument, answers in baseline.items():
        AssessmentFactory(
            procedure=procedure,
            instrument=instrument,
            instrument_version=instruments.INSTRUMENTS[instrument].version,
            answers=answers,
            scores=instruments.score(instrument, answers),
            local_date=PROCEDURE_DATE - dt.timedelta(days=3),
        )
    AlertFactory(patient=patient)
    recorded = dt.datetime.combine(PROCEDURE_DATE + dt.timedelta(days=4), dt.time(15), tzinfo=dt.UTC)
    safety.adverse_event_record(
        procedure=procedure, by=clinician, data=adverse_event_body(PROCEDURE_DATE), now=recorded
    )
    return procedure


def get(client: APIClient, url: str, **params: Any) -> Any:
    return client.get(url, params, HTTP_ACCEPT="application/fhir+json")


def all_pages(client: APIClient, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every entry's resource, following `next` links."""
    resources: list[dict[str, Any]] = []
    response = get(client, url, **params)
    while True:
        assert response.status_code == 200, response.content
        bundle = fhir_valid(response.json())
        resources += [item["resource"] for item in bundle.get("entry", [])]
        following = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        if not following:
            return resources
        response = client.get(following[0])


def signed_in_just_now(client: APIClient, user: User) -> APIClient:
    """What allauth records at a password sign-in, so actions needing a recent sign-in are allowed."""
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "email": user.email}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client
