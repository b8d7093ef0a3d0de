"""Shared set-up for benchmarks: a throw-away PostgreSQL database and Django configured against it.

Benchmarks print ratios against a baseline measured in the same run (and absolute times for information only); they
never assert on wall-clock time.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
# The Redis server benchmarks use (a database number of their own on it, flushed before they run).
REDIS_SERVER = os.environ.get("BENCH_REDIS_SERVER", "redis://127.0.0.1:6379")


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def bench_database(name: str, redis_db: int, redis_server: str = REDIS_SERVER) -> Iterator[dict[str, str]]:
    """Create database `name`, point Django at it, migrate, and drop it afterwards. Yields the environment that a
    worker subprocess needs to use the same database and broker (database `redis_db` of `redis_server`)."""
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{name}"')
    env = {
        "TESTING": "true",
        "DATABASE_URL": f"{SERVER}/{name}",
        "REDIS_URL": f"{redis_server}/{redis_db}",
        "CELERY_BROKER_URL": f"{redis_server}/{redis_db}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        yield env
    finally:
        from django.db import connections

        connections.close_all()
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def celery_worker(env: dict[str, str], concurrency: int = 2) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker process (prefork) on the benchmark's database and broker."""
    log_level = os.environ.get("BENCH_WORKER_LOG_LEVEL", "warning")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", log_level, "--concurrency", str(concurrency),
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
    )  # fmt: skip
    try:
        from config.celery import app

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if app.control.ping(timeout=1.0):
                break
        yield process
    finally:
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def flush_redis(db: int, server: str = REDIS_SERVER) -> None:
    import redis

    redis.Redis.from_url(f"{server}/{db}").flushdb()


def database_name(name: str) -> str:
    """A benchmark's database name, after BENCH_DATABASE_PREFIX (empty by default): runs of the same benchmark for
    different checkouts on one PostgreSQL server keep apart."""
    return os.environ.get("BENCH_DATABASE_PREFIX", "") + name


@contextlib.contextmanager
def queue_worker(
    env: dict[str, str], *, queue: str, node: str, concurrency: int = 2
) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker process (prefork) consuming `queue` only, named `node` (as the Procfile's `worker` and
    `alerts` processes), on the benchmark's database and broker; ready once it answers a ping."""
    log_level = os.environ.get("BENCH_WORKER_LOG_LEVEL", "warning")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", log_level, "-Q", queue, "-n", node,
         "--concurrency", str(concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
    )  # fmt: skip
    try:
        import socket

        from config.celery import app

        name = node.replace("%h", socket.gethostname())
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if app.control.ping(destination=[name], timeout=1.0):
                break
        else:
            raise RuntimeError(f"the Celery worker {name} did not start")
        yield process
    finally:
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
