"""Daily check-in reminders for many patients across 24 time zones, through a real Celery worker and Redis.

Measures the time from the tick (planning + dispatch) to the last in-app delivery committed, the broker messages
used, and the same work done one task per patient, in the same run. The per-patient baseline runs on a subset
(BENCH_BASELINE_PATIENTS) so the benchmark finishes in minutes; the batched engine is measured on the same subset too,
and the ratio compares like with like.

    .venv/bin/python bench/bench_reminders.py            (BENCH_PATIENTS=100000 BENCH_BASELINE_PATIENTS=5000)
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
import zoneinfo

from support import bench_database, celery_worker, database_name, flush_redis

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "100000"))
BASELINE_PATIENTS = int(os.environ.get("BENCH_BASELINE_PATIENTS", "5000"))
REDIS_DB = 12
# Batching must pay for itself: at least twice as fast as one task per patient on the same patients, and about one
# broker message per chunk (500 patients), so a fan-out of 100,000 is a few hundred messages, not 100,000.
GOAL_SPEEDUP = 2.0
GOAL_MESSAGES_PER_PATIENT = 0.01
ZONES = [
    "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Chicago",
    "America/New_York", "America/Sao_Paulo", "Atlantic/Azores", "Europe/London", "Europe/Berlin", "Europe/Athens",
    "Europe/Moscow", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok",
    "Asia/Shanghai", "Asia/Tokyo", "Australia/Adelaide", "Australia/Sydney", "Pacific/Auckland", "Pacific/Chatham",
]  # fmt: skip


def seed(now: dt.datetime) -> None:
    from django.contrib.auth.hashers import make_password

    from accounts.models import Clinic, PatientProfile, Role, User
    from notifications.models import NotificationPreference
    from recovery.models import Procedure, ProcedureStatus, Protocol

    clinic = Clinic.objects.create(name="Benchmark clinic", phone="+1 555 0100", country="US")
    protocol = Protocol.objects.get(clinic__isnull=True, version=1)
    batch = 5000
    for start in range(0, PATIENTS, batch):
        ids = [uuid.uuid4() for _ in range(min(batch, PATIENTS - start))]
        users, profiles, procedures, preferences = [], [], [], []
        for offset, pk in enumerate(ids):
            zone_name = ZONES[(start + offset) % len(ZONES)]
            zone = zoneinfo.ZoneInfo(zone_name)
            local_now = now.astimezone(zone)
            # Due one minute ago in every zone, so one tick finds them all.
            reminder = (local_now - dt.timedelta(minutes=1)).time().replace(second=0, microsecond=0)
            users.append(
                User(
                    id=pk,
                    email=f"p{start + offset}@bench.example",
                    full_name=f"Patient {start + offset}",
                    role=Role.PATIENT,
                    clinic=clinic,
                    password=make_password(None),  # an unusable password: nobody signs in as these
                )
            )
            profiles.append(
                PatientProfile(user_id=pk, date_of_birth=dt.date(1950, 1, 1), time_zone=zone_name, enrolled_at=now)
            )
            procedures.append(
                Procedure(
                    patient_id=pk,
                    procedure_date=local_now.date() - dt.timedelta(days=10),
                    levels=["L4-L5"],
                    side="bilateral",
                    anaesthesia="local",
                    status=ProcedureStatus.DONE,
                    protocol=protocol,
                    completed_at=now,
                )
            )
            # In-app only: the benchmark measures our engine, not a push service.
            preferences.append(
                NotificationPreference(user_id=pk, checkin_reminder_time=reminder, channels={"checkin": []})
            )
        User.objects.bulk_create(users)
        PatientProfile.objects.bulk_create(profiles)
        Procedure.objects.bulk_create(procedures)
        NotificationPreference.objects.bulk_create(preferences)


def run_once(expected: int, *, chunk_size: int) -> dict[str, float]:
    from celery.signals import before_task_publish
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from notifications import services
    from notifications.models import Notification
    from notifications.tasks import deliveries_dispatch_now

    published = 0

    def count(**kwargs: object) -> None:
        nonlocal published
        published += 1

    before_task_publish.connect(count, weak=False)
    settings.DELIVERY_CHUNK_SIZE = chunk_size
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        planned = services.reminders_plan_due(timezone.now())
        planned_at = time.perf_counter()
        deliveries_dispatch_now()
    dispatched_at = time.perf_counter()
    deadline = time.monotonic() + 1800
    next_tick = time.monotonic() + 60
    while Notification.objects.count() < expected and time.monotonic() < deadline:
        time.sleep(0.2)
        if time.monotonic() >= next_tick:  # as beat would: take back anything a lost message left behind
            deliveries_dispatch_now()
            next_tick += 60
    finished = time.perf_counter()
    before_task_publish.disconnect(count)
    delivered = Notification.objects.count()
    return {
        "planned": planned,
        "delivered": delivered,
        "plan_s": planned_at - started,
        "dispatch_s": dispatched_at - planned_at,
        "total_s": finished - started,
        "messages": published,
        "tick_queries": len(queries.captured_queries),
    }


def reset(active: int) -> None:
    from notifications.models import Delivery, Notification, NotificationPreference

    Notification.objects.all().delete()
    Delivery.objects.all().delete()
    NotificationPreference.objects.update(paused=False)
    if active < PATIENTS:
        keep = list(NotificationPreference.objects.order_by("user_id").values_list("user_id", flat=True)[:active])
        NotificationPreference.objects.exclude(user_id__in=keep).update(paused=True)
    flush_redis(REDIS_DB)


def main() -> None:
    with bench_database(database_name("mild_bench_reminders"), REDIS_DB) as env:
        from django.utils import timezone

        t0 = time.perf_counter()
        seed(timezone.now())
        print(f"seeded {PATIENTS} patients in {len(ZONES)} time zones in {time.perf_counter() - t0:.1f} s")
        flush_redis(REDIS_DB)
        with celery_worker(env, concurrency=2):
            reset(PATIENTS)
            full = run_once(PATIENTS, chunk_size=500)
            reset(BASELINE_PATIENTS)
            batched = run_once(BASELINE_PATIENTS, chunk_size=500)
            reset(BASELINE_PATIENTS)
            per_patient = run_once(BASELINE_PATIENTS, chunk_size=1)
    print()
    print(f"{'run':<34}{'patients':>9}{'delivered':>10}{'broker msgs':>12}{'plan s':>8}{'total s':>9}{'queries':>9}")
    for name, n, r in (
        ("batched engine (chunks of 500)", PATIENTS, full),
        ("batched engine (chunks of 500)", BASELINE_PATIENTS, batched),
        ("one task per patient", BASELINE_PATIENTS, per_patient),
    ):
        print(
            f"{name:<34}{n:>9}{r['delivered']:>10}{r['messages']:>12}{r['plan_s']:>8.2f}{r['total_s']:>9.2f}"
            f"{r['tick_queries']:>9}"
        )
    speedup = per_patient["total_s"] / batched["total_s"]
    per_patient_rate = per_patient["total_s"] / BASELINE_PATIENTS
    print()
    print(f"speed-up over one task per patient, same {BASELINE_PATIENTS} patients: {speedup:.1f}x")
    print(f"broker messages per patient: batched {batched['messages'] / BASELINE_PATIENTS:.4f}, "
          f"per-patient {per_patient['messages'] / BASELINE_PATIENTS:.2f}")  # fmt: skip
    print(
        f"{PATIENTS} patients: batched {full['total_s']:.1f} s vs one task per patient "
        f"~{per_patient_rate * PATIENTS:.0f} s (extrapolated): {per_patient_rate * PATIENTS / full['total_s']:.1f}x"
    )
    print()
    # Exactly once: each patient's reminder in its inbox, none missing and none twice.
    once = full["planned"] == full["delivered"] == PATIENTS
    print(f"goal every_reminder_once: {full['delivered']} in inboxes, {full['planned']} planned, {PATIENTS} patients "
          f"(target {PATIENTS} each) {'met' if once else 'missed'}")  # fmt: skip
    print(f"goal batched_vs_per_patient: {speedup:.1f}x faster (target >= {GOAL_SPEEDUP:.1f}x) "
          f"{'met' if speedup >= GOAL_SPEEDUP else 'missed'}")  # fmt: skip
    per_patient_messages = full["messages"] / PATIENTS
    print(f"goal broker_messages_per_patient: {per_patient_messages:.4f} (target <= {GOAL_MESSAGES_PER_PATIENT}) "
          f"{'met' if per_patient_messages <= GOAL_MESSAGES_PER_PATIENT else 'missed'}")  # fmt: skip


if __name__ == "__main__":
    main()
