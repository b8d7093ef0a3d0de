"""People and organisations: clinics, their staff, patients and care teams, invitations, and the PHI access log."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


STAFF_ROLES = (Role.CLINICIAN, Role.CLINIC_ADMIN)
STAFF_ROLE_CHOICES = [(r.value, r.label) for r in STAFF_ROLES]


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    # Shown to patients in urgent-tier instructions ("call the clinic today").
    phone = models.CharField(max_length=40)
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.CLINIC_ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. The role says what they are; staff and patients belong to exactly one clinic."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Stored lower-cased; the functional unique index below also guards against case variants written elsewhere.
    email = models.EmailField(max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="members", null=True, blank=True)
    # Django admin access (operators), unrelated to the clinic roles.
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=models.Q(clinic__isnull=False) | models.Q(is_superuser=True),
                name="user_clinic_required_unless_superuser",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class PatientProfile(models.Model):
    """What the clinic knows about a patient beyond their sign-in. Shares its primary key with the user."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, primary_key=True, related_name="patient_profile")
    date_of_birth = models.DateField()
    time_zone = models.CharField(max_length=64)
    language = models.CharField(max_length=8, default="en")
    phone = models.CharField(max_length=40, blank=True)
    # Risk factors that call for closer monitoring (CLINICAL.md, "Risks and warning signs"); age is derived.
    has_diabetes = models.BooleanField(default=False)
    has_heart_disease = models.BooleanField(default=False)
    had_previous_spinal_surgery = models.BooleanField(default=False)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(max_length=40, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now)
    enrolled_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolled_patients"
    )

    class Meta:
        ordering = ("user__full_name",)

    def __str__(self) -> str:
        return str(self.user)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_today(self, now: dt.datetime | None = None) -> dt.date:
        """Today's date where the patient is, which is what "today" means for check-ins and reminders."""
        return (now or timezone.now()).astimezone(self.zone).date()

    def age(self, today: dt.date | None = None) -> int:
        today = today or self.local_today()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class CareTeamMember(models.Model):
    """A clinician on a patient's care team. Exactly one member is the primary clinician."""

    patient = models.ForeignKey(PatientProfile, on_delete=models.CASCADE, related_name="care_team")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="care_team_memberships")
    is_primary = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("patient", "clinician"), name="care_team_member_unique"),
            models.UniqueConstraint(
                fields=("patient",), condition=models.Q(is_primary=True), name="care_team_one_primary"
            ),
        ]
        indexes = [models.Index(fields=("clinician", "patient"))]

    def __str__(self) -> str:
        return f"{self.clinician} on {self.patient}{' (primary)' if self.is_primary else ''}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


class Invitation(models.Model):
    """A single-use, expiring invitation to set a password and activate an account.

    Only a SHA-256 of the token is stored: a leaked database cannot be used to take over pending accounts.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_sent_at = models.DateTimeField()
    send_count = models.PositiveIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            # At most one live invitation per person; resending rotates the token on the same row.
            models.UniqueConstraint(
                fields=("user",),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.user.email}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def status_at(self, now: dt.datetime | None = None) -> InvitationStatus:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if (now or timezone.now()) >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def status(self) -> InvitationStatus:
        return self.status_at()


class AppendOnlyQuerySet(models.QuerySet["PHIAccess"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The PHI access log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The PHI access log is append-only.")


class PHIAccess(models.Model):
    """One read of a patient's data by a clinician or clinic admin. Append-only, here and in PostgreSQL (trigger)."""

    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="phi_reads")
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="phi_access_log")
    resource = models.CharField(max_length=100)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=("patient", "-at"))]
        verbose_name = "PHI access"
        verbose_name_plural = "PHI access log"

    def __str__(self) -> str:
        return f"{self.actor_id} read {self.resource} of {self.patient_id} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The PHI access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The PHI access log is append-only.")
