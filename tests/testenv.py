"""Loaded with `-p tests.testenv` before Django starts: the test run's environment, over real PostgreSQL and Redis.

Each value can be overridden from the shell (e.g. DATABASE_URL to point at another server or database name, which
also keeps two checkouts' test runs apart on one machine).

Redis: the suite uses databases 1-15 of the server named by TEST_REDIS_URL (default 127.0.0.1:6379), three per
pytest-xdist worker (cache, the in-process worker's broker, the fault test's broker), so parallel workers and the
development server's database 0 never see each other's keys. `redis_url(role)` names them.
"""

import os
from urllib.parse import urlsplit

_REDIS = urlsplit(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379"))
_REDIS_SERVER = f"{_REDIS.scheme}://{_REDIS.netloc}"
_ROLES = ("cache", "worker", "fault")


def worker_index() -> int:
    """0 for a plain run, N for pytest-xdist's worker gwN."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def redis_url(role: str) -> str:
    """The Redis database this test process uses for `role` (cache, worker or fault)."""
    number = 1 + len(_ROLES) * worker_index() + _ROLES.index(role)
    if number > 15:
        raise RuntimeError("Redis has 16 databases: run at most 5 pytest-xdist workers against one server.")
    return f"{_REDIS_SERVER}/{number}"


os.environ.setdefault("TESTING", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Always set, never defaulted: pytest-xdist's workers inherit the controller's environment, so a default set there
# would give every worker the same cache database (and one worker's flush would wipe another's rate-limit counters).
# TEST_REDIS_URL chooses the server.
os.environ["REDIS_URL"] = redis_url("cache")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("APP_URL", "https://app.test")
os.environ.setdefault("THROTTLE_USER_RATE", "100000/min")
os.environ.setdefault("THROTTLE_IP_RATE", "100000/min")
