"""Writes for caregivers: a patient (or their clinic, with the patient's consent recorded) invites a caregiver, sets
what they may do, and revokes them. Each is one transaction.

A caregiver is a person with their own account (role "caregiver") who may help several patients; each patient they
help is one CaregiverLink with its grants (accounts.models.Grant). The invitation is the same as a patient's: single
use, only a hash of the token stored, 7 days, resent or withdrawn like any other (accounts.services)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.languages import language_of
from accounts.models import (
    GRANT_FIELDS,
    CaregiverLink,
    Grant,
    Invitation,
    InvitationStatus,
    PatientProfile,
    Role,
    User,
)
from accounts.services import _invitation_issue, invitation_resend

GRANT_NAMES = ", ".join(grant.value for grant in Grant)


def grant_fields(grants: Iterable[str]) -> dict[str, bool]:
    """The link's grant fields for a list of grant names; a name that is no grant is a 400 naming it."""
    grants = list(grants)
    unknown = [name for name in grants if name not in Grant.values]
    if unknown:
        listed = ", ".join(f'"{name}"' for name in unknown)
        raise ValidationError({"grants": [f"There is no such grant: {listed}. Choose from: {GRANT_NAMES}."]})
    return {field: grant.value in grants for grant, field in GRANT_FIELDS.items()}


def _address_check(existing: User | None) -> None:
    if existing is None or existing.role == Role.CAREGIVER:
        return
    if existing.is_clinic_staff:
        message = "This address belongs to a member of clinic staff. A caregiver needs an email address of their own."
    else:
        message = "This address belongs to a patient's own account. A caregiver needs an email address of their own."
    raise ValidationError({"email": [message]})


def caregiver_invite(
    *,
    patient: PatientProfile,
    by: User,
    full_name: str,
    email: str,
    relationship: str,
    grants: Iterable[str],
    consent: bool = False,
    language: str | None = None,
) -> CaregiverLink:
    """Link a caregiver to the patient with these grants, and invite them if they have no account yet.

    The patient invites for herself; clinic staff invite only with `consent` (the patient agreed), which is
    recorded. Someone who already helps another patient gets the new link on their existing account (an invitation
    is sent again only while theirs is still open). An address that is clinic staff's or a patient's own is refused,
    as is a second open link to the same patient. The invitation is in `language`, or else the patient's."""
    fields = grant_fields(grants)
    if by.role != Role.PATIENT and not consent:
        raise ValidationError({"consent": ["Record that the patient agreed before inviting a caregiver for them."]})
    relationship = relationship.strip()
    if not relationship:
        raise ValidationError({"relationship": ["Say how they are related, for example daughter or husband."]})
    email = email.strip().lower()
    now = timezone.now()
    try:
        with transaction.atomic():
            existing = User.objects.select_for_update().filter(email__iexact=email).first()
            _address_check(existing)
            if (
                existing is not None
                and CaregiverLink.objects.filter(patient=patient, caregiver=existing, revoked_at__isnull=True).exists()
            ):
                raise ValidationError({"email": ["This person is already one of the patient's caregivers."]})
            caregiver = existing or User.objects.create_user(
                email,
                None,
                full_name=full_name,
                role=Role.CAREGIVER,
                clinic=patient.user.clinic,
                is_active=False,
                language=language or language_of(patient.user),
            )
            if language and existing is not None and not existing.is_active and existing.language != language:
                # Not signed in yet: the invitation sent again now is in the language asked for.
                existing.language = language
                existing.save(update_fields=["language"])
            link = CaregiverLink.objects.create(
                patient=patient,
                caregiver=caregiver,
                relationship=relationship,
                invited_by=by,
                consent_recorded_by=None if by.role == Role.PATIENT else by,
                consent_recorded_at=None if by.role == Role.PATIENT else now,
                created_at=now,
                **fields,
            )
            if not caregiver.is_active and caregiver.deactivated_at is None:
                _caregiver_invitation_send(caregiver, by=by)
    except IntegrityError as exc:
        # Two invitations of the same address at once: the unique indexes decide, the loser gets the same 400.
        raise ValidationError({"email": ["This person is already one of the patient's caregivers."]}) from exc
    return link


def _caregiver_invitation_send(caregiver: User, *, by: User) -> None:
    """A fresh invitation for a caregiver who has not accepted yet: the open one resent, or a first one issued."""
    invitation = Invitation.objects.filter(user=caregiver).order_by("-created_at").first()
    if invitation is None:
        _invitation_issue(user=caregiver, by=by)
    elif invitation.status != InvitationStatus.ACCEPTED:
        invitation_resend(invitation=invitation, by=by)


def caregiver_invitation_resend(*, link: CaregiverLink, by: User) -> CaregiverLink:
    """Send the caregiver a new invitation link (the old one stops working; 7 days again)."""
    if link.revoked_at is not None:
        raise ValidationError("This caregiver was removed; invite them again instead.")
    if link.caregiver.is_active:
        raise ValidationError("This caregiver has already set up their account.")
    with transaction.atomic():
        _caregiver_invitation_send(link.caregiver, by=by)
    return link


def caregiver_grants_set(
    *, link: CaregiverLink, grants: Iterable[str] | None, relationship: str | None
) -> CaregiverLink:
    """The patient changes what a caregiver may do (the whole list of grants) or how they are related. Takes effect
    on the caregiver's next request."""
    if link.revoked_at is not None:
        raise ValidationError("This caregiver was removed; invite them again instead.")
    changed: list[str] = []
    if grants is not None:
        for field, value in grant_fields(grants).items():
            setattr(link, field, value)
            changed.append(field)
    if relationship is not None:
        if not relationship.strip():
            raise ValidationError({"relationship": ["Say how they are related, for example daughter or husband."]})
        link.relationship = relationship.strip()
        changed.append("relationship")
    if changed:
        link.save(update_fields=changed)
    return link


def caregiver_revoke(*, link: CaregiverLink) -> CaregiverLink:
    """End the link: from the caregiver's next request on, this patient is 404 to them. The records they entered keep
    saying who entered them. A pending invitation for a caregiver who helps nobody else is withdrawn too."""
    with transaction.atomic():
        link = CaregiverLink.objects.select_for_update().select_related("caregiver").get(pk=link.pk)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
        others = CaregiverLink.objects.filter(caregiver=link.caregiver, revoked_at__isnull=True).exists()
        if not others and not link.caregiver.is_active:
            Invitation.objects.filter(user=link.caregiver, accepted_at__isnull=True, revoked_at__isnull=True).update(
                revoked_at=link.revoked_at
            )
    return link
