"""Every benchmark in bench/ runs to its end and prints its goal lines, at sizes small enough for the test suite.

`make bench` is run by hand, so a benchmark broken by a change elsewhere (a new table referencing check-ins made
bench_api's TRUNCATE fail) would go unnoticed until someone needs its figures. Here each one runs as `make bench` runs
it, against a Redis server of the test's own and databases named for the pytest-xdist worker. Nothing here looks at
a time or at whether a goal is met: the figures at these sizes mean nothing; that the benchmark runs and reports one
`goal <name>: <measured> (target <target>) met|missed` line per goal does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.makerun_support import ROOT, redis_server
from tests.ports import free_port
from tests.testenv import worker_index

GOAL_LINE = re.compile(r"^goal (?P<name>\S+(?: \S+)*?): (?P<measured>.+) \(target (?P<target>[^)]+)\) (met|missed)$")

# Each benchmark at a small size, and the goals it must report on (the names its goal lines start with).
BENCHMARKS = {
    "bench_api.py": (
        {"BENCH_API_PATIENTS": "40", "BENCH_API_SECONDS": "1", "BENCH_API_REPEATS": "1", "WEB_CONCURRENCY": "2"},
        [
            "put_vs_bare",
            "get_vs_bare",
            "put_p99_half_load",
            "put_sql_statements",
            "get_sql_statements",
            "redis_round_trips",
        ],
    ),
    "bench_dashboard.py": (
        {"BENCH_DASHBOARD_SIZES": "10,20", "BENCH_DASHBOARD_RUNS": "1", "BENCH_DASHBOARD_FLAT_PAGE": "10"},
        ["roster_vs_floor_10", "roster_vs_floor_20", "roster_flat_10_with_10x_others", "cohort_vs_floor_20"],
    ),
    "bench_fhir_export.py": (
        {"BENCH_FHIR_SIZES": "3,6"},
        ["memory flat", "time linear", "6 patients within the task's time limit"],
    ),
    "bench_reminders.py": (
        {"BENCH_PATIENTS": "120", "BENCH_BASELINE_PATIENTS": "30"},
        ["every_reminder_once", "batched_vs_per_patient", "broker_messages_per_patient"],
    ),
    "bench_alerts.py": (
        {"BENCH_PATIENTS": "120", "BENCH_ALERTS_ROUNDS": "1", "BENCH_ALERTS_SAMPLES": "1"},
        ["alert_during_fan_out"],
    ),
}


def test_every_benchmark_is_run_here():
    assert sorted(BENCHMARKS) == sorted(path.name for path in (ROOT / "bench").glob("bench_*.py"))


@pytest.mark.timeout(300)
@pytest.mark.parametrize("script", sorted(BENCHMARKS))
def test_the_benchmark_runs_and_reports_each_goal(script, tmp_path):
    sizes, goals = BENCHMARKS[script]
    port = free_port()
    with redis_server(port):
        env = {
            **os.environ,
            **sizes,
            "BENCH_REDIS_SERVER": f"redis://127.0.0.1:{port}",
            "BENCH_DATABASE_PREFIX": f"test_gw{worker_index()}_",
            "BENCH_API_PORT": str(free_port()),
        }
        result = subprocess.run(  # noqa: S603 (our own interpreter and benchmark)
            [sys.executable, f"bench/{script}"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=280,
            check=False,
        )  # fmt: skip
    printed = result.stdout + result.stderr
    assert result.returncode == 0, printed[-6000:]
    reported = [match["name"] for line in result.stdout.splitlines() if (match := GOAL_LINE.match(line))]
    assert reported == goals, result.stdout[-3000:]
