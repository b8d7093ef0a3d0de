"""Alerts never wait behind reminders: an emergency check-in's delivery to the clinician, idle and during a
100,000-patient reminder fan-out, through real Celery workers and Redis.

Two real Celery worker processes, as the Procfile runs them: `worker` consuming the default queue ("celery",
prefork, 2 processes) and `alerts` consuming the alerts queue alone ("alerts", prefork, 2 processes, its own node
name). The fan-out is bench_reminders' seeding (BENCH_PATIENTS patients in 24 time zones, each with a check-in
reminder due one minute ago, in-app only; having missed days since their procedure, each gets the nudge kind of it),
planned and dispatched in a process of its own as beat's tick does (reminders_plan_due, then deliveries_dispatch_now,
again every minute until every reminder is in its inbox).

One sample: a patient of another clinic answers an emergency red-flag question in a daily check-in
(recovery.services.checkin_put, as the PUT does; its commit queues the alerts' dispatch), and the time is taken from
the call to the moment the alert is in the primary clinician's inbox (the in-app Notification row, polled every
5 ms). Each sample is a new patient, so no alert is a repeat.

In one run, BENCH_ALERTS_ROUNDS times, alternating: BENCH_ALERTS_SAMPLES samples on the idle system, then a fan-out
of every seeded patient's reminder with samples taken BENCH_ALERTS_SPACING_S (2) seconds apart from the moment its
reminders are on the default queue until all are delivered (as many as it lasts for, at most BENCH_ALERTS_SAMPLES),
each with the default queue's length and the reminders still undelivered at the time. Prints medians and min-max
of both, the fan-out's own time, and one goal line: the median during the fan-out
within 2x the idle median. Never asserted on time.

    .venv/bin/python bench/bench_alerts.py   (BENCH_PATIENTS=100000 BENCH_ALERTS_ROUNDS=3 BENCH_ALERTS_SAMPLES=5
                                              BENCH_REDIS_SERVER=...)

Uses its own PostgreSQL database, mild_bench_alerts (after BENCH_DATABASE_PREFIX; created and dropped), and Redis
database 10 of BENCH_REDIS_SERVER (default the local server on 6379).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from support import ROOT, bench_database, database_name, flush_redis, queue_worker

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ALERTS_ROUNDS", "3"))
SAMPLES = int(os.environ.get("BENCH_ALERTS_SAMPLES", "5"))
SPACING_S = float(os.environ.get("BENCH_ALERTS_SPACING_S", "2"))
REDIS_DB = 10
POLL_S = 0.005
GOAL_RATIO = 2.0
# What reminders_plan_due plans: the daily reminder, or the nudge for a patient who has missed days (bench_reminders'
# patients have none yet).
FAN_OUT_KINDS = ("checkin_reminder", "checkin_nudge")
RED_FLAG = "bladder_bowel_control"  # an emergency-tier red flag (recovery.content.red_flags)


@dataclass
class Sample:
    seconds: float  # from the check-in call to the alert in the clinician's inbox
    commit_seconds: float  # of which the check-in's own request work, up to its commit
    queued: int = 0  # messages waiting on the default queue when the check-in was made
    undelivered: int = 0  # reminders of the fan-out not yet in their inbox then


# --- Seeding ----------------------------------------------------------------------------------------------------------


def seed_alert_patients(count: int, now: dt.datetime) -> tuple[Any, list[Any]]:
    """Another clinic, its clinician, and `count` patients whose primary clinician they are (a done procedure each,
    their own reminders paused so the fan-out is only bench_reminders' patients)."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import CareTeamMember, Clinic, PatientProfile, Role, User
    from notifications.models import NotificationPreference
    from recovery.models import Procedure, ProcedureStatus, Protocol

    clinic = Clinic.objects.create(name="Alert clinic", phone="+1 555 0199", time_zone="America/New_York", country="US")
    clinician = User.objects.create_user(
        "dr.alerts@bench.example", full_name="Dr Alerts", role=Role.CLINICIAN, clinic=clinic
    )
    protocol = Protocol.objects.get(clinic__isnull=True, version=1)
    unusable = make_password(None)
    users = [
        User(id=uuid.uuid4(), email=f"alert{n}@bench.example", full_name=f"Alert patient {n}", role=Role.PATIENT,
             clinic=clinic, password=unusable)
        for n in range(count)
    ]  # fmt: skip
    User.objects.bulk_create(users)
    zone = "America/New_York"
    today = now.astimezone(dt.timezone(dt.timedelta(hours=-5))).date()
    PatientProfile.objects.bulk_create(
        [PatientProfile(user=u, date_of_birth=dt.date(1950, 1, 1), time_zone=zone, enrolled_at=now) for u in users]
    )
    Procedure.objects.bulk_create(
        [
            Procedure(patient_id=u.pk, procedure_date=today - dt.timedelta(days=10), levels=["L4-L5"],
                      side="bilateral", anaesthesia="local", status=ProcedureStatus.DONE, protocol=protocol,
                      completed_at=now - dt.timedelta(days=10))
            for u in users
        ]
    )  # fmt: skip
    CareTeamMember.objects.bulk_create(
        [CareTeamMember(patient_id=u.pk, clinician=clinician, is_primary=True) for u in users]
    )
    NotificationPreference.objects.bulk_create([NotificationPreference(user_id=u.pk, paused=True) for u in users])
    return clinician, list(PatientProfile.objects.filter(user__clinic=clinic).select_related("user"))


# --- One sample -------------------------------------------------------------------------------------------------------


def emergency_checkin(patient: Any, clinician: Any) -> Sample:
    """Check in with an emergency red flag; wait for the alert in the clinician's inbox."""
    from django.utils import timezone

    from notifications.models import Kind, Notification
    from recovery import services

    now = timezone.now()
    data = {
        "local_date": now.astimezone(patient.zone).date(),
        "back_pain": 6,
        "leg_pain": 7,
        "walking_minutes": 5,
        "standing_minutes": 5,
        "steps": 300,
        "medication": "otc",
        "symptoms": [],
        "red_flags": [RED_FLAG],
        "note": "",
        "recorded_at": now,
    }
    started = time.perf_counter()
    result = services.checkin_put(
        patient=patient, by=patient.user, checkin_id=uuid.uuid4(), data=data, if_match=None, now=now
    )
    committed = time.perf_counter()
    (alert,) = [a for a in result.alerts if a.tier == "emergency"]
    inbox = Notification.objects.filter(recipient=clinician, kind=Kind.ALERT, occurrence=str(alert.pk))
    deadline = time.monotonic() + 600
    while not inbox.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"alert {alert.pk} did not reach the inbox within 10 minutes")
        time.sleep(POLL_S)
    return Sample(seconds=time.perf_counter() - started, commit_seconds=committed - started)


# --- The fan-out ------------------------------------------------------------------------------------------------------


def fan_out_process() -> None:
    """In its own process (`bench_alerts.py --fan-out`), as beat's tick: plan the due reminders, dispatch them, and
    dispatch again every minute until every planned reminder is delivered. Prints its figures as one JSON line."""
    import django

    django.setup()
    from django.utils import timezone

    from notifications import services
    from notifications.models import Notification
    from notifications.tasks import deliveries_dispatch_now

    started = time.perf_counter()
    planned = services.reminders_plan_due(timezone.now())
    planned_at = time.perf_counter()
    deliveries_dispatch_now()
    dispatched_at = time.perf_counter()
    next_tick = time.monotonic() + 60
    reminders = Notification.objects.filter(kind__in=FAN_OUT_KINDS)
    while reminders.count() < planned:
        time.sleep(0.2)
        if time.monotonic() >= next_tick:
            deliveries_dispatch_now()
            next_tick += 60
    print(json.dumps({"planned": planned, "plan_s": planned_at - started, "dispatch_s": dispatched_at - planned_at,
                      "total_s": time.perf_counter() - started}), flush=True)  # fmt: skip


def fan_out_reset() -> None:
    """Forget the previous fan-out's reminders, so the next one plans and delivers all of them again."""
    from notifications.models import Delivery, Notification

    Notification.objects.filter(kind__in=FAN_OUT_KINDS).delete()
    Delivery.objects.filter(kind__in=FAN_OUT_KINDS).delete()


def during_fan_out(env: dict[str, str], patients: Iterator[Any], clinician: Any) -> tuple[list[Sample], dict[str, Any]]:
    """Start a fan-out; take samples one after another while it is in flight (at most SAMPLES); wait for its end."""
    import redis
    from django.conf import settings
    from django.db.models import Q

    from notifications.models import Delivery, DeliveryStatus, Notification

    fan_out_reset()
    broker = redis.Redis.from_url(env["CELERY_BROKER_URL"])
    default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "--fan-out"], cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True
    )
    pending = Delivery.objects.filter(kind__in=FAN_OUT_KINDS).filter(
        ~Q(status__in=(DeliveryStatus.SENT, DeliveryStatus.SKIPPED))
    )
    samples: list[Sample] = []
    try:
        # Samples begin once the reminders are on the default queue (the dispatch has begun) and end when the fan-out
        # process has seen every one delivered; SPACING_S apart, to cover more of the fan-out.
        delivered = Notification.objects.filter(kind__in=FAN_OUT_KINDS)
        while process.poll() is None and not (broker.llen(default_queue) or delivered.exists()):
            time.sleep(0.05)
        while process.poll() is None and len(samples) < SAMPLES:
            queued = int(broker.llen(default_queue))
            undelivered = pending.count()
            if not undelivered and not queued:
                break
            sample = emergency_checkin(next(patients), clinician)
            sample.queued, sample.undelivered = queued, undelivered
            samples.append(sample)
            time.sleep(SPACING_S)
        out, _ = process.communicate(timeout=3600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        broker.close()
    if process.returncode != 0:
        raise RuntimeError(f"the fan-out process failed ({process.returncode})")
    return samples, json.loads(out.strip().splitlines()[-1])


def main() -> None:
    from bench_reminders import ZONES, seed

    with bench_database(database_name("mild_bench_alerts"), REDIS_DB) as env:
        from django.db import connection
        from django.utils import timezone

        t0 = time.perf_counter()
        seed(timezone.now())
        clinician, alert_patients = seed_alert_patients(ROUNDS * SAMPLES * 2 + 2, timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seeded {PATIENTS} patients in {len(ZONES)} time zones in {time.perf_counter() - t0:.1f} s", flush=True)
        flush_redis(REDIS_DB)
        patients = iter(alert_patients)
        idle: list[list[Sample]] = []
        loaded: list[list[Sample]] = []
        fan_outs: list[dict[str, Any]] = []
        with (
            queue_worker(env, queue="celery", node="default@%h", concurrency=2),
            queue_worker(env, queue="alerts", node="alerts@%h", concurrency=2),
        ):
            emergency_checkin(next(patients), clinician)  # warm-up: workers' connections, plans cached
            for number in range(ROUNDS):
                idle.append([emergency_checkin(next(patients), clinician) for _ in range(SAMPLES)])
                samples, fan_out = during_fan_out(env, patients, clinician)
                loaded.append(samples)
                fan_outs.append(fan_out)
                print(f"round {number + 1}: idle {_ms([s.seconds for s in idle[-1]])}; during the fan-out "
                      f"{_ms([s.seconds for s in samples])} ({len(samples)} samples); fan-out of "
                      f"{fan_out['planned']} reminders {fan_out['total_s']:.1f} s", flush=True)  # fmt: skip
    report(idle, loaded, fan_outs)


def _ms(values: list[float]) -> str:
    if not values:
        return "no samples"
    ms = [v * 1000 for v in values]
    return f"median {statistics.median(ms):.0f} ms (min {min(ms):.0f}, max {max(ms):.0f})"


def report(idle: list[list[Sample]], loaded: list[list[Sample]], fan_outs: list[dict[str, Any]]) -> None:
    every_idle = [s for round_ in idle for s in round_]
    every_loaded = [s for round_ in loaded for s in round_]
    print()
    print(
        f"emergency check-in -> alert in the primary clinician's inbox; {ROUNDS} rounds, alternating idle and during "
        f"a {PATIENTS}-patient reminder fan-out; default and alerts queues' workers: 2 processes each"
    )
    print(f"{'':<22}{'samples':>8}{'median ms':>10}{'min':>7}{'max':>7}{'check-in to commit ms':>23}")
    for name, samples in (("idle", every_idle), ("during the fan-out", every_loaded)):
        if not samples:
            print(f"{name:<22}{0:>8}")
            continue
        ms = [s.seconds * 1000 for s in samples]
        commit = statistics.median(s.commit_seconds * 1000 for s in samples)
        print(f"{name:<22}{len(ms):>8}{statistics.median(ms):>10.0f}{min(ms):>7.0f}{max(ms):>7.0f}{commit:>23.0f}")
    if every_loaded:
        queued, undelivered = [s.queued for s in every_loaded], [s.undelivered for s in every_loaded]
        print(f"at each sample during the fan-out: default queue messages waiting {queued}")
        print(f"  and reminders not yet delivered {undelivered}")
    for number, fan_out in enumerate(fan_outs, 1):
        print(f"fan-out {number}: {fan_out['planned']} reminders planned in {fan_out['plan_s']:.1f} s, dispatched in "
              f"{fan_out['dispatch_s']:.1f} s, all in their inboxes after {fan_out['total_s']:.1f} s")  # fmt: skip
    if every_idle and every_loaded:
        idle_ms = statistics.median(s.seconds * 1000 for s in every_idle)
        loaded_ms = statistics.median(s.seconds * 1000 for s in every_loaded)
        ratio = loaded_ms / idle_ms
        verdict = "met" if ratio <= GOAL_RATIO else "missed"
        print(f"goal alert_during_fan_out: {ratio:.2f}x idle ({loaded_ms:.0f} ms vs {idle_ms:.0f} ms) "
              f"(target <= {GOAL_RATIO:.1f}x idle) {verdict}")  # fmt: skip
    else:
        print(f"goal alert_during_fan_out: no sample during the fan-out (target <= {GOAL_RATIO:.1f}x idle) missed")


if __name__ == "__main__":
    if sys.argv[1:] == ["--fan-out"]:
        fan_out_process()
    else:
        main()
