"""Request rate limits, kept in Redis as sliding windows (one sorted set of request times per limit).

Every limit a request is subject to is checked and counted in ONE Redis round trip (a Lua script, so the check and
the count are atomic): the API's default pair, per signed-in user and per client address, costs one command per
request, not a read and a write per limit. A request over any limit is refused (429 with Retry-After) and counted
against none. Like every cache use, a Redis that cannot be reached lets requests through (accounts.cache).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from accounts.phi import client_ip

# KEYS: one sorted set per limit. ARGV: now, then (limit, window seconds) per key, then this request's member.
# Returns "0" when allowed (the request is then counted in every window), else the seconds to wait.
SLIDING_WINDOWS = """
local now = tonumber(ARGV[1])
local member = ARGV[#ARGV]
local wait = 0
for i, key in ipairs(KEYS) do
  local limit, window = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + window - now)
  end
end
if wait > 0 then return tostring(wait) end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, member)
  redis.call('EXPIRE', key, math.ceil(tonumber(ARGV[2 * i + 1])))
end
return '0'
"""


class WindowThrottle(SimpleRateThrottle):
    """DRF's throttle interface over sliding windows in Redis; `limits` names the windows a request counts in."""

    def __init__(self) -> None:
        self._wait = 0.0

    def limits(self, request: Request, view: Any) -> list[tuple[str, str]]:
        """(scope, identity) of each window this request counts in; empty for none."""
        key = self.get_cache_key(request, view)
        return [(str(self.scope), key)] if key is not None else []

    def rate_of(self, scope: str) -> tuple[int, int]:
        rate = getattr(type(self), "rate", None) if scope == self.scope else None
        number, duration = self.parse_rate(rate or self.THROTTLE_RATES[scope])
        assert number is not None and duration is not None  # noqa: S101 (every scope has a rate in the settings)
        return number, duration

    def allow_request(self, request: Request, view: Any) -> bool:
        windows = [(f"throttle:{scope}:{ident}", *self.rate_of(scope)) for scope, ident in self.limits(request, view)]
        if not windows:
            return True
        now = time.time()
        args: list[Any] = [now]
        for _, number, duration in windows:
            args += [number, duration]
        args.append(f"{now}:{uuid.uuid4().hex[:8]}")
        result = cache.run_script(  # type: ignore[attr-defined]
            SLIDING_WINDOWS, keys=[key for key, _, _ in windows], args=args, fallback="0"
        )
        self._wait = float(result)
        return self._wait <= 0

    def wait(self) -> float | None:
        return self._wait or None


class UserThrottle(WindowThrottle):
    """Per signed-in user, whatever address they come from."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return str(request.user.pk) if request.user.is_authenticated else None


class IPThrottle(WindowThrottle):
    """Per client address, signed in or not."""

    scope = "ip"

    def get_ident(self, request: Request) -> str:
        # The one notion of the client address (TRUSTED_PROXY_COUNT), not a client-chosen X-Forwarded-For.
        return client_ip(request) or ""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.get_ident(request)


class UserAndIPThrottle(WindowThrottle):
    """The API's default: per signed-in user and per client address, both in one round trip."""

    scope = "ip"

    def limits(self, request: Request, view: Any) -> list[tuple[str, str]]:
        windows = [("ip", client_ip(request) or "")]
        if request.user.is_authenticated:
            windows.insert(0, ("user", str(request.user.pk)))
        return windows


class InvitationAcceptThrottle(IPThrottle):
    """Accepting an invitation is unauthenticated and takes a secret: few tries per address."""

    scope = "invitation_accept"
