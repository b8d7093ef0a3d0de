from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class UserThrottle(SimpleRateThrottle):
    """Per signed-in user, whatever address they come from."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class IPThrottle(SimpleRateThrottle):
    """Per client address, signed in or not."""

    scope = "ip"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class InvitationAcceptThrottle(IPThrottle):
    """Accepting an invitation is unauthenticated and takes a secret: few tries per address."""

    scope = "invitation_accept"
