"""Many patients quickly, for the dashboards' query-count tests and bench/bench_dashboard.py.

Everything is written with bulk operations (bulk_create; COPY for the check-ins on PostgreSQL), never through the API:
seeding 5,000 patients x 90 days must take seconds. The data is deterministic in the patient's index, so runs compare.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass

from django.db import connection

from accounts.models import CareTeamMember, Clinic, PatientProfile, Role, User
from exercises.models import (
    Exercise,
    ExercisePlan,
    ExerciseRecord,
    Prescription,
    PrescriptionSlot,
    PrescriptionSource,
    PrescriptionVersion,
    RecordState,
    VersionChange,
)
from exercises.selectors import minute_key
from recovery.models import (
    Alert,
    AlertState,
    Assessment,
    CheckIn,
    PatientMilestone,
    Procedure,
    ProcedureStatus,
    Protocol,
    Tier,
)

ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Berlin")
BATCH = 2000


@dataclass(frozen=True)
class Seeded:
    patient_ids: list[uuid.UUID]
    checkins: int


def _copy_checkins(rows: list[tuple[object, ...]]) -> None:
    columns = (
        "id",
        "patient_id",
        "procedure_id",
        "local_date",
        "back_pain",
        "leg_pain",
        "walking_minutes",
        "standing_minutes",
        "steps",
        "medication",
        "symptoms",
        "red_flags",
        "note",
        "recorded_at",
        "received_at",
        "updated_at",
        "version",
        "body_hash",
    )
    table = CheckIn._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def seed_patients(
    *, clinic: Clinic, clinicians: list[User], count: int, days: int, now: dt.datetime, prefix: str = "p"
) -> Seeded:
    """`count` patients of `clinic` on `clinicians`' care team, each with a done procedure, its milestones, up to
    `days` days of check-ins ending on their today (every 7th day missed), a baseline and a 6-8 week pain and ODI
    assessment when they are that far, a few alerts (some resolved) and an exercise plan (walking at 10:00 and 15:00
    every day from day 1) with the last few days' sessions recorded."""
    protocol = Protocol.objects.get(clinic__isnull=True, version=1)
    milestone_plan = list(protocol.milestones.filter(enabled=True))
    walking = Exercise.objects.get(clinic__isnull=True, key="walking")
    patient_ids: list[uuid.UUID] = []
    total_checkins = 0
    for start in range(0, count, BATCH):
        users, profiles, members, procedures, milestones, alerts, assessments = [], [], [], [], [], [], []
        checkins: list[CheckIn] = []
        plans, prescriptions, versions, records = [], [], [], []
        rows: list[tuple[object, ...]] = []
        for i in range(start, min(start + BATCH, count)):
            pk = uuid.uuid4()
            patient_ids.append(pk)
            zone = ZONES[i % len(ZONES)]
            today = _local_today(now, zone)
            since = days + (i % 60)
            procedure_date = today - dt.timedelta(days=since)
            users.append(
                User(
                    id=pk,
                    email=f"{prefix}{i}@seed.example",
                    full_name=f"Seed Patient {prefix}{i:05d}",
                    role=Role.PATIENT,
                    clinic=clinic,
                    password="!unusable",
                )
            )
            profiles.append(
                PatientProfile(
                    user_id=pk,
                    date_of_birth=dt.date(1940 + i % 30, 1 + i % 12, 1 + i % 28),
                    time_zone=zone,
                    enrolled_at=now - dt.timedelta(days=since + 30),
                    has_diabetes=i % 4 == 0,
                    had_previous_spinal_surgery=i % 9 == 0,
                )
            )
            members += [CareTeamMember(patient_id=pk, clinician=c, is_primary=n == 0) for n, c in enumerate(clinicians)]
            procedure = Procedure(
                id=uuid.uuid4(),
                patient_id=pk,
                procedure_date=procedure_date,
                levels=["L4-L5"],
                side="bilateral",
                anaesthesia="local",
                status=ProcedureStatus.DONE,
                protocol=protocol,
                completed_at=now,
            )
            procedures.append(procedure)
            milestones += [
                PatientMilestone(
                    patient_id=pk,
                    procedure_id=procedure.pk,
                    key=m.key,
                    title=m.title,
                    kind=m.kind,
                    opens_on=procedure_date + dt.timedelta(days=m.open_day),
                    target_on=procedure_date + dt.timedelta(days=m.target_day),
                    closes_on=procedure_date + dt.timedelta(days=m.close_day),
                    assessments=list(m.assessments),
                )
                for m in milestone_plan
            ]
            for n, tier in enumerate((Tier.EMERGENCY, Tier.URGENT, Tier.WATCH)):
                if i % (11, 5, 3)[n] == 0:
                    alerts.append(
                        Alert(
                            patient_id=pk,
                            rule="seed",
                            rule_set_version=1,
                            tier=tier,
                            trigger=f"seed:{i}:{n}",
                            title=f"Seeded {tier}",
                            raised_at=now,
                            state=AlertState.OPEN,
                        )
                    )
            if i % 2 == 0:
                alerts.append(
                    Alert(
                        patient_id=pk,
                        rule="seed",
                        rule_set_version=1,
                        tier=Tier.WATCH,
                        trigger=f"seed:{i}:r",
                        title="Seeded, resolved",
                        raised_at=now,
                        state=AlertState.RESOLVED,
                        resolved_at=now,
                    )
                )
            assessments += _assessments(pk, procedure, i, clinicians[0], now)
            plan = ExercisePlan(id=uuid.uuid4(), patient_id=pk, procedure=procedure, created_at=now)
            prescription = Prescription(
                id=uuid.uuid4(), plan=plan, exercise=walking, source=PrescriptionSource.PROTOCOL, created_at=now
            )
            version = PrescriptionVersion(
                prescription=prescription, version=1, change=VersionChange.CREATED, dose={"minutes": 10},
                days_of_week=list(range(7)), times_of_day=["10:00", "15:00"], first_day=1,
                from_key=minute_key(procedure_date + dt.timedelta(days=1), 0), created_at=now,
            )  # fmt: skip
            plans.append(plan)
            prescriptions.append(prescription)
            versions.append(version)
            for back in range(1, 4):
                if i % 4 != 1:
                    on = today - dt.timedelta(days=back)
                    at = now - dt.timedelta(days=back)
                    records.append(
                        ExerciseRecord(
                            patient_id=pk,
                            prescription=prescription,
                            version=version,
                            local_date=on,
                            local_time=dt.time(10),
                            state=RecordState.DONE,
                            recorded_at=at,
                            received_at=at,
                            updated_at=at,
                        )
                    )
            for offset in range(days):
                local_date = today - dt.timedelta(days=offset)
                if (i + offset) % 7 == 3 or local_date <= procedure_date:
                    continue
                values = (
                    max(0, 7 - (since - offset) // 14 + i % 3),
                    max(0, 8 - (since - offset) // 12 + i % 2),
                    10 + (since - offset) // 3 + i % 5,
                    5 + (since - offset) // 5,
                    None if i % 3 == 0 else 3000 + i,
                )
                at = now - dt.timedelta(days=offset)
                if connection.vendor == "postgresql":
                    rows.append(
                        (
                            uuid.uuid4(),
                            pk,
                            procedure.pk,
                            local_date,
                            *values,
                            "otc",
                            "[]",
                            "[]",
                            "",
                            at,
                            at,
                            at,
                            1,
                            "0" * 64,
                        )
                    )
                else:
                    checkins.append(
                        CheckIn(
                            id=uuid.uuid4(),
                            patient_id=pk,
                            procedure_id=procedure.pk,
                            local_date=local_date,
                            back_pain=values[0],
                            leg_pain=values[1],
                            walking_minutes=values[2],
                            standing_minutes=values[3],
                            steps=values[4],
                            medication="otc",
                            recorded_at=at,
                            received_at=at,
                            updated_at=at,
                            body_hash="0" * 64,
                        )
                    )
        User.objects.bulk_create(users)
        PatientProfile.objects.bulk_create(profiles)
        CareTeamMember.objects.bulk_create(members)
        Procedure.objects.bulk_create(procedures)
        PatientMilestone.objects.bulk_create(milestones)
        Alert.objects.bulk_create(alerts)
        Assessment.objects.bulk_create(assessments)
        ExercisePlan.objects.bulk_create(plans)
        Prescription.objects.bulk_create(prescriptions)
        PrescriptionVersion.objects.bulk_create(versions)
        slots = [
            PrescriptionSlot(version=v, weekday=weekday, local_time=dt.time(hour), minute=hour * 60)
            for v in versions
            for weekday in range(7)
            for hour in (10, 15)
        ]
        PrescriptionSlot.objects.bulk_create(slots)
        ExerciseRecord.objects.bulk_create(records)
        if rows:
            _copy_checkins(rows)
        CheckIn.objects.bulk_create(checkins, batch_size=500)
        total_checkins += len(rows) + len(checkins)
    return Seeded(patient_ids, total_checkins)


def _local_today(now: dt.datetime, zone: str) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(zone)).date()


def _assessments(pk: uuid.UUID, procedure: Procedure, i: int, by: User, now: dt.datetime) -> list[Assessment]:
    day0 = procedure.procedure_date
    taken = [("baseline", day0 - dt.timedelta(days=7), 6 + i % 3, 7, 40.0 + i % 20)]
    if (now.date() - day0).days >= 56:
        taken.append(("weeks_6_8", day0 + dt.timedelta(days=45), 3 + i % 4, 4 + i % 3, 30.0 + i % 15))
    found = []
    for timepoint, on, back, leg, odi in taken:
        at = dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC)
        found += [
            Assessment(patient_id=pk, procedure=procedure, timepoint=timepoint, instrument="pain",
                       instrument_version="nprs-1", answers={"back_pain": back, "leg_pain": leg},
                       scores={"back_pain": back, "leg_pain": leg}, local_date=on, completed_at=at, recorded_by=by),
            Assessment(patient_id=pk, procedure=procedure, timepoint=timepoint, instrument="odi",
                       instrument_version="2.1a-mild-1", answers={}, scores={"odi_percent": odi}, local_date=on,
                       completed_at=at, recorded_by=by),
        ]  # fmt: skip
    return found
