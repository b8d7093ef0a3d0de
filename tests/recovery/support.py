"""Small helpers the recovery tests share: instants in a patient's zone, check-in bodies, a done procedure."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps as django_apps
from rest_framework.test import APIClient

from recovery.models import Protocol

UTC = dt.UTC
NEW_YORK = ZoneInfo("America/New_York")  # Alice
BERLIN = ZoneInfo("Europe/Berlin")  # Bob

CHECKINS = "/api/v1/me/checkins"
ASSESSMENTS = "/api/v1/me/assessments"

# ODI answers for a whole form, by section (see recovery.instruments.ODI).
ODI_SECTIONS = (
    "pain_intensity", "personal_care", "lifting", "walking", "sitting", "standing", "sleeping", "sex_life",
    "social_life", "travelling",
)  # fmt: skip
ZCQ_SEVERITY = ("pain_overall", "pain_frequency", "back_pain", "leg_pain", "numbness", "weakness")
ZCQ_FUNCTION = ("walking_distance", "walking_for_pleasure", "shopping", "walking_at_home", "walking_to_bathroom")
ZCQ_SATISFACTION = ("overall_result", "pain_relief", "walking_ability", "daily_tasks", "leg_strength", "steadiness")


def default_protocol() -> Protocol:
    """The newest version of the shipped default: what new procedures start on."""
    return Protocol.objects.filter(clinic__isnull=True).latest("version")


def default_protocol_installed() -> Protocol:
    """The shipped default, installed again by its own data migration if a transactional test's flush removed it
    (cheaper than serialized_rollback, which reloads the whole database before each test)."""
    importlib.import_module("recovery.migrations.0002_default_protocol").install(django_apps, None)
    importlib.import_module("recovery.migrations.0007_default_protocol_v2").install_default_protocol_v2(
        django_apps, None
    )
    importlib.import_module("recovery.migrations.0014_default_protocol_spanish").install_default_protocol_spanish(
        django_apps, None
    )
    return default_protocol()


def put_checkin(
    client: APIClient, body: dict[str, Any], checkin_id: uuid.UUID | str | None = None, *, if_match: str | None = None
) -> Any:
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return client.put(f"{CHECKINS}/{checkin_id or uuid.uuid4()}", body, format="json", **headers)


def odi(*values: int | None) -> dict[str, int | None]:
    """ODI answers section by section, in the order of ODI_SECTIONS."""
    assert len(values) == len(ODI_SECTIONS)
    return dict(zip(ODI_SECTIONS, values, strict=True))


def zcq(severity: int, function: int, satisfaction: int | None = None) -> dict[str, int]:
    """ZCQ answers with every item of a subscale the same (balance is 1, 3 or 5; 3 for anything above 1)."""
    answers = dict.fromkeys(ZCQ_SEVERITY, severity)
    answers["balance"] = 1 if severity == 1 else 3
    answers |= dict.fromkeys(ZCQ_FUNCTION, function)
    if satisfaction is not None:
        answers |= dict.fromkeys(ZCQ_SATISFACTION, satisfaction)
    return answers


def record_measures(
    client: APIClient,
    timepoint: str,
    *,
    pain: tuple[int, int],
    odi_level: int,
    zcq_level: tuple[int, int],
    minutes: tuple[int, int] = (10, 15),
) -> list[Any]:
    """Fill in all four measures of a timepoint through the API; returns the responses."""
    post_treatment = timepoint != "baseline"
    forms = {
        "pain": {"back_pain": pain[0], "leg_pain": pain[1]},
        "odi": odi(*([odi_level] * len(ODI_SECTIONS))),
        "zcq": zcq(*zcq_level, satisfaction=2 if post_treatment else None),
        "tolerance": {"standing_minutes": minutes[0], "walking_minutes": minutes[1]},
    }
    responses = []
    for instrument, answers in forms.items():
        response = client.post(
            ASSESSMENTS, {"instrument": instrument, "timepoint": timepoint, "answers": answers}, format="json"
        )
        assert response.status_code == 201, response.json()
        responses.append(response)
    return responses
