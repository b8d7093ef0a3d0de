"""Grant the application's database role what it needs, and no more: the two-role setup of the README's "Security".

Migrations run as an owner role, which owns every table. The web, worker and beat processes connect as an application
role that owns nothing: it reads and writes the tables, but on the PHI access log it may only INSERT and SELECT, and
since only an owner can disable a trigger or truncate, the log's triggers hold against it too.

Run it as the owner after each `migrate` (new tables get the same grants through default privileges, but running it
again is harmless): `DATABASE_URL=postgres://mild_owner@.../mild manage.py db_grants --app-role mild_app`.
`--print` shows the SQL instead of running it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from accounts.models import PHIAccess


def grant_statements(app_role: str, schema: str = "public") -> list[str]:
    """The GRANT and REVOKE statements giving `app_role` the application's rights over `schema` (PostgreSQL)."""
    role = connection.ops.quote_name(app_role)
    log = connection.ops.quote_name(PHIAccess._meta.db_table)
    space = connection.ops.quote_name(schema)
    return [
        f"GRANT USAGE ON SCHEMA {space} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {space} TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {space} TO {role}",
        # The PHI access log: append and read only. No TRUNCATE, REFERENCES or TRIGGER on any table either.
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {log} FROM {role}",
        # Tables later migrations create (as the owner running this) get the same rights.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {space} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {space} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
    ]


class Command(BaseCommand):
    help = "Grant the application role its rights (INSERT and SELECT only on the PHI access log). Run as the owner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", required=True, help="the role web, worker and beat connect as")
        parser.add_argument("--schema", default="public")
        parser.add_argument("--print", action="store_true", dest="print_only", help="print the SQL, run nothing")

    def handle(self, *args: Any, app_role: str, schema: str, print_only: bool, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL setup; this database is " + connection.vendor + ".")
        statements = grant_statements(app_role, schema)
        if print_only:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
            if cursor.fetchone() is None:
                raise CommandError(f"There is no role {app_role!r}: create it first (README, Security).")
            cursor.execute(
                "SELECT tableowner FROM pg_tables WHERE schemaname = %s AND tablename = %s",
                [schema, PHIAccess._meta.db_table],
            )
            owner = cursor.fetchone()
            if owner is not None and owner[0] == app_role:
                raise CommandError(
                    f"{app_role!r} owns the PHI access log: it could disable its triggers. Run migrations as another "
                    "role (the owner) and connect the application as this one."
                )
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Granted {app_role} the application's rights on schema {schema}.")
