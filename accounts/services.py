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
from django.utils.translation import gettext as _

from accounts.emergency import emergency_number_for
from accounts.errors import StateConflict
from accounts.languages import in_language_of, is_offered
from accounts.medicines import paracetamol_name_for
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


def _duplicate_email() -> StateConflict:
    return StateConflict({"email": ["Someone with this email address is already registered."]})


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
    """The invitation email, in the invitee's language (User.language: chosen at enrolment or invitation, for a
    caregiver the inviting patient's unless given), its expiry in the person's time zone (a patient's own, otherwise
    the clinic's)."""
    user = invitation.user
    profile = getattr(user, "patient_profile", None) if user.role == Role.PATIENT else None
    zone = profile.time_zone if profile is not None else invitation.clinic.time_zone
    context = {
        "name": user.get_short_name(),
        "clinic": invitation.clinic.name,
        "clinic_phone": invitation.clinic.phone,
        "is_patient": user.role == Role.PATIENT,
        # For a caregiver: the patients who asked for their help ("Margaret Hughes").
        "caring_for": ", ".join(
            user.caring_for.filter(revoked_at__isnull=True).values_list("patient__user__full_name", flat=True)
        ),
        # The token travels in the fragment, which browsers never send to a server or put in its logs.
        "link": f"{settings.APP_URL}/app/invitation#token={token}",
        "expires_at": invitation.expires_at,
    }
    with in_language_of(user), timezone.override(zone):
        message = EmailMultiAlternatives(
            subject=_("%(clinic)s: set up your account") % {"clinic": invitation.clinic.name},
            body=render_to_string("accounts/email/invitation.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
    try:
        message.send()
    except Exception:
        # The invitation stands; staff see it as pending and can resend. A mail outage must not undo an enrolment.
        logger.exception("Could not send invitation %s", invitation.pk)


def _language_checked(language: str | None) -> str:
    """An offered language code, the default when none is given; a 400 naming the field otherwise."""
    if language in (None, ""):
        return str(settings.LANGUAGE_CODE)
    if not is_offered(str(language)):
        raise ValidationError(
            {"language": [_("“%(code)s” is not a language this service is offered in.") % {"code": language}]}
        )
    return str(language)


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
    # The language the patient reads (their invitation, reminders and app follow it); the default when not given.
    language = _language_checked(profile.pop("language", None))
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                None,
                full_name=full_name,
                role=Role.PATIENT,
                clinic=by.clinic,
                is_active=False,
                language=language,
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


def staff_invite(*, by: User, full_name: str, email: str, role: str, language: str | None = None) -> User:
    """A clinic admin invites a clinician or another admin to their clinic (the invitation in `language`, else the
    default)."""
    if by.role != Role.CLINIC_ADMIN or by.clinic is None:
        raise ValidationError("Only clinic admins can invite staff.")
    if role not in STAFF_ROLES:
        raise ValidationError({"role": ["Choose clinician or clinic_admin."]})
    language = _language_checked(language)
    email = email.strip().lower()
    if _email_taken(email):
        raise _duplicate_email()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, None, full_name=full_name, role=role, clinic=by.clinic, is_active=False, language=language
            )
            _invitation_issue(user=user, by=by)
    except IntegrityError as exc:
        raise _duplicate_email() from exc
    return user


def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """Send a fresh link: the old link stops working and the 7 days start again. A revoked invitation is replaced
    by a new one."""
    with transaction.atomic():
        # The person's row first: two resends of one revoked invitation must not both issue a new one.
        User.objects.select_for_update().filter(pk=invitation.user_id).first()
        invitation = Invitation.objects.select_for_update().select_related("user", "clinic").get(pk=invitation.pk)
        status = invitation.status
        if status == InvitationStatus.ACCEPTED or invitation.user.is_active:
            raise ValidationError("This invitation was already accepted; the person can sign in.")
        if status == InvitationStatus.REVOKED:
            # Resent before (a newer invitation is open): send that one again rather than a second open one.
            newer = (
                Invitation.objects.select_for_update()
                .select_related("user", "clinic")
                .filter(user=invitation.user, accepted_at__isnull=True, revoked_at__isnull=True)
                .first()
            )
            if newer is None:
                return _invitation_issue(user=invitation.user, by=by)
            invitation = newer
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
        on_user = {name: fields.pop(name) for name in ("full_name", "language") if name in fields}
        if on_user:
            for name, value in on_user.items():
                setattr(patient.user, name, value)
            patient.user.save(update_fields=list(on_user))
        for name, value in fields.items():
            setattr(patient, name, value)
        if fields:
            patient.save(update_fields=list(fields))
    return patient


def clinic_update(
    *,
    clinic: Clinic,
    phone: str | None = None,
    emergency_number: str | None = None,
    country: str | None = None,
    paracetamol_name: str | None = None,
) -> Clinic:
    """A clinic admin changes the clinic's phone, emergency number, country or medicine name. A new country without a
    number given takes that country's default emergency number (a country without a default needs the number given),
    and without a medicine name given the name its patients know (accounts.medicines)."""
    with transaction.atomic():
        clinic = Clinic.objects.select_for_update().get(pk=clinic.pk)
        if phone is not None:
            if not phone.strip():
                raise ValidationError({"phone": ["The clinic needs a phone number: patients are told to call it."]})
            clinic.phone = phone.strip()
        if country is not None and country != clinic.country:
            clinic.country = country
            if emergency_number is None:
                default = emergency_number_for(country)
                if default is None:
                    raise ValidationError(
                        {"emergency_number": [f"There is no default emergency number for {country}; give it."]}
                    )
                clinic.emergency_number = default
            if paracetamol_name is None:
                clinic.paracetamol_name = paracetamol_name_for(country)
        if emergency_number is not None:
            clinic.emergency_number = emergency_number
        if paracetamol_name is not None:
            clinic.paracetamol_name = paracetamol_name
        clinic.save(update_fields=["phone", "country", "emergency_number", "paracetamol_name"])
    return clinic


def user_update(*, user: User, full_name: str | None = None, language: str | None = None) -> User:
    """A person's own name and language (a patient's other details go through patient_profile_update)."""
    changed = {name: value for name, value in (("full_name", full_name), ("language", language)) if value is not None}
    if language is not None and not is_offered(language):
        raise ValidationError(
            {"language": [_("“%(code)s” is not a language this service is offered in.") % {"code": language}]}
        )
    for name, value in changed.items():
        setattr(user, name, value)
    if changed:
        user.save(update_fields=list(changed))
    return user


def account_deactivate(*, user: User) -> User:
    """Sign-in is disabled everywhere at once; every record stays for the clinic."""
    with transaction.atomic():
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.save(update_fields=["is_active", "deactivated_at"])
    return user
