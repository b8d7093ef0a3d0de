"""Reads for accounts, always narrowed to what the requesting user may see (see accounts.scoping)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Prefetch
from django.http import Http404

from accounts.models import CaregiverLink, CareTeamMember, Invitation, PatientProfile, PHIAccess, Role, User
from accounts.scoping import clinic_staff_visible_to, patients_visible_to


def _with_care_team(patients: models.QuerySet[PatientProfile]) -> models.QuerySet[PatientProfile]:
    team = CareTeamMember.objects.select_related("clinician").order_by("-is_primary", "clinician__full_name")
    return patients.select_related("user").prefetch_related(Prefetch("care_team", queryset=team))


def patient_list(*, user: User, search: str = "") -> models.QuerySet[PatientProfile]:
    patients = _with_care_team(patients_visible_to(user))
    if search:
        patients = patients.filter(user__full_name__icontains=search)
    return patients.order_by("user__full_name", "user_id")


def patient_listed(*, user: User, patient_id: uuid.UUID) -> PatientProfile:
    """One patient as `patient_list` shows them to `user` (with the care team), for a view that has already reached
    the patient through an access function."""
    return patient_list(user=user).get(pk=patient_id)


def patient_enrolled(*, by: User, patient_id: uuid.UUID) -> PatientProfile:
    """A patient `by` has just enrolled, for the enrolment's answer. Not through patients_visible_to: a clinician may
    enrol a patient onto a colleague's list without joining the care team, and still sees what they entered."""
    return _with_care_team(PatientProfile.objects.filter(enrolled_by=by)).get(pk=patient_id)


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


def phi_access_list(*, user: User, patient_id: uuid.UUID | None = None) -> models.QuerySet[PHIAccess]:
    """The PHI access log of the admin's clinic; only one patient's rows when `patient_id` is given."""
    if user.role != Role.CLINIC_ADMIN or user.clinic_id is None:
        return PHIAccess.objects.none()
    log = PHIAccess.objects.filter(patient__user__clinic_id=user.clinic_id).select_related("actor", "patient__user")
    return log if patient_id is None else log.filter(patient_id=patient_id)


def caregiver_links_of(patient: PatientProfile) -> models.QuerySet[CaregiverLink]:
    """The patient's caregivers who have not been removed (invited or active), with their latest invitation."""
    latest = Invitation.objects.order_by("-created_at")
    return (
        CaregiverLink.objects.filter(patient=patient, revoked_at__isnull=True)
        .select_related("caregiver")
        .prefetch_related(Prefetch("caregiver__invitations", queryset=latest))
        .order_by("created_at", "caregiver__full_name", "id")
    )


def caregiver_link_shown(patient: PatientProfile, link_id: uuid.UUID) -> CaregiverLink:
    """One of the patient's current caregivers as the list shows them (with the latest invitation)."""
    return caregiver_links_of(patient).get(pk=link_id)


def caregiver_link_of(patient: PatientProfile, link_id: uuid.UUID) -> CaregiverLink:
    """One of the patient's own caregiver links (removed ones too); Http404 for anyone else's."""
    try:
        return CaregiverLink.objects.select_related("caregiver", "patient__user").get(pk=link_id, patient=patient)
    except CaregiverLink.DoesNotExist as exc:
        raise Http404("No caregiver with this id.") from exc


def caring_for(user: User) -> models.QuerySet[CaregiverLink]:
    """The patients a caregiver helps now (active links of active patients), for choosing whom to help."""
    if user.role != Role.CAREGIVER:
        return CaregiverLink.objects.none()
    return (
        CaregiverLink.objects.active()
        .filter(caregiver=user, patient__user__is_active=True)
        .select_related("patient__user__clinic")
        .order_by("patient__user__full_name", "patient_id")
    )
