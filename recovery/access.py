"""Access to recovery's records for API views, on top of accounts.access: scope (404), then role (403), then the PHI
log, always in that order. Views never check a role or log a read by hand."""

from __future__ import annotations

import uuid

from django.http import Http404
from rest_framework.request import Request

from accounts.access import Gate, access_patient, patient_read_log, role_require
from accounts.authentication import signed_in
from accounts.permissions import IsClinicStaff
from recovery import safety_selectors, selectors
from recovery.models import AdverseEvent, Alert, Procedure, Protocol


def access_procedure(
    request: Request, patient_id: uuid.UUID, procedure_id: uuid.UUID, *, role: Gate | None = None
) -> Procedure:
    """The patient's procedure (404 for whoever may not see the patient, and for another patient's procedure), for
    `role` (403); the read is logged once both pass."""
    patient = access_patient(request, patient_id, resource=None)
    procedure = selectors.procedure_of(patient, procedure_id)
    if role is not None:
        role_require(request, role)
    patient_read_log(request, [patient.pk], resource="recovery.procedure")
    return procedure


def access_procedure_for(
    request: Request,
    patient_id: uuid.UUID,
    procedure_id: uuid.UUID,
    *,
    role: Gate,
    resource: str,
    role_message: str | None = None,
) -> Procedure:
    """The patient's procedure, looked up before the role gate (404 for whoever may not see it, then 403 for a role
    `role` refuses); the read is logged as `resource`."""
    patient = access_patient(request, patient_id, resource=None)
    procedure = selectors.procedure_of(patient, procedure_id)
    role_require(request, role, role_message)
    patient_read_log(request, [patient.pk], resource=resource)
    return procedure


def access_adverse_event(
    request: Request, patient_id: uuid.UUID, event_id: uuid.UUID, *, role: Gate, role_message: str | None = None
) -> AdverseEvent:
    """One of the patient's adverse events, looked up before the role gate (404, then 403); the read is logged."""
    patient = access_patient(request, patient_id, resource=None)
    event = safety_selectors.adverse_event_of(patient, event_id)
    role_require(request, role, role_message)
    patient_read_log(request, [patient.pk], resource="recovery.adverse_event")
    return event


def access_alert(request: Request, alert_id: uuid.UUID, *, logged: bool = True) -> Alert:
    """The alert, for the care team and clinic admins. Looked up before the role gate, so whoever may not see it gets
    404 whatever their role; the patient it is about gets 403: alerts are the clinicians' triage tool. Logged unless
    `logged=False` (the caller logs with `alert_read_log` once the request is valid)."""
    try:
        alert = selectors.alerts_visible_to(signed_in(request)).get(pk=alert_id)
    except Alert.DoesNotExist as exc:
        raise Http404("No alert with this id.") from exc
    role_require(request, IsClinicStaff)
    if logged:
        alert_read_log(request, alert)
    return alert


def alert_read_log(request: Request, alert: Alert) -> None:
    patient_read_log(request, [alert.patient_id], resource="recovery.alert")


def access_protocol(request: Request, protocol_id: uuid.UUID, *, role: Gate) -> Protocol:
    """The protocol, looked up before the role gate: another clinic's protocol is 404 whatever the role (paths with an
    id never say 403 to outsiders); then 403 for a role `role` refuses. Protocols hold no patient data: not logged."""
    protocol = selectors.protocol_visible(signed_in(request), protocol_id)
    role_require(request, role)
    return protocol
