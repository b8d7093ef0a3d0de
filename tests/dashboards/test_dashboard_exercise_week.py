"""The roster's exercise week and the patient's own adherence are one count (exercises.sql): they agree on the same
data in every time zone, and the roster's count reads the exercise rows of its page's plans only."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Count

from accounts.models import PatientProfile
from dashboards import roster
from dashboards.exercise import exercise_this_week
from exercises.models import ExercisePlan, ExerciseRecord, Prescription, PrescriptionSlot, PrescriptionVersion
from exercises.selectors import exercise_adherence, exercise_occurrences_on
from exercises.services import exercise_record_put, prescription_change
from tests.conftest import Cast
from tests.dashboards.support import seed_patients
from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, UserFactory
from tests.support import local, procedure_done, utc

pytestmark = pytest.mark.clock_sensitive

ROSTER = "/api/v1/clinician/patients"
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOW = local(NEW_YORK, 2027, 5, 20, 9)  # Thursday 20 May 2027, 09:00 in New York (13:00 UTC)
# Patient, zone, procedure date: days into their plan from 3 to 27 on 20 May
PATIENTS = [
    ("Ada Adams", "America/New_York", dt.date(2027, 5, 10)),
    ("Bert Brandt", "Europe/Berlin", dt.date(2027, 5, 3)),
    ("Kai Kahale", "Pacific/Honolulu", dt.date(2027, 5, 17)),
    ("Lena Lim", "Australia/Sydney", dt.date(2027, 4, 23)),
]
STATES = ("done", "partly_done", "skipped", None)  # None: not recorded


def _recorded_week(patient: PatientProfile, monday: dt.date, last: dt.date) -> None:
    """From `monday` to `last`, the sessions of each day recorded in turn done, partly done, skipped, or not at all;
    one of them early (recorded before it is due: it counts only once it is)."""
    n = 0
    day = monday
    while day <= last:
        for occurrence in exercise_occurrences_on(patient, day):
            state = STATES[n % len(STATES)]
            n += 1
            if state is not None:
                pain, difficulty = (None, "") if state == "skipped" else (2, "ok")
                exercise_record_put(
                    patient=patient, occurrence=occurrence.key, state=state, pain_during=pain, difficulty=difficulty
                )
        day += dt.timedelta(days=1)


@pytest.fixture
def ward(cast: Cast) -> list[PatientProfile]:
    """Dr Carol's four patients in four zones on the default plan, with this week's sessions recorded so far; Bert's
    walks moved on Tuesday from three a day to two."""
    patients: list[Any] = []
    for name, zone, procedure_date in PATIENTS:
        user = UserFactory(email=f"{name.split()[0].lower()}@patients.example", full_name=name, role="patient",
                           clinic=cast.riverside)  # fmt: skip
        patient = PatientFactory(user=user, care_team=[cast.carol], time_zone=zone)
        procedure_done(patient, cast.carol, procedure_date)
        patients.append(patient)
    bert = patients[1]
    with time_machine.travel(local(bert.zone, 2027, 5, 18, 12), tick=False):
        walks = Prescription.objects.filter(plan__patient=bert, exercise__key="walking", ended_at__isnull=True).first()
        assert walks is not None
        prescription_change(prescription=walks, by=cast.carol, changes={"times_of_day": ["09:30", "17:00"]})
    with time_machine.travel(NOW, tick=False):
        for patient in patients:
            today = patient.local_today()
            _recorded_week(patient, today - dt.timedelta(days=today.weekday()), today)
    return patients


def _own_week(patient: PatientProfile, week: str, now: dt.datetime) -> dict[str, Any]:
    plan = ExercisePlan.objects.select_related("patient", "procedure").get(patient=patient)
    weeks = {w["week"]: w for w in exercise_adherence(plan, now)["by_week"]}
    own = weeks.get(week, {"scheduled": 0, "completed": 0, "adherence": None})
    return {key: own[key] for key in ("scheduled", "completed", "adherence")}


@pytest.mark.parametrize(
    "now",
    [
        NOW,
        utc(2027, 5, 23, 13, 30),  # Sunday evening in Sydney and Honolulu's Sunday morning
        utc(2027, 5, 23, 22, 30),  # Monday 24 May already in Berlin (00:30) and Sydney (08:30), still Sunday in NY
    ],
)
def test_the_rosters_week_is_the_patients_own_adherence_of_that_week(cast, ward, client_for, now):
    # When Dr Carol reads the roster, and each patient reads their own adherence, at the same instant
    with time_machine.travel(now, tick=False):
        rows = {r["full_name"]: r for r in client_for(cast.carol).get(ROSTER, {"page_size": 200}).json()["results"]}

    # Then each patient's row shows their own figures of the week they are in, in their zone
    for patient in ward:
        week = rows[patient.user.full_name]["exercise_adherence_week"]
        today = patient.local_today(now)
        monday = today - dt.timedelta(days=today.weekday())
        assert (week["week"], week["starts_on"]) == (f"{monday:%G-W%V}", monday.isoformat())
        mine = _own_week(patient, week["week"], now)
        assert {key: week[key] for key in mine} == mine, patient.user.full_name
    # (on Thursday the comparison is over real counts: every week has sessions due, some only partly done)
    if now == NOW:
        weeks = [rows[p.user.full_name]["exercise_adherence_week"] for p in ward]
        assert all(w["scheduled"] for w in weeks) and any(w["completed"] % 1 for w in weeks)


def _reads() -> dict[str, tuple[int, int]]:
    """(sequential scans, rows read) so far in this transaction, of the tables a plan's sessions are counted over."""
    tables = {
        PrescriptionVersion._meta.db_table: "versions",
        PrescriptionSlot._meta.db_table: "slots",
        ExerciseRecord._meta.db_table: "records",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, seq_scan, seq_tup_read + COALESCE(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables "
            "WHERE relname = ANY(%s)",
            [list(tables)],
        )
        read = {tables[name]: (int(scans), int(rows)) for name, scans, rows in cursor.fetchall()}
    return {name: read.get(name, (0, 0)) for name in tables.values()}


def test_the_rosters_exercise_count_reads_only_its_pages_plans(db):
    # Given a clinic of 10 patients, and another clinic of 300 in the same database
    ours: Any = ClinicFactory(name="Small Clinic")
    sam: Any = ClinicianFactory(email="sam@small.example", clinic=ours)
    seed_patients(clinic=ours, clinicians=[sam], count=10, days=14, now=NOW)
    big: Any = ClinicFactory(name="Big Clinic")
    tom: Any = ClinicianFactory(email="tom@big.example", clinic=big)
    seed_patients(clinic=big, clinicians=[tom], count=300, days=14, now=NOW, prefix="big")
    mine = {"prescription__plan__patient__user__clinic": ours}
    own = {
        "versions": PrescriptionVersion.objects.filter(**mine).count(),
        "slots": PrescriptionSlot.objects.filter(**{f"version__{k}": v for k, v in mine.items()}).count(),
        "records": ExerciseRecord.objects.filter(**mine).count(),
    }
    most_records = max(ExerciseRecord.objects.filter(**mine).values("prescription").annotate(n=Count("id"))
                       .values_list("n", flat=True))  # fmt: skip
    theirs = {
        "slots": PrescriptionSlot.objects.count() - own["slots"],
        "records": ExerciseRecord.objects.count() - own["records"],
    }

    # When Sam's roster page counts this week's sessions
    with time_machine.travel(NOW, tick=False):
        page = list(roster.roster(sam, now=NOW))
        roster.add_procedure_columns(page, NOW)
        before = _reads()
        weeks = exercise_this_week(page, NOW)
        after = _reads()
    scans = {name: after[name][0] - before[name][0] for name in own}
    read = {name: after[name][1] - before[name][1] for name in own}

    # Then no table was read through: versions, slots and records were looked up by the page's plans. The planner
    # may look a plan's rows up more than once (per day of the week counted, per session due), so the bounds are in
    # the page's own rows, and far below what the other clinic holds.
    due = sum(w["scheduled"] for w in weeks.values())
    assert len(weeks) == 10 and due > 0
    assert scans == {"versions": 0, "slots": 0, "records": 0}, (scans, read)
    assert read["versions"] <= 7 * own["versions"], read
    assert read["slots"] <= 7 * own["slots"] < theirs["slots"], read
    assert read["records"] <= due * most_records < theirs["records"], (read, due, most_records)
