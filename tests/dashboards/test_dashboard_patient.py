"""One patient in detail, for their care team: daily and weekly series with explicit gaps, outcomes against the
pivotal trial, the timeline, and the CSV export. Every read is PHI-logged; not-yours is 404."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

import pytest
import time_machine

from accounts.models import PHIAccess
from recovery import services
from tests.conftest import Cast
from tests.factories import AlertFactory, AssessmentFactory, CheckInFactory
from tests.recovery.support import NEW_YORK
from tests.support import local, procedure_done

NOW = local(NEW_YORK, 2027, 6, 1, 9)  # Tuesday 1 June 2027, 09:00 in New York
PROCEDURE_DAY = dt.date(2027, 5, 10)


@pytest.fixture(autouse=True)
def _june_first():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def alice(cast: Cast):
    """Alice, operated on 10 May, with check-ins on some days of her first three weeks."""
    patient = cast.alice.patient_profile
    patient.enrolled_at = local(NEW_YORK, 2027, 4, 1, 10)
    patient.save()
    procedure = procedure_done(patient, cast.carol, PROCEDURE_DAY)
    days = {
        dt.date(2027, 5, 9): (9, 9, 1, 1, None),  # before the ranges asked for below
        dt.date(2027, 5, 11): (6, 7, 10, 5, 1000),
        dt.date(2027, 5, 12): (5, 7, 15, 5, None),
        dt.date(2027, 5, 14): (4, 6, 20, 10, 3000),
        dt.date(2027, 5, 25): (3, 4, 30, 12, 4000),
        dt.date(2027, 5, 26): (2, 5, 35, 15, 4500),
        dt.date(2027, 5, 31): (1, 1, 60, 30, 9000),  # after
    }
    for day, (back, leg, walking, standing, steps) in days.items():
        CheckInFactory(
            patient=patient, procedure=procedure, local_date=day, back_pain=back, leg_pain=leg,
            walking_minutes=walking, standing_minutes=standing, steps=steps,
        )  # fmt: skip
    return patient, procedure


def _get(client: Any, path: str, **params: Any) -> Any:
    return client.get(path, params)


def _url(patient_id: Any, what: str) -> str:
    return f"/api/v1/patients/{patient_id}/{what}"


# --- Series -----------------------------------------------------------------------------------------------------------


def test_daily_series_has_a_point_for_every_day_with_nulls_for_the_gaps(alice, cast, client_for):
    patient, _ = alice
    body = _get(client_for(cast.carol), _url(patient.pk, "series"), **{"from": "2027-05-10", "to": "2027-05-16"}).json()

    assert (body["bucket"], body["from"], body["to"], body["weeks"]) == ("day", "2027-05-10", "2027-05-16", None)
    days = body["days"]
    assert [d["date"] for d in days] == [f"2027-05-{n}" for n in range(10, 17)]
    assert [d["day"] for d in days] == [0, 1, 2, 3, 4, 5, 6]
    assert [d["checked_in"] for d in days] == [False, True, True, False, True, False, False]
    assert [d["back_pain"] for d in days] == [None, 6, 5, None, 4, None, None]
    assert [d["steps"] for d in days] == [None, 1000, None, None, 3000, None, None]
    assert days[0] == {
        "date": "2027-05-10", "day": 0, "checked_in": False, "back_pain": None, "leg_pain": None,
        "walking_minutes": None, "standing_minutes": None, "steps": None,
    }  # fmt: skip


def test_weekly_series_aggregates_each_week_by_hand(alice, cast, client_for):
    patient, _ = alice
    body = _get(
        client_for(cast.carol),
        _url(patient.pk, "series"),
        **{"from": "2027-05-10", "to": "2027-05-30", "bucket": "week"},
    ).json()

    assert body["days"] is None
    first, empty, third = body["weeks"]
    # Week 0, 10-16 May: 11, 12 and 14 May.
    assert (first["start"], first["end"], first["day"], first["days"], first["checkins"]) == (
        "2027-05-10", "2027-05-16", 0, 7, 3
    )  # fmt: skip
    assert first["back_pain"] == {"mean": 5.0, "min": 4, "max": 6, "n": 3}  # (6 + 5 + 4) / 3
    assert first["leg_pain"] == {"mean": 6.7, "min": 6, "max": 7, "n": 3}  # 20 / 3 = 6.67
    assert first["walking_minutes"] == {"mean": 15.0, "min": 10, "max": 20, "n": 3}
    assert first["standing_minutes"] == {"mean": 6.7, "min": 5, "max": 10, "n": 3}
    assert first["steps"] == {"mean": 2000.0, "min": 1000, "max": 3000, "n": 2}  # 12 May had no step count
    # Week 1, 17-23 May: no check-in at all, still present.
    assert empty["checkins"] == 0
    assert empty["back_pain"] == {"mean": None, "min": None, "max": None, "n": 0}
    # Week 2, 24-30 May: 25 and 26 May (31 May is after the range).
    assert third["back_pain"] == {"mean": 2.5, "min": 2, "max": 3, "n": 2}
    assert third["walking_minutes"] == {"mean": 32.5, "min": 30, "max": 35, "n": 2}
    assert third["steps"] == {"mean": 4250.0, "min": 4000, "max": 4500, "n": 2}


def test_series_defaults_to_the_procedure_day_until_today_and_weeks_for_long_ranges(alice, cast, client_for):
    patient, _ = alice
    client = client_for(cast.carol)

    default = _get(client, _url(patient.pk, "series")).json()
    assert (default["from"], default["to"], default["bucket"]) == ("2027-05-10", "2027-06-01", "day")
    assert len(default["days"]) == 23

    two_years = _get(client, _url(patient.pk, "series"), **{"from": "2025-06-02", "to": "2027-06-01"}).json()
    assert two_years["bucket"] == "week"
    assert len(two_years["weeks"]) == 105  # 730 days: 104 weeks and 2 days
    assert sum(w["checkins"] for w in two_years["weeks"]) == 7
    assert two_years["weeks"][-1]["days"] == 2


def test_series_refuses_bad_ranges_with_a_message_per_field(alice, cast, client_for):
    patient, _ = alice
    client = client_for(cast.carol)

    def errors(**params: Any) -> dict[str, list[str]]:
        response = _get(client, _url(patient.pk, "series"), **params)
        assert response.status_code == 400, response.json()
        return response.json()["errors"]

    assert errors(**{"from": "2027-05-20", "to": "2027-05-10"}) == {"from": ["Must be on or before to (2027-05-10)."]}
    assert errors(**{"from": "2024-05-01", "to": "2027-05-01"}) == {
        "to": ["The range can be at most 3 years; choose a date before 2027-05-01."]
    }
    # `to` defaults to her today (1 June): a `from` after it is a reversed range too.
    assert list(errors(**{"from": "2027-07-01"})) == ["from"]
    assert errors(bucket="month") == {"bucket": ['"month" is not a valid choice.']}
    assert errors(**{"from": "last week"})["from"][0].startswith("Date has wrong format.")
    assert errors(since="2027-05-01") == {"since": ["Unknown field."]}
    assert not PHIAccess.objects.exists()


# --- Outcomes ---------------------------------------------------------------------------------------------------------


def test_outcomes_show_change_from_baseline_responders_and_the_trial_reference(alice, cast, client_for):
    patient, procedure = alice
    for timepoint, on, ratings, odi in (
        ("baseline", dt.date(2027, 5, 1), (7, 8), 46.0),
        ("weeks_2_3", dt.date(2027, 5, 25), (5, 7), 40.0),
        ("weeks_6_8", dt.date(2027, 6, 1), (3, 5), 30.0),
    ):
        AssessmentFactory(procedure=procedure, timepoint=timepoint, local_date=on,
                          scores={"back_pain": ratings[0], "leg_pain": ratings[1]})  # fmt: skip
        AssessmentFactory(procedure=procedure, timepoint=timepoint, local_date=on, instrument="odi",
                          scores={"odi_percent": odi})  # fmt: skip

    body = _get(client_for(cast.carol), _url(patient.pk, "outcomes")).json()

    assert body["procedure"]["procedure_date"] == "2027-05-10"
    by_key = {(a["timepoint"], a["instrument"]): a for a in body["assessments"]}
    assert [a["timepoint"] for a in body["assessments"]][::2] == ["baseline", "weeks_2_3", "weeks_6_8"]
    assert by_key[("baseline", "odi")]["change_from_baseline"] is None
    assert by_key[("weeks_6_8", "odi")]["day"] == 22
    assert by_key[("weeks_6_8", "odi")]["change_from_baseline"]["odi_percent"] == {
        "baseline": 46.0, "current": 30.0, "change": -16.0, "improvement": 16.0, "responder": True,
    }  # fmt: skip
    assert by_key[("weeks_2_3", "odi")]["change_from_baseline"]["odi_percent"]["responder"] is False  # 6 < 10
    pain = by_key[("weeks_6_8", "pain")]["change_from_baseline"]
    assert (pain["back_pain"]["improvement"], pain["back_pain"]["responder"]) == (4.0, True)
    assert (pain["leg_pain"]["improvement"], pain["leg_pain"]["responder"]) == (3.0, True)

    reference = body["reference"]
    assert reference["population"] == "MiDAS ENCORE, MILD arm, 143 patients at 2 years"
    # Drawn only at the trial's visits; only the 2-year means are published (CLINICAL.md), so 6 months and 1 year
    # carry no value, and there is no point before 6 months.
    assert [(v["timepoint"], v["day"]) for v in reference["visits"]] == [
        ("month_6", 182), ("year_1", 365), ("year_2", 730),
    ]  # fmt: skip
    assert reference["visits"][0]["mean_improvement"]["odi_percent"] is None
    assert reference["visits"][2]["mean_improvement"] == {
        "odi_percent": 22.7, "back_pain": 3.6, "leg_pain": 3.6, "zcq_symptom_severity": 1.0,
        "zcq_physical_function": 0.8,
    }  # fmt: skip
    odi = reference["series"]["odi_percent"]
    assert [p["day"] for p in odi] == [182, 365, 730]
    assert [p["expected_score"] for p in odi] == [None, None, 23.3]  # her baseline 46 - 22.7
    assert reference["series"]["leg_pain"][-1]["expected_score"] == 4.4  # 8 - 3.6
    assert reference["series"]["back_pain"][-1]["expected_improvement"] == 3.6
    assert reference["series"]["zcq_symptom_severity"][-1]["expected_improvement"] == 1.0
    assert reference["series"]["zcq_physical_function"][-1]["expected_score"] is None  # no ZCQ baseline


def test_outcomes_without_a_procedure_still_draw_the_reference(cast, client_for):
    body = _get(client_for(cast.carol), _url(cast.alice.pk, "outcomes")).json()
    assert (body["procedure"], body["assessments"]) == (None, [])
    assert body["reference"]["series"]["odi_percent"][-1]["expected_improvement"] == 22.7
    assert body["reference"]["series"]["odi_percent"][-1]["expected_score"] is None


# --- Timeline ---------------------------------------------------------------------------------------------------------


def test_timeline_has_milestones_alert_history_and_checkin_edits(alice, cast, client_for):
    patient, procedure = alice
    alert = AlertFactory(patient=patient, rule="fever_chills", raised_at=local(NEW_YORK, 2027, 5, 30, 8))
    services.alert_acknowledge(alert=alert, by=cast.carol, now=local(NEW_YORK, 2027, 5, 30, 9))
    services.alert_assign(alert=alert, by=cast.carol, assignee_id=cast.carol.pk, now=local(NEW_YORK, 2027, 5, 30, 10))
    services.alert_resolve(
        alert=alert, by=cast.carol, note="Called; no fever today.", now=local(NEW_YORK, 2027, 5, 30, 11)
    )
    checkin_id = uuid.uuid4()
    body = {
        "local_date": dt.date(2027, 5, 30), "back_pain": 4, "leg_pain": 5, "walking_minutes": 20,
        "standing_minutes": 10, "steps": None, "medication": "otc", "symptoms": [], "red_flags": [], "note": "",
        "recorded_at": None,
    }  # fmt: skip
    with time_machine.travel(local(NEW_YORK, 2027, 5, 31, 20), tick=False):
        first = services.checkin_put(patient=patient, by=cast.alice, checkin_id=checkin_id, data=body, if_match=None)
        services.checkin_put(
            patient=patient, by=cast.alice, checkin_id=checkin_id, data={**body, "back_pain": 6},
            if_match=first.checkin.etag,
        )  # fmt: skip

    timeline = _get(client_for(cast.carol), _url(patient.pk, "timeline")).json()

    assert timeline["today"] == "2027-06-01"
    statuses = {m["key"]: m["status"] for m in timeline["milestones"]}
    assert statuses == {
        "weeks_2_3": "overdue", "weeks_6_8": "upcoming", "month_6": "upcoming", "year_1": "upcoming",
        "year_2": "upcoming",
    }  # fmt: skip
    [history] = timeline["alerts"]
    assert history["state"] == "resolved"
    assert history["assigned_to"]["full_name"] == "Dr Carol Chen"
    assert [(e["action"], e["note"]) for e in history["events"]] == [
        ("acknowledged", ""), ("assigned", ""), ("resolved", "Called; no fever today."),
    ]  # fmt: skip
    assert history["events"][1]["assignee"]["id"] == str(cast.carol.pk)
    [edit] = timeline["checkin_revisions"]
    assert (edit["local_date"], edit["version"], edit["changes"]) == ("2027-05-30", 2, {"back_pain": [4, 6]})
    assert edit["changed_by"]["full_name"] == "Alice Adams"
    # Exercise adherence by ISO week, as physical therapy counts it: weeks 19 to 22, nothing recorded.
    from exercises.models import ExercisePlan
    from exercises.selectors import exercise_adherence

    weeks = timeline["exercise_adherence"]
    assert [w["week"] for w in weeks] == ["2027-W19", "2027-W20", "2027-W21", "2027-W22"]
    theirs = exercise_adherence(ExercisePlan.objects.get(procedure=procedure), NOW)["by_week"]
    assert [w["scheduled"] for w in weeks] == [w["scheduled"] for w in theirs]
    assert all(w["completed"] == 0 and w["adherence"] == 0 for w in weeks)


# --- CSV export -------------------------------------------------------------------------------------------------------


def test_csv_export_has_checkins_and_assessments_in_date_order(alice, cast, client_for):
    patient, procedure = alice
    CheckInFactory(patient=patient, procedure=procedure, local_date=dt.date(2027, 5, 20), note="=HYPERLINK(1)")
    AssessmentFactory(procedure=procedure, local_date=dt.date(2027, 5, 1), scores={"back_pain": 7, "leg_pain": 8})
    AssessmentFactory(
        procedure=procedure, local_date=dt.date(2027, 5, 1), instrument="odi", scores={"odi_percent": 46.0}
    )

    response = client_for(cast.carol).get(_url(patient.pk, "export.csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="patient-{patient.pk}-recovery.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["record"], r["local_date"], r["instrument"]) for r in rows[:3]] == [
        ("assessment", "2027-05-01", "odi"), ("assessment", "2027-05-01", "pain"), ("checkin", "2027-05-09", ""),
    ]  # fmt: skip
    assert len(rows) == 2 + 8
    assert (rows[0]["odi_percent"], rows[1]["back_pain"], rows[1]["leg_pain"]) == ("46.0", "7", "8")
    eleventh = next(r for r in rows if r["local_date"] == "2027-05-11")
    assert (eleventh["day"], eleventh["back_pain"], eleventh["steps"], eleventh["walking_minutes"]) == (
        "1",
        "6",
        "1000",
        "10",
    )
    # A note that a spreadsheet would run as a formula is defused.
    assert next(r for r in rows if r["local_date"] == "2027-05-20")["note"] == "'=HYPERLINK(1)"


# --- Access and the PHI log -------------------------------------------------------------------------------------------

DETAIL_VIEWS = ("series", "outcomes", "timeline", "export.csv")


@pytest.mark.parametrize("what", DETAIL_VIEWS)
def test_care_team_and_clinic_admin_read_it_and_each_read_is_logged(what, alice, cast, client_for):
    patient, _ = alice
    for reader in (cast.carol, cast.frank):
        assert client_for(reader).get(_url(patient.pk, what)).status_code == 200
        [row] = PHIAccess.objects.filter(actor=reader)
        assert (row.patient_id, row.resource) == (patient.pk, f"dashboard.{what.replace('.', '_')}")


@pytest.mark.parametrize("what", DETAIL_VIEWS)
def test_another_clinicians_or_clinics_patient_is_not_found(what, alice, cast, client_for):
    patient, _ = alice
    for outsider in (cast.dave, cast.erin, cast.grace, cast.bob):
        response = client_for(outsider).get(_url(patient.pk, what))
        assert response.status_code == 404, (outsider, response.content)
        assert response.json()["code"] == "not_found"
    assert client_for(cast.carol).get(_url(uuid.uuid4(), what)).status_code == 404
    assert not PHIAccess.objects.exists()


@pytest.mark.parametrize("what", DETAIL_VIEWS)
def test_the_patient_herself_is_refused_these_clinician_views(what, alice, cast, client_for):
    patient, _ = alice
    assert client_for(cast.alice).get(_url(patient.pk, what)).status_code == 403
    assert client_for(None).get(_url(patient.pk, what)).status_code == 401


def test_csv_export_answers_a_client_asking_for_csv_and_errors_stay_json(alice, cast, client_for):
    patient, _ = alice
    client = client_for(cast.carol)
    assert client.get(_url(patient.pk, "export.csv"), HTTP_ACCEPT="text/csv").status_code == 200
    missing = client.get(_url(uuid.uuid4(), "export.csv"), HTTP_ACCEPT="text/csv")
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
