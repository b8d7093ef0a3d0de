"""Per-request cost of the two busiest patient requests, against bare Django views, through gunicorn.

The web server is gunicorn with config/gunicorn.py (WEB_CONCURRENCY sync workers, DEBUG off) on the production
settings, with bench/api_urls.py adding two bare views (no DRF, no authentication, no throttles; the same
middleware): one INSERT into the check-in table, and one indexed read of a patient's latest check-in. It seeds its
own patients (a done procedure each), their app session tokens (X-Session-Token) and a client address each.

In one run, alternating, BENCH_API_REPEATS times:
- max load, closed loop (BENCH_API_CONNECTIONS connections, at least twice the workers), BENCH_API_SECONDS each:
  PUT /api/v1/me/checkins/{id} (a new check-in, no alert) vs the bare insert; GET /api/v1/me/recovery vs the bare
  read: req/s, the ratio, p50/p99, the web workers' CPU per request, the client's own CPU share, and PostgreSQL
  transactions per request (pg_stat_database);
- half load, open loop: PUT at half the project's measured PUT rate, Poisson arrivals, latency counted from the
  scheduled send (so a slow server cannot slow the client down and hide its queue).
Then, in process, SQL statements per request (BEGIN and COMMIT counted with them) and Redis commands per request
(MONITOR on the benchmark's Redis database). Medians over the repeats, with min-max spread; never asserted on time.

    .venv/bin/python bench/bench_api.py   (BENCH_API_PATIENTS=3000 BENCH_API_SECONDS=8 BENCH_API_REPEATS=3
                                           BENCH_API_CONNECTIONS=8 WEB_CONCURRENCY=3 BENCH_REDIS_SERVER=...)

The load clients are Python threads on raw sockets (wrk is not assumed to be installed); their CPU share is printed
so a client-bound run shows. Uses its own PostgreSQL database, mild_bench_api (after BENCH_DATABASE_PREFIX; created
and dropped), and Redis database 11 of BENCH_REDIS_SERVER (default the local server on 6379).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import random
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

os.environ["DJANGO_SETTINGS_MODULE"] = "api_settings"

from support import ROOT, bench_database, database_name, flush_redis

PATIENTS = int(os.environ.get("BENCH_API_PATIENTS", "3000"))
SECONDS = float(os.environ.get("BENCH_API_SECONDS", "8"))
REPEATS = int(os.environ.get("BENCH_API_REPEATS", "3"))
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "3"))
CONNECTIONS = int(os.environ.get("BENCH_API_CONNECTIONS", str(max(8, 2 * WORKERS))))
REDIS_DB = 11
ZONE = zoneinfo.ZoneInfo("Europe/London")
BACKFILL_DAYS = 7  # CHECKIN_BACKFILL_DAYS: each patient has today and 7 days back to fill in
HOST = "127.0.0.1"

GOALS = {"put_ratio": 0.35, "get_ratio": 0.45, "put_p99_ms": 50.0, "put_sql": 8, "get_sql": 5, "redis": 2}


@dataclass
class Patient:
    id: uuid.UUID
    token: str
    address: str  # the client address its requests come from (throttles count per address, as for real phones)


@dataclass
class Run:
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu: float = 0.0  # share of the machine's CPUs
    web_cpu_ms: float = 0.0  # per request
    transactions: float = 0.0  # per request

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")


# --- Seeding --------------------------------------------------------------------------------------------------------


def seed(now: dt.datetime) -> list[Patient]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils.crypto import get_random_string

    from accounts.models import Clinic, PatientProfile, Role, User
    from recovery.models import Procedure, ProcedureStatus, Protocol

    clinic = Clinic.objects.create(name="Benchmark clinic", phone="+44 20 7946 0100", time_zone="Europe/London")
    protocol = Protocol.objects.get(clinic__isnull=True, version=1)
    unusable = make_password(None)  # nobody signs in with a password here: the sessions are made directly
    deadline = now + dt.timedelta(seconds=int(settings.SESSION_IDLE_TIMEOUT_PATIENT))
    store = SessionStore()
    users = [
        User(id=uuid.uuid4(), email=f"p{n}@bench.example", full_name=f"Patient {n}", role=Role.PATIENT,
             clinic=clinic, password=unusable)
        for n in range(PATIENTS)
    ]  # fmt: skip
    User.objects.bulk_create(users, batch_size=1000)
    today = now.astimezone(ZONE).date()
    PatientProfile.objects.bulk_create(
        [
            PatientProfile(user=u, date_of_birth=dt.date(1950, 1, 1), time_zone="Europe/London",
                           enrolled_at=now - dt.timedelta(days=30))
            for u in users
        ],
        batch_size=1000,
    )  # fmt: skip
    Procedure.objects.bulk_create(
        [
            Procedure(patient_id=u.pk, procedure_date=today - dt.timedelta(days=20), levels=["L4-L5"],
                      side="bilateral", anaesthesia="local", status=ProcedureStatus.DONE, protocol=protocol,
                      completed_at=now - dt.timedelta(days=20))
            for u in users
        ],
        batch_size=1000,
    )  # fmt: skip
    patients, sessions = [], []
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    for n, user in enumerate(users):
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            "_idle_role": Role.PATIENT,
            "_session_expiry": deadline.isoformat(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=deadline))
        patients.append(Patient(user.pk, key, f"127.{1 + n // 65000}.{n // 250 % 250}.{1 + n % 250}"))
    Session.objects.bulk_create(sessions, batch_size=1000)
    return patients


def checkins_clear() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE recovery_checkinrevision, recovery_checkin CASCADE")
        cursor.execute("VACUUM ANALYZE recovery_checkin")


def slots(patients: list[Patient], today: dt.date) -> Iterator[tuple[Patient, dt.date]]:
    """Every (patient, day) a new check-in may be recorded for, each once, in a shuffled order."""
    order = [(p, today - dt.timedelta(days=d)) for d in range(BACKFILL_DAYS + 1) for p in patients]
    random.Random(14).shuffle(order)
    return iter(order)


# --- The HTTP client: one connection per request (gunicorn's sync workers close it) -------------------------------


def http(port: int, address: str, request: bytes) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address, 0))
        sock.connect((HOST, port))
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head = b"".join(chunks)[:12]
    return int(head[9:12]) if head.startswith(b"HTTP/") else 0


def request_bytes(method: str, path: str, headers: dict[str, str], body: dict[str, Any] | None = None) -> bytes:
    payload = json.dumps(body).encode() if body is not None else b""
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: localhost",
        "Connection: close",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def checkin_fields(day: dt.date) -> dict[str, Any]:
    # A steady day without red flags: the usual check-in, which raises no alert.
    return {
        "local_date": day.isoformat(), "back_pain": 3, "leg_pain": 2, "walking_minutes": 30, "standing_minutes": 15,
        "steps": 4000, "medication": "otc", "symptoms": [], "red_flags": [], "note": "",
    }  # fmt: skip


Maker = Callable[[], tuple[str, bytes, int]]  # the next request: (client address, bytes, expected status)


def put_project(work: Iterator[tuple[Patient, dt.date]]) -> Maker:
    lock = threading.Lock()

    def make() -> tuple[str, bytes, int]:
        with lock:
            patient, day = next(work)
        path = f"/api/v1/me/checkins/{uuid.uuid4()}"
        return patient.address, request_bytes("PUT", path, {"X-Session-Token": patient.token}, checkin_fields(day)), 201

    return make


def put_bare(work: Iterator[tuple[Patient, dt.date]]) -> Maker:
    lock = threading.Lock()

    def make() -> tuple[str, bytes, int]:
        with lock:
            patient, day = next(work)
        body = {**checkin_fields(day), "patient": str(patient.id)}
        return patient.address, request_bytes("PUT", f"/bench/bare/checkins/{uuid.uuid4()}", {}, body), 201

    return make


def get_project(patients: list[Patient]) -> Maker:
    pick = random.Random(1).choice

    def make() -> tuple[str, bytes, int]:
        patient = pick(patients)
        return patient.address, request_bytes("GET", "/api/v1/me/recovery", {"X-Session-Token": patient.token}), 200

    return make


def get_bare(patients: list[Patient]) -> Maker:
    pick = random.Random(1).choice

    def make() -> tuple[str, bytes, int]:
        patient = pick(patients)
        return patient.address, request_bytes("GET", f"/bench/bare/recovery/{patient.id}", {}), 200

    return make


# --- Load ----------------------------------------------------------------------------------------------------------


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _transactions(database: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", [database])
        return int(cursor.fetchone()[0])


def measured(server: subprocess.Popen[bytes], database: str, go: Callable[[], Run]) -> Run:
    """Run the load `go` and add what it cost: the web workers' CPU, the client's CPU, PostgreSQL transactions."""
    workers = _web_workers(server)
    ticks, usage, txs = _cpu_ticks(workers), resource.getrusage(resource.RUSAGE_SELF), _transactions(database)
    started = time.perf_counter()
    run = go()
    run.seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    client = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    run.client_cpu = client / (run.seconds * (os.cpu_count() or 1))
    served = max(run.requests, 1)
    run.web_cpu_ms = (_cpu_ticks(workers) - ticks) / os.sysconf("SC_CLK_TCK") * 1000 / served
    run.transactions = (_transactions(database) - txs - 2) / served  # less the two reads of the counter itself
    return run


def closed_loop(port: int, make: Maker, connections: int, seconds: float) -> Run:
    run = Run()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < stop:
            address, data, expected = make()
            started = time.perf_counter()
            status = http(port, address, data)
            elapsed = time.perf_counter() - started
            with lock:
                run.requests += 1
                run.latencies.append(elapsed)
                run.errors += status != expected

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


def open_loop(port: int, make: Maker, rate: float, seconds: float) -> Run:
    """Poisson arrivals at `rate` per second; each latency runs from the scheduled send, not the actual one."""
    run = Run()
    lock = threading.Lock()
    schedule: queue.Queue[float | None] = queue.Queue()
    arrivals = random.Random(7)
    start = time.perf_counter() + 0.2
    at = start
    while at < start + seconds:
        schedule.put(at)
        at += arrivals.expovariate(rate)
    senders = 32
    for _ in range(senders):
        schedule.put(None)

    def sender() -> None:
        while (due := schedule.get()) is not None:
            address, data, expected = make()
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            status = http(port, address, data)
            elapsed = time.perf_counter() - due
            with lock:
                run.requests += 1
                run.latencies.append(elapsed)
                run.errors += status != expected

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


# --- The web server ------------------------------------------------------------------------------------------------


def _free_port() -> int:
    """BENCH_API_PORT if set (the test suite, which runs this benchmark while other servers start, picks it), else a
    port the kernel says is free."""
    if os.environ.get("BENCH_API_PORT"):
        return int(os.environ["BENCH_API_PORT"])
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _web_workers(server: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "api_settings", "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
             "PORT": str(port), "HOST": HOST, "WEB_CONCURRENCY": str(WORKERS), "DEBUG": "false",
             "GUNICORN_ACCESS_LOG": os.devnull, "LOG_LEVEL": "WARNING"},
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if (
                http(port, HOST, request_bytes("GET", "/health/live", {})) == 200
                and len(_web_workers(server)) == WORKERS
            ):
                return server
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


# --- Counts per request, in process ------------------------------------------------------------------------------


class RedisCommands:
    """Counts the commands the benchmark's Redis database receives (MONITOR), leaving out what scripts run inside."""

    def __init__(self, url: str, db: int) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.stopper = redis.Redis.from_url(url)  # its own connection, open before MONITOR starts
        self.db = db
        self.stop = f"bench-monitor-stop-{uuid.uuid4().hex}"  # MONITOR sees every client of the server: ours alone
        self.commands: list[str] = []

    def __enter__(self) -> RedisCommands:
        self.stopper.ping()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._watch)
        self.thread.start()
        self.ready.wait(5)
        return self

    def _watch(self) -> None:
        with self.client.monitor() as monitor:
            self.ready.set()
            while True:
                command = monitor.next_command()
                if command["command"] == f"ECHO {self.stop}":
                    return
                if command["db"] == self.db and command["client_type"] != "lua":
                    self.commands.append(command["command"])

    def __exit__(self, *exc: object) -> None:
        self.stopper.echo(self.stop)
        self.thread.join(10)


def counts_per_request(patients: list[Patient], redis_url: str, samples: int = 20) -> dict[str, float]:
    """SQL statements (plus BEGIN and COMMIT of each transaction) and Redis commands per request, medians."""
    from django.db import connection as default_connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    connection: Any = default_connection  # its _commit and _rollback are wrapped to count the transactions
    transactions = [0]
    commit, rollback = connection._commit, connection._rollback

    def counted(real: Callable[[], None]) -> Callable[[], None]:
        def call() -> None:
            transactions[0] += 1
            real()

        return call

    connection._commit, connection._rollback = counted(commit), counted(rollback)
    today = dt.datetime.now(ZONE).date()
    results: dict[str, list[int]] = {"put_sql": [], "get_sql": [], "put_redis": [], "get_redis": []}
    try:
        for n, patient in enumerate(patients[:samples]):
            client = Client(HTTP_HOST="localhost", REMOTE_ADDR=patient.address, HTTP_X_SESSION_TOKEN=patient.token)
            day = today - dt.timedelta(days=n % (BACKFILL_DAYS + 1))
            put = partial(client.put, f"/api/v1/me/checkins/{uuid.uuid4()}", checkin_fields(day), "application/json")
            for name, call in (("put", put), ("get", partial(client.get, "/api/v1/me/recovery"))):
                transactions[0] = 0
                with RedisCommands(redis_url, REDIS_DB) as redis_seen, CaptureQueriesContext(connection) as sql:
                    response = call()
                assert response.status_code in (200, 201), response.content
                # The captured statements include BEGIN and COMMIT (psycopg's transaction control).
                results[f"{name}_sql"].append(len(sql.captured_queries))
                results[f"{name}_redis"].append(len(redis_seen.commands))
                if n == 0 and os.environ.get("BENCH_API_SHOW"):  # what one request of each kind sends
                    print(f"{name}: {transactions[0]} transaction(s); SQL:", *(q["sql"][:150] for q in sql), sep="\n  ")
                    print(f"{name}: Redis:", *redis_seen.commands, sep="\n  ")
    finally:
        connection._commit, connection._rollback = commit, rollback
    return {key: statistics.median(values) for key, values in results.items()}


# --- The run --------------------------------------------------------------------------------------------------------


def main() -> None:
    server_url = os.environ.get("BENCH_REDIS_SERVER", "redis://127.0.0.1:6379").rstrip("/")
    database = database_name("mild_bench_api")
    with bench_database(database, REDIS_DB, redis_server=server_url) as env:
        env = {**env, "THROTTLE_USER_RATE": "600/min", "THROTTLE_IP_RATE": "1200/min"}
        os.environ.update(env)
        from django.utils import timezone

        started = time.perf_counter()
        patients = seed(timezone.now())
        print(f"seeded {PATIENTS} patients with app session tokens in {time.perf_counter() - started:.1f} s")
        flush_redis(REDIS_DB, server_url)
        today = dt.datetime.now(ZONE).date()
        port = _free_port()
        server = gunicorn(env, port)
        runs: dict[str, list[Run]] = {k: [] for k in ("put", "put_bare", "get", "get_bare", "put_half")}
        try:
            closed_loop(port, get_project(patients), CONNECTIONS, 1.0)  # warm-up: imports, plans, connections
            closed_loop(port, get_bare(patients), CONNECTIONS, 1.0)
            for _ in range(REPEATS):
                for name, writer in (("put", put_project), ("put_bare", put_bare)):
                    checkins_clear()
                    load = partial(closed_loop, port, writer(slots(patients, today)), CONNECTIONS, SECONDS)
                    runs[name].append(measured(server, database, load))
                for name, reader in (("get", get_project), ("get_bare", get_bare)):
                    load = partial(closed_loop, port, reader(patients), CONNECTIONS, SECONDS)
                    runs[name].append(measured(server, database, load))
                checkins_clear()
                half = runs["put"][-1].rate / 2
                load = partial(open_loop, port, put_project(slots(patients, today)), half, SECONDS)
                runs["put_half"].append(measured(server, database, load))
        finally:
            import signal

            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        checkins_clear()
        counts = counts_per_request(patients, f"{server_url}/{REDIS_DB}")
    report(runs, counts)


def report(runs: dict[str, list[Run]], counts: dict[str, float]) -> None:
    def med(values: list[float]) -> str:
        return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"

    print(f"gunicorn, {WORKERS} sync workers, DEBUG off; {CONNECTIONS} connections at max load; {REPEATS} repeats of "
          f"{SECONDS:.0f} s, alternating; medians (min-max)")  # fmt: skip
    print(f"{'run':<26}{'req/s':>22}{'p50 ms':>22}{'p99 ms':>22}{'web CPU ms/req':>16}{'tx/req':>8}{'client CPU':>11}"
          f"{'errors':>8}")  # fmt: skip
    names = {
        "put": "PUT check-in", "put_bare": "bare INSERT", "get": "GET /me/recovery", "get_bare": "bare read",
        "put_half": "PUT, half load, open loop",
    }  # fmt: skip
    for key, label in names.items():
        rs = runs[key]
        print(
            f"{label:<26}{med([r.rate for r in rs]):>22}{med([r.percentile(0.5) for r in rs]):>22}"
            f"{med([r.percentile(0.99) for r in rs]):>22}{statistics.median(r.web_cpu_ms for r in rs):>16.2f}"
            f"{statistics.median(r.transactions for r in rs):>8.2f}{statistics.median(r.client_cpu for r in rs):>10.0%}"
            f"{sum(r.errors for r in rs):>8}"
        )
    put_ratio = statistics.median(p.rate / b.rate for p, b in zip(runs["put"], runs["put_bare"], strict=True))
    get_ratio = statistics.median(p.rate / b.rate for p, b in zip(runs["get"], runs["get_bare"], strict=True))
    p99 = statistics.median(r.percentile(0.99) for r in runs["put_half"])
    print(f"ratio project/bare (median of the repeats' ratios): PUT {put_ratio:.2f}, GET {get_ratio:.2f}")
    put_sql, get_sql = counts["put_sql"], counts["get_sql"]
    print(
        f"per request, in process (median of 20): PUT {put_sql:.0f} SQL statements incl. BEGIN/COMMIT, "
        f"{counts['put_redis']:.0f} Redis commands; GET {get_sql:.0f} SQL, {counts['get_redis']:.0f} Redis"
    )
    redis = max(counts["put_redis"], counts["get_redis"])
    for name, measured_value, target, met in (
        ("put_vs_bare", f"{put_ratio:.2f}x", f">= {GOALS['put_ratio']}x", put_ratio >= GOALS["put_ratio"]),
        ("get_vs_bare", f"{get_ratio:.2f}x", f">= {GOALS['get_ratio']}x", get_ratio >= GOALS["get_ratio"]),
        ("put_p99_half_load", f"{p99:.1f} ms", f"<= {GOALS['put_p99_ms']:.0f} ms", p99 <= GOALS["put_p99_ms"]),
        ("put_sql_statements", f"{put_sql:.0f}", f"<= {GOALS['put_sql']}", put_sql <= GOALS["put_sql"]),
        ("get_sql_statements", f"{get_sql:.0f}", f"<= {GOALS['get_sql']}", get_sql <= GOALS["get_sql"]),
        ("redis_round_trips", f"{redis:.0f}", f"<= {GOALS['redis']}", redis <= GOALS["redis"]),
    ):  # fmt: skip
        print(f"goal {name}: {measured_value} (target {target}) {'met' if met else 'missed'}")


if __name__ == "__main__":
    main()
