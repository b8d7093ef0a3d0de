"""The dashboards' SQLite SQL (used by `make run`) gives the same answers as PostgreSQL's for the same data: the
roster (with filters), the daily and weekly series, and the cohort's percentiles and responder shares, for the clinic
admin and for each clinician, over the demo clinic at a pinned instant."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sqlite_dashboards_support import NOW, dashboards_read

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(600)
def test_dashboards_answer_the_same_on_sqlite_as_on_postgresql(db, settings, time_machine, tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    on_sqlite = subprocess.run(
        [sys.executable, "-m", "tests.sqlite_dashboards_support"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    assert on_sqlite.returncode == 0, on_sqlite.stderr[-4000:]
    sqlite_answers = json.loads(on_sqlite.stdout.strip().splitlines()[-1])

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(NOW, tick=False)
    postgresql_answers = dashboards_read()

    assert set(sqlite_answers) == set(postgresql_answers)
    refused = [key for key, answer in postgresql_answers.items() if {"status", "code"} <= set(answer)]
    assert refused == []
    # the data is there to compare: every patient on the admin's roster, cohort cells with numbers
    roster = postgresql_answers["roster admin@riverside.example"]["results"]
    assert len(roster) == 7
    # Edith's procedure is next week: her roster row flags her preparation (on SQLite too, compared below)
    [preparing] = [row for row in roster if row["preparation"]]
    assert preparing["preparation"]["baseline_missing"] is True
    assert any(
        w["back_pain"]["median"] is not None for w in postgresql_answers["cohort dr.chen@riverside.example"]["weeks"]
    )
    for key in sorted(postgresql_answers):
        assert sqlite_answers[key] == postgresql_answers[key], key
