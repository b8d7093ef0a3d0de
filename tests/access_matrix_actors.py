"""The authorization matrix's actors: who they are in the test cast, and the caregivers made for it. Read the top of
tests/access_matrix.py first."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import CaregiverLink, Role, User
from tests.conftest import Cast

ACTORS = (
    "anonymous",
    "patient_a",
    "patient_b",
    "a_clinician",
    "same_clinic_other_clinician",
    "other_clinic_clinician",
    "a_clinic_admin",
    "other_clinic_admin",
    "caregiver_a",
    "revoked_caregiver",
    "caregiver_b",
)
# The caregivers, each naming the patient they act for in the X-Patient header on every request (CAREGIVER_FOR):
# Anna, Alice's daughter, with every grant; Rita, Alice's niece, whom Alice removed (she still names Alice); Ben,
# Bob's son, with every grant, who acts for Bob.
CAREGIVERS = ("caregiver_a", "revoked_caregiver", "caregiver_b")
CAREGIVER_FOR = {"caregiver_a": "alice", "revoked_caregiver": "alice", "caregiver_b": "bob"}
# Everyone signed in who may not see Alice.
OUTSIDERS = (
    "patient_b",
    "same_clinic_other_clinician",
    "other_clinic_clinician",
    "other_clinic_admin",
    "revoked_caregiver",
    "caregiver_b",
)
# Staff who may not see Riverside's own records (its protocol).
CLINIC_OUTSIDERS = ("other_clinic_clinician", "other_clinic_admin")

INVITATION_TOKEN = "matrix-invitation-token-0123456789abcdefghijklmnop"


def actor_user(cast: Cast, actor: str) -> User | None:
    if actor in CAREGIVERS:
        return caregiver_user(cast, actor)
    return {
        "anonymous": None,
        "patient_a": cast.alice,
        "patient_b": cast.bob,
        "a_clinician": cast.carol,
        "same_clinic_other_clinician": cast.dave,
        "other_clinic_clinician": cast.erin,
        "a_clinic_admin": cast.frank,
        "other_clinic_admin": cast.grace,
    }[actor]


CAREGIVER_PEOPLE = {
    # actor: (email, name, relationship, revoked)
    "caregiver_a": ("anna@family.example", "Anna Adams", "daughter", False),
    "revoked_caregiver": ("rita@family.example", "Rita Adams", "niece", True),
    "caregiver_b": ("ben@family.example", "Ben Baker", "son", False),
}


def caregiver_user(cast: Cast, actor: str) -> User:
    """The caregiver actor, made on first use (an active account, linked with every grant; Rita's link revoked)."""
    email, name, relationship, revoked = CAREGIVER_PEOPLE[actor]
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        return existing
    patient_user = getattr(cast, CAREGIVER_FOR[actor])
    user = User.objects.create_user(
        email, "a long and unusual passphrase 42", full_name=name, role=Role.CAREGIVER, clinic=patient_user.clinic
    )
    CaregiverLink.objects.create(
        patient=patient_user.patient_profile, caregiver=user, relationship=relationship, invited_by=patient_user,
        can_view=True, can_log=True, can_get_reminders=True, can_enter_assessments=True,
        revoked_at=timezone.now() if revoked else None,
    )  # fmt: skip
    return user


def actor_headers(cast: Cast, actor: str) -> dict[str, str]:
    """What the actor's app sends with every request: a caregiver names the patient they are helping."""
    if actor not in CAREGIVERS:
        return {}
    return {"X-Patient": str(getattr(cast, CAREGIVER_FOR[actor]).pk)}
