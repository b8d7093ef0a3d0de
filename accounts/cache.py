"""The Redis cache, failing open: Redis holds only what can be lost (throttle and rate-limit counters, cached values),
so when it cannot be reached a request goes on as if the cache were empty, with a warning in the log, instead of
answering 500. Sessions are not kept here (SESSION_ENGINE is the database), so a Redis outage signs nobody out and
brings no signed-out session back when Redis returns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.commands.core import Script
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# After a failure, Redis is not tried again for this many seconds: a request during an outage does not wait for a
# connection attempt (and the log gets one warning per pause, not one per request).
RETRY_AFTER_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis-py client per connection pool instead of building one for
    every cache call (the pool, and so the connections, were already shared)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._scripts: dict[str, Script] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client

    def run_script(self, source: str, keys: list[str], args: list[Any]) -> Any:
        """Run a Lua script: EVALSHA, one round trip (EVAL once more if the server does not know it yet)."""
        client = self.get_client(write=True)
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = client.register_script(source)
        return script(keys=keys, args=args, client=client)


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache whose reads answer "nothing cached" and whose writes do nothing while Redis is down.

    Throttles (DRF) and allauth's rate limits keep their counters here, so they fail open: requests are allowed,
    uncounted, until Redis returns. That trades a short window without rate limits for a service that keeps working.
    """

    _down_until: float = 0.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def run_script(self, source: str, keys: list[str], args: list[Any], fallback: T) -> Any:
        """Run a Lua script on the cache's server; `fallback` while Redis is down. Keys get the cache's prefix."""
        full_keys = [self.make_and_validate_key(key) for key in keys]
        client: ReusedClientRedisCacheClient = self._cache  # type: ignore[attr-defined]
        return self._guard("script", lambda: client.run_script(source, full_keys, args), fallback)

    def _guard(self, operation: str, call: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < FailOpenRedisCache._down_until:
            return fallback
        try:
            return call()
        except (RedisError, OSError) as exc:
            FailOpenRedisCache._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning(
                "Cache unavailable (%s during %s): throttles and rate limits are not enforced, retrying in %ss",
                type(exc).__name__,
                operation,
                RETRY_AFTER_SECONDS,
            )
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard("get", lambda: super(FailOpenRedisCache, self).get(key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guard("get_many", lambda: super(FailOpenRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard("has_key", lambda: super(FailOpenRedisCache, self).has_key(key, version), False)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        # Whoever asks to add a key proceeds as if it were theirs: failing open.
        return self._guard("add", lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version), True)

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        self._guard("set", lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        return self._guard(
            "set_many", lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._guard("touch", lambda: super(FailOpenRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard("delete", lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guard("delete_many", lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._guard("incr", lambda: super(FailOpenRedisCache, self).incr(key, delta, version), delta)

    def clear(self) -> None:
        self._guard("clear", lambda: super(FailOpenRedisCache, self).clear(), None)


def cache_recovered() -> None:
    """Forget a recent failure, so the next call tries Redis at once (tests, after restarting Redis)."""
    FailOpenRedisCache._down_until = 0.0
