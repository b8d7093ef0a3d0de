"""Writes for the candidate screening and adverse events. Each service is one transaction; a refused write stores
nothing and names every field that is wrong (ValidationError with a message per field).

- A screening of a procedure episode (screening_save): the selection criteria, the cautions and the outcome; each
  re-screening is kept beside the earlier ones and the latest decides the done-gate. A
  "candidate" outcome needs the criteria met and a note on every caution answered yes. Its risk factors answered yes
  (diabetes, heart disease, previous spinal surgery) are written to the patient's profile, which the roster and every
  alert show; an answer of no or unknown leaves the profile as it was (a caution asks about severe or uncontrolled
  disease, or surgery at the level: its "no" does not rule the risk factor out).
- The gate on marking a procedure done (procedure_screening_check, called by recovery.services.procedure_complete).
- Adverse events: recorded by a clinician, or opened as a draft from the patient's weekly answer
  (adverse_event_draft_from_checkin) and then completed or dismissed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import PatientProfile, Role, User
from recovery.models import (
    CAUTIONS,
    AdverseEvent,
    AdverseEventKind,
    AdverseEventOutcome,
    AdverseEventStatus,
    Answer,
    CheckIn,
    ClavienDindo,
    Procedure,
    ProcedureStatus,
    Screening,
    ScreeningOutcome,
)

# --- Screening --------------------------------------------------------------------------------------------------------

SCREENING_FIELDS = (
    "stenosis_confirmed", "imaging_modality", "imaging_date", "claudication", "conservative_care_failed",
    "conservative_care", *[f for c in CAUTIONS for f in (c, f"{c}_note")], "diabetes", "outcome", "note",
)  # fmt: skip


def _screening_errors(procedure: Procedure, data: dict[str, Any], today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data["stenosis_confirmed"] == Answer.YES:
        if not data.get("imaging_modality"):
            errors["imaging_modality"] = ["Say whether the stenosis was confirmed on MRI or CT."]
        if data.get("imaging_date") is None:
            errors["imaging_date"] = ["Give the date of the MRI or CT that confirmed the stenosis."]
    if data.get("imaging_date") is not None and data["imaging_date"] > today:
        errors["imaging_date"] = ["The imaging date is in the future."]
    if data["conservative_care_failed"] == Answer.YES and not data.get("conservative_care"):
        errors["conservative_care"] = ["List the conservative care tried (what, and for how many weeks)."]
    if data["outcome"] == ScreeningOutcome.CANDIDATE:
        unmet = [
            label
            for field, label in (
                ("stenosis_confirmed", "stenosis confirmed on MRI or CT"),
                ("claudication", "neurogenic claudication"),
                ("conservative_care_failed", "conservative care tried and failed"),
            )
            if data[field] != Answer.YES
        ]
        if unmet:
            errors["outcome"] = [
                f"A candidate meets every criterion; not answered yes: {', '.join(unmet)}. "
                "Choose 'needs review' until they are."
            ]
        for caution, label in CAUTIONS.items():
            if data[caution] == Answer.YES and not str(data.get(f"{caution}_note", "")).strip():
                errors[f"{caution}_note"] = [
                    f"'{label}' is answered yes: say why the patient is a candidate all the same."
                ]
    if procedure.status == ProcedureStatus.CANCELLED:
        errors["procedure"] = ["This procedure was cancelled; screen the patient for a new procedure episode."]
    return errors


def _risk_factors_write(patient: PatientProfile, screening: Screening) -> None:
    """Risk factors the screening answered yes, onto the profile (see the module docstring)."""
    found = {
        "has_diabetes": Answer.YES in (screening.diabetes, screening.uncontrolled_diabetes),
        "has_heart_disease": screening.heart_disease == Answer.YES,
        "had_previous_spinal_surgery": screening.previous_spinal_surgery == Answer.YES,
    }
    changed = [field for field, yes in found.items() if yes and not getattr(patient, field)]
    for field in changed:
        setattr(patient, field, True)
    if changed:
        patient.save(update_fields=changed)


def screening_save(
    *, procedure: Procedure, by: User, data: dict[str, Any], now: dt.datetime | None = None
) -> Screening:
    """Record a screening of this procedure episode, decided by `by` now. A re-screening adds to the episode's
    history (nothing is overwritten) and becomes the latest, the one the done-gate reads."""
    now = now or timezone.now()
    patient = procedure.patient
    errors = _screening_errors(procedure, data, patient.local_today(now))
    if errors:
        raise ValidationError(errors)
    values = {field: data.get(field, "") for field in SCREENING_FIELDS}
    values["imaging_date"] = data.get("imaging_date")
    values["conservative_care"] = list(data.get("conservative_care") or [])
    with transaction.atomic():
        Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
        screening = Screening.objects.create(
            procedure=procedure, **values, patient=patient, decided_by=by, decided_at=now
        )
        Procedure.objects.filter(pk=procedure.pk).update(screening=screening)
        procedure.screening = screening
        _risk_factors_write(patient, screening)
    return screening


def procedure_screening_check(*, procedure: Procedure, by: User, override_reason: str, now: dt.datetime) -> None:
    """Let a procedure be marked done: its screening's outcome is "candidate", or a clinician overrides with a reason,
    which is set on `procedure` (the caller saves it). Raises ValidationError otherwise. The latest screening decides:
    an earlier "candidate" does not count once a re-screening said otherwise."""
    outcome = Procedure.objects.filter(pk=procedure.pk).values_list("screening__outcome", flat=True).first()
    if outcome == ScreeningOutcome.CANDIDATE:
        return
    reason = override_reason.strip()
    if not reason:
        found = "has no screening" if outcome is None else f"was screened '{ScreeningOutcome(outcome).label}'"
        raise ValidationError(
            {
                "screening": [
                    f"This procedure {found}. Record a screening with the outcome 'candidate', or give a reason "
                    "to override."
                ]
            }
        )
    if by.role != Role.CLINICIAN:
        raise ValidationError({"override_reason": ["Only a clinician can override the screening."]})
    procedure.screening_override_reason = reason
    procedure.screening_override_by = by
    procedure.screening_override_at = now


# --- Adverse events ---------------------------------------------------------------------------------------------------

ADVERSE_EVENT_FIELDS = (
    "kind", "kind_other", "grade", "onset_date", "resolved_date", "relatedness", "outcome", "emergency_visit",
    "hospital_admission", "further_surgery", "description",
)  # fmt: skip
_REQUIRED = {
    "kind": "Say what happened.",
    "grade": "Give the Clavien-Dindo grade.",
    "onset_date": "Give the day it started.",
    "relatedness": "Say whether it was device- or procedure-related.",
    "outcome": "Give the outcome.",
}


def _adverse_event_errors(procedure: Procedure, values: dict[str, Any], today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {
        field: [message] for field, message in _REQUIRED.items() if values.get(field) in (None, "")
    }
    if procedure.status != ProcedureStatus.DONE:
        errors["procedure"] = ["Adverse events are recorded against a procedure that was done."]
    onset, resolved = values.get("onset_date"), values.get("resolved_date")
    if onset is not None and onset < procedure.procedure_date:
        errors["onset_date"] = [f"This is before the procedure ({procedure.procedure_date.isoformat()})."]
    elif onset is not None and onset > today:
        errors["onset_date"] = ["This date is in the future."]
    if resolved is not None and onset is not None and resolved < onset:
        errors["resolved_date"] = ["It cannot have resolved before it started."]
    if resolved is not None and resolved > today:
        errors["resolved_date"] = ["This date is in the future."]
    if values.get("kind") == AdverseEventKind.OTHER and not str(values.get("kind_other", "")).strip():
        errors["kind_other"] = ["Say what the event was."]
    fatal, grade_v = values.get("outcome") == AdverseEventOutcome.FATAL, values.get("grade") == ClavienDindo.V
    if fatal != grade_v and values.get("outcome") and values.get("grade"):
        errors["grade"] = ["Grade V is the death of the patient: use it for a fatal outcome, and only then."]
    return errors


def _adverse_event_write(
    event: AdverseEvent, procedure: Procedure, values: dict[str, Any], by: User, now: dt.datetime
) -> AdverseEvent:
    errors = _adverse_event_errors(procedure, values, procedure.patient.local_today(now))
    if errors:
        raise ValidationError(errors)
    for field in ADVERSE_EVENT_FIELDS:
        setattr(event, field, values.get(field, getattr(event, field)))
    if event.recorded_at is None:  # new, or a draft being completed
        event.status = AdverseEventStatus.RECORDED
        event.recorded_by = by
        event.recorded_at = now
    event.updated_at = now
    event.save()
    return event


def adverse_event_record(
    *, procedure: Procedure, by: User, data: dict[str, Any], now: dt.datetime | None = None
) -> AdverseEvent:
    """A clinician records an adverse event after this procedure."""
    now = now or timezone.now()
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().select_related("patient").get(pk=procedure.pk)
        event = AdverseEvent(patient=procedure.patient, procedure=procedure, created_at=now)
        values = {**{f: getattr(event, f) for f in ADVERSE_EVENT_FIELDS}, **data}
        return _adverse_event_write(event, procedure, values, by, now)


def adverse_event_update(
    *, event: AdverseEvent, by: User, data: dict[str, Any], now: dt.datetime | None = None
) -> AdverseEvent:
    """Change a recorded event, or complete a draft (it becomes recorded). A dismissed draft cannot change."""
    now = now or timezone.now()
    with transaction.atomic():
        event = AdverseEvent.objects.select_for_update().select_related("procedure__patient").get(pk=event.pk)
        if event.status == AdverseEventStatus.DISMISSED:
            raise ValidationError({"status": ["This draft was dismissed; record a new adverse event instead."]})
        values = {**{f: getattr(event, f) for f in ADVERSE_EVENT_FIELDS}, **data}
        return _adverse_event_write(event, event.procedure, values, by, now)


def adverse_event_dismiss(
    *, event: AdverseEvent, by: User, reason: str, now: dt.datetime | None = None
) -> AdverseEvent:
    """Dismiss a draft the weekly question opened (for example a visit unrelated to the procedure, or a mistaken
    answer). A recorded event is corrected, not dismissed."""
    now = now or timezone.now()
    with transaction.atomic():
        event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
        if event.status == AdverseEventStatus.RECORDED:
            raise ValidationError({"status": ["Only a draft can be dismissed; correct a recorded event instead."]})
        if event.status == AdverseEventStatus.DRAFT:
            event.status = AdverseEventStatus.DISMISSED
            event.dismissed_by = by
            event.dismissed_at = now
            event.dismiss_reason = reason
            event.updated_at = now
            event.save(update_fields=["status", "dismissed_by", "dismissed_at", "dismiss_reason", "updated_at"])
    return event


def adverse_event_draft_from_checkin(*, checkin: CheckIn, now: dt.datetime) -> AdverseEvent | None:
    """The weekly question answered yes opens one draft per check-in, against the check-in's procedure (none when
    the check-in belongs to no done procedure). Part of the check-in's transaction; repeating it changes nothing."""
    if not checkin.healthcare_use or checkin.procedure_id is None:
        return None
    event, _ = AdverseEvent.objects.get_or_create(
        checkin=checkin,
        defaults={
            "patient_id": checkin.patient_id,
            "procedure_id": checkin.procedure_id,
            "status": AdverseEventStatus.DRAFT,
            "description": (
                f"At the check-in of {checkin.local_date.isoformat()} the patient said they went to an emergency "
                "department or stayed in hospital since the week before."
            ),
            "created_at": now,
            "updated_at": now,
        },
    )
    return event
