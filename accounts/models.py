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
from django.db.models import Q
from django.db.models.functions import Length, Lower, Trim
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from accounts.emergency import COUNTRY_PATTERN, EMERGENCY_NUMBER_PATTERN, country_for_time_zone, emergency_number_for
from accounts.medicines import ParacetamolName, paracetamol_name_for


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"
    # Someone a patient lets help them (a spouse, a daughter): sees and writes only what each patient granted.
    CAREGIVER = "caregiver", "Caregiver"


STAFF_ROLES = (Role.CLINICIAN, Role.CLINIC_ADMIN)
STAFF_ROLE_CHOICES = [(r.value, r.label) for r in STAFF_ROLES]


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    # Shown to patients in urgent-tier instructions ("call the clinic today") and as their call button: never blank.
    phone = models.CharField(max_length=40)
    time_zone = models.CharField(max_length=64, default="UTC")
    # ISO 3166-1 alpha-2. Left empty on creation, it is read from the time zone (accounts.emergency).
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. US, GB, DE.")
    # The local emergency number patients are told to call in an emergency; defaults from the country.
    emergency_number = models.CharField(max_length=6, help_text="Digits only, e.g. 911, 999, 112, 000.")
    # What the clinic's patients call paracetamol (accounts.medicines); defaults from the country.
    paracetamol_name = models.CharField(
        max_length=13,
        choices=ParacetamolName.choices,
        help_text="acetaminophen (US, Canada) or paracetamol: the name patients read in the app.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(condition=Q(GreaterThan(Length(Trim("phone")), 0)), name="clinic_phone_not_blank"),
            models.CheckConstraint(
                condition=Q(emergency_number__regex=EMERGENCY_NUMBER_PATTERN), name="clinic_emergency_number_digits"
            ),
            models.CheckConstraint(condition=Q(country__regex=COUNTRY_PATTERN), name="clinic_country_alpha2"),
            models.CheckConstraint(
                condition=Q(paracetamol_name__in=ParacetamolName.values), name="clinic_paracetamol_name_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The defaults (accounts.emergency): country from the time zone, emergency number from the country. With no
        # default to be found they stay empty, and the database refuses the row rather than store a clinic whose
        # patients would not be told whom to call.
        if not self.country:
            self.country = country_for_time_zone(self.time_zone) or ""
        if not self.emergency_number:
            self.emergency_number = emergency_number_for(self.country) or ""
        if not self.paracetamol_name:
            self.paracetamol_name = paracetamol_name_for(self.country)
        super().save(*args, **kwargs)


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
    # The language this person reads (one of settings.LANGUAGES): the app, reminders and emails follow it.
    language = models.CharField(max_length=8, default="en")
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
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=Q(clinic__isnull=False) | Q(is_superuser=True),
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

    @property
    def is_caregiver(self) -> bool:
        return self.role == Role.CAREGIVER

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class PatientProfile(models.Model):
    """What the clinic knows about a patient beyond their sign-in. Shares its primary key with the user."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, primary_key=True, related_name="patient_profile")
    date_of_birth = models.DateField()
    time_zone = models.CharField(max_length=64)
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
            models.UniqueConstraint(fields=("patient",), condition=Q(is_primary=True), name="care_team_one_primary"),
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
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
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


class Grant(models.TextChoices):
    """What a patient lets one caregiver do. Each is given and taken back separately, at any time."""

    VIEW = "view", "See my recovery, check-ins, milestones and exercises"
    LOG = "log", "Fill in my check-ins and exercise sessions for me"
    REMINDERS = "reminders", "Get my reminders and what to do if something is wrong"
    ASSESSMENTS = "assessments", "Help me fill in my questionnaires"


GRANT_FIELDS = {
    Grant.VIEW: "can_view",
    Grant.LOG: "can_log",
    Grant.REMINDERS: "can_get_reminders",
    Grant.ASSESSMENTS: "can_enter_assessments",
}


class CaregiverLinkQuerySet(models.QuerySet["CaregiverLink"]):
    def active(self) -> CaregiverLinkQuerySet:
        """Links that count now: not revoked, and the caregiver's account is active (invitation accepted)."""
        return self.filter(revoked_at__isnull=True, caregiver__is_active=True)

    def granting(self, grant: Grant) -> CaregiverLinkQuerySet:
        return self.active().filter(**{GRANT_FIELDS[grant]: True})


class CaregiverLink(models.Model):
    """One caregiver helping one patient, with what the patient allows. Never deleted: revoking ends it, and the
    records the caregiver wrote keep pointing at it (who entered them, and as what)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="caregiver_links")
    caregiver = models.ForeignKey(User, on_delete=models.PROTECT, related_name="caring_for")
    relationship = models.CharField(max_length=60, help_text='How the caregiver is related, e.g. "daughter".')
    can_view = models.BooleanField(default=True)
    can_log = models.BooleanField(default=False)
    can_get_reminders = models.BooleanField(default=False)
    can_enter_assessments = models.BooleanField(default=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="caregivers_invited")
    # When the clinic invites, the staff member who recorded the patient's consent, and when.
    consent_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="caregiver_consents_recorded"
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CaregiverLinkQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("patient", "caregiver"), condition=Q(revoked_at__isnull=True), name="caregiver_link_one_open"
            ),
            models.CheckConstraint(
                condition=Q(GreaterThan(Length(Trim("relationship")), 0)), name="caregiver_relationship_not_blank"
            ),
        ]
        indexes = [models.Index(fields=("caregiver", "patient"))]

    def __str__(self) -> str:
        return f"{self.caregiver} ({self.relationship}) for {self.patient}"

    @property
    def label(self) -> str:
        """How a record this caregiver entered is shown: "Anna Ellis, daughter"."""
        return f"{self.caregiver.full_name}, {self.relationship}"

    @property
    def grants(self) -> list[str]:
        return [grant.value for grant, name in GRANT_FIELDS.items() if getattr(self, name)]


class AppendOnlyQuerySet(models.QuerySet["PHIAccess"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The PHI access log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The PHI access log is append-only.")


class PHIAccess(models.Model):
    """One read of a patient's data by a clinician, clinic admin or caregiver. Append-only, here and in PostgreSQL
    (trigger)."""

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
