"""The one way an API view reaches a patient's record: scoped lookup (404 when not yours) plus the PHI access log."""

from __future__ import annotations

import uuid

from rest_framework.request import Request

from accounts.authentication import signed_in
from accounts.models import PatientProfile
from accounts.phi import phi_access_record
from accounts.scoping import get_visible_patient


def patient_accessed(request: Request, patient_id: uuid.UUID, *, resource: str) -> PatientProfile:
    """The patient if the signed-in user may see them (Http404 otherwise); logs the read for clinicians and admins."""
    user = signed_in(request)
    patient = get_visible_patient(user, patient_id)
    phi_access_record(actor=user, patient_ids=[patient.pk], resource=resource, request=request)
    return patient


def own_patient(request: Request) -> PatientProfile:
    """The signed-in patient's own profile (the view's permission has already admitted only patients)."""
    return PatientProfile.objects.select_related("user__clinic").get(user=signed_in(request))
