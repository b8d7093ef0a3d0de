"""The authentication backend: allauth's (sign-in by email and password), loading the signed-in user with their
clinic and, for a patient, their profile in the same query, since nearly every request needs them."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase

from accounts.models import User

BACKEND = "accounts.backends.AuthenticationBackend"
# Sessions signed in before this backend existed name allauth's; they are moved over on their next use.
PREVIOUS_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("clinic", "patient_profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def session_backend_upgrade(session: SessionBase) -> bool:
    """Point a session signed in with allauth's backend at ours (the same sign-in); True when it was changed."""
    if session.get(BACKEND_SESSION_KEY) != PREVIOUS_BACKEND:
        return False
    session[BACKEND_SESSION_KEY] = BACKEND
    return True
