"""Helpers every app's tests share: instants given as wall-clock time, a complete daily check-in body, a done
procedure, waiting for what another process or thread does. App-specific helpers stay in tests/<app>/support.py."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import PatientProfile, User
from recovery import safety, services
from recovery.models import Procedure, Screening

UTC = dt.UTC


def local(zone: ZoneInfo, *when: int) -> dt.datetime:
    """An aware instant given as wall-clock time in `zone` (first occurrence when ambiguous), e.g.
    local(NEW_YORK, 2027, 5, 20, 9)."""
    return dt.datetime(*when, tzinfo=zone)


def utc(*when: int) -> dt.datetime:
    return dt.datetime(*when, tzinfo=UTC)


def checkin_body(local_date: dt.date, **fields: Any) -> dict[str, Any]:
    """A complete, valid daily check-in for `local_date`; keyword arguments replace fields."""
    body: dict[str, Any] = {
        "local_date": local_date.isoformat(),
        "back_pain": 4,
        "leg_pain": 5,
        "walking_minutes": 20,
        "standing_minutes": 10,
        "steps": 2500,
        "medication": "otc",
        "symptoms": [],
        "red_flags": [],
        "note": "",
    }
    body.update(fields)
    return body


def screening_body(**fields: Any) -> dict[str, Any]:
    """A complete screening of a candidate (every criterion met, no caution); keyword arguments replace fields."""
    body: dict[str, Any] = {
        "stenosis_confirmed": "yes",
        "imaging_modality": "mri",
        "imaging_date": "2027-03-01",
        "claudication": "yes",
        "conservative_care_failed": "yes",
        "conservative_care": [{"treatment": "physical_therapy", "weeks": 12, "note": ""}],
        "heart_disease": "no",
        "heart_disease_note": "",
        "uncontrolled_diabetes": "no",
        "uncontrolled_diabetes_note": "",
        "spinal_instability": "no",
        "spinal_instability_note": "",
        "previous_spinal_surgery": "no",
        "previous_spinal_surgery_note": "",
        "diabetes": "no",
        "outcome": "candidate",
        "note": "",
    }
    body.update(fields)
    return body


def screened_candidate(procedure: Procedure, by: User, **fields: Any) -> Screening:
    """Record a "candidate" screening for the procedure through the service (imaging a few months before it), so it
    can be marked done."""
    data = screening_body(**fields)
    data["imaging_date"] = procedure.procedure_date - dt.timedelta(days=60)
    decided = dt.datetime.combine(procedure.procedure_date - dt.timedelta(days=14), dt.time(10), tzinfo=UTC)
    return safety.screening_save(procedure=procedure, by=by, data=data, now=decided)


def adverse_event_body(procedure_date: dt.date, **fields: Any) -> dict[str, Any]:
    """A complete adverse event two days after a procedure of `procedure_date` (dates as Python dates, for the
    service; `json_ready` for a request body); keyword arguments replace fields."""
    body: dict[str, Any] = {
        "kind": "infection",
        "kind_other": "",
        "grade": "II",
        "onset_date": procedure_date + dt.timedelta(days=2),
        "resolved_date": None,
        "relatedness": "procedure",
        "outcome": "ongoing",
        "emergency_visit": False,
        "hospital_admission": False,
        "further_surgery": False,
        "description": "Superficial wound infection; oral antibiotics.",
    }
    body.update(fields)
    return body


def json_ready(body: dict[str, Any]) -> dict[str, Any]:
    """`body` with its dates as ISO strings, for a JSON request."""
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in body.items()}


def procedure_done(patient: PatientProfile, by: User, procedure_date: dt.date, **fields: Any) -> Procedure:
    """Schedule and complete a procedure through the services, at 16:00 on the procedure day in the patient's zone,
    after a "candidate" screening."""
    procedure = services.procedure_schedule(
        patient=patient,
        by=by,
        procedure_date=procedure_date,
        levels=fields.pop("levels", ["L4-L5"]),
        side=fields.pop("side", "bilateral"),
        anaesthesia=fields.pop("anaesthesia", "local"),
        **fields,
    )
    screened_candidate(procedure, by)
    finished = dt.datetime.combine(procedure_date, dt.time(16), tzinfo=patient.zone)
    return services.procedure_complete(procedure=procedure, by=by, now=finished)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60, every: float = 0.1) -> None:
    """Poll `condition` every `every` seconds until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")
