"""Fixtures of the notification tests.

Tests with several database connections (threads, a real worker) run with `django_db(transaction=True)`, and Django
empties every table after such a test, including the rows data migrations installed (the default protocol the
procedures need). Restoring them with serialized_rollback replays ~10,000 rows one by one (20 s a test), so instead
the data migrations' install steps, which are idempotent, run again: before a transactional test when the data is
missing, and after it so the tests that follow find the database as migrations left it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from pytest_django.plugin import blocking_manager_key


def migration_data_install() -> None:
    """Run the `install*` data steps of the apps' migrations again (each skips what is already there)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    for (app, _name), migration in sorted(loader.disk_migrations.items()):
        if app not in ("accounts", "recovery", "notifications"):
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython) and operation.code.__name__.startswith("install"):
                with connection.schema_editor() as editor:
                    operation.code(django_apps, editor)


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.fixture(autouse=True)
def _migration_data(request: pytest.FixtureRequest) -> None:
    if not _is_transactional(request.node):
        return
    request.getfixturevalue("transactional_db")
    from recovery.models import Protocol

    if not Protocol.objects.filter(clinic__isnull=True).exists():
        migration_data_install()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[Any]:
    yield
    # After the table flush of a transactional test; not after the last test, when the test database is gone.
    if nextitem is not None and _is_transactional(item):
        with item.config.stash[blocking_manager_key].unblock():
            migration_data_install()
