"""Reads for accounts, always narrowed to what the requesting user may see (see accounts.scoping)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Prefetch
from django.http import Http404

from accounts.models import CareTeamMember, Invitation, PatientProfile, PHIAccess, Role, User
from accounts.scoping import clinic_staff_visible_to, patients_visible_to


def patient_list(*, user: User, search: str = "") -> models.QuerySet[PatientProfile]:
    patients = (
        patients_visible_to(user)
        .select_related("user")
        .prefetch_related(
            Prefetch("care_team", queryset=CareTeamMember.objects.select_related("clinician").order_by("-is_primary"))
        )
    )
    if search:
        patients = patients.filter(user__full_name__icontains=search)
    return patients.order_by("user__full_name", "user_id")


def invitations_visible_to(user: User) -> models.QuerySet[Invitation]:
    invitations = Invitation.objects.select_related("user", "clinic", "created_by")
    if user.role not in (Role.CLINICIAN, Role.CLINIC_ADMIN) or user.clinic_id is None:
        return invitations.none()
    if user.role == Role.CLINIC_ADMIN:
        return invitations.filter(clinic_id=user.clinic_id)
    # Clinicians manage the invitations of the patients on their care teams, not staff invitations.
    return invitations.filter(user_id__in=patients_visible_to(user).values("user_id"))


def invitation_get(*, user: User, invitation_id: uuid.UUID) -> Invitation:
    try:
        return invitations_visible_to(user).get(pk=invitation_id)
    except Invitation.DoesNotExist as exc:
        raise Http404("No invitation with this id.") from exc


def staff_list(*, user: User) -> models.QuerySet[User]:
    return clinic_staff_visible_to(user).order_by("full_name", "id")


def phi_access_list(*, user: User) -> models.QuerySet[PHIAccess]:
    """The PHI access log of the admin's clinic."""
    if user.role != Role.CLINIC_ADMIN or user.clinic_id is None:
        return PHIAccess.objects.none()
    return PHIAccess.objects.filter(patient__user__clinic_id=user.clinic_id).select_related("actor", "patient__user")
