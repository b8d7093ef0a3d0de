# ruff: noqa: S608 (the SQL is built from the table name of our own model, in a test)
"""The two-role setup: the log's owner is not the role the application connects as, and that role, given exactly what
`manage.py db_grants` grants, can append to and read the PHI access log but not change, empty or unguard it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import PHIAccess

LOG = PHIAccess._meta.db_table


@pytest.fixture
def roles(transactional_db) -> Iterator[tuple[str, str]]:
    """An owner role owning the log (as if it had run the migrations) and an application role with the grants.
    Roles belong to the whole PostgreSQL server, so their names are unique and they are dropped afterwards."""
    suffix = uuid.uuid4().hex[:10]
    owner, app = f"mild_owner_{suffix}", f"mild_app_{suffix}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [LOG])
        (original_owner,) = cursor.fetchone()
        cursor.execute(f"CREATE ROLE {owner} NOLOGIN")
        cursor.execute(f"CREATE ROLE {app} LOGIN")
        cursor.execute(f"ALTER TABLE {LOG} OWNER TO {owner}")
        cursor.execute(
            f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} TO {app}"
        )
    call_command("db_grants", app_role=app)
    try:
        yield owner, app
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s AND pid <> pg_backend_pid()",
                [app],
            )
            cursor.execute(f"ALTER TABLE {LOG} OWNER TO {connection.ops.quote_name(original_owner)}")
            for role in (app, owner):
                cursor.execute(f"DROP OWNED BY {role}")
                cursor.execute(f"DROP ROLE {role}")


def _connect_as(role: str) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=role,
        autocommit=True,
    )


@pytest.mark.django_db(transaction=True)
def test_the_application_role_appends_and_reads_the_log_but_cannot_change_empty_or_unguard_it(cast, roles):
    _owner, app = roles
    with _connect_as(app) as conn:
        # It writes and reads the application's tables
        conn.execute(
            f"INSERT INTO {LOG} (actor_id, patient_id, resource, ip, request_id, at) VALUES (%s, %s, %s, NULL, '', %s)",
            [cast.carol.pk, cast.alice.pk, "patient.detail", timezone.now()],
        )
        assert conn.execute(f"SELECT count(*) FROM {LOG}").fetchone() == (1,)
        conn.execute("UPDATE accounts_user SET full_name = full_name WHERE id = %s", [cast.alice.pk])

        # but the log is append-only against it, whatever it tries
        for sql in (
            f"UPDATE {LOG} SET resource = 'nothing to see'",
            f"DELETE FROM {LOG}",
            f"TRUNCATE {LOG}",
            f"ALTER TABLE {LOG} DISABLE TRIGGER USER",
            f"ALTER TABLE {LOG} DISABLE TRIGGER accounts_phiaccess_no_truncate",
            f"DROP TRIGGER accounts_phiaccess_append_only ON {LOG}",
            f"ALTER TABLE {LOG} OWNER TO {app}",
            "SET session_replication_role = replica",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)

    assert PHIAccess.objects.get().resource == "patient.detail"


@pytest.mark.django_db(transaction=True)
def test_grants_refuse_an_application_role_that_owns_the_log(cast):
    from django.core.management.base import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [LOG])
        (owner,) = cursor.fetchone()
    with pytest.raises(CommandError, match="owns the PHI access log"):
        call_command("db_grants", app_role=owner)


def test_grants_print_their_sql():
    from io import StringIO

    out = StringIO()
    call_command("db_grants", app_role="mild_app", print_only=True, stdout=out)
    assert (
        'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "accounts_phiaccess" FROM "mild_app"' in out.getvalue()
    )
