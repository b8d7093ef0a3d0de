"""The PHI access log refuses UPDATE and DELETE in the database itself, whatever code (or person) connects."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION accounts_phiaccess_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The PHI access log is append-only (% refused).', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_phiaccess_append_only
    BEFORE UPDATE OR DELETE ON accounts_phiaccess
    FOR EACH ROW EXECUTE FUNCTION accounts_phiaccess_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS accounts_phiaccess_append_only ON accounts_phiaccess;
DROP FUNCTION IF EXISTS accounts_phiaccess_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL is sent as written, so the "%" placeholder of RAISE is not taken for a parameter.
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
