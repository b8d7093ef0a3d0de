"""The one way an API view reaches a patient's record, and the role gates (Zulip-style access functions).

Every access function does, in this order:
1. scope: the record must be visible to the signed-in user (accounts.scoping); otherwise Http404, whatever their
   role, exactly as for an id that does not exist ("not yours" is never told apart from "no such thing");
2. role: the user's role must pass the gate (403, with the gate's message): e.g. a patient may see her own record
   but not the clinicians' tools on it;
3. PHI log: the read is written to the access log (clinicians, admins and caregivers; a patient reading her own data
   is not logged), unless the caller passes `resource=None` because the answer is not decided yet (an invalid request
   reads nothing): it then logs with `patient_read_log` once it answers with the patient's data.

Caregivers address a patient through the patient's own /me/... routes, naming the patient in the `X-Patient` header
(`access_own_patient` with the grant the view needs), and read her record under /patients/<id>/... like she does:
both go through accounts.scoping, so a revoked caregiver gets 404 on the next request.

Access to other apps' records (procedures, alerts, protocols, prescriptions) is built on these in each app's
`access.py`; the small base views below give a whole view one role gate. Views never call `has_permission` or
`permission_denied` themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import models
from django.http import Http404
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.authentication import signed_in
from accounts.models import GRANT_FIELDS, CaregiverLink, Grant, PatientProfile, Role
from accounts.permissions import (
    IsClinicAdmin,
    IsClinician,
    IsClinicStaff,
    IsPatient,
    IsPatientOrCaregiver,
    PatientOr404,
    PatientOrCaregiverOr404,
)
from accounts.phi import phi_access_record
from accounts.scoping import caregiver_link_for, get_visible_patient

# The request header in which a caregiver names the patient they are helping on /me/... routes.
PATIENT_HEADER = "X-Patient"
GRANT_REFUSALS = {
    Grant.VIEW: "{name} has not asked you to see their recovery.",
    Grant.LOG: "{name} has not asked you to fill in check-ins and exercise sessions for them.",
    Grant.REMINDERS: "{name} has not asked you to get their reminders.",
    Grant.ASSESSMENTS: "{name} has not asked you to help with their questionnaires.",
}

M = TypeVar("M", bound=models.Model)
Gate = type[BasePermission]


def role_require(request: Request, gate: Gate, message: str | None = None) -> None:
    """403 (with `message`, else the gate's own) unless `gate` admits the signed-in user."""
    if not gate().has_permission(request, cast(Any, None)):  # role gates never look at the view
        raise PermissionDenied(message or getattr(gate, "message", None))


def patient_read_log(request: Request, patient_ids: Iterable[uuid.UUID], *, resource: str) -> None:
    """Log a read of these patients' data by the signed-in clinician, admin or caregiver (no-op for patients)."""
    phi_access_record(actor=signed_in(request), patient_ids=list(patient_ids), resource=resource, request=request)


def access_patient(
    request: Request,
    patient_id: uuid.UUID,
    *,
    resource: str | None,
    role: Gate | None = None,
    role_message: str | None = None,
) -> PatientProfile:
    """The patient, if the signed-in user may see them (404), has the role (403); the read is logged as `resource`."""
    patient = get_visible_patient(signed_in(request), patient_id)
    if role is not None:
        role_require(request, role, role_message)
    if resource is not None:
        patient_read_log(request, [patient.pk], resource=resource)
    return patient


def access_own_patient(request: Request, *, caregiver: Grant | None = None) -> PatientProfile:
    """The patient a /me/... request is about: the signed-in patient's own profile (not PHI-logged: it is hers), or,
    for a caregiver on a view that admits them with the grant `caregiver` needs, the patient named in the X-Patient
    header (see `access_acting`)."""
    return access_acting(request, caregiver=caregiver).patient


@dataclass(frozen=True)
class Acting:
    """Whose record a /me/... request reads or writes, and the caregiver link it acts through (None: the patient)."""

    patient: PatientProfile
    link: CaregiverLink | None


def access_acting(request: Request, *, caregiver: Grant | None = None) -> Acting:
    """The patient a /me/... request is about, and who acts for them.

    A patient acts for herself. A caregiver acts only where the view passes `caregiver` (the grant it needs), for the
    patient named in the X-Patient header: a missing or malformed header is 400; a patient with no active link to
    them (never invited, revoked, or not a patient) is 404 like any "not yours"; a link without the grant is 403.
    Each caregiver request is PHI-logged for that patient, under the route's name. Anyone else: 403 (the view's gate
    has already refused staff)."""
    user = signed_in(request)
    if user.role == Role.PATIENT:
        # Authentication loaded the profile with the user and their clinic (accounts.backends): no query here.
        try:
            return Acting(user.patient_profile, None)
        except PatientProfile.DoesNotExist:
            raise Http404("No patient record.") from None
    if user.role != Role.CAREGIVER or caregiver is None:
        raise PermissionDenied("This is for the patient themself.")
    raw = request.headers.get(PATIENT_HEADER, "").strip()
    if not raw:
        raise ValidationError({PATIENT_HEADER: ["Say which patient you are helping: their id in this header."]})
    try:
        patient_id = uuid.UUID(raw)
    except ValueError:
        raise ValidationError({PATIENT_HEADER: ["Must be a patient id (UUID)."]}) from None
    link = caregiver_link_for(user, patient_id)
    if not getattr(link, GRANT_FIELDS[caregiver]):
        raise PermissionDenied(GRANT_REFUSALS[caregiver].format(name=link.patient.user.get_short_name()))
    match = request.resolver_match
    resource = f"caregiver:{match.url_name}" if match is not None else "caregiver"
    patient_read_log(request, [link.patient.pk], resource=resource)
    return Acting(link.patient, link)


# --- Base views: one role gate for every method of a view -------------------------------------------------------------


class PatientApi(GenericAPIView[M]):
    """For the signed-in patient's own collections (/me/...): 403 for staff."""

    permission_classes = (*GenericAPIView.permission_classes, IsPatient)


class PatientRecordApi(GenericAPIView[M]):
    """For one of the signed-in patient's own records by id (/me/.../<id>): 404 for staff, who have none."""

    permission_classes = (*GenericAPIView.permission_classes, PatientOr404)


class PatientOrCaregiverApi(GenericAPIView[M]):
    """As PatientApi, for collections a caregiver may also use on the patient's behalf (the view passes the grant it
    needs to access_own_patient / access_acting): 403 for staff."""

    permission_classes = (*GenericAPIView.permission_classes, IsPatientOrCaregiver)


class PatientOrCaregiverRecordApi(GenericAPIView[M]):
    """As PatientRecordApi, for records a caregiver may also reach on the patient's behalf: 404 for staff."""

    permission_classes = (*GenericAPIView.permission_classes, PatientOrCaregiverOr404)


class StaffApi(GenericAPIView[M]):
    """For clinicians and clinic admins: 403 for patients."""

    permission_classes = (*GenericAPIView.permission_classes, IsClinicStaff)


class AdminApi(GenericAPIView[M]):
    """For clinic admins only."""

    permission_classes = (*GenericAPIView.permission_classes, IsClinicAdmin)


__all__ = [
    "PATIENT_HEADER",
    "Acting",
    "AdminApi",
    "IsClinicAdmin",
    "IsClinicStaff",
    "IsClinician",
    "PatientApi",
    "PatientOrCaregiverApi",
    "PatientOrCaregiverRecordApi",
    "PatientRecordApi",
    "StaffApi",
    "access_acting",
    "access_own_patient",
    "access_patient",
    "patient_read_log",
    "role_require",
]
