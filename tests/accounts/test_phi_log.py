"""The PHI access log: every clinician or admin read of a patient's record appends one row, and nothing can change
or remove a row, whether through the model, a queryset, or SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import PHIAccess
from accounts.phi import phi_access_record

PHI_LOG = "/api/v1/audit/phi-access"


def test_clinician_reading_a_patient_writes_one_log_row(cast, client_for):
    response = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    row = PHIAccess.objects.get()
    assert row.actor == cast.carol
    assert row.patient_id == cast.alice.pk
    assert row.resource == "patient.detail"
    assert row.ip == "203.0.113.7"
    assert row.request_id == response["X-Request-ID"]
    assert row.request_id


def test_log_row_keeps_the_request_id_the_proxy_sent(cast, client_for):
    response = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}", HTTP_X_REQUEST_ID="lb-4f2a-99")

    assert response["X-Request-ID"] == "lb-4f2a-99"
    assert PHIAccess.objects.get().request_id == "lb-4f2a-99"


def test_malformed_request_id_from_outside_is_replaced(cast, client_for):
    response = client_for(cast.carol).get(
        f"/api/v1/patients/{cast.alice.pk}", HTTP_X_REQUEST_ID="<script>alert(1)</script>"
    )

    assert response["X-Request-ID"] != "<script>alert(1)</script>"
    assert PHIAccess.objects.get().request_id == response["X-Request-ID"]


def test_listing_patients_writes_one_row_per_patient_on_the_page(cast, client_for):
    # Frank, the clinic admin, sees Alice and Bob
    response = client_for(cast.frank).get("/api/v1/patients")

    assert response.status_code == 200
    assert {p["id"] for p in response.json()["results"]} == {str(cast.alice.pk), str(cast.bob.pk)}
    rows = PHIAccess.objects.all()
    assert sorted((r.actor_id, r.patient_id, r.resource) for r in rows) == sorted(
        [(cast.frank.pk, cast.alice.pk, "patient.list"), (cast.frank.pk, cast.bob.pk, "patient.list")]
    )
    assert {r.request_id for r in rows} == {response["X-Request-ID"]}


def test_listing_logs_only_the_page_that_was_read(cast, client_for):
    response = client_for(cast.frank).get("/api/v1/patients?page_size=1")

    assert len(response.json()["results"]) == 1
    shown = response.json()["results"][0]["id"]
    assert [str(r.patient_id) for r in PHIAccess.objects.all()] == [shown]


def test_an_empty_list_writes_nothing(cast, client_for):
    client_for(cast.carol).get("/api/v1/patients?search=nobody-by-this-name")

    assert not PHIAccess.objects.exists()


def test_patient_reading_themself_writes_nothing(cast, client_for):
    client = client_for(cast.alice)

    assert client.get(f"/api/v1/patients/{cast.alice.pk}").status_code == 200
    assert client.get("/api/v1/patients").status_code == 200
    assert client.get("/api/v1/me").status_code == 200

    assert not PHIAccess.objects.exists()


def test_failed_look_up_of_someone_elses_patient_writes_nothing(cast, client_for):
    # Dave is not on Alice's team: 404, and no row claiming he read her record
    assert client_for(cast.dave).get(f"/api/v1/patients/{cast.alice.pk}").status_code == 404

    assert not PHIAccess.objects.exists()


@pytest.fixture
def logged_read(cast) -> PHIAccess:
    phi_access_record(actor=cast.carol, patient_ids=[cast.alice.pk], resource="patient.detail")
    return PHIAccess.objects.get()


def test_log_rows_cannot_be_changed_through_the_model(logged_read):
    logged_read.resource = "nothing to see"
    with pytest.raises(PermissionError):
        logged_read.save()
    with pytest.raises(PermissionError):
        logged_read.delete()

    assert PHIAccess.objects.get().resource == "patient.detail"


def test_log_rows_cannot_be_changed_through_querysets(logged_read):
    with pytest.raises(PermissionError):
        PHIAccess.objects.filter(pk=logged_read.pk).update(resource="nothing to see")
    with pytest.raises(PermissionError):
        PHIAccess.objects.all().delete()

    assert PHIAccess.objects.get().resource == "patient.detail"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_phiaccess SET resource = 'nothing to see'",
        "DELETE FROM accounts_phiaccess",
        "TRUNCATE accounts_phiaccess",
        "TRUNCATE accounts_phiaccess CASCADE",
    ],
)
def test_log_rows_cannot_be_changed_in_sql(logged_read, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # The row was written in this (the test's) transaction: its foreign-key checks, deferred, would stop a
        # TRUNCATE before the trigger does.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)

    assert PHIAccess.objects.get().resource == "patient.detail"


def test_clinic_admin_reads_their_clinics_log(cast, client_for):
    client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}")
    client_for(cast.erin).get(f"/api/v1/patients/{cast.heidi.pk}")

    response = client_for(cast.frank).get(PHI_LOG)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["actor"], r["patient"], r["resource"]) for r in rows] == [
        (str(cast.carol.pk), str(cast.alice.pk), "patient.detail")
    ]
    assert rows[0]["actor_name"] == "Dr Carol Chen"
    assert rows[0]["patient_name"] == "Alice Adams"
    # The other clinic's admin sees only their own clinic's row
    other = client_for(cast.grace).get(PHI_LOG).json()["results"]
    assert [(r["actor"], r["patient"]) for r in other] == [(str(cast.erin.pk), str(cast.heidi.pk))]


def test_clinic_admin_filters_the_log_by_patient(cast, client_for):
    client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}")
    client_for(cast.dave).get(f"/api/v1/patients/{cast.bob.pk}")
    admin = client_for(cast.frank)

    rows = admin.get(PHI_LOG, {"patient": str(cast.bob.pk)}).json()["results"]

    assert [r["patient"] for r in rows] == [str(cast.bob.pk)]
    # Another clinic's patient yields nothing, not an error that says they exist
    assert admin.get(PHI_LOG, {"patient": str(cast.heidi.pk)}).json()["results"] == []
    bad = admin.get(PHI_LOG, {"patient": "not-a-uuid"})
    assert bad.status_code == 400
    assert "patient" in bad.json()["errors"]


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "alice"])
def test_only_clinic_admins_read_the_log(cast, client_for, who):
    client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}")

    response = client_for(getattr(cast, who)).get(PHI_LOG)

    assert response.status_code == 403
    assert "results" not in response.json()


def test_anonymous_caller_cannot_read_the_log(cast, api):
    assert api.get(PHI_LOG).status_code == 401
