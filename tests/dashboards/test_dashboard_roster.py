"""The clinician's roster: who needs attention first, and how each patient is doing, one row per patient, computed in
SQL in a fixed number of queries, with "today" in each patient's own time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from accounts.models import PatientProfile, PHIAccess
from recovery.models import AlertState, PatientMilestone, Procedure
from recovery.selectors import recovery_summary
from tests.conftest import Cast
from tests.dashboards.support import seed_patients
from tests.factories import (
    AlertFactory,
    AssessmentFactory,
    CheckInFactory,
    ClinicFactory,
    ClinicianFactory,
    PatientFactory,
    UserFactory,
)
from tests.recovery.support import NEW_YORK
from tests.support import local, procedure_done

ROSTER = "/api/v1/clinician/patients"
NOW = local(NEW_YORK, 2027, 5, 20, 9)  # Thursday 20 May 2027, 09:00 in New York (13:00 UTC)
TODAY = dt.date(2027, 5, 20)


def _patient(cast: Cast, name: str, *, zone: str = "America/New_York", **profile: Any) -> Any:
    user = UserFactory(email=f"{name.split()[0].lower()}@patients.example", full_name=name, role="patient",
                       clinic=cast.riverside)  # fmt: skip
    return PatientFactory(user=user, care_team=[cast.carol], time_zone=zone, **profile)


def _checkins(patient: PatientProfile, procedure: Any, days: dict[dt.date, tuple[int, int]]) -> None:
    for day, (back, leg) in days.items():
        CheckInFactory(patient=patient, procedure=procedure, local_date=day, back_pain=back, leg_pain=leg)


def _enrolled(day: dt.date) -> dt.datetime:
    return local(NEW_YORK, day.year, day.month, day.day, 10)


@dataclass
class Ward:
    """Dr Carol's patients on 20 May 2027, each needing something different."""

    alice: PatientProfile  # urgent alert; day 10 after her procedure; a baseline pain assessment
    nora: PatientProfile  # emergency alert; day 49 (weeks 3-8)
    oscar: PatientProfile  # 6-8 week milestone overdue; last check-in 10 days ago
    pia: PatientProfile  # watch alert; checked in 2 days ago
    quinn: PatientProfile  # no procedure yet, never checked in, enrolled 19 days ago
    rita: PatientProfile  # all well: checked in today; an acknowledged (still open) watch alert was resolved


@pytest.fixture
def ward(cast: Cast) -> Ward:
    alice = cast.alice.patient_profile
    alice.enrolled_at = _enrolled(dt.date(2027, 4, 1))
    alice.has_diabetes = True
    alice.save()
    procedure = procedure_done(alice, cast.carol, dt.date(2027, 5, 10))
    AssessmentFactory(procedure=procedure, scores={"back_pain": 7, "leg_pain": 8})
    # Days 1-5 and 8-9: 7 check-ins in the last 14 days; the last 7 days (14-20 May) hold 14, 17, 18 May.
    _checkins(
        alice,
        procedure,
        {
            dt.date(2027, 5, 11): (6, 7), dt.date(2027, 5, 12): (6, 7), dt.date(2027, 5, 13): (5, 7),
            dt.date(2027, 5, 14): (5, 6), dt.date(2027, 5, 15): (4, 6),
            dt.date(2027, 5, 17): (4, 5), dt.date(2027, 5, 18): (3, 5),
        },
    )  # fmt: skip
    AlertFactory(patient=alice, rule="fever_chills")

    nora = _patient(cast, "Nora North", enrolled_at=_enrolled(dt.date(2027, 3, 1)))
    nora_procedure = procedure_done(nora, cast.carol, dt.date(2027, 4, 1))
    _checkins(nora, nora_procedure, {dt.date(2027, 5, 19): (5, 5)})
    AlertFactory(patient=nora, rule="saddle_numbness")

    oscar = _patient(cast, "Oscar Oak", zone="America/Chicago", enrolled_at=_enrolled(dt.date(2027, 3, 1)))
    oscar_procedure = procedure_done(oscar, cast.carol, dt.date(2027, 3, 20))  # weeks_6_8 closed 15 May
    _checkins(oscar, oscar_procedure, {dt.date(2027, 5, 10): (2, 2)})

    pia = _patient(cast, "Pia Pine", enrolled_at=_enrolled(dt.date(2027, 4, 1)), had_previous_spinal_surgery=True)
    pia_procedure = procedure_done(pia, cast.carol, dt.date(2027, 5, 3))
    _checkins(pia, pia_procedure, {dt.date(2027, 5, 18): (3, 3)})
    AlertFactory(patient=pia, rule="no_checkin_3_days")

    quinn = _patient(cast, "Quinn Quay", enrolled_at=_enrolled(dt.date(2027, 5, 1)))

    rita = _patient(cast, "Rita Reed", enrolled_at=_enrolled(dt.date(2027, 4, 1)))
    rita_procedure = procedure_done(rita, cast.carol, dt.date(2027, 5, 6))
    _checkins(rita, rita_procedure, {TODAY: (2, 2)})
    AlertFactory(patient=rita, rule="fall", state=AlertState.RESOLVED)
    return Ward(alice, nora, oscar, pia, quinn, rita)


@pytest.fixture(autouse=True)
def _thursday_morning_in_new_york():
    with time_machine.travel(NOW, tick=False):
        yield


def _roster(client: Any, **params: Any) -> Any:
    return client.get(ROSTER, params)


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["full_name"] for row in response.json()["results"]]


# --- Order and columns ------------------------------------------------------------------------------------------------


def test_roster_puts_emergency_then_urgent_then_watch_then_longest_without_checkin_first(ward, cast, client_for):
    names = _names(_roster(client_for(cast.carol)))

    # Nora (emergency), Alice (urgent), Pia (watch); then Quinn (19 days since she joined, never checked in),
    # Oscar (10 days), Rita (checked in today). Bob and Heidi are not Carol's.
    assert names == ["Nora North", "Alice Adams", "Pia Pine", "Quinn Quay", "Oscar Oak", "Rita Reed"]


def test_roster_row_shows_the_patient_at_a_glance(ward, cast, client_for):
    rows = {row["full_name"]: row for row in _roster(client_for(cast.carol)).json()["results"]}
    alice = rows["Alice Adams"]

    assert alice["age"] == 75  # born 17 May 1952
    assert alice["today"] == "2027-05-20"
    assert alice["day"] == 10
    assert alice["phase"] == {"key": "weeks_1_3", "title": "Weeks 1 to 3"}
    assert alice["last_checkin_on"] == "2027-05-18"
    assert alice["days_without_checkin"] == 2
    # Latest: 18 May. Last 7 days (14-20 May): back 5, 4, 4, 3 -> 4.0; leg 6, 6, 5, 5 -> 5.5. Baseline 7 and 8.
    assert alice["back_pain"] == {"latest": 3, "mean_7d": 4.0, "baseline": 7.0, "change_from_baseline": -3.0}
    assert alice["leg_pain"] == {"latest": 5, "mean_7d": 5.5, "baseline": 8.0, "change_from_baseline": -2.5}
    assert alice["odi"] == {"baseline": None, "latest": None, "change_from_baseline": None}
    # Asked on days 1-9 (11-19 May; today's is not in yet): 7 of 9.
    assert alice["checkin_adherence_14d"] == {"checkins": 7, "expected": 9, "adherence": 0.78}
    assert alice["milestone"]["key"] == "weeks_2_3"
    assert alice["milestone"]["status"] == "upcoming"
    assert alice["milestone"]["opens_on"] == "2027-05-24"
    assert alice["open_alerts"] == {"emergency": 0, "urgent": 1, "watch": 0}
    assert alice["risk_factors"] == ["diabetes"]
    assert alice["procedure"]["procedure_date"] == "2027-05-10"

    oscar = rows["Oscar Oak"]
    assert oscar["milestone"]["key"] == "weeks_6_8"
    assert oscar["milestone"]["status"] == "overdue"
    assert oscar["phase"]["key"] == "long_term"  # day 61

    quinn = rows["Quinn Quay"]
    assert (quinn["procedure"], quinn["day"], quinn["phase"], quinn["milestone"]) == (None, None, None, None)
    assert quinn["checkin_adherence_14d"] == {"checkins": 0, "expected": 0, "adherence": None}
    assert quinn["days_without_checkin"] == 19

    rita = rows["Rita Reed"]
    # Today's check-in is in, so today counts: days 1-14 (7-20 May), 1 of 14.
    assert rita["checkin_adherence_14d"] == {"checkins": 1, "expected": 14, "adherence": 0.07}
    assert rita["open_alerts"] == {"emergency": 0, "urgent": 0, "watch": 0}
    assert rows["Pia Pine"]["risk_factors"] == ["previous_spinal_surgery"]


def test_the_roster_and_the_patients_own_view_share_the_current_procedure_and_next_milestone_rules(
    ward, cast, client_for
):
    # Nora had an earlier procedure too (the later one is current); Alice has done her 2-3 week milestone early, so
    # her next one is the 6-8 week one; Oscar's 6-8 week one is overdue; Quinn has no procedure.
    procedure_done(ward.nora, cast.carol, dt.date(2027, 1, 5))
    PatientMilestone.objects.filter(patient=ward.alice, key="weeks_2_3").update(completed_at=NOW)
    rows = {row["id"]: row for row in _roster(client_for(cast.carol)).json()["results"]}

    for patient in (ward.alice, ward.nora, ward.oscar, ward.pia, ward.quinn, ward.rita):
        today = patient.local_today()
        procedure = Procedure.objects.filter(patient=patient).current(today).first()
        milestone = PatientMilestone.objects.filter(procedure=procedure).next_due(today).first()
        summary = recovery_summary(patient)
        row = rows[str(patient.pk)]
        assert summary["procedure"] == procedure
        assert (row["procedure"] or {}).get("id") == (str(procedure.pk) if procedure else None)
        assert (summary["next_milestone"] or {}).get("milestone") == milestone
        assert (row["milestone"] or {}).get("id") == (str(milestone.pk) if milestone else None)
    assert rows[str(ward.alice.pk)]["milestone"]["key"] == "weeks_6_8"
    assert rows[str(ward.nora.pk)]["procedure"]["procedure_date"] == "2027-04-01"
    assert rows[str(ward.oscar.pk)]["milestone"]["status"] == "overdue"


def test_today_and_day_n_are_each_patients_own(cast, client_for):
    # Given Alice in New York and Bob in Berlin, both operated on 10 May
    procedure_done(cast.alice.patient_profile, cast.carol, dt.date(2027, 5, 10))
    procedure_done(cast.bob.patient_profile, cast.dave, dt.date(2027, 5, 10))

    # When Frank looks at 23:30 on 20 May in New York, which is 05:30 on 21 May in Berlin
    with time_machine.travel(local(NEW_YORK, 2027, 5, 20, 23, 30), tick=False):
        rows = {r["full_name"]: r for r in client_for(cast.frank).get(ROSTER).json()["results"]}

    # Then each patient's today and day N is on their own calendar
    assert (rows["Alice Adams"]["today"], rows["Alice Adams"]["day"]) == ("2027-05-20", 10)
    assert (rows["Bob Baker"]["today"], rows["Bob Baker"]["day"]) == ("2027-05-21", 11)


@pytest.mark.parametrize(
    ("procedure_on", "expected"),
    [
        (TODAY, True),  # day 0: the first check-in is asked that evening
        (TODAY - dt.timedelta(days=90), True),  # day 90: the last day of daily reminders
        (TODAY - dt.timedelta(days=91), False),  # day 91 on: a stable long-term patient, no daily check-in asked
        (TODAY - dt.timedelta(days=200), False),
        (None, False),  # no procedure yet
    ],
)
def test_the_roster_says_whether_daily_check_ins_are_still_asked_for(cast, client_for, procedure_on, expected):
    patient = cast.alice.patient_profile
    patient.enrolled_at = _enrolled(TODAY - dt.timedelta(days=250))
    patient.save()
    if procedure_on is not None:
        procedure_done(patient, cast.carol, procedure_on)

    [row] = _roster(client_for(cast.carol)).json()["results"]

    assert row["daily_checkins_expected"] is expected


def test_phase_changes_at_the_patients_midnight(cast, client_for):
    procedure_done(cast.bob.patient_profile, cast.dave, dt.date(2027, 5, 14))
    # 23:59 on 20 May in Berlin: day 6, the first days; a minute later: day 7, weeks 1-3.
    with time_machine.travel(dt.datetime(2027, 5, 20, 21, 59, tzinfo=dt.UTC), tick=False):
        before = client_for(cast.dave).get(ROSTER).json()["results"][0]
    with time_machine.travel(dt.datetime(2027, 5, 20, 22, 0, tzinfo=dt.UTC), tick=False):
        after = client_for(cast.dave).get(ROSTER).json()["results"][0]
    assert (before["day"], before["phase"]["key"]) == (6, "first_days")
    assert (after["day"], after["phase"]["key"]) == (7, "weeks_1_3")


# --- Filters ----------------------------------------------------------------------------------------------------------


def test_filter_by_phase(ward, cast, client_for):
    client = client_for(cast.carol)
    assert _names(_roster(client, phase="weeks_3_8")) == ["Nora North"]
    assert _names(_roster(client, phase=["weeks_1_3", "long_term"])) == [
        "Alice Adams",
        "Pia Pine",
        "Oscar Oak",
        "Rita Reed",
    ]
    assert _names(_roster(client, phase="procedure_day")) == []


def test_filter_by_open_alert_tier(ward, cast, client_for):
    client = client_for(cast.carol)
    assert _names(_roster(client, alert_tier="emergency")) == ["Nora North"]
    assert _names(_roster(client, alert_tier=["urgent", "watch"])) == ["Alice Adams", "Pia Pine"]
    # Rita's only alert is resolved: not open.
    assert "Rita Reed" not in _names(_roster(client, alert_tier=["emergency", "urgent", "watch"]))


def test_filter_by_overdue_milestone(ward, cast, client_for):
    client = client_for(cast.carol)
    assert _names(_roster(client, overdue_milestone="true")) == ["Oscar Oak"]
    assert "Oscar Oak" not in _names(_roster(client, overdue_milestone="false"))
    assert len(_names(_roster(client, overdue_milestone="false"))) == 5


def test_filter_by_days_without_checkin(ward, cast, client_for):
    client = client_for(cast.carol)
    # Nora 1 day, Alice 2, Pia 2, Quinn 19 (never; since joining), Oscar 10, Rita 0.
    assert _names(_roster(client, no_checkin_days=3)) == ["Quinn Quay", "Oscar Oak"]
    assert _names(_roster(client, no_checkin_days=2)) == ["Alice Adams", "Pia Pine", "Quinn Quay", "Oscar Oak"]
    assert _names(_roster(client, no_checkin_days=20)) == []


def test_filter_by_procedure_date_range(ward, cast, client_for):
    client = client_for(cast.carol)
    names = _names(_roster(client, procedure_from="2027-05-01", procedure_to="2027-05-09"))
    assert names == ["Pia Pine", "Rita Reed"]
    assert _names(_roster(client, procedure_to="2027-03-31")) == ["Oscar Oak"]
    assert _names(_roster(client, procedure_from="2027-05-10")) == ["Alice Adams"]


def test_search_by_name(ward, cast, client_for):
    client = client_for(cast.carol)
    assert _names(_roster(client, search="nor")) == ["Nora North"]
    assert _names(_roster(client, search="RITA reed")) == ["Rita Reed"]
    # Bob is on Dave's team, not Carol's: searching for him finds nobody.
    assert _names(_roster(client, search="Bob")) == []


def test_filters_combine(ward, cast, client_for):
    client = client_for(cast.carol)
    assert _names(_roster(client, alert_tier="watch", no_checkin_days=2, phase="weeks_1_3")) == ["Pia Pine"]


# --- Who sees whom; the PHI log ---------------------------------------------------------------------------------------


def test_clinician_sees_only_their_care_teams_patients(ward, cast, client_for):
    assert _names(_roster(client_for(cast.dave))) == ["Bob Baker"]
    assert _names(_roster(client_for(cast.erin))) == ["Heidi Hill"]
    assert len(_names(_roster(client_for(cast.frank)))) == 7  # the clinic admin: all of Riverside
    assert "Heidi Hill" not in _names(_roster(client_for(cast.frank)))


def test_patients_and_strangers_are_refused(cast, client_for):
    assert _roster(client_for(cast.alice)).status_code == 403
    assert _roster(client_for(None)).status_code == 401


def test_every_patient_on_the_page_is_logged_once(ward, cast, client_for):
    response = _roster(client_for(cast.carol), page_size=2)
    listed = {row["id"] for row in response.json()["results"]}

    rows = PHIAccess.objects.filter(actor=cast.carol)
    assert {str(row.patient_id) for row in rows} == listed
    assert rows.count() == 2
    assert {row.resource for row in rows} == {"dashboard.roster"}


def test_bad_input_is_refused_with_a_message_per_field(ward, cast, client_for):
    client = client_for(cast.carol)

    def errors(**params: Any) -> dict[str, list[str]]:
        response = _roster(client, **params)
        assert response.status_code == 400, response.json()
        return response.json()["errors"]

    assert "Unknown phase 'recovered'" in errors(phase="recovered")["phase"][0]
    assert errors(alert_tier="critical") == {"alert_tier": ['"critical" is not a valid choice.']}
    assert list(errors(overdue_milestone="maybe")) == ["overdue_milestone"]
    assert list(errors(no_checkin_days="0")) == ["no_checkin_days"]
    assert list(errors(no_checkin_days="three")) == ["no_checkin_days"]
    assert errors(procedure_from="2027-05-10", procedure_to="2027-05-01") == {
        "procedure_from": ["Must be on or before procedure_to (2027-05-01)."]
    }
    assert "at most 3 years" in errors(procedure_from="2023-01-01", procedure_to="2026-01-01")["procedure_to"][0]
    assert errors(sort="name") == {"sort": ["Unknown field."]}
    assert errors(page_size="201") == {"page_size": ["Must be at most 200."]}
    assert not PHIAccess.objects.filter(actor=cast.carol).exists()


# --- A fixed number of queries ----------------------------------------------------------------------------------------


@pytest.fixture
def crowded_clinic(db):
    clinic = ClinicFactory(name="Crowded Spine Clinic")
    sam = ClinicianFactory(email="sam@crowded.example", full_name="Dr Sam Stone", clinic=clinic)
    return clinic, sam


@pytest.mark.parametrize("patients", [10, 100, 1000])
def test_roster_takes_the_same_queries_for_10_100_and_1000_patients(
    patients, crowded_clinic, client_for, django_assert_num_queries
):
    clinic, sam = crowded_clinic
    seed_patients(clinic=clinic, clinicians=[sam], count=patients, days=14, now=NOW)
    client = client_for(sam)

    # 1. the session (a database row: sessions never depend on Redis)
    # 2. the signed-in user
    # 3. SAVEPOINT: the roster's reads run in one transaction, for...
    # 4. SET LOCAL jit = off (see dashboards.sql.tuned_reads)
    # 5. the page of the roster in triage order, each row with the total for the paginator (a window count) and the
    #    patient's own columns
    # 6. the columns of the page's current procedures (phase, adherence window, assessments, milestone, plan)
    # 7. RELEASE SAVEPOINT
    # 8. INSERT of the page's PHI access rows, one statement
    # 9. this week's exercise sessions, scheduled and done, of every plan on the page
    # 10. the page's scheduled procedures (journey.selectors.preparation_flags; none here, so nothing more)
    with django_assert_num_queries(10):
        response = client.get(ROSTER, {"page_size": 200})

    assert response.status_code == 200
    assert response.json()["count"] == patients
    assert len(response.json()["results"]) == min(patients, 200)
    # Walking at 10:00 and 15:00 every day. At 13:00 UTC on Thursday, Monday to Wednesday are due (6 sessions), and
    # Thursday's 10:00 too where it is afternoon (London, Berlin). The 10:00 ones of the last three days are recorded
    # done, except for every fourth patient (1, 5, 9, ...).
    for row in response.json()["results"]:
        index = int(row["full_name"][-5:])
        week = row["exercise_adherence_week"]
        scheduled = 7 if row["time_zone"].startswith("Europe/") else 6
        completed = 0.0 if index % 4 == 1 else 3.0
        assert week == {
            "week": "2027-W20", "starts_on": "2027-05-17", "scheduled": scheduled, "completed": completed,
            "adherence": round(completed / scheduled, 4),
        }  # fmt: skip
    assert PHIAccess.objects.filter(actor=sam).count() == min(patients, 200)


def test_filtering_by_phase_adds_one_query_whatever_the_number_of_patients(
    crowded_clinic, client_for, django_assert_num_queries
):
    clinic, sam = crowded_clinic
    seed_patients(clinic=clinic, clinicians=[sam], count=100, days=14, now=NOW)
    client = client_for(sam)
    # 1. the session (a database row); 2. the signed-in user; 3. the phase keys of the clinic's protocols (to check
    # `phase`); 4. SAVEPOINT; 5. SET LOCAL jit = off; 6. the page with its total; 7. its procedures' columns;
    # 8. RELEASE SAVEPOINT; 9. INSERT of the PHI access rows; 10. this week's exercise sessions; 11. the page's
    # scheduled procedures
    with django_assert_num_queries(11):
        response = client.get(
            ROSTER,
            {
                "phase": "long_term",
                "alert_tier": "watch",
                "overdue_milestone": "true",
                "no_checkin_days": 1,
                "procedure_from": "2027-01-01",
                "search": "seed",
            },
        )
    assert response.status_code == 200
    assert response.json()["count"] > 0


def test_seeded_roster_orders_like_the_rule(crowded_clinic, client_for):
    clinic, sam = crowded_clinic
    seed_patients(clinic=clinic, clinicians=[sam], count=60, days=14, now=NOW)
    rows = client_for(sam).get(ROSTER, {"page_size": 60}).json()["results"]
    keys = [
        (
            -r["open_alerts"]["emergency"],
            -r["open_alerts"]["urgent"],
            -r["open_alerts"]["watch"],
            -r["days_without_checkin"],
        )
        for r in rows
    ]
    assert keys == sorted(keys)
    assert rows[0]["open_alerts"]["emergency"] == 1


def test_roster_of_a_clinician_without_patients_is_empty(db, client_for):
    lonely = ClinicianFactory(email="lonely@clinic.example")
    body = client_for(lonely).get(ROSTER).json()
    assert (body["count"], body["results"]) == (0, [])


def test_exercise_adherence_this_week_counts_like_physical_therapy(cast, client_for):
    from exercises.models import ExercisePlan
    from exercises.selectors import exercise_adherence, exercise_occurrences_on
    from exercises.services import exercise_record_put

    # Given Alice on day 10 (a Thursday) of the default plan, with three of Monday's sessions recorded
    alice = cast.alice.patient_profile
    procedure = procedure_done(alice, cast.carol, dt.date(2027, 5, 10))
    monday = exercise_occurrences_on(alice, dt.date(2027, 5, 17))
    for occurrence, state in zip(monday, ("done", "done", "partly_done"), strict=False):
        exercise_record_put(patient=alice, occurrence=occurrence.key, state=state, pain_during=1, difficulty="ok")

    # When Carol reads the roster
    row = _roster(client_for(cast.carol)).json()["results"][0]

    # Then this week's count is the sessions already due since Monday, as physical therapy counts them
    due = sum(
        1
        for n in range(17, 21)
        for occurrence in exercise_occurrences_on(alice, dt.date(2027, 5, n))
        if occurrence.due_at < NOW
    )
    week = row["exercise_adherence_week"]
    assert (week["week"], week["starts_on"], week["scheduled"], week["completed"]) == (
        "2027-W20",
        "2027-05-17",
        due,
        2.5,
    )
    theirs = exercise_adherence(ExercisePlan.objects.get(procedure=procedure), NOW)["by_week"]
    [this_week] = [w for w in theirs if w["week"] == "2027-W20"]
    assert (week["scheduled"], week["completed"], week["adherence"]) == (
        this_week["scheduled"],
        this_week["completed"],
        this_week["adherence"],
    )


def test_roster_pages_carry_the_total_and_a_page_past_the_last_is_404(crowded_clinic, client_for):
    clinic, sam = crowded_clinic
    seed_patients(clinic=clinic, clinicians=[sam], count=5, days=14, now=NOW)
    client = client_for(sam)

    pages = [client.get(ROSTER, {"page_size": 2, "page": n}) for n in (1, 2, 3)]

    assert [p.status_code for p in pages] == [200, 200, 200]
    assert [p.json()["count"] for p in pages] == [5, 5, 5]
    assert [len(p.json()["results"]) for p in pages] == [2, 2, 1]
    assert pages[0].json()["previous"] is None and pages[2].json()["next"] is None
    ids = [row["id"] for p in pages for row in p.json()["results"]]
    assert len(set(ids)) == 5
    # the total counts what the filters let through, not the whole roster
    filtered = client.get(ROSTER, {"page_size": 2, "search": "no such name"})
    assert filtered.status_code == 200
    assert (filtered.json()["count"], filtered.json()["results"]) == (0, [])
    assert client.get(ROSTER, {"page_size": 2, "page": 4}).status_code == 404
    assert client.get(ROSTER, {"page_size": 2, "page": 2, "search": "no such name"}).status_code == 404
