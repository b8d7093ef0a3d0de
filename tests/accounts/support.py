"""Small helpers the accounts tests share: signing in for real, reading invitation mail, counting rows."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from rest_framework.test import APIClient

from accounts.models import CareTeamMember, Invitation, PatientProfile, PHIAccess, User
from tests.factories import PASSWORD

APP_LOGIN = "/_allauth/app/v1/auth/login"
BROWSER_LOGIN = "/_allauth/browser/v1/auth/login"
ACCEPT = "/api/v1/invitations/accept"
STRONG_PASSWORD = "lumbar-recovery-walks-daily"

_INVITATION_LINK = re.compile(r"https://app\.test/app/invitation#token=([A-Za-z0-9_-]+)")


def app_login(client: APIClient, email: str, password: str = PASSWORD) -> Any:
    """Sign in through allauth's app client, as the API clients do."""
    return client.post(APP_LOGIN, {"email": email, "password": password}, format="json")


def app_client(email: str, password: str = PASSWORD) -> APIClient:
    """A client that signed in for real and sends its session token on every request."""
    client = APIClient()
    response = app_login(client, email, password)
    assert response.status_code == 200, response.content
    client.credentials(HTTP_X_SESSION_TOKEN=response.json()["meta"]["session_token"])
    return client


def invitation_links(to: str) -> list[str]:
    """The invitation tokens mailed to `to`, oldest first."""
    tokens = []
    for message in mail.outbox:
        if to in message.to:
            tokens.extend(_INVITATION_LINK.findall(str(message.body)))
    return tokens


def last_invitation_token(to: str) -> str:
    tokens = invitation_links(to)
    assert tokens, f"no invitation mailed to {to}"
    return tokens[-1]


def row_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "profiles": PatientProfile.objects.count(),
        "care_team": CareTeamMember.objects.count(),
        "invitations": Invitation.objects.count(),
        "phi_access": PHIAccess.objects.count(),
        "mails": len(mail.outbox),
    }
