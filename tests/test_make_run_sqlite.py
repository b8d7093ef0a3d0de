"""The embedded default holds under real use: `make run`'s SQLite database with its web server, Celery worker and beat
writing at once (each its own process, as bin/devserver starts them) loses no check-in and answers no 5xx."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.makerun_support import (
    LOAD_PASSWORD,
    load_patients_setup,
    make_run_env,
    make_run_processes,
    one_make_run_at_a_time,
    redis_server,
    request,
    wait_for_health,
)
from tests.ports import free_port

CLIENTS = 8
CHECKINS = 200
EDITS = 200
# One patient per client (sign-ins are rate limited per address), each adding 25 past days: yesterday back to 25 days
# ago, within CHECKIN_BACKFILL_DAYS even when the test runs across midnight.
DAYS_BACK = range(1, CHECKINS // CLIENTS + 1)
BACKFILL_DAYS = "30"


def checkin_body(day: dt.date, n: int, red_flags: list[str]) -> dict[str, Any]:
    return {
        "local_date": day.isoformat(),
        "back_pain": n % 7,
        "leg_pain": (n + 3) % 7,
        "walking_minutes": 10 + n % 50,
        "standing_minutes": 5 + n % 20,
        "steps": 1000 + n,
        "medication": "none",
        "symptoms": [],
        "red_flags": red_flags,
        "note": f"load {n}",
    }


@pytest.fixture(autouse=True)
def _one_make_run_at_a_time() -> Iterator[None]:
    with one_make_run_at_a_time():
        yield


def sign_in(base: str, email: str) -> str:
    response = request(base, "POST", "/_allauth/app/v1/auth/login", {"email": email, "password": LOAD_PASSWORD})
    assert response.status == 200, response.body
    return str(response.body["meta"]["session_token"])


@pytest.mark.timeout(900)
def test_sqlite_make_run_keeps_every_checkin_under_concurrent_writers(tmp_path):
    port, redis_port = free_port(), free_port()
    database = tmp_path / "db.sqlite3"
    env = make_run_env(database, tmp_path, port=port, redis_port=redis_port) | {"CHECKIN_BACKFILL_DAYS": BACKFILL_DAYS}
    patients = load_patients_setup(env, count=CLIENTS)
    base = f"http://127.0.0.1:{port}"

    with redis_server(redis_port), make_run_processes(env, tmp_path) as logs:
        wait_for_health(base, web_log=logs["web"])
        tokens = {email: sign_in(base, email) for email in patients}
        forms = request(base, "GET", "/api/v1/recovery/forms", headers={"X-Session-Token": tokens[patients[0]]}).body
        flags = [q["key"] for q in forms["red_flag_questions"] if q["tier"] in ("emergency", "urgent")]
        today = dt.datetime.now(dt.UTC).date()
        # (patient, day, id, body): every 10th carries a red flag, so the worker writes alerts' deliveries meanwhile
        work = []
        for n in range(CHECKINS):
            email, days_back = patients[n % CLIENTS], DAYS_BACK[n // CLIENTS]
            red = [flags[n % len(flags)]] if n % 10 == 0 else []
            work.append((email, uuid.uuid4(), checkin_body(today - dt.timedelta(days=days_back), n, red)))

        def put(item):
            email, checkin_id, body = item
            return request(base, "PUT", f"/api/v1/me/checkins/{checkin_id}", body, {"X-Session-Token": tokens[email]})

        # 200 check-ins from 8 clients at once
        with ThreadPoolExecutor(CLIENTS) as pool:
            created = list(pool.map(put, work))
        # then 200 edits one after another, with If-Match; half of them answer a red-flag question yes
        edited = []
        for n in range(EDITS):
            email, checkin_id, body = work[n % len(work)]
            etag = created[n % len(work)].headers.get("ETag") if n < len(work) else None
            red = [flags[(n + 3) % len(flags)]] if n % 2 == 0 else []
            changed = {**body, "back_pain": (int(body["back_pain"]) + 1) % 11, "red_flags": red}
            response = request(
                base,
                "PUT",
                f"/api/v1/me/checkins/{checkin_id}",
                changed,
                {"X-Session-Token": tokens[email], "If-Match": etag or ""},
            )
            edited.append(response)

        # the worker sends every emergency and urgent alert's deliveries, writing while the web server writes
        deadline = time.monotonic() + 120
        with sqlite3.connect(database) as db:
            while time.monotonic() < deadline:
                waiting = db.execute(
                    "SELECT COUNT(*) FROM notifications_delivery WHERE status IN ('pending', 'queued', 'sending')"
                    " AND due_at <= ?",
                    # to the microsecond, as due_at is stored: a delivery planned in this very second is due too
                    (dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),),
                ).fetchone()[0]
                if waiting == 0:
                    break
                time.sleep(1)

    statuses = [r.status for r in created + edited]
    assert [s for s in statuses if s >= 500] == []
    assert [r.status for r in created] == [201] * CHECKINS, [r.body for r in created if r.status != 201][:3]
    assert [r.status for r in edited] == [200] * EDITS, [r.body for r in edited if r.status != 200][:3]
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT id FROM recovery_checkin").fetchall()
        revisions = db.execute("SELECT COUNT(*) FROM recovery_checkinrevision").fetchone()[0]
        alerts = db.execute("SELECT COUNT(*) FROM recovery_alert WHERE tier IN ('emergency', 'urgent')").fetchone()[0]
        sent = db.execute(
            "SELECT COUNT(DISTINCT subject_id) FROM notifications_delivery WHERE channel = 'inapp' AND status = 'sent'"
            " AND kind = 'alert'"
        ).fetchone()[0]
        # Only the alerts' deliveries: beat may hand a reminder that fell due this minute to the broker just before the
        # processes stop; the dispatcher's sweep sends it after the next start, which the delivery tests cover.
        waiting = db.execute(
            "SELECT COUNT(*) FROM notifications_delivery WHERE status IN ('queued', 'sending') AND kind = 'alert'"
        ).fetchone()[0]
    # every check-in stored exactly once, every edit recorded as a revision
    assert sorted(uuid.UUID(row[0]).hex for row in stored) == sorted(item[1].hex for item in work)
    assert revisions == CHECKINS + EDITS
    # the worker delivered every emergency and urgent alert to the clinician's inbox, no alert stuck in flight
    assert alerts >= CHECKINS // 10 + EDITS // 2
    assert sent == alerts
    assert waiting == 0
    for name, log in logs.items():
        text = log.read_text(errors="replace")
        assert "database is locked" not in text, f"{name}: {text[-3000:]}"
        assert "Traceback" not in text, f"{name}: {text[-3000:]}"
