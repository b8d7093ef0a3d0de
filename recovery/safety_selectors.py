"""Reads for the candidate screening and adverse events. Anything reachable over HTTP is first narrowed by
accounts.scoping (the views reach the patient through accounts.access)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import PatientProfile
from recovery.models import AdverseEvent, Procedure, Screening


def screening_of(procedure: Procedure) -> Screening:
    """The procedure's latest screening; Http404 when it has none yet."""
    screening = (
        Screening.objects.select_related("decided_by", "procedure")
        .filter(procedure=procedure, pk=Procedure.objects.filter(pk=procedure.pk).values("screening")[:1])
        .first()
    )
    if screening is None:
        raise Http404("This procedure has no screening yet.")
    return screening


def screenings_of(procedure: Procedure) -> QuerySet[Screening]:
    """Every screening of the procedure episode, the latest first (its history). One query."""
    return (
        Screening.objects.filter(procedure=procedure)
        .select_related("decided_by", "procedure")
        .order_by("-decided_at", "-created_at")
    )


def screening_status(outcome: str | None, override_reason: str) -> str:
    """What a procedure's screening says, in one word: its outcome, "override" when a clinician marked the procedure
    done without a "candidate" screening, or "none"."""
    if override_reason:
        return "override"
    return outcome or "none"


def adverse_events_of(patient: PatientProfile, *, statuses: tuple[str, ...] = ()) -> QuerySet[AdverseEvent]:
    events = AdverseEvent.objects.filter(patient=patient).select_related(
        "procedure", "recorded_by", "dismissed_by", "checkin"
    )
    if statuses:
        events = events.filter(status__in=statuses)
    return events.order_by("-created_at", "id")


def adverse_event_of(patient: PatientProfile, event_id: uuid.UUID) -> AdverseEvent:
    """One of the patient's adverse events; Http404 for any other id."""
    event = adverse_events_of(patient).filter(pk=event_id).first()
    if event is None:
        raise Http404("No adverse event with this id.")
    return event


def procedure_of_patient(patient: PatientProfile, procedure_id: uuid.UUID) -> Procedure | None:
    """One of the patient's procedure episodes, or None (a body naming another patient's procedure is a 400)."""
    return Procedure.objects.filter(patient=patient, pk=procedure_id).first()
