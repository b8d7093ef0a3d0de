"""Bad configuration at start: every process (manage.py, gunicorn, the Celery worker and beat) refuses to start with
one clear line and no traceback, without repeating the value (it may hold a password)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ports import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

PROCESSES = {
    "manage.py": [sys.executable, "manage.py", "check"],
    "gunicorn": [
        str(BIN / "gunicorn"),
        "-c",
        "config/gunicorn.py",
        "config.wsgi:application",
        "--workers",
        "2",
        "--bind",
    ],
    "celery worker": [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "1"],
    "celery beat": [sys.executable, "-m", "celery", "-A", "config", "beat"],
}


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "recovery.example.org",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        **overrides,
    }
    return {name: value for name, value in env.items() if value is not None and value != "<unset>"}


def start(process: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    command = list(PROCESSES[process])
    if process == "gunicorn":
        command.append(f"127.0.0.1:{free_port()}")
    if process == "celery beat":
        command += ["-s", str(tmp_path / "beat-schedule")]
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def the_one_line(result: subprocess.CompletedProcess[str]) -> str:
    output = (result.stdout + result.stderr).strip()
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("Configuration error: ")]
    assert len(errors) == 1, output
    assert result.returncode == 4, output
    # Nothing else was said, except gunicorn's own start-up lines (none: it stops before binding)
    assert output.splitlines() == errors, output
    return errors[0]


BAD = {
    "missing SECRET_KEY": ({"SECRET_KEY": "<unset>"}, "SECRET_KEY is not set"),
    "empty SECRET_KEY": ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
    "unknown database scheme": (
        {"DATABASE_URL": "mongodb://admin:hunter2secret@db.example.org/mild"},
        "DATABASE_URL has an unknown scheme 'mongodb'",
    ),
    "database URL without a scheme": ({"DATABASE_URL": "db.example.org/mild"}, "DATABASE_URL is not a database URL"),
    "Sentry DSN that is not a URL": ({"SENTRY_DSN": "hunter2secret"}, "SENTRY_DSN is not a URL"),
    "Sentry DSN with another scheme": ({"SENTRY_DSN": "ftp://key@sentry.example.org/1"}, "SENTRY_DSN is not a URL"),
    "Sentry DSN without a host": ({"SENTRY_DSN": "https:///1"}, "SENTRY_DSN is not a URL"),
    "Sentry DSN that does not parse": ({"SENTRY_DSN": "https://[sentry.example.org/1"}, "SENTRY_DSN is not a URL"),
    "Sentry DSN without a key": ({"SENTRY_DSN": "https://sentry.example.org/1"}, "SENTRY_DSN has no key"),
    "Sentry DSN without a project": ({"SENTRY_DSN": "https://key@sentry.example.org/"}, "SENTRY_DSN has no key"),
}


@pytest.mark.parametrize("problem", list(BAD))
def test_manage_py_refuses_bad_configuration_with_one_line(problem, tmp_path):
    overrides, message = BAD[problem]

    line = the_one_line(start("manage.py", production_env(**overrides), tmp_path))

    assert message in line
    assert "hunter2secret" not in line


@pytest.mark.parametrize(
    ("process", "problem"),
    [
        ("gunicorn", "missing SECRET_KEY"),
        ("gunicorn", "Sentry DSN that is not a URL"),
        ("celery worker", "unknown database scheme"),
        ("celery beat", "Sentry DSN that is not a URL"),
    ],
)
def test_servers_refuse_bad_configuration_with_one_line(process, problem, tmp_path):
    # gunicorn checks once in its master (config/gunicorn.py), before it binds a port or starts a worker
    overrides, message = BAD[problem]

    line = the_one_line(start(process, production_env(**overrides), tmp_path))

    assert message in line


def test_a_sentry_dsn_of_the_right_form_is_accepted():
    env = production_env(SENTRY_DSN="https://0123456789abcdef@o12345.ingest.sentry.io/678")

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_development_and_tests_need_no_secret_key():
    for flag in ("DEBUG", "TESTING"):
        env = production_env(SECRET_KEY="<unset>", **{flag: "true"})

        result = subprocess.run(
            [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
        )

        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("reloaded", [True, False], ids=["reloaded dev server", "any other process"])
def test_the_dev_server_has_its_urlconf_imported_before_its_threads_start(reloaded):
    """`runserver`'s file watcher and its system checks import in two threads at once; redis-py's import cycle made
    the web server fail to start under `make run`. In the process the reloader starts (RUN_MAIN=true) the URLconf is
    imported during setup, while there is one thread; other processes (workers, gunicorn, migrate) do not pay for it."""
    env = {**os.environ, "RUN_MAIN": "true"} if reloaded else {k: v for k, v in os.environ.items() if k != "RUN_MAIN"}
    probe = (
        "import sys, threading, django; django.setup(); "
        "print(threading.active_count(), 'config.urls' in sys.modules, 'redis.commands.core' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", probe], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    threads, urlconf, redis_commands = result.stdout.split()
    assert threads == "1"
    assert urlconf == str(reloaded)
    if reloaded:
        assert redis_commands == "True"
