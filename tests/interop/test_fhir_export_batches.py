"""The bulk export reads a clinic in batches: the files are the same whatever the batch size, and each batch costs
the same number of SQL statements wherever it falls in the export (nothing re-reads what earlier batches read)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interop import services
from interop.models import ExportFile, ExportStatus
from interop.registry import EXPORT_TYPES, FINDERS
from interop.selectors import export_batch_size
from tests.dashboards.support import seed_patients
from tests.interop.support import record_of

NOW = dt.datetime(2026, 9, 20, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def export_dir(settings, tmp_path):
    settings.FHIR_EXPORT_DIR = str(tmp_path / "exports")
    return tmp_path / "exports"


def _export(cast: Any) -> tuple[dict[str, bytes], dict[str, tuple[int, list[str]]], int]:
    """Run a whole-clinic export of Frank's clinic: the files' bytes, each file's (count, patient ids), and the
    number of SQL statements the job ran."""
    job = services.export_kickoff(
        by=cast.frank, clinic=cast.riverside, types=list(EXPORT_TYPES), since=None, request_url="test"
    )
    with CaptureQueriesContext(connection) as statements:
        assert services.export_run(job.pk) == ExportStatus.DONE
    folder = services.export_dir(job.pk)
    files = {path.name: path.read_bytes() for path in sorted(Path(folder).glob("*.ndjson"))}
    described = {f.name: (f.count, f.patient_ids) for f in ExportFile.objects.filter(job=job)}
    services.export_cancel(job=job)
    return files, described, len(statements)


def _seed(cast: Any, prefix: str) -> None:
    """Three patients shaped alike on every call (each call numbers its patients from 0)."""
    seed_patients(clinic=cast.riverside, clinicians=[cast.carol], count=3, days=12, now=NOW, prefix=prefix)


def test_batches_weigh_about_the_same_whatever_the_type(settings) -> None:
    settings.FHIR_EXPORT_BATCH_SIZE = 2000
    assert export_batch_size() == 2000
    assert export_batch_size(FINDERS["CarePlan"].export_weight) == 2000 // 32
    assert export_batch_size(FINDERS["Patient"].export_weight) == 200
    settings.FHIR_EXPORT_BATCH_SIZE = 3
    assert export_batch_size(FINDERS["CarePlan"].export_weight) == 1  # never less than a row


@pytest.mark.django_db
def test_the_files_are_the_same_one_row_at_a_time_or_all_at_once(cast, export_dir, settings) -> None:
    # Given a clinic with a full record and a few seeded patients
    with time_machine.travel(NOW, tick=False):
        record_of(cast.alice_profile, cast.carol, days=6)
        _seed(cast, "a")
        # When it is exported in batches of a single row, and in one batch holding everything
        settings.FHIR_EXPORT_BATCH_SIZE = 1
        one_by_one = _export(cast)
        settings.FHIR_EXPORT_BATCH_SIZE = 100_000
        all_at_once = _export(cast)
    # Then every file holds the same lines in the same order, and names the same patients
    files, described, _ = one_by_one
    assert set(files) == {f"{t}.ndjson" for t in EXPORT_TYPES}
    assert files == all_at_once[0]
    assert described == all_at_once[1]
    assert sum(count for count, _ in described.values()) == sum(f.count(b"\n") for f in files.values())


@pytest.mark.django_db
def test_statements_per_batch_do_not_grow_with_the_batch_position(cast, export_dir, settings) -> None:
    # Every row its own batch: each batch is one server-side fetch, its prefetches and one heartbeat
    settings.FHIR_EXPORT_BATCH_SIZE = 1
    with time_machine.travel(NOW, tick=False):
        _seed(cast, "a")
        _, described, one = _export(cast)
        _seed(cast, "b")
        _, described_two, two = _export(cast)
        _seed(cast, "c")
        _seed(cast, "d")
        _, described_four, four = _export(cast)
    # The data grows by the same amount each time (Patient, Goal and Observation lines, among others)...
    for name, (count, _) in described.items():
        if name.split(".")[0] in {"Patient", "CareTeam", "Procedure", "Observation", "CarePlan", "Goal"}:
            assert described_two[name][0] > count, name
            assert described_four[name][0] - described_two[name][0] == 2 * (described_two[name][0] - count), name
    # ...and so do the statements: twice the batches after the first ones cost exactly twice the statements
    per_three_patients = two - one
    assert per_three_patients > 0
    assert four - two == 2 * per_three_patients
