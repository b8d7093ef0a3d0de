"""The clinician dashboards at 100, 1,000 and 5,000 patients x 90 days of check-ins.

For each size: the roster request (GET /api/v1/clinician/patients, first page of 50, through the Django test client:
authentication, validation, the queries, serialization, the PHI log) and the cohort request, for the clinician whose
care team holds every patient, and the cohort again for the clinic admin (clinic-wide, with suppression). Each is
timed as the median of several runs after a warm-up, with its query count (CaptureQueriesContext, in a separate run).

The floor: the same roster page (the same columns, the same order, the total count) written by hand as ONE raw SQL
query with LATERAL joins, run in the same process against the same data; its rows are checked against the roster's.
Figures are printed as ratios (roster / floor; time at 5,000 / time at 1,000) with absolute milliseconds for
information; nothing asserts on wall-clock time.

    .venv/bin/python bench/bench_dashboard.py        (BENCH_DASHBOARD_SIZES=100,1000,5000 BENCH_DASHBOARD_RUNS=7)

Uses its own PostgreSQL database, mild_bench_dashboard (created and dropped), and Redis database 13.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from support import bench_database, flush_redis

SIZES = [int(n) for n in os.environ.get("BENCH_DASHBOARD_SIZES", "100,1000,5000").split(",")]
RUNS = int(os.environ.get("BENCH_DASHBOARD_RUNS", "7"))
DAYS = 90
REDIS_DB = 13
NOW = dt.datetime(2027, 5, 20, 13, 0, tzinfo=dt.UTC)
ROSTER = "/api/v1/clinician/patients"
COHORT = "/api/v1/clinician/cohort"

# The roster's first page, by hand: the sort keys for every visible patient, the page, then the other columns for the
# page's rows only (LATERAL), exactly as the ORM query's columns are defined (recovery.dashboard_selectors.roster).
FLOOR_SQL = """
WITH visible AS (
    SELECT pp.user_id, pp.time_zone, pp.date_of_birth, pp.has_diabetes, pp.has_heart_disease,
           pp.had_previous_spinal_surgery, u.full_name,
           CAST(timezone(pp.time_zone, %(now)s::timestamptz) AS date) AS today,
           CAST(timezone(pp.time_zone, pp.enrolled_at) AS date) AS enrolled_on
    FROM accounts_patientprofile pp
    JOIN accounts_user u ON u.id = pp.user_id
    WHERE u.clinic_id = %(clinic)s
      AND pp.user_id IN (SELECT patient_id FROM accounts_careteammember WHERE clinician_id = %(clinician)s)
), keyed AS (
    SELECT v.*, k.*, COUNT(*) OVER () AS total,
           v.today - COALESCE(k.last_on, v.enrolled_on) AS days_without
    FROM visible v
    CROSS JOIN LATERAL (
        SELECT COUNT(*) FILTER (WHERE a.tier = 'emergency') AS emergency,
               COUNT(*) FILTER (WHERE a.tier = 'urgent') AS urgent,
               COUNT(*) FILTER (WHERE a.tier = 'watch') AS watch,
               (SELECT MAX(c.local_date) FROM recovery_checkin c
                 WHERE c.patient_id = v.user_id AND c.local_date <= v.today) AS last_on
        FROM recovery_alert a
        WHERE a.patient_id = v.user_id AND a.state IN ('open', 'acknowledged')
    ) k
), page AS (
    SELECT * FROM keyed
    ORDER BY emergency DESC, urgent DESC, watch DESC, days_without DESC, full_name, user_id
    LIMIT %(limit)s
)
SELECT page.user_id, page.total, page.full_name, page.today, proc.procedure_date, page.today - proc.procedure_date,
       ph.key, ph.title, page.last_on, page.days_without, lc.back_pain, lc.leg_pain, w.back, w.leg, w.n14,
       bl.back, bl.leg, odi.baseline, odi.latest, ms.m, ms.overdue, page.emergency, page.urgent, page.watch,
       plan.id
FROM page
LEFT JOIN LATERAL (
    SELECT p.id, p.procedure_date, p.protocol_id FROM recovery_procedure p
    WHERE p.patient_id = page.user_id AND p.status = 'done' AND p.procedure_date <= page.today
    ORDER BY p.procedure_date DESC, p.completed_at DESC LIMIT 1
) proc ON TRUE
LEFT JOIN LATERAL (
    SELECT f.key, f.title FROM recovery_protocolphase f
    WHERE f.protocol_id = proc.protocol_id AND f.start_day <= page.today - proc.procedure_date
      AND (f.end_day IS NULL OR f.end_day >= page.today - proc.procedure_date)
    ORDER BY f.start_day LIMIT 1
) ph ON TRUE
LEFT JOIN recovery_checkin lc ON lc.patient_id = page.user_id AND lc.local_date = page.last_on
LEFT JOIN LATERAL (
    SELECT AVG(c.back_pain) FILTER (WHERE c.local_date >= page.today - 6) AS back,
           AVG(c.leg_pain) FILTER (WHERE c.local_date >= page.today - 6) AS leg,
           COUNT(*) FILTER (WHERE c.local_date >= GREATEST(page.today - 13, page.enrolled_on, proc.procedure_date + 1)
                              AND c.local_date <= proc.procedure_date + 90) AS n14
    FROM recovery_checkin c
    WHERE c.patient_id = page.user_id AND c.local_date BETWEEN page.today - 13 AND page.today
) w ON TRUE
LEFT JOIN LATERAL (
    SELECT (a.scores ->> 'back_pain')::float AS back, (a.scores ->> 'leg_pain')::float AS leg
    FROM recovery_assessment a
    WHERE a.procedure_id = proc.id AND a.timepoint = 'baseline' AND a.instrument = 'pain' LIMIT 1
) bl ON TRUE
LEFT JOIN LATERAL (
    SELECT MAX((a.scores ->> 'odi_percent')::float) FILTER (WHERE a.timepoint = 'baseline') AS baseline,
           (ARRAY_AGG((a.scores ->> 'odi_percent')::float ORDER BY a.completed_at DESC)
                FILTER (WHERE a.timepoint <> 'baseline'))[1] AS latest
    FROM recovery_assessment a WHERE a.procedure_id = proc.id AND a.instrument = 'odi'
) odi ON TRUE
LEFT JOIN LATERAL (
    SELECT (ARRAY_AGG(jsonb_build_object('id', m.id, 'key', m.key, 'title', m.title, 'opens_on', m.opens_on,
                                         'target_on', m.target_on, 'closes_on', m.closes_on) ORDER BY m.opens_on))[1]
               AS m,
           COALESCE(BOOL_OR(m.closes_on < page.today), FALSE) AS overdue
    FROM recovery_patientmilestone m
    WHERE m.procedure_id = proc.id AND m.completed_at IS NULL AND m.closes_on >= page.today - 14
) ms ON TRUE
LEFT JOIN recovery_exerciseplan plan ON plan.procedure_id = proc.id
ORDER BY page.emergency DESC, page.urgent DESC, page.watch DESC, page.days_without DESC, page.full_name,
         page.user_id
"""


def median_ms(run: Callable[[], Any], runs: int = RUNS) -> float:
    run()  # warm-up: plans cached, pages in memory
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def queries_of(run: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def measure(clinician: Any, admin: Any) -> dict[str, float]:
    """Time the roster, its selector alone, the floor and the cohort (clinician's and admin's) on the data as it is."""
    from django.db import connection
    from django.test import Client

    from recovery import dashboard_selectors as dashboards

    doctor, manager = Client(), Client()
    doctor.force_login(clinician)
    manager.force_login(admin)

    def get(client: Client, url: str) -> Any:
        response = client.get(url)
        assert response.status_code == 200, response.content
        return response.json()

    def roster_sql() -> list[Any]:
        with dashboards.tuned_reads():
            patients = dashboards.roster(clinician, now=NOW)
            patients.count()
            return list(patients[:50])

    params = {"now": NOW, "clinic": clinician.clinic_id, "clinician": clinician.pk, "limit": 50}

    def floor() -> list[tuple[Any, ...]]:
        # Under the same session settings as the roster (JIT off), so the floor is not slowed by what the roster avoids.
        with dashboards.tuned_reads(), connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, params)
            return cursor.fetchall()

    page, rows = get(doctor, ROSTER), floor()
    assert [str(r[0]) for r in rows] == [p["id"] for p in page["results"]], "the floor and the roster disagree"
    assert [r[9] for r in rows] == [p["days_without_checkin"] for p in page["results"]]
    assert rows[0][1] == page["count"]
    return {
        "roster": median_ms(lambda: get(doctor, ROSTER)),
        "roster_sql": median_ms(roster_sql),
        "floor": median_ms(floor),
        "cohort": median_ms(lambda: get(doctor, COHORT)),
        "cohort_admin": median_ms(lambda: get(manager, COHORT)),
        "roster_queries": queries_of(lambda: get(doctor, ROSTER)),
        "cohort_queries": queries_of(lambda: get(doctor, COHORT)),
        "cohort_admin_queries": queries_of(lambda: get(manager, COHORT)),
    }


def main() -> None:
    with bench_database("mild_bench_dashboard", redis_db=REDIS_DB):
        flush_redis(REDIS_DB)
        import time_machine
        from django.db import connection
        from django.test.utils import setup_test_environment

        from accounts.models import Clinic, Role, User
        from tests.recovery.dashboard_support import seed_patients

        setup_test_environment()  # the test client's host name, locmem email
        clinic = Clinic.objects.create(name="Benchmark Spine Clinic", phone="+1 555 0100")
        clinician = User.objects.create_user(
            "dr.bench@bench.example", full_name="Dr Bench", role=Role.CLINICIAN, clinic=clinic
        )
        admin = User.objects.create_user(
            "admin@bench.example", full_name="Bench Admin", role=Role.CLINIC_ADMIN, clinic=clinic
        )
        results: dict[int, dict[str, float]] = {}
        seeded = 0
        with time_machine.travel(NOW, tick=False):
            for size in SIZES:
                started = time.perf_counter()
                made = seed_patients(
                    clinic=clinic, clinicians=[clinician], count=size - seeded, days=DAYS, now=NOW, prefix=f"n{size}-"
                )
                seeded = size
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                seed_seconds = time.perf_counter() - started
                results[size] = {**measure(clinician, admin), "seed_s": seed_seconds, "checkins": made.checkins}
        report(results)


def report(results: dict[int, dict[str, float]]) -> None:
    print(f"clinician dashboards: {DAYS} days of check-ins per patient; median of {RUNS} runs; ms for information")
    print(
        f"{'patients':>8} | {'roster':>7} {'selector':>8} {'floor':>7} | {'roster/floor':>12} {'selector/floor':>14} | "
        f"{'cohort':>7} {'admin':>7} | {'queries roster/cohort/admin':>27} | {'seeded':>7}"
    )
    for size, r in results.items():
        queries = f"{int(r['roster_queries'])}/{int(r['cohort_queries'])}/{int(r['cohort_admin_queries'])}"
        print(
            f"{size:>8} | {r['roster']:>7.1f} {r['roster_sql']:>8.1f} {r['floor']:>7.1f} | "
            f"{r['roster'] / r['floor']:>12.2f} {r['roster_sql'] / r['floor']:>14.2f} | "
            f"{r['cohort']:>7.1f} {r['cohort_admin']:>7.1f} | {queries:>27} | {r['seed_s']:>6.1f}s"
        )
    print("roster: the whole request (auth, queries, PHI log, exercise week, JSON); selector: its COUNT and page query")
    print(
        "through the ORM; floor: the same page as one hand-written SQL query. cohort: the clinician's (PHI-logged) and"
    )
    print("the clinic admin's (clinic-wide, suppressed) requests.")
    if 1000 in results and 5000 in results:
        small, large = results[1000], results[5000]
        print("growth 1,000 -> 5,000 patients (5x the data; linear = 5.0):")
        keys = ("roster", "roster_sql", "floor", "cohort", "cohort_admin")
        print("  " + ", ".join(f"{key} x{large[key] / small[key]:.2f}" for key in keys))
    counts = {int(results[s]["roster_queries"]) for s in results}
    print(f"roster query count constant across sizes: {len(counts) == 1} ({sorted(counts)})")


if __name__ == "__main__":
    main()
