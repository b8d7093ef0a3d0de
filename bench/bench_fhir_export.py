"""FHIR bulk export of a whole clinic: 100 and 1,000 patients x 90 days of check-ins (BENCH_FHIR_SIZES).

For each size the export job (interop.services.export_run, every resource type, as the Celery task runs it) runs in a
fresh Python process of its own, set up as a worker is (Django loaded, connected), so that nothing the seeding
allocated hides or inflates what the export needs. That process reports:

- time: wall time of the job;
- peak resident memory: the kernel's high-water mark of the process while the job ran (VmHWM) less its resident set
  just before (VmRSS), i.e. the memory the job added at its peak;
- with BENCH_FHIR_TRACEMALLOC=1, also the peak Python heap: tracemalloc's peak of memory allocated by Python while
  the job ran, in a second fresh process (tracemalloc slows the job about threefold, so its time is not used).

The baseline is the smaller clinic, measured in the same run: memory that stays flat has peak ratios near 1 at 10x
the data; time that grows linearly has a ratio near 10. Absolute figures are for information; nothing asserts on them.

    .venv/bin/python bench/bench_fhir_export.py     (BENCH_FHIR_SIZES=100,1000 FHIR_EXPORT_BATCH_SIZE=2000)

5,000 patients are 2.7 million lines, 5x the 1,000-patient export: BENCH_FHIR_SIZES=100,5000 measures them when
there is time. Each line says `goal <name>: <measured> (target <target>) met|missed`.

Uses its own PostgreSQL database, mild_bench_fhir (after BENCH_DATABASE_PREFIX; created and dropped), Redis database
12 of BENCH_REDIS_SERVER (default redis://127.0.0.1:6379), and a temporary directory.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from support import ROOT, bench_database, database_name, flush_redis

SIZES = sorted(int(n) for n in os.environ.get("BENCH_FHIR_SIZES", "100,1000").split(","))
TRACE = os.environ.get("BENCH_FHIR_TRACEMALLOC", "") == "1"
DAYS = 90
REDIS_DB = 12
NOW = dt.datetime(2027, 5, 20, 13, 0, tzinfo=dt.UTC)
# Flat memory: the peak the job adds at the largest size is at most this many times the peak at the smallest.
GOAL_MEMORY_RATIO = 1.25
CHILD = "--run-export"


def export_in_child(job_id: str, folder: Path, env: dict[str, str], *, trace: bool) -> dict[str, float]:
    """Run the export job `job_id` in a fresh Python process; its measurements as a dict."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, __file__, CHILD, job_id, str(folder), "trace" if trace else "rss"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(job_id: str, folder: str, mode: str) -> None:
    """In the fresh process: set up as a worker is, then run the job and print one JSON line of measurements."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from interop import services

    settings.FHIR_EXPORT_DIR = folder
    connection.ensure_connection()
    gc.collect()
    before_kb = _status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark starts from the resident set now
    if mode == "trace":
        import tracemalloc

        tracemalloc.start()
    started = time.perf_counter()
    status = services.export_run(uuid.UUID(job_id))
    seconds = time.perf_counter() - started
    measured: dict[str, float] = {"seconds": seconds}
    if mode == "trace":
        import tracemalloc

        measured["heap_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        measured["rss_before_mb"] = before_kb / 1024
        measured["rss_peak_mb"] = (_status_kb("VmHWM") - before_kb) / 1024
    assert status == "done", status
    print(json.dumps(measured))


def export_once(clinic: Any, admin: Any, folder: Path, env: dict[str, str]) -> dict[str, float]:
    from interop import services
    from interop.models import ExportJob
    from interop.registry import EXPORT_TYPES

    measured: dict[str, float] = {}
    for trace in (False, True) if TRACE else (False,):
        job = services.export_kickoff(
            by=admin, clinic=clinic, types=list(EXPORT_TYPES), since=None, request_url="bench"
        )
        measured |= {
            ("traced_seconds" if trace and key == "seconds" else key): value
            for key, value in export_in_child(str(job.pk), folder, env, trace=trace).items()
        }
        job = ExportJob.objects.get(pk=job.pk)
        if not trace:
            measured["lines"] = sum(f.count for f in job.files.all())
            measured["bytes_mb"] = sum(f.stat().st_size for f in services.export_dir(job.pk).glob("*.ndjson")) / 2**20
        services.export_cancel(job=job)
    return measured


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def main() -> None:
    with (
        bench_database(database_name("mild_bench_fhir"), redis_db=REDIS_DB) as env,
        tempfile.TemporaryDirectory() as scratch,
    ):
        flush_redis(REDIS_DB)
        import time_machine
        from django.conf import settings
        from django.db import connection

        from accounts.models import Clinic, Role, User
        from tests.dashboards.support import seed_patients

        settings.FHIR_EXPORT_DIR = scratch
        env = {**env, "FHIR_EXPORT_DIR": scratch}
        results: dict[int, dict[str, float]] = {}
        seeded = 0
        clinic = Clinic.objects.create(
            name="Benchmark Spine Clinic", phone="+1 555 0100", time_zone="America/New_York", country="US",
            emergency_number="911",
        )  # fmt: skip
        clinician = User.objects.create_user(
            "dr.bench@bench.example", full_name="Dr Bench", role=Role.CLINICIAN, clinic=clinic
        )
        admin = User.objects.create_user(
            "admin@bench.example", full_name="Bench Admin", role=Role.CLINIC_ADMIN, clinic=clinic
        )
        with time_machine.travel(NOW, tick=True):
            for size in SIZES:
                started = time.perf_counter()
                made = seed_patients(
                    clinic=clinic, clinicians=[clinician], count=size - seeded, days=DAYS, now=NOW, prefix=f"n{size}-"
                )
                seeded = size
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                seed_seconds = time.perf_counter() - started
                measured = export_once(clinic, admin, Path(scratch), env)
                results[size] = {**measured, "seed_s": seed_seconds, "checkins": made.checkins}
        report(results)


def report(results: dict[int, dict[str, float]]) -> None:
    from django.conf import settings

    batch = settings.FHIR_EXPORT_BATCH_SIZE
    print(f"FHIR bulk export of one clinic: {DAYS} days of check-ins per patient; batches of {batch} rows")
    print("each export runs in a fresh process; memory is what the job added at its peak")
    print(
        f"{'patients':>8} | {'seconds':>8} {'lines':>10} {'lines/s':>9} {'MB out':>8} | "
        f"{'RSS MB':>7} {'+peak RSS':>9} {'heap peak':>9} | {'seeded':>7}"
    )
    for size, r in results.items():
        print(
            f"{size:>8} | {r['seconds']:>8.1f} {int(r['lines']):>10} {r['lines'] / r['seconds']:>9.0f} "
            f"{r['bytes_mb']:>8.1f} | {r['rss_before_mb']:>7.0f} {r['rss_peak_mb']:>8.1f}M {_heap(r):>9}"
            f" | {r['seed_s']:>6.1f}s"
        )
    seeding = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(the seeding process, for information: maximum resident set {seeding:.0f} MB)")
    small, large = results[min(results)], results[max(results)]
    data = large["lines"] / small["lines"]
    growth = large["seconds"] / small["seconds"]
    rss = _ratio(large["rss_peak_mb"], small["rss_peak_mb"])
    sizes = f"{max(results)} vs {min(results)} patients"
    print(f"{sizes}: {data:.1f}x the lines, time x{growth:.2f}, peak RSS added x{rss:.2f}")
    measured = f"peak RSS added x{rss:.2f} ({small['rss_peak_mb']:.1f} -> {large['rss_peak_mb']:.1f} MB)"
    worst = rss
    if TRACE:
        heap = _ratio(large["heap_peak_mb"], small["heap_peak_mb"])
        measured += f", peak Python heap x{heap:.2f} ({small['heap_peak_mb']:.1f} -> {large['heap_peak_mb']:.1f} MB)"
        worst = max(rss, heap)
    print(
        f"goal memory flat: {measured} at {data:.1f}x the lines (target <= x{GOAL_MEMORY_RATIO}) "
        f"{_met(worst <= GOAL_MEMORY_RATIO)}"
    )
    print(
        f"goal time linear: x{growth:.2f} for {data:.1f}x the lines (target <= x{data * 1.5:.1f}) "
        f"{_met(growth <= data * 1.5)}"
    )
    limit = settings.FHIR_EXPORT_TIME_LIMIT
    print(
        f"goal {max(results)} patients within the task's time limit: {large['seconds']:.0f} s "
        f"(target < {limit} s, FHIR_EXPORT_TIME_LIMIT) {_met(large['seconds'] < limit)}"
    )


def _met(ok: bool) -> str:
    return "met" if ok else "missed"


def _heap(result: dict[str, float]) -> str:
    return f"{result['heap_peak_mb']:.1f}M" if "heap_peak_mb" in result else "-"


def _ratio(large: float, small: float) -> float:
    """large / small, with the smaller figure floored at 1 MB: below that a ratio measures noise, not growth."""
    return large / max(small, 1.0)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == CHILD:
        child(*sys.argv[2:])
    else:
        main()
