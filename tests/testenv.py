"""Loaded with `-p tests.testenv` before Django starts: the test run's environment, over real PostgreSQL and Redis.

Each value can be overridden from the shell (e.g. DATABASE_URL to point at another server).
"""

import os

os.environ.setdefault("TESTING", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# A Redis database of its own, flushed between tests, so tests never see the development server's keys.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("APP_URL", "https://app.test")
os.environ.setdefault("THROTTLE_USER_RATE", "100000/min")
os.environ.setdefault("THROTTLE_IP_RATE", "100000/min")
