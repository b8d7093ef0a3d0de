"""Shared by the operations tests: capture everything the configured logging writes, and run gunicorn for real."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.ports import free_port

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@contextlib.contextmanager
def log_output() -> Iterator[io.StringIO]:
    """Every line the root handler (configured by settings.LOGGING) writes, with its own formatter and filters."""
    root = logging.getLogger()
    configured = next(h for h in root.handlers if h.get_name() == "console")
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(configured.formatter)
    for log_filter in configured.filters:
        capture.addFilter(log_filter)
    root.addHandler(capture)
    try:
        yield stream
    finally:
        root.removeHandler(capture)


def database_url(name: str | None = None) -> str:
    """The test database's address (or another database's on the same server), for a second process."""
    from django.db import connection

    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgresql://{settings['USER']}@{host}:{port}/{name or settings['NAME']}"


@contextlib.contextmanager
def gunicorn(env: dict[str, str], logs: Path) -> Iterator[str]:
    """gunicorn with config/gunicorn.py on a free port; yields its base URL. Its access log goes to logs/access.log,
    everything else it prints to logs/output.log."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    output = (logs / "output.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(logs / "access.log"),
            "config.wsgi:application",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health/live", timeout=2):  # noqa: S310 (our own server)
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((logs / "output.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        output.close()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (our own server)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
