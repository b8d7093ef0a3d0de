"""The clinician dashboards at 100, 1,000 and 5,000 patients x 90 days of check-ins.

For each size: the roster request (GET /api/v1/clinician/patients, first page of 50, through the Django test client:
authentication, validation, the queries, serialization, the PHI log), its selector alone, and the floor: the same
roster page (the same columns, the same order, the total count) written by hand as ONE raw SQL query with LATERAL
joins, its rows checked against the roster's. Then the cohort request of the clinician whose care team holds every
patient, against its floor: the same figures (the weekly curve's n and quartiles, the responders, the safety counts)
as ONE hand-written SQL statement, checked equal to the endpoint's; and the clinic admin's cohort (clinic-wide, with
suppression) for information. Contenders take turns (the order rotating), BENCH_DASHBOARD_RUNS runs each after a
warm-up; medians with min-max, query counts in a separate run (CaptureQueriesContext).

Flat in the rest of the database: a second clinic's clinician with BENCH_DASHBOARD_FLAT_PAGE (100) patients of the
same kind; their roster page (and its floor) is timed again at each size of the benchmark clinic, which is the rest
of the database for it: 1x its own data at 100, 10x at 1,000, 50x at 5,000; with the shared buffers (8 kB pages) its
SELECTs touch, from EXPLAIN (ANALYZE, BUFFERS), a measure of the data it reads that the machine's load does not move.

Goals, one line each (`goal <name>: <measured> (target <target>) met|missed`): the roster within 2x its floor at each
size; the flat page's roster with 10x other clinics' data within 1.25x its time with 1x; the cohort at 5,000 patients
(the largest size when 5,000 is not run) within 2x its floor. Nothing asserts on wall-clock time.

    .venv/bin/python bench/bench_dashboard.py        (BENCH_DASHBOARD_SIZES=100,1000,5000 BENCH_DASHBOARD_RUNS=7
                                                      BENCH_DASHBOARD_FLAT_PAGE=100)

Uses its own PostgreSQL database, mild_bench_dashboard (after BENCH_DATABASE_PREFIX; created and dropped), and Redis
database 13.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from support import bench_database, database_name, flush_redis

SIZES = [int(n) for n in os.environ.get("BENCH_DASHBOARD_SIZES", "100,1000,5000").split(",")]
RUNS = int(os.environ.get("BENCH_DASHBOARD_RUNS", "7"))
# The flat page: this many patients in a clinic of their own; its roster is timed at each size of the benchmark
# clinic, the rest of the database for it. Its goal compares the rest at 10x (1,000 patients) with 1x (100).
FLAT_PAGE = int(os.environ.get("BENCH_DASHBOARD_FLAT_PAGE", "100"))
ROSTER_TO_FLOOR = 2.0
FLAT_RATIO = 1.25
COHORT_TO_FLOOR = 2.0
DAYS = 90
REDIS_DB = 13
NOW = dt.datetime(2027, 5, 20, 13, 0, tzinfo=dt.UTC)
ROSTER = "/api/v1/clinician/patients"
COHORT = "/api/v1/clinician/cohort"

# The roster's first page, by hand: the sort keys for every visible patient, the page, then the other columns for the
# page's rows only (LATERAL), exactly as the ORM query's columns are defined (dashboards.roster.roster).
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


COHORT_FLOOR_SQL = """
WITH visible AS (
    SELECT pp.user_id
    FROM accounts_patientprofile pp
    JOIN accounts_user u ON u.id = pp.user_id
    WHERE u.clinic_id = %(clinic)s
      AND pp.user_id IN (SELECT patient_id FROM accounts_careteammember WHERE clinician_id = %(clinician)s)
), done AS (
    SELECT p.id, p.patient_id, p.procedure_date FROM recovery_procedure p
    WHERE p.status = 'done' AND p.patient_id IN (SELECT user_id FROM visible)
), weekly AS (
    SELECT c.patient_id, (c.local_date - d.procedure_date) / 7 AS week,
           AVG(c.back_pain)::float AS back_pain, AVG(c.leg_pain)::float AS leg_pain,
           AVG(c.walking_minutes)::float AS walking_minutes
    FROM recovery_checkin c
    JOIN done d ON d.id = c.procedure_id
    WHERE c.patient_id IN (SELECT user_id FROM visible)
      AND c.local_date >= d.procedure_date AND c.local_date < d.procedure_date + 7 * %(weeks)s
    GROUP BY 1, 2
), curve AS (
    SELECT week,
           COUNT(back_pain) AS back_pain_n,
           percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY back_pain) AS back_pain,
           COUNT(leg_pain) AS leg_pain_n,
           percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY leg_pain) AS leg_pain,
           COUNT(walking_minutes) AS walking_minutes_n,
           percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY walking_minutes) AS walking_minutes
    FROM weekly GROUP BY week
), gains AS (
    SELECT a.timepoint, a.instrument,
           ROUND(((b.scores ->> 'odi_percent')::float - (a.scores ->> 'odi_percent')::float) * 10) AS odi,
           ROUND(((b.scores ->> 'back_pain')::float - (a.scores ->> 'back_pain')::float) * 10) AS back,
           ROUND(((b.scores ->> 'leg_pain')::float - (a.scores ->> 'leg_pain')::float) * 10) AS leg
    FROM recovery_assessment a
    JOIN done d ON d.id = a.procedure_id
    LEFT JOIN recovery_assessment b
           ON b.procedure_id = a.procedure_id AND b.timepoint = 'baseline' AND b.instrument = a.instrument
    WHERE a.patient_id IN (SELECT user_id FROM visible)
      AND a.timepoint IN ('weeks_6_8', 'month_6', 'year_1') AND a.instrument IN ('odi', 'pain')
), shares AS (
    SELECT timepoint, instrument,
           COUNT(*) FILTER (WHERE (instrument = 'odi' AND odi IS NOT NULL)
                               OR (instrument = 'pain' AND (back IS NOT NULL OR leg IS NOT NULL))) AS n,
           COUNT(*) FILTER (WHERE (instrument = 'odi' AND odi >= %(odi_gain)s)
                               OR (instrument = 'pain' AND (back >= %(pain_gain)s OR leg >= %(pain_gain)s)))
               AS responders
    FROM gains GROUP BY 1, 2
), events AS (
    SELECT COUNT(*) AS procedures,
           COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM recovery_adverseevent e
                                          WHERE e.procedure_id = d.id AND e.status = 'recorded')) AS any,
           COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM recovery_adverseevent e
                                          WHERE e.procedure_id = d.id AND e.status = 'recorded'
                                            AND e.relatedness IN ('device', 'procedure'))) AS related,
           COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM recovery_adverseevent e
                                          WHERE e.procedure_id = d.id AND e.status = 'recorded'
                                            AND e.relatedness IN ('device', 'procedure')
                                            AND e.grade IN ('IIIa', 'IIIb', 'IVa', 'IVb', 'V'))) AS serious_related
    FROM done d
), repeats AS (
    SELECT COUNT(*) AS patients, COUNT(*) FILTER (WHERE n > 1) AS events
    FROM (SELECT patient_id, COUNT(*) AS n FROM done GROUP BY patient_id) per_patient
)
SELECT (SELECT json_agg(curve) FROM curve)::text, (SELECT json_agg(shares) FROM shares)::text,
       (SELECT row_to_json(events) FROM events)::text, (SELECT row_to_json(repeats) FROM repeats)::text
"""


@dataclass
class Timed:
    """Times of one request or query, in ms, over the runs of one measurement."""

    ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    def spread(self) -> str:
        return f"{min(self.ms):.1f}-{max(self.ms):.1f}"


def alternating(contenders: dict[str, Callable[[], Any]], runs: int = RUNS) -> dict[str, Timed]:
    """Time each contender `runs` times, taking turns (the order rotating each run, so none is always first after
    another's cache effects), after one warm-up each (plans cached, pages in memory)."""
    for run in contenders.values():
        run()
    names = list(contenders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for n in range(runs):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            start = time.perf_counter()
            contenders[name]()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: Timed(ms) for name, ms in times.items()}


def queries_of(run: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def buffers_of(run: Callable[[], Any]) -> int:
    """Shared buffers (8 kB pages, hit or read) that the SELECT statements of `run` touch, each run again under
    EXPLAIN (ANALYZE, BUFFERS): how much data a request reads, whatever the machine's load does to its time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    total = 0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            top = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
            total += int(top.get("Shared Hit Blocks", 0)) + int(top.get("Shared Read Blocks", 0))
    return total


def get(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def roster_contenders(clinician: Any) -> dict[str, Callable[[], Any]]:
    """The roster request, its selector alone, and the floor, for `clinician`; the floor checked against the roster."""
    from django.db import connection
    from django.test import Client

    from dashboards import roster, sql

    doctor = Client()
    doctor.force_login(clinician)

    def roster_sql() -> list[Any]:
        with sql.tuned_reads():
            page = list(roster.roster(clinician, now=NOW)[:50])
            roster.add_procedure_columns(page, NOW)
            return page

    params = {"now": NOW, "clinic": clinician.clinic_id, "clinician": clinician.pk, "limit": 50}

    def floor() -> list[tuple[Any, ...]]:
        # Under the same session settings as the roster (JIT off), so the floor is not slowed by what the roster avoids.
        with sql.tuned_reads(), connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, params)
            return cursor.fetchall()

    page, rows = get(doctor, ROSTER), floor()
    assert [str(r[0]) for r in rows] == [p["id"] for p in page["results"]], "the floor and the roster disagree"
    assert [r[9] for r in rows] == [p["days_without_checkin"] for p in page["results"]]
    assert rows[0][1] == page["count"]
    return {"roster": lambda: get(doctor, ROSTER), "roster_sql": roster_sql, "floor": floor}


def roster_buffers(clinician: Any) -> int:
    from django.test import Client

    doctor = Client()
    doctor.force_login(clinician)
    return buffers_of(lambda: get(doctor, ROSTER))


def cohort_floor_checked(clinician: Any, body: dict[str, Any]) -> Callable[[], Any]:
    """The cohort floor for `clinician` (one statement), its figures checked equal to the cohort endpoint's `body`."""
    from django.db import connection

    from dashboards import cohort, sql
    from dashboards.sql import round1
    from recovery import instruments

    weeks = len(body["weeks"])
    params = {
        "clinic": clinician.clinic_id,
        "clinician": clinician.pk,
        "weeks": weeks,
        "odi_gain": 10 * instruments.ODI_MCID,
        "pain_gain": 10 * instruments.PAIN_MCID,
    }

    def floor() -> tuple[Any, ...]:
        with sql.tuned_reads(work_mem_mb=cohort.COHORT_WORK_MEM_MB), connection.cursor() as cursor:
            cursor.execute(COHORT_FLOOR_SQL, params)
            row: tuple[Any, ...] = cursor.fetchone()
            return row

    curve, responders, events, repeats = (json.loads(column or "null") for column in floor())
    by_week = {point["week"]: point for point in curve or []}
    for point in body["weeks"]:
        mine = by_week.get(point["week"])
        for metric in cohort.COHORT_METRICS:
            cell = point[metric]
            n, quartiles = (mine[f"{metric}_n"], mine[metric]) if mine else (0, [None, None, None])
            expected = {
                "n": n,
                "p25": round1(quartiles[0]),
                "median": round1(quartiles[1]),
                "p75": round1(quartiles[2]),
            }
            assert {k: cell[k] for k in expected} == expected, (point["week"], metric, cell, expected)
    counted = {(r["timepoint"], r["instrument"]): (r["n"], r["responders"]) for r in responders or []}
    for entry in body["responders"]:
        for measure in ("odi", "pain"):
            n, count = counted.get((entry["timepoint"], measure), (0, 0))
            assert (entry[measure]["n"], entry[measure]["responders"]) == (n, count), (entry, n, count)
    safety = body["safety"]
    assert safety["procedures"] == events["procedures"]
    assert [safety[k]["events"] for k in ("any", "related", "serious_related")] == [
        events["any"], events["related"], events["serious_related"]
    ]  # fmt: skip
    assert (safety["repeat_procedures"]["patients"], safety["repeat_procedures"]["events"]) == (
        repeats["patients"], repeats["events"]
    )  # fmt: skip
    return floor


def measure(clinician: Any, admin: Any) -> dict[str, Any]:
    """Time the roster, its selector alone and its floor (alternating), then the cohort (clinician's), its floor and
    the admin's cohort (alternating), on the data as it is."""
    from django.test import Client

    doctor, manager = Client(), Client()
    doctor.force_login(clinician)
    manager.force_login(admin)
    roster_times = alternating(roster_contenders(clinician))
    cohort_floor = cohort_floor_checked(clinician, get(doctor, COHORT))
    cohort_times = alternating(
        {
            "cohort": lambda: get(doctor, COHORT),
            "cohort_floor": cohort_floor,
            "cohort_admin": lambda: get(manager, COHORT),
        }
    )
    return {
        **roster_times,
        **cohort_times,
        "roster_queries": queries_of(lambda: get(doctor, ROSTER)),
        "cohort_queries": queries_of(lambda: get(doctor, COHORT)),
        "cohort_admin_queries": queries_of(lambda: get(manager, COHORT)),
    }


def main() -> None:
    with bench_database(database_name("mild_bench_dashboard"), redis_db=REDIS_DB):
        flush_redis(REDIS_DB)
        import time_machine
        from django.db import connection
        from django.test.utils import setup_test_environment

        from accounts.models import Clinic, Role, User
        from tests.dashboards.support import seed_patients

        setup_test_environment()  # the test client's host name, locmem email
        clinic = Clinic.objects.create(
            name="Benchmark Spine Clinic", phone="+1 555 0100", time_zone="America/New_York", country="US"
        )
        clinician = User.objects.create_user(
            "dr.bench@bench.example", full_name="Dr Bench", role=Role.CLINICIAN, clinic=clinic
        )
        admin = User.objects.create_user(
            "admin@bench.example", full_name="Bench Admin", role=Role.CLINIC_ADMIN, clinic=clinic
        )
        # The flat page: another clinic's clinician with FLAT_PAGE patients, whose roster is timed again as the
        # benchmark clinic (the rest of the database, for this clinician) grows.
        small = Clinic.objects.create(
            name="Small Spine Clinic", phone="+1 555 0101", time_zone="America/Chicago", country="US"
        )
        flat_clinician = User.objects.create_user(
            "dr.small@bench.example", full_name="Dr Small", role=Role.CLINICIAN, clinic=small
        )
        results: dict[int, dict[str, Any]] = {}
        flat: dict[int, dict[str, Timed]] = {}
        flat_buffers: dict[int, int] = {}
        seeded = 0
        with time_machine.travel(NOW, tick=False):
            seed_patients(clinic=small, clinicians=[flat_clinician], count=FLAT_PAGE, days=DAYS, now=NOW, prefix="s-")
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
                flat[size] = alternating(roster_contenders(flat_clinician))
                flat_buffers[size] = roster_buffers(flat_clinician)
                print(f"measured at {size} patients", flush=True)
        report(results, flat, flat_buffers)


def report(results: dict[int, dict[str, Any]], flat: dict[int, dict[str, Timed]], buffers: dict[int, int]) -> None:
    print(f"clinician dashboards: {DAYS} days of check-ins per patient; {RUNS} runs each, alternating with the floor;")
    print("median ms (min-max)")
    print(
        f"{'patients':>8} | {'roster':>22} {'selector':>22} {'floor':>22} | {'roster/floor':>12} "
        f"{'selector/floor':>14} | {'queries roster/cohort/admin':>27} | {'seeded':>7}"
    )
    for size, r in results.items():
        queries = f"{int(r['roster_queries'])}/{int(r['cohort_queries'])}/{int(r['cohort_admin_queries'])}"
        print(
            f"{size:>8} | {_cell(r['roster']):>22} {_cell(r['roster_sql']):>22} {_cell(r['floor']):>22} | "
            f"{r['roster'].median / r['floor'].median:>12.2f} {r['roster_sql'].median / r['floor'].median:>14.2f} | "
            f"{queries:>27} | {r['seed_s']:>6.1f}s"
        )
    print(f"{'patients':>8} | {'cohort':>22} {'cohort floor':>22} {'admin cohort':>22} | {'cohort/floor':>12}")
    for size, r in results.items():
        print(
            f"{size:>8} | {_cell(r['cohort']):>22} {_cell(r['cohort_floor']):>22} {_cell(r['cohort_admin']):>22} | "
            f"{r['cohort'].median / r['cohort_floor'].median:>12.2f}"
        )
    print("roster: the whole request (auth, queries, PHI log, exercise week, JSON); selector: its page query (with the")
    print("total) and the query of the page's procedures through the ORM; floor: the same page as one hand-written SQL")
    print("query. cohort: the clinician's (PHI-logged)")
    print("request; its floor: the same figures (curve, responders, safety counts) as one hand-written SQL statement;")
    print("admin cohort: the clinic admin's (clinic-wide, suppressed) request, for information.")
    print(f"the same {FLAT_PAGE}-patient roster page of another clinic, as the rest of the database grows:")
    print(f"{'others':>8} | {'roster':>22} {'floor':>22} | {'buffers the roster reads':>24}")
    for size, r in flat.items():
        print(f"{size:>8} | {_cell(r['roster']):>22} {_cell(r['floor']):>22} | {buffers[size]:>24}")
    print(
        "(buffers: 8 kB pages its SELECTs touch, under EXPLAIN (ANALYZE, BUFFERS); the machine's load does not move it)"
    )
    if 1000 in results and 5000 in results:
        small, large = results[1000], results[5000]
        print("growth 1,000 -> 5,000 patients (5x the data; linear = 5.0):")
        keys = ("roster", "roster_sql", "floor", "cohort", "cohort_admin")
        print("  " + ", ".join(f"{key} x{large[key].median / small[key].median:.2f}" for key in keys))
    for size, r in results.items():
        _goal(f"roster_vs_floor_{size}", r["roster"].median / r["floor"].median, ROSTER_TO_FLOOR)
    sizes = list(flat)
    if len(sizes) > 1 and sizes[0] * 10 in flat:
        one, ten = flat[sizes[0]], flat[sizes[0] * 10]
        print(
            f"flat: the {FLAT_PAGE}-patient page's roster with {sizes[0] * 10} other patients / with {sizes[0]}; the "
            f"floor's own ratio (the machine's drift) {ten['floor'].median / one['floor'].median:.2f}"
        )
        _goal(f"roster_flat_{FLAT_PAGE}_with_10x_others", ten["roster"].median / one["roster"].median, FLAT_RATIO)
    else:
        print(f"goal roster_flat_{FLAT_PAGE}_with_10x_others: not measured, the sizes need N and 10N "
              f"(target <= {FLAT_RATIO:.2f}x) missed")  # fmt: skip
    cohort_size = 5000 if 5000 in results else max(results)
    r = results[cohort_size]
    _goal(f"cohort_vs_floor_{cohort_size}", r["cohort"].median / r["cohort_floor"].median, COHORT_TO_FLOOR)


def _cell(timed: Timed) -> str:
    return f"{timed.median:.1f} ({timed.spread()})"


def _goal(name: str, measured: float, target: float) -> None:
    verdict = "met" if measured <= target else "missed"
    print(f"goal {name}: {measured:.2f}x (target <= {target:.2f}x) {verdict}")


if __name__ == "__main__":
    main()
