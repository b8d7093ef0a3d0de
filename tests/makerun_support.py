"""Running the `make run` configuration for real in tests: a SQLite file in a temporary directory, the processes
bin/devserver starts (web, Celery worker, Celery beat), a Redis server of the test's own on a free port."""

from __future__ import annotations

import contextlib
import fcntl
import importlib.machinery
import importlib.util
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOAD_PASSWORD = "load-test-passphrase-2026"


def devserver() -> ModuleType:
    """bin/devserver as a module (it has no .py suffix), for its process table."""
    loader = importlib.machinery.SourceFileLoader("devserver", str(ROOT / "bin" / "devserver"))
    spec = importlib.util.spec_from_loader("devserver", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def make_run_env(database: Path, tmp: Path, *, port: int, redis_port: int) -> dict[str, str]:
    """The environment `make run` gives its processes, with nothing of the test run's own (no TESTING)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp)),
        "LANG": "C.UTF-8",
        "DEBUG": "true",
        "APP_URL": f"http://127.0.0.1:{port}",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp / "celerybeat-schedule"),
        "PYTHONUNBUFFERED": "1",
    }


@contextlib.contextmanager
def one_make_run_at_a_time() -> Iterator[None]:
    """Holds a lock that every test process of this checkout sees (a file in var/, where `make run` keeps its own
    files), so two tests that each run the whole of `make run` (five processes) take turns instead of starving each
    other's web servers on a small machine."""
    (ROOT / "var").mkdir(exist_ok=True)
    with (ROOT / "var" / "make-run-tests.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def redis_server(port: int) -> Iterator[None]:
    redis = shutil.which("redis-server")
    assert redis, "redis-server is needed (make test installs it)"
    process = subprocess.Popen(  # noqa: S603
        [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    break
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_python(code: str, env: dict[str, str], timeout: int = 240) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


LOAD_SETUP = """
import datetime as dt, json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from accounts.models import CareTeamMember, Clinic, PatientProfile, Role, User
from recovery import services

now = timezone.now()
clinic = Clinic.objects.create(
    name="Load Test Clinic", phone="+1 555 010 0100", time_zone="UTC", country="US", emergency_number="911"
)
doctor = User.objects.create_user("doctor@load.example", None, full_name="Dr Load", role=Role.CLINICIAN, clinic=clinic)
password = make_password(PASSWORD)
emails = []
for i in range(COUNT):
    user = User.objects.create_user(
        f"patient{i}@load.example", None, full_name=f"Load Patient {i}", role=Role.PATIENT, clinic=clinic
    )
    user.password = password
    user.save(update_fields=["password"])
    patient = PatientProfile.objects.create(
        user=user, date_of_birth=dt.date(1950, 1, 1), time_zone="UTC", enrolled_at=now - dt.timedelta(days=45)
    )
    CareTeamMember.objects.create(patient=patient, clinician=doctor, is_primary=True)
    procedure = services.procedure_schedule(
        patient=patient, by=doctor, procedure_date=now.date() - dt.timedelta(days=35), levels=("L4-L5",),
        side="bilateral", anaesthesia="local_sedation",
    )
    services.procedure_complete(
        procedure=procedure, by=doctor, now=now - dt.timedelta(days=35), override_reason="Load test patient."
    )
    emails.append(user.email)
print(json.dumps(emails))
"""


def load_patients_setup(env: dict[str, str], count: int) -> list[str]:
    """Migrate the SQLite database and add a clinic with `count` patients 35 days after their procedure."""
    code = LOAD_SETUP.replace("PASSWORD", repr(LOAD_PASSWORD)).replace("COUNT", str(count))
    return list(json.loads(run_python(code, env).strip().splitlines()[-1]))


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def request(
    base: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, timeout: float = 60
) -> Response:
    data = None if body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", "Accept": "application/json", **(headers or {})}
    req = urllib.request.Request(base + path, data=data, method=method, headers=sent)  # noqa: S310 (our own server)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:  # noqa: S310
            raw, status, got = answer.read(), answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, dict(error.headers)
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return Response(status, parsed, got)


# What runserver prints when the thread that checks and serves has died: the process lives on (its file watcher waits
# for an edit), but it will never answer.
SERVER_THREAD_DIED = "Exception in thread django-main-thread"


def wait_for_health(
    base: str,
    process: subprocess.Popen[Any] | None = None,
    timeout: float = 420,
    web_log: Path | None = None,
    printed: Callable[[], str] | None = None,
) -> None:
    """Until /health/ answers 200. On a slow machine `make run`'s first start (migrating and seeding a new SQLite
    file, then five processes importing Django at once) can take minutes; when it never answers, the failure says
    what the last probe got and, given `web_log`, what the web server printed. A web server whose serving thread died
    (in `web_log`, or in what `printed` returns) fails at once rather than after `timeout`."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode} before /health/ answered")
        so_far = printed() if printed is not None else ""
        if web_log is not None and web_log.exists():
            so_far += web_log.read_text(errors="replace")
        if SERVER_THREAD_DIED in so_far:
            last = "none: the web server's serving thread died, it will not answer"
            break
        try:
            answer = request(base, "GET", "/health/", timeout=10)
        except OSError as error:
            last = f"{type(error).__name__}: {error}"
        else:
            if answer.status == 200:
                return
            last = f"HTTP {answer.status}: {answer.body}"
        time.sleep(0.5)
    shown = ""
    if web_log is not None:
        text = web_log.read_text(errors="replace") if web_log.exists() else "(no web log)"
        shown = f"; the web server printed:\n{text[:3000]}\n[...]\n{text[-3000:]}"
    waited = timeout - max(0.0, deadline - time.monotonic())
    raise AssertionError(f"/health/ never answered 200 in {waited:.0f} s (last probe: {last}){shown}")


@contextlib.contextmanager
def make_run_processes(env: dict[str, str], logs: Path) -> Iterator[dict[str, Path]]:
    """web, worker and beat as bin/devserver starts them, each logging to a file."""
    commands = devserver().process_commands("127.0.0.1", env["PORT"])
    started: list[subprocess.Popen[bytes]] = []
    files = {name: logs / f"{name}.log" for name in commands}
    try:
        for name, command in commands.items():
            with files[name].open("wb") as out:
                started.append(
                    subprocess.Popen(  # noqa: S603
                        shlex.split(command),
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        yield files
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (from /proc), whatever session or group it moved to."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
