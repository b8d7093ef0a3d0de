"""Shared fixtures. The cast, as in every access test:

- Riverside clinic: patients Alice and Bob; Dr Carol (Alice's primary clinician), Dr Dave (same clinic, on Bob's team
  only), Frank (clinic admin).
- Hillside clinic: Dr Erin (clinician), Grace (clinic admin), patient Heidi (Erin's).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from pytest_django.plugin import blocking_manager_key
from rest_framework.test import APIClient

from accounts.cache import FailOpenRedisCache
from accounts.models import Clinic, PatientProfile, User
from tests.factories import ClinicAdminFactory, ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
from tests.notifications.support import WORKER_BROKER, celery_broker_at, worker_running

# --- The clock guard -------------------------------------------------------------------------------------------------
#
# Tests in modules marked `pytestmark = pytest.mark.clock_sensitive` run at the real time and again at each instant of
# the `clocks` setting (pyproject.toml, or `--clocks` on the command line), the clock moving on from there
# (time_machine, which also moves the Celery worker threads and the live server). A test that travels to an instant of
# its own still gets it: the innermost travel wins.

REAL_TIME = "now"
CLOCK_ID = re.compile(r"clock=(now|\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?Z)")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "clocks",
        type="linelist",  # type: ignore[maybe-unrecognized-str-typeform]
        default=[],
        help="UTC instants at which clock-sensitive modules also run",
    )
    parser.addoption(
        "--clocks",
        default=None,
        help="Comma-separated UTC instants (2026-03-08T06:30Z) at which clock-sensitive modules also run, instead of "
        "the `clocks` setting; 'none' runs them at the real time only.",
    )


def _clock_label(instant: dt.datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%MZ" if instant.second == 0 else "%Y-%m-%dT%H:%M:%SZ")


def guard_clocks(config: pytest.Config) -> list[dt.datetime]:
    """The instants of the setting, in UTC, in the order given (the same on every pytest-xdist worker)."""
    option = config.getoption("clocks")
    values = config.getini("clocks") if option is None else [v for v in option.split(",") if v.strip()]
    if [v.strip().lower() for v in values] == ["none"]:
        return []
    instants = []
    for value in values:
        try:
            instant = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise pytest.UsageError(f"clocks: {value!r} is not an ISO 8601 instant such as 2026-03-08T06:30Z") from None
        if instant.tzinfo is None:
            raise pytest.UsageError(f"clocks: {value!r} needs a time zone: end it with Z for UTC")
        instants.append(instant.astimezone(dt.UTC).replace(microsecond=0))
    return instants


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("clock_sensitive")
    if marker is None or marker.kwargs.get("guard") is False:  # a test's own `clock_sensitive(guard=False)` opts out
        return
    instants: list[dt.datetime | None] = [None, *guard_clocks(metafunc.config)]
    labels = [REAL_TIME if i is None else _clock_label(i) for i in instants]
    metafunc.parametrize("_clock", instants, ids=[f"clock={label}" for label in labels], indirect=True)


@pytest.fixture(autouse=True)
def _clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """First of the autouse fixtures of the suite, so that the test's data is made at the guard's instant too."""
    instant = getattr(request, "param", None)
    if instant is None:
        yield
        return
    with time_machine.travel(instant, tick=True):
        yield


def pytest_report_header(config: pytest.Config) -> str:
    clocks = ", ".join(_clock_label(i) for i in guard_clocks(config)) or "none"
    return f"clock guard: clock_sensitive modules run at the real time and at {clocks}"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    runs: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "error", "skipped", "xfailed", "xpassed"):
        for report in terminalreporter.stats.get(outcome, []):
            found = CLOCK_ID.search(getattr(report, "nodeid", ""))
            if found and (report.when == "call" or report.outcome != "passed"):
                counts = runs.setdefault(found.group(1), {})
                counts[outcome] = counts.get(outcome, 0) + 1
    if not runs:
        return
    terminalreporter.section("clock guard")
    for label in sorted(runs, key=lambda label: (label != REAL_TIME, label)):
        tally = ", ".join(f"{n} {outcome}" for outcome, n in sorted(runs[label].items()))
        terminalreporter.write_line(f"clock={label}: {tally}")


def _flush_past_the_append_only_log() -> None:
    """Django empties every table after a transactional test with TRUNCATE, which the PHI access log's trigger
    refuses (as it must in production). The test database's superuser flushes with session_replication_role =
    replica, which skips triggers for that transaction only; an application role cannot set it (superuser only)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self: DatabaseOperations, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = original(self, style, tables, **kwargs)
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else statements

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign,assignment]


_flush_past_the_append_only_log()


@pytest.fixture(autouse=True)
def _clean_redis() -> None:
    # Rate limits and throttles live in Redis; a test must not inherit another's counts, nor the fail-open pause of a
    # test that made the cache unreachable on purpose (the pause is per process, measured on the monotonic clock).
    FailOpenRedisCache._down_until = 0.0
    cache.clear()


@dataclass
class Cast:
    riverside: Clinic
    hillside: Clinic
    alice: User
    bob: User
    carol: User
    dave: User
    frank: User
    erin: User
    grace: User
    heidi: User

    @property
    def alice_profile(self) -> PatientProfile:
        return self.alice.patient_profile


@pytest.fixture
def cast(db: None) -> Cast:
    riverside = ClinicFactory(name="Riverside Spine Clinic", phone="+1 555 010 2030")
    hillside = ClinicFactory(
        name="Hillside Pain Centre",
        phone="+44 20 7946 0000",
        time_zone="Europe/London",
        country="GB",
        emergency_number="999",
    )
    carol = ClinicianFactory(email="carol@riverside.example", full_name="Dr Carol Chen", clinic=riverside)
    dave = ClinicianFactory(email="dave@riverside.example", full_name="Dr Dave Diaz", clinic=riverside)
    frank = ClinicAdminFactory(email="frank@riverside.example", full_name="Frank Admin", clinic=riverside)
    erin = ClinicianFactory(email="erin@hillside.example", full_name="Dr Erin Evans", clinic=hillside)
    grace = ClinicAdminFactory(email="grace@hillside.example", full_name="Grace Admin", clinic=hillside)
    alice = PatientFactory(
        user=UserFactory(email="alice@patients.example", full_name="Alice Adams", role="patient", clinic=riverside),
        care_team=[carol],
    ).user
    bob = PatientFactory(
        user=UserFactory(email="bob@patients.example", full_name="Bob Baker", role="patient", clinic=riverside),
        care_team=[dave],
        time_zone="Europe/Berlin",
    ).user
    heidi = PatientFactory(
        user=UserFactory(email="heidi@patients.example", full_name="Heidi Hill", role="patient", clinic=hillside),
        care_team=[erin],
        time_zone="Europe/London",
    ).user
    return Cast(riverside, hillside, alice, bob, carol, dave, frank, erin, grace, heidi)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for():
    """An API client signed in as `user` through a real session (cookie), like the PWA."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def worker(transactional_db: None) -> Iterator[Any]:
    """A real Celery worker (in this process, a thread pool of 4) with the project's app pointed at a Redis database
    of the tests' own (tests.notifications.support.WORKER_BROKER), flushed before and after."""
    with celery_broker_at(WORKER_BROKER) as app, worker_running(app) as running:
        yield running


# --- Rows installed by data migrations, after transactional tests ---------------------------------------------------
#
# Tests with several database connections (threads, a real worker, the live server) run with
# `django_db(transaction=True)`, and Django empties every table after such a test, including the rows data migrations
# installed (the default protocol the procedures need, the exercise library, the calendar). Restoring them with
# serialized_rollback replays ~10,000 rows one by one (20 s a test), so instead the data migrations' install steps,
# which are idempotent, run again: before a transactional test when the data is missing, and after it, so that no
# test depends on which ran before it.


_install_steps: list[tuple[Any, Any]] = []


def _migration_install_steps() -> list[tuple[Any, Any]]:
    """Each `install*` data step with the app registry of its migration's time (a model may have moved to another app
    since: the exercise models were recovery's when recovery 0004 installed the library)."""
    if not _install_steps:
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        for key, migration in sorted(loader.disk_migrations.items()):
            if migration.__module__.split(".")[0] not in PROJECT_APPS:
                continue
            steps = [
                operation.code
                for operation in migration.operations
                if isinstance(operation, RunPython) and operation.code.__name__.startswith("install")
            ]
            if steps:
                state_apps = loader.project_state(key, at_end=False).apps
                _install_steps.extend((code, state_apps) for code in steps)
    return _install_steps


def migration_data_install() -> None:
    """Run the `install*` data steps of the project's migrations again (each skips what is already there)."""
    for code, state_apps in _migration_install_steps():
        with connection.schema_editor() as editor:
            code(state_apps, editor)


PROJECT_APPS = ("accounts", "recovery", "exercises", "journey", "dashboards", "notifications", "interop")


def _marked_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


def _is_transactional(item: pytest.Item) -> bool:
    return _marked_transactional(item) or "live_server" in getattr(item, "fixturenames", ())


@pytest.fixture(autouse=True)
def _migration_data(request: pytest.FixtureRequest) -> None:
    if not _marked_transactional(request.node):
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
            # pytest-django runs tests without a database last: leave no connection open for them to hold.
            connections.close_all()


@pytest.fixture(autouse=True)
def _fhir_export_dir(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # FHIR bulk export files go to a temporary directory, never into the checkout.
    settings.FHIR_EXPORT_DIR = str(tmp_path_factory.mktemp("fhir-exports"))
