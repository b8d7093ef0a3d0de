from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.core.ratelimit import respond_429
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accounts.languages import in_language_of
from accounts.models import User
from accounts.phi import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: patients are enrolled by their clinic and staff are invited by a clinic admin."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's emails (password reset, security notices) in the language of the person they are for; to an
        address with no account, in the language of the browser that asked (the request's). allauth's own templates
        are translated by its Spanish catalog."""
        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).first()
        if user is None:
            super().send_mail(template_prefix, email, context)
            return
        with in_language_of(user):
            super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits key on this: the same client address as everything else (TRUSTED_PROXY_COUNT)."""
        return client_ip(request) or ""

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Past the failed sign-in limit (ACCOUNT_RATE_LIMITS["login_failed"]) the answer is 429, like allauth's other
        rate limits, rather than a 400 that looks like a wrong password: clients can tell "wait" from "try again"."""
        # Every limit is checked before any is counted: a refused attempt counts against none of them. Otherwise an
        # attacker hammering a locked account would keep filling the address's budget (locking out everyone else
        # at that address for as long as they keep at it), and a person refused by the address limit would use up
        # their own account's budget with their right password.
        key = self._get_login_attempts_cache_key(request, **credentials)
        if not ratelimit.consume(request, app="allauth.account", action="login_failed", key=key, dry_run=True):
            raise ImmediateHttpResponse(respond_429(request))
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if exc.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from exc
            raise
