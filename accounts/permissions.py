"""Role gates for the API. Object-level access (which patient) is not decided here but in accounts.scoping."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.models import Role


class StaffMFASatisfied(BasePermission):
    """With REQUIRE_STAFF_MFA on, clinicians and clinic admins must have an authenticator app set up.

    Patients and caregivers are never asked; two-factor stays available to them.
    """

    message = "Set up two-factor authentication (an authenticator app) before using the clinician tools."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not settings.REQUIRE_STAFF_MFA or not user.is_authenticated or user.role in (Role.PATIENT, Role.CAREGIVER):
            return True
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return True
        raise PermissionDenied(detail=self.message, code="mfa_required")


class IsPatient(BasePermission):
    message = "This is for patients."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.role == Role.PATIENT)


class PatientOr404(BasePermission):
    """For /me/... routes that address one of the patient's own records by id (a check-in, an exercise session).

    Staff have no such records, so to a signed-in non-patient the truthful answer is 404, as for any id that is not
    theirs: paths with an id never say 403 to outsiders. Anonymous callers still get 401. Collections under /me keep
    IsPatient (403 for staff).
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        if user.role != Role.PATIENT:
            raise NotFound()
        return True


class IsPatientOrCaregiver(BasePermission):
    """For /me/... collections a caregiver may use on a patient's behalf (which patient, and whether they granted it,
    is decided by accounts.access.access_own_patient): 403 for staff."""

    message = "This is for patients and the people who help them."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.role in (Role.PATIENT, Role.CAREGIVER))


class PatientOrCaregiverOr404(BasePermission):
    """As PatientOr404, for /me/... records a caregiver may also reach on the patient's behalf."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        if user.role not in (Role.PATIENT, Role.CAREGIVER):
            raise NotFound()
        return True


class IsNotCaregiver(BasePermission):
    """Changes to a patient's own details are the patient's or the clinic's, never a caregiver's."""

    message = "Only the patient and their clinic can change this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.role != Role.CAREGIVER)


class IsClinicStaff(BasePermission):
    message = "This is for clinic staff."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.role in (Role.CLINICIAN, Role.CLINIC_ADMIN))


class IsClinicAdmin(BasePermission):
    message = "This is for clinic admins."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.role == Role.CLINIC_ADMIN)


class IsClinician(BasePermission):
    message = "This is for clinicians."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.role == Role.CLINICIAN)


class IsCaregiver(BasePermission):
    message = "This is for caregivers."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.role == Role.CAREGIVER)
