"""Who may see which patient: the one place that decides.

Every queryset that can hold patient data is narrowed here, one rule per role:
- a patient sees only themself;
- a clinician sees the patients whose care team they are on;
- a clinic admin sees every patient of their clinic;
- a caregiver sees the patients who granted them "view" (an active, unrevoked link): revoking takes effect on the
  very next request, which is then 404.
Anyone else sees nothing. Lookups that miss raise Http404, so "not yours" and "does not exist" look the same.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db import models
from django.http import Http404

from accounts.models import CaregiverLink, CareTeamMember, Grant, PatientProfile, Role, User

M = TypeVar("M", bound=models.Model)


def patients_visible_to(user: User) -> models.QuerySet[PatientProfile]:
    """The patients `user` may see, as a queryset (never evaluated here)."""
    patients = PatientProfile.objects.all()
    if not user.is_authenticated or not user.is_active:
        return patients.none()
    if user.role == Role.PATIENT:
        return patients.filter(user_id=user.pk)
    if user.role == Role.CLINICIAN and user.clinic_id:
        team = CareTeamMember.objects.filter(clinician_id=user.pk).values("patient_id")
        return patients.filter(user_id__in=team, user__clinic_id=user.clinic_id)
    if user.role == Role.CLINIC_ADMIN and user.clinic_id:
        return patients.filter(user__clinic_id=user.clinic_id)
    if user.role == Role.CAREGIVER:
        links = CaregiverLink.objects.granting(Grant.VIEW).filter(caregiver_id=user.pk).values("patient_id")
        return patients.filter(user_id__in=links, user__is_active=True)
    return patients.none()


def scope_to_visible_patients(
    user: User, queryset: models.QuerySet[M], patient_field: str = "patient"
) -> models.QuerySet[M]:
    """Narrow any queryset of patient-linked rows to the patients `user` may see.

    `patient_field` is the lookup from the row to the PatientProfile (or to the patient's User; both share a key).
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role == Role.PATIENT:
        return queryset.filter(**{patient_field: user.pk})
    return queryset.filter(**{f"{patient_field}__in": patients_visible_to(user).values("user_id")})


def get_visible_patient(user: User, patient_id: uuid.UUID | str) -> PatientProfile:
    """The patient with this id if `user` may see them; Http404 otherwise, whether or not they exist."""
    try:
        return patients_visible_to(user).select_related("user", "user__clinic").get(user_id=patient_id)
    except (PatientProfile.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No patient with this id.") from exc


def caregiver_link_for(user: User, patient_id: uuid.UUID) -> CaregiverLink:
    """The caregiver's active link to this patient (whatever it grants); Http404 when there is none: never invited,
    revoked, the caregiver's or the patient's account closed, or no such patient."""
    if not user.is_authenticated or not user.is_active or user.role != Role.CAREGIVER:
        raise Http404("No patient with this id.")
    try:
        return (
            CaregiverLink.objects.active()
            .select_related("patient__user__clinic", "caregiver")
            .get(caregiver_id=user.pk, patient_id=patient_id, patient__user__is_active=True)
        )
    except (CaregiverLink.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No patient with this id.") from exc


def clinic_staff_visible_to(user: User) -> models.QuerySet[User]:
    """Clinicians and admins of the user's own clinic (staff only; patients and strangers see none)."""
    if not user.is_active or user.role not in (Role.CLINICIAN, Role.CLINIC_ADMIN) or user.clinic_id is None:
        return User.objects.none()
    return User.objects.filter(clinic_id=user.clinic_id, role__in=(Role.CLINICIAN, Role.CLINIC_ADMIN))
