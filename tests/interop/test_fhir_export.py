"""FHIR Bulk Data export: kick-off by a clinic admin only, the job writes one NDJSON file per type, status 202 then
the manifest, downloads logged, cancel, expiry and purge; and the whole flow through a real Celery worker."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from accounts.models import PHIAccess
from interop import services
from interop.models import ExportJob, ExportStatus
from interop.registry import EXPORT_TYPES
from tests.interop.support import FHIR, fhir_valid, record_of

ASYNC = {"HTTP_PREFER": "respond-async"}


@pytest.fixture
def export_dir(settings, tmp_path):
    settings.FHIR_EXPORT_DIR = str(tmp_path / "exports")
    return tmp_path / "exports"


def _kickoff(client: Any, url: str = f"{FHIR}/$export", **headers: str) -> Any:
    return client.get(url, **(headers or ASYNC))


def _job_of(response: Any) -> uuid.UUID:
    return uuid.UUID(response["Content-Location"].rstrip("/").rsplit("/", 1)[1])


def _lines(client: Any, url: str) -> list[dict[str, Any]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


@pytest.mark.django_db
def test_only_a_clinic_admin_may_start_an_export(cast, client_for, export_dir) -> None:
    assert _kickoff(client_for(None)).status_code == 401
    for person in (cast.alice, cast.carol):
        refused = _kickoff(client_for(person))
        assert refused.status_code == 403
        assert fhir_valid(refused.json())["issue"][0]["code"] == "forbidden"
    # The other clinic's group is 404 for its admin; the own group needs the async header
    assert _kickoff(client_for(cast.grace), f"{FHIR}/Group/{cast.riverside.pk}/$export").status_code == 404
    frank = client_for(cast.frank)
    assert frank.get(f"{FHIR}/Group/{cast.riverside.pk}/$export").status_code == 400
    for params in ("_type=Patient,Device", "_outputFormat=text/csv", "_since=yesterday", "_elements=id"):
        response = frank.get(f"{FHIR}/$export?{params}", **ASYNC)
        assert response.status_code == 400, params
        assert params.split("=")[0] in response.json()["issue"][0]["diagnostics"]
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_export_writes_one_ndjson_file_per_type_and_serves_the_manifest(cast, client_for, export_dir) -> None:
    # Given Alice's record and Heidi's at the other clinic
    record_of(cast.alice_profile, cast.carol)
    record_of(cast.heidi.patient_profile, cast.erin, days=2)
    frank = client_for(cast.frank)
    # When Frank kicks off an export of his clinic
    kickoff = _kickoff(frank, f"{FHIR}/Group/{cast.riverside.pk}/$export")
    assert kickoff.status_code == 202
    status_url = kickoff["Content-Location"]
    assert status_url.startswith("http://testserver/fhir/r4/$export-status/")
    # Then the status says 202 with progress until the job has run
    waiting = frank.get(status_url)
    assert waiting.status_code == 202 and waiting["X-Progress"] == "Queued"
    assert services.export_run(_job_of(kickoff)) == ExportStatus.DONE
    assert services.export_run(_job_of(kickoff)) is None  # a second delivery of the task does nothing
    manifest = frank.get(status_url)
    assert manifest.status_code == 200
    body = manifest.json()
    assert body["requiresAccessToken"] is True and body["error"] == []
    assert body["request"].endswith(f"/Group/{cast.riverside.pk}/$export")
    assert [o["type"] for o in body["output"]] == list(EXPORT_TYPES)
    by_type = {o["type"]: o for o in body["output"]}
    assert set(by_type) == set(EXPORT_TYPES)
    # And every line of every file is a valid resource of that type, of Frank's clinic only
    files = {}
    for resource_type, output in by_type.items():
        files[resource_type] = resources = _lines(frank, output["url"])
        assert len(resources) == output["count"]
        for resource in resources:
            assert resource["resourceType"] == resource_type
            fhir_valid(resource)
            subject = resource.get("subject", {}).get("reference", "")
            assert str(cast.heidi.pk) not in subject
    assert {p["id"] for p in files["Patient"]} == {str(cast.alice.pk), str(cast.bob.pk)}
    # And each download is a read of each patient in the file
    assert PHIAccess.objects.filter(actor=cast.frank, resource="fhir.$export.Patient").count() == 2
    # (Bob has no observations)
    assert PHIAccess.objects.filter(actor=cast.frank, resource="fhir.$export.Observation").count() == 1
    assert not PHIAccess.objects.filter(resource="fhir.$export.Practitioner").exists()
    # And nobody else can poll or download it
    for person in (cast.carol, cast.grace, cast.alice):
        assert client_for(person).get(status_url).status_code == 404
        assert client_for(person).get(by_type["Patient"]["url"]).status_code == 404


@pytest.mark.django_db
def test_since_and_type_narrow_the_export(cast, client_for, export_dir) -> None:
    record_of(cast.alice_profile, cast.carol)
    frank = client_for(cast.frank)
    kickoff = frank.get(f"{FHIR}/$export?_type=Observation,Patient&_since=2026-09-04T00:00:00Z", **ASYNC)
    assert kickoff.status_code == 202
    services.export_run(_job_of(kickoff))
    output = {o["type"]: o for o in frank.get(kickoff["Content-Location"]).json()["output"]}
    assert list(output) == ["Patient", "Observation"]
    observations = _lines(frank, output["Observation"]["url"])
    # check-ins of Sept 4-6 (updated 23:00 UTC those days); the baseline assessments (Aug 29) are older
    assert {o["effectiveDateTime"][:10] for o in observations} == {"2026-09-04", "2026-09-05", "2026-09-06"}


@pytest.mark.django_db
def test_a_cancelled_or_expired_export_is_gone(cast, client_for, export_dir) -> None:
    record_of(cast.alice_profile, cast.carol, days=1)
    frank = client_for(cast.frank)
    kickoff = _kickoff(frank)
    services.export_run(_job_of(kickoff))
    assert (export_dir / str(_job_of(kickoff)) / "Patient.ndjson").is_file()
    # Cancelling deletes the files; polling is then 404
    assert frank.delete(kickoff["Content-Location"]).status_code == 202
    assert frank.get(kickoff["Content-Location"]).status_code == 404
    assert not (export_dir / str(_job_of(kickoff))).exists()
    # A new export is held for FHIR_EXPORT_TTL_HOURS after it finished, then 404, and the purge deletes it
    second = _kickoff(frank)
    assert second.status_code == 202
    services.export_run(_job_of(second))
    # (staff sessions end after 30 idle minutes: Frank signs in again each time)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23)):
        assert client_for(cast.frank).get(second["Content-Location"]).status_code == 200
        assert services.exports_purge_expired() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        expired = client_for(cast.frank).get(second["Content-Location"])
        assert expired.status_code == 404
        assert fhir_valid(expired.json())["issue"][0]["code"] == "not-found"
        assert services.exports_purge_expired() == 1
    assert not (export_dir / str(_job_of(second))).exists()
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_second_export_waits_for_the_first(cast, client_for, export_dir) -> None:
    frank = client_for(cast.frank)
    assert _kickoff(frank).status_code == 202
    busy = _kickoff(frank)
    assert busy.status_code == 429
    assert fhir_valid(busy.json())["issue"][0]["code"] == "throttled"


# --- Through a real worker ----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_export_runs_on_a_real_worker(cast, client_for, export_dir, worker) -> None:
    record_of(cast.alice_profile, cast.carol, days=3)
    frank = client_for(cast.frank)
    kickoff = _kickoff(frank)
    assert kickoff.status_code == 202
    deadline = time.monotonic() + 60
    while (response := frank.get(kickoff["Content-Location"])).status_code == 202:
        assert time.monotonic() < deadline, "the export did not finish"
        assert response["X-Progress"]
        time.sleep(0.2)
    assert response.status_code == 200
    observations = next(o for o in response.json()["output"] if o["type"] == "Observation")
    assert observations["count"] == 3 * 5 + 2 + 7
