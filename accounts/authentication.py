"""API authentication: allauth's app session token (X-Session-Token) and the browser's session cookie with CSRF."""

from __future__ import annotations

from typing import Any

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from allauth.headless.internal import sessionkit
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.contrib.sessions.backends.base import SessionBase
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from accounts.backends import session_backend_upgrade
from accounts.languages import activate_for
from accounts.middleware import session_idle_expired, touch_session
from accounts.models import User


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """The app client's session token. The token names a server-side session, which gets the same role-based idle
    expiry as a browser session."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, session = result
        if not user.is_active:
            return None
        if isinstance(session, SessionBase):
            touch_session(session, user.role, save=True)
        activate_for(user)
        return user, session

    def authenticate_header(self, request: Request) -> str:
        # A 401 (not 403) for anonymous API calls, so clients know to sign in.
        return "Session"


class LanguageSessionAuthentication(SessionAuthentication):
    """The PWA's session cookie (unsafe methods need the CSRF token), in the signed-in person's language."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            activate_for(result[0])
        return result


class IdleExpiringSessionTokenStrategy(SessionTokenStrategy):
    """allauth's session tokens (HEADLESS_TOKEN_STRATEGY), ending when the session's idle deadline has passed, for
    our API and allauth's own endpoints alike (allauth answers 410 for a spent token)."""

    def lookup_session(self, session_token: str) -> SessionBase | None:
        # One query: the session row is loaded at once (allauth's own strategy asks whether it exists first).
        session = sessionkit.lookup_session(session_token)
        if session is None:
            return None
        if session_idle_expired(session):
            session.delete()
            return None
        # A session the store itself found expired loads empty and loses its key: that token is spent as well.
        if not session.session_key:
            return None
        if session_backend_upgrade(session):
            session.save()
        return session


def request_session(request: Request) -> SessionBase:
    """The server-side session behind this request: the token's session for app clients, else the cookie's."""
    if isinstance(request.auth, SessionBase):
        return request.auth
    return request._request.session


def signed_in(request: Request) -> User:
    """The signed-in user of an API request (the view's permissions have already refused anonymous callers)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
