"""Writes for accounts: enrolment, invitations, care teams, profiles, deactivation. Each is one transaction."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import (
    STAFF_ROLES,
    CareTeamMember,
    Clinic,
    Invitation,
    InvitationStatus,
    PatientProfile,
    Role,
    User,
)

logger = logging.getLogger(__name__)

PATIENT_SELF_EDITABLE = (
    "phone",
    "time_zone",
    "language",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relationship",
)
PATIENT_STAFF_EDITABLE = (
    *PATIENT_SELF_EDITABLE,
    "date_of_birth",
    "has_diabetes",
    "has_heart_disease",
    "had_previous_spinal_surgery",
)


def _email_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def _duplicate_email() -> ValidationError:
    return ValidationError({"email": ["Someone with this email address is already registered."]})


def _care_team_validated(
    clinic: Clinic, primary_clinician_id: uuid.UUID, member_ids: Sequence[uuid.UUID]
) -> tuple[User, list[User]]:
    wanted = list(dict.fromkeys([primary_clinician_id, *member_ids]))
    found = {u.pk: u for u in User.objects.filter(pk__in=wanted, clinic=clinic, role=Role.CLINICIAN, is_active=True)}
    errors: dict[str, list[str]] = {}
    if primary_clinician_id not in found:
        errors["primary_clinician"] = ["Choose an active clinician of your clinic."]
    missing = [str(pk) for pk in member_ids if pk not in found]
    if missing:
        errors["care_team"] = [f"Not an active clinician of your clinic: {', '.join(missing)}."]
    if errors:
        raise ValidationError(errors)
    return found[primary_clinician_id], [found[pk] for pk in wanted if pk != primary_clinician_id]


def _care_team_write(patient: PatientProfile, primary: User, others: Sequence[User]) -> None:
    CareTeamMember.objects.filter(patient=patient).delete()
    CareTeamMember.objects.bulk_create(
        [CareTeamMember(patient=patient, clinician=primary, is_primary=True)]
        + [CareTeamMember(patient=patient, clinician=c, is_primary=False) for c in others]
    )


def _invitation_email_send(invitation: Invitation, token: str) -> None:
    user = invitation.user
    context = {
        "name": user.get_short_name(),
        "clinic": invitation.clinic.name,
        "clinic_phone": invitation.clinic.phone,
        "is_patient": user.role == Role.PATIENT,
        # The token travels in the fragment, which browsers never send to a server or put in its logs.
        "link": f"{settings.APP_URL}/app/invitation#token={token}",
        "expires_at": invitation.expires_at,
    }
    message = EmailMultiAlternatives(
        subject=f"{invitation.clinic.name}: set up your account",
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
    try:
        message.send()
    except Exception:
        # The invitation stands; staff see it as pending and can resend. A mail outage must not undo an enrolment.
        logger.exception("Could not send invitation %s", invitation.pk)


def _invitation_issue(*, user: User, by: User | None, now: dt.datetime | None = None) -> Invitation:
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    if user.clinic is None:
        raise ValidationError("Only members of a clinic can be invited.")
    invitation = Invitation.objects.create(
        user=user,
        clinic=user.clinic,
        token_hash=Invitation.hash_token(token),
        created_by=by,
        expires_at=now + settings.INVITATION_TTL,
        last_sent_at=now,
    )
    transaction.on_commit(lambda: _invitation_email_send(invitation, token))
    return invitation


def patient_enrol(
    *,
    by: User,
    full_name: str,
    email: str,
    date_of_birth: dt.date,
    time_zone: str,
    primary_clinician_id: uuid.UUID | None = None,
    care_team: Sequence[uuid.UUID] = (),
    **profile: Any,
) -> PatientProfile:
    """Create an inactive patient account with a care team, and send the invitation that activates it."""
    if by.role not in STAFF_ROLES or by.clinic is None:
        raise ValidationError("Only clinic staff can enrol patients.")
    if primary_clinician_id is None:
        if by.role != Role.CLINICIAN:
            raise ValidationError({"primary_clinician": ["Choose the patient's primary clinician."]})
        primary_clinician_id = by.pk
    primary, others = _care_team_validated(by.clinic, primary_clinician_id, care_team)
    email = email.strip().lower()
    if _email_taken(email):
        raise _duplicate_email()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, None, full_name=full_name, role=Role.PATIENT, clinic=by.clinic, is_active=False
            )
            patient = PatientProfile.objects.create(
                user=user, date_of_birth=date_of_birth, time_zone=time_zone, enrolled_by=by, **profile
            )
            _care_team_write(patient, primary, others)
            _invitation_issue(user=user, by=by)
    except IntegrityError as exc:
        # Two enrolments of the same address at once: the unique index decides, the loser gets the same 400.
        raise _duplicate_email() from exc
    return patient


def staff_invite(*, by: User, full_name: str, email: str, role: str) -> User:
    """A clinic admin invites a clinician or another admin to their clinic."""
    if by.role != Role.CLINIC_ADMIN or by.clinic is None:
        raise ValidationError("Only clinic admins can invite staff.")
    if role not in STAFF_ROLES:
        raise ValidationError({"role": ["Choose clinician or clinic_admin."]})
    email = email.strip().lower()
    if _email_taken(email):
        raise _duplicate_email()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, None, full_name=full_name, role=role, clinic=by.clinic, is_active=False
            )
            _invitation_issue(user=user, by=by)
    except IntegrityError as exc:
        raise _duplicate_email() from exc
    return user


def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """Send a fresh link: the old link stops working and the 7 days start again. A revoked invitation is replaced
    by a new one."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("user", "clinic").get(pk=invitation.pk)
        status = invitation.status
        if status == InvitationStatus.ACCEPTED or invitation.user.is_active:
            raise ValidationError("This invitation was already accepted; the person can sign in.")
        if status == InvitationStatus.REVOKED:
            return _invitation_issue(user=invitation.user, by=by)
        now = timezone.now()
        token = secrets.token_urlsafe(32)
        invitation.token_hash = Invitation.hash_token(token)
        invitation.expires_at = now + settings.INVITATION_TTL
        invitation.last_sent_at = now
        invitation.send_count += 1
        invitation.save(update_fields=["token_hash", "expires_at", "last_sent_at", "send_count"])
        transaction.on_commit(lambda: _invitation_email_send(invitation, token))
    return invitation


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        status = invitation.status
        if status == InvitationStatus.ACCEPTED:
            raise ValidationError("This invitation was already accepted; deactivate the account instead.")
        if status != InvitationStatus.REVOKED:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


_TOKEN_REFUSALS = {
    InvitationStatus.ACCEPTED: "This invitation link was already used. Sign in with your email and password.",
    InvitationStatus.REVOKED: "This invitation link was withdrawn by your clinic. Ask them for a new one.",
    InvitationStatus.EXPIRED: "This invitation link has expired. Ask your clinic to send a new one.",
}


def invitation_accept(*, token: str, password: str) -> User:
    """Set the password and activate the account. Single use: a second attempt with the same token is refused."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=Invitation.hash_token(token))
            .first()
        )
        if invitation is None:
            raise ValidationError(
                {"token": ["This invitation link is not valid. It may have been replaced by a newer one."]}
            )
        status = invitation.status
        if status != InvitationStatus.PENDING:
            raise ValidationError({"token": [_TOKEN_REFUSALS[status]]})
        user = invitation.user
        validate_password_for(user, password)
        user.set_password(password)
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["password", "is_active", "deactivated_at"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


def validate_password_for(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": list(exc.messages)}) from exc


def care_team_set(
    *, patient: PatientProfile, primary_clinician_id: uuid.UUID, care_team: Sequence[uuid.UUID]
) -> PatientProfile:
    clinic = patient.user.clinic
    assert clinic is not None  # noqa: S101 (patients always belong to a clinic; the database enforces it)
    primary, others = _care_team_validated(clinic, primary_clinician_id, care_team)
    with transaction.atomic():
        _care_team_write(patient, primary, others)
    return patient


def patient_profile_update(*, patient: PatientProfile, by: User, **fields: Any) -> PatientProfile:
    allowed = PATIENT_SELF_EDITABLE if by.pk == patient.pk else PATIENT_STAFF_EDITABLE
    unknown = set(fields) - set(allowed) - {"full_name"}
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    with transaction.atomic():
        if "full_name" in fields:
            patient.user.full_name = fields.pop("full_name")
            patient.user.save(update_fields=["full_name"])
        for name, value in fields.items():
            setattr(patient, name, value)
        if fields:
            patient.save(update_fields=list(fields))
    return patient


def user_update(*, user: User, full_name: str) -> User:
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


def account_deactivate(*, user: User) -> User:
    """Sign-in is disabled everywhere at once; every record stays for the clinic."""
    with transaction.atomic():
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.save(update_fields=["is_active", "deactivated_at"])
    return user
