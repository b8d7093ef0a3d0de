"""Role-dependent idle session expiry."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

from accounts.models import Role


def idle_timeout_for(role: str) -> int:
    """Seconds of inactivity after which a session ends: short for staff, long for patients on their own phone."""
    if role == Role.PATIENT:
        return int(settings.SESSION_IDLE_TIMEOUT_PATIENT)
    return int(settings.SESSION_IDLE_TIMEOUT_STAFF)


def touch_session(session: SessionBase, role: str, *, save: bool) -> None:
    """Slide the session's expiry forward by the role's idle timeout.

    Saving on every request would be a write per API call; the expiry is only pushed when at least a tenth of the
    idle window has passed since it was last pushed.
    """
    timeout = idle_timeout_for(role)
    remaining = session.get_expiry_age()
    if session.get("_idle_role") != role or timeout - remaining > timeout // 10 or remaining > timeout:
        session["_idle_role"] = role
        session.set_expiry(timeout)
        if save:
            session.save()


class IdleSessionMiddleware:
    """Applies the role's idle timeout to browser (cookie) sessions. App-token sessions get the same rule in
    accounts.authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None and session.session_key:
            # SessionMiddleware, which runs after this on the way out, saves it and refreshes the cookie.
            touch_session(session, user.role, save=False)
        return response
