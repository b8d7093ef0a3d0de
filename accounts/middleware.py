"""Role-dependent idle session expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

from accounts.backends import session_backend_upgrade
from accounts.models import Role, User


def idle_timeout_for(role: str) -> int:
    """Seconds of inactivity after which a session ends: short for staff, long for patients on their own phone."""
    if role in (Role.PATIENT, Role.CAREGIVER):  # on their own phone, like patients
        return int(settings.SESSION_IDLE_TIMEOUT_PATIENT)
    return int(settings.SESSION_IDLE_TIMEOUT_STAFF)


def idle_slack(timeout: int) -> int:
    """How far the idle deadline may lag behind the last use before it is pushed (and the session written)."""
    return min(max(60, timeout // 100), timeout // 10)


def touch_session(session: SessionBase, role: str, *, save: bool) -> None:
    """Slide the session's expiry forward by the role's idle timeout.

    The expiry is stored as a deadline (a datetime), not as a number of seconds: a number would be re-read as "that
    many seconds from now" on every request and never run out. Saving on every request would be a write per API
    call; the deadline is only pushed when 1% of the idle window has passed since it was last pushed (at least a
    minute, at most a tenth of the window), so a session ends at most that much before its full idle time: a minute
    early for staff (30 minutes), about 7 hours early for a patient (30 days), whose phone then writes the session
    about once every 7 hours of use instead of once a minute.
    """
    timeout = idle_timeout_for(role)
    remaining = session.get_expiry_age()
    has_deadline = isinstance(session.get("_session_expiry"), str)
    if (
        not has_deadline
        or session.get("_idle_role") != role
        or timeout - remaining > idle_slack(timeout)
        or remaining > timeout
    ):
        session["_idle_role"] = role
        session.set_expiry(dt.timedelta(seconds=timeout))
        if save:
            session.save()


def session_idle_expired(session: SessionBase) -> bool:
    """Whether the session's idle deadline has passed.

    The stores drop expired sessions too, but on their own clocks (a cached session lives until its Redis TTL runs
    out); checking the deadline itself makes the end exact whatever the store.
    """
    return isinstance(session.get("_session_expiry"), str) and session.get_expiry_age() <= 0


def session_start_idle_clock(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    """On sign-in (user_logged_in), give the new session its role's idle deadline at once: an app token that is
    never used must run out like any other session."""
    touch_session(request.session, user.role, save=False)


class IdleSessionMiddleware:
    """Applies the role's idle timeout to browser (cookie) sessions. App-token sessions get the same rule in
    accounts.authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            # Before the (lazy) user is loaded: a session signed in with the previous backend keeps working.
            session_backend_upgrade(session)
        if session is not None and session.session_key and session_idle_expired(session):
            # Signed out before the view runs, so the request is served as anonymous.
            logout(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None and session.session_key:
            # SessionMiddleware, which runs after this on the way out, saves it and refreshes the cookie.
            touch_session(session, user.role, save=False)
        return response


class NoStoreMiddleware:
    """API and sign-in responses carry patient data or secrets: no browser, proxy or shared cache may keep them."""

    PREFIXES = ("/api/", "/_allauth/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.PREFIXES):
            response["Cache-Control"] = "no-store"
        return response
