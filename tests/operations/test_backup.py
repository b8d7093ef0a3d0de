"""Backups: the documented pg_dump / pg_restore practice (README, "Backups and retention") restores every row, and the
PHI access log comes back append-only."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection

from accounts.models import PatientProfile, PHIAccess
from recovery.models import CheckIn
from tests.recovery.support import NEW_YORK, put_checkin
from tests.support import checkin_body, local, procedure_done

NOTE = "Slept through the night for the first time"

pytestmark = pytest.mark.skipif(not shutil.which("pg_dump"), reason="PostgreSQL's client tools are not installed")


def _url(name: str) -> str:
    settings = connection.settings_dict
    return f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_into_a_new_database_with_every_row(cast, client_for, time_machine, tmp_path):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 13, 19), tick=False)
    procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))
    assert put_checkin(client_for(cast.alice), checkin_body(dt.date(2027, 5, 13), note=NOTE)).status_code == 201
    assert client_for(cast.carol).get(f"/api/v1/patients/{cast.alice_profile.pk}").status_code == 200
    expected = {
        "patients": PatientProfile.objects.count(),
        "checkins": CheckIn.objects.count(),
        "phi_log": PHIAccess.objects.count(),
    }
    dump = tmp_path / "mild.dump"
    restored = f"restore_{uuid.uuid4().hex[:12]}"

    # As documented: a custom-format dump, then pg_restore into a new, empty database.
    subprocess.run(  # noqa: S603
        ["pg_dump", "--format=custom", f"--file={dump}", _url(connection.settings_dict["NAME"])],  # noqa: S607
        check=True,
    )
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(  # noqa: S603
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_url(restored)}", str(dump)],  # noqa: S607
            check=True,
        )
        with psycopg.connect(_url(restored)) as copy:

            def one(sql: str, *params: object) -> object:
                row = copy.execute(sql, params).fetchone()
                assert row is not None
                return row[0]

            counts = {
                "patients": one("SELECT count(*) FROM accounts_patientprofile"),
                "checkins": one("SELECT count(*) FROM recovery_checkin"),
                "phi_log": one("SELECT count(*) FROM accounts_phiaccess"),
            }
            assert one("SELECT note FROM recovery_checkin WHERE patient_id = %s", cast.alice_profile.pk) == NOTE
            assert one("SELECT count(*) FROM django_migrations") > 0  # type: ignore[operator]
            # The append-only trigger came back with the table.
            with pytest.raises(psycopg.errors.RaiseException):
                copy.execute("DELETE FROM accounts_phiaccess")
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')

    assert expected["phi_log"] >= 1
    assert counts == expected
