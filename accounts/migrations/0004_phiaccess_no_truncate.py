"""The PHI access log refuses TRUNCATE too: UPDATE and DELETE fire row triggers (0002), TRUNCATE fires none of them
and would empty the table in one statement. Only the table's owner can disable a trigger, so the application role
must not own it (see `manage.py db_grants` and the README's "Security")."""

from django.db import migrations

CREATE = """
CREATE TRIGGER accounts_phiaccess_no_truncate
    BEFORE TRUNCATE ON accounts_phiaccess
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_phiaccess_append_only();
"""

DROP = "DROP TRIGGER IF EXISTS accounts_phiaccess_no_truncate ON accounts_phiaccess;"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_clinic_country_emergency_number")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
