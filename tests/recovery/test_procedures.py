"""Procedure episodes: scheduled by clinic staff, marked done, which lays out the milestones in the patient's zone."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import PHIAccess
from recovery import services
from recovery.models import PatientMilestone, Procedure, Screening
from tests.factories import ProcedureFactory
from tests.recovery.support import NEW_YORK, default_protocol, record_measures
from tests.support import local, procedure_done, screened_candidate, utc


def _procedures(patient_id) -> str:
    return f"/api/v1/patients/{patient_id}/procedures"


def _schedule(client, patient_id, **fields):
    body = {"procedure_date": "2027-05-10", "levels": ["L4-L5"], "side": "bilateral", "anaesthesia": "local"}
    body.update(fields)
    return client.post(_procedures(patient_id), body, format="json")


def _complete(client, procedure, *, screened=True, **body):
    """POST .../complete; first a "candidate" screening by the primary clinician unless `screened` is false or the
    procedure is cancelled or screened already."""
    procedure.refresh_from_db()
    if screened and procedure.status == "scheduled" and not Screening.objects.filter(procedure=procedure).exists():
        screened_candidate(procedure, procedure.patient.care_team.get(is_primary=True).clinician)
    return client.post(f"{_procedures(procedure.patient_id)}/{procedure.pk}/complete", body, format="json")


# --- Scheduling -------------------------------------------------------------------------------------------------------


def test_clinician_schedules_a_procedure_for_their_patient(cast, client_for):
    response = _schedule(
        client_for(cast.carol),
        cast.alice.pk,
        levels=["L5-S1", "L4-L5"],
        anaesthesia="local_sedation",
        notes="Two levels, both sides.",
        performed_by=str(cast.carol.pk),
    )

    assert response.status_code == 201, response.json()
    procedure = response.json()
    assert procedure["status"] == "scheduled"
    assert procedure["levels"] == ["L4-L5", "L5-S1"]  # in anatomical order
    assert procedure["performed_by"] == {"id": str(cast.carol.pk), "full_name": "Dr Carol Chen"}
    assert procedure["protocol"]["version"] == 2  # the newest shipped default
    assert PHIAccess.objects.filter(actor=cast.carol, patient=cast.alice_profile).exists()
    # Alice sees it on her own timeline
    mine = client_for(cast.alice).get("/api/v1/me/procedures").json()
    assert [p["id"] for p in mine] == [procedure["id"]]


@pytest.mark.parametrize(
    ("levels", "field"),
    [
        (["L6-S1"], "levels.0"),
        (["L4-L5", "L4-L5"], "levels"),
        ([], "levels"),
        ("L4-L5", "levels"),
    ],
)
def test_levels_must_be_distinct_lumbar_levels(cast, client_for, levels, field):
    response = _schedule(client_for(cast.carol), cast.alice.pk, levels=levels)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"side": "middle"}, "side"),
        ({"anaesthesia": "general"}, "anaesthesia"),
        ({"procedure_date": "2027-02-30"}, "procedure_date"),
        ({"status": "done"}, "status"),
    ],
)
def test_other_bad_procedure_input_is_refused(cast, client_for, fields, field):
    response = _schedule(client_for(cast.carol), cast.alice.pk, **fields)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Procedure.objects.exists()


def test_performing_clinician_must_belong_to_the_patients_clinic(cast, client_for):
    response = _schedule(client_for(cast.carol), cast.alice.pk, performed_by=str(cast.erin.pk))

    assert response.status_code == 400
    assert "performed_by" in response.json()["errors"]
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("who", ["dave", "erin", "grace"])
def test_staff_who_cannot_see_the_patient_get_404(cast, client_for, who):
    response = _schedule(client_for(getattr(cast, who)), cast.alice.pk)

    assert response.status_code == 404
    assert not Procedure.objects.exists()


def test_clinic_admin_can_schedule_for_any_patient_of_the_clinic(cast, client_for):
    assert _schedule(client_for(cast.frank), cast.alice.pk).status_code == 201


def test_patient_cannot_schedule_or_complete_their_own_procedure(cast, client_for):
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=dt.date(2026, 11, 1))
    alice = client_for(cast.alice)

    assert _schedule(alice, cast.alice.pk).status_code == 403
    assert _complete(alice, procedure).status_code == 403
    assert Procedure.objects.get().status == "scheduled"


# --- Marking done -----------------------------------------------------------------------------------------------------


def test_marking_done_lays_out_the_enabled_milestones_from_the_procedure_date(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 15), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=dt.date(2027, 5, 10))

    response = _complete(client_for(cast.carol), procedure)

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done"
    assert response.json()["completed_at"] == "2027-05-10T19:00:00Z"
    windows = {
        m.key: (m.opens_on, m.target_on, m.closes_on) for m in PatientMilestone.objects.filter(procedure=procedure)
    }
    assert windows == {
        "weeks_2_3": (dt.date(2027, 5, 24), dt.date(2027, 5, 24), dt.date(2027, 5, 31)),
        "weeks_6_8": (dt.date(2027, 6, 21), dt.date(2027, 6, 21), dt.date(2027, 7, 5)),
        "month_6": (dt.date(2027, 10, 25), dt.date(2027, 11, 8), dt.date(2027, 12, 6)),
        "year_1": (dt.date(2028, 4, 9), dt.date(2028, 5, 9), dt.date(2028, 6, 8)),
        "year_2": (dt.date(2029, 4, 9), dt.date(2029, 5, 9), dt.date(2029, 6, 8)),
    }  # 3 months is off in the default protocol


def test_the_procedure_day_is_the_patients_own_date(cast, client_for, time_machine):
    # Bob lives in Berlin: at 22:30 UTC on 10 May it is already 00:30 on 11 May for him.
    time_machine.move_to(utc(2027, 5, 10, 22, 30), tick=False)
    bobs = ProcedureFactory(patient=cast.bob.patient_profile, procedure_date=dt.date(2027, 5, 11))
    # Alice lives in New York: at 02:00 UTC on 11 May it is still 22:00 on 10 May for her.
    alices = ProcedureFactory(patient=cast.alice_profile, procedure_date=dt.date(2027, 5, 11))

    assert _complete(client_for(cast.dave), bobs).status_code == 200
    time_machine.move_to(utc(2027, 5, 11, 2), tick=False)
    refused = _complete(client_for(cast.carol), alices)

    assert refused.status_code == 400
    assert "future" in refused.json()["errors"]["procedure_date"][0]
    assert Procedure.objects.get(pk=alices.pk).status == "scheduled"
    assert not PatientMilestone.objects.filter(procedure=alices).exists()
    # the milestones of Bob's procedure count from his date, 11 May
    assert PatientMilestone.objects.get(procedure=bobs, key="weeks_2_3").opens_on == dt.date(2027, 5, 25)


def test_marking_done_twice_changes_nothing(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 15), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=dt.date(2027, 5, 10))
    first = _complete(client_for(cast.carol), procedure).json()

    time_machine.move_to(local(NEW_YORK, 2027, 5, 11, 9), tick=False)
    second = _complete(client_for(cast.carol), procedure)

    assert second.status_code == 200
    assert second.json() == first
    assert PatientMilestone.objects.filter(procedure=procedure).count() == 5


def test_a_cancelled_procedure_cannot_be_marked_done(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 15), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=dt.date(2027, 5, 10))
    carol = client_for(cast.carol)
    assert carol.post(f"{_procedures(cast.alice.pk)}/{procedure.pk}/cancel").json()["status"] == "cancelled"

    response = _complete(carol, procedure)

    assert response.status_code == 409
    assert response.json()["detail"] == "A cancelled procedure cannot be marked done."
    assert Procedure.objects.get().status == "cancelled"
    assert not PatientMilestone.objects.exists()


def test_a_done_procedure_cannot_be_cancelled_or_moved(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 15), tick=False)
    procedure = procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))
    carol = client_for(cast.carol)
    url = f"{_procedures(cast.alice.pk)}/{procedure.pk}"

    assert carol.post(f"{url}/cancel").status_code == 409
    moved = carol.patch(url, {"procedure_date": "2027-05-12"}, format="json")
    assert moved.status_code == 409
    assert "procedure_date" in moved.json()["errors"]
    # notes can still be added
    assert carol.patch(url, {"notes": "Healing well."}, format="json").json()["notes"] == "Healing well."
    assert Procedure.objects.get().procedure_date == dt.date(2027, 5, 10)


def test_staff_who_cannot_see_the_patient_cannot_complete_their_procedure(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 15), tick=False)
    procedure = ProcedureFactory(patient=cast.alice_profile, procedure_date=dt.date(2027, 5, 10))

    assert _complete(client_for(cast.dave), procedure).status_code == 404
    assert _complete(client_for(cast.erin), procedure).status_code == 404
    assert client_for(cast.dave).get(f"{_procedures(cast.alice.pk)}/{procedure.pk}").status_code == 404
    assert Procedure.objects.get().status == "scheduled"


# --- Repeated procedures ----------------------------------------------------------------------------------------------


def test_a_repeated_procedure_drives_the_timeline_and_the_first_stays_readable(cast, client_for, time_machine):
    # given a first episode in January and a second in May, when symptoms came back
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 9), tick=False)
    first = procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 1, 11), levels=["L3-L4"])
    second = procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10), levels=["L4-L5"])
    alice = client_for(cast.alice)

    # then today is day 10 of the second
    summary = alice.get("/api/v1/me/recovery").json()
    assert summary["procedure"]["id"] == str(second.pk)
    assert summary["day"] == 10
    assert summary["next_milestone"]["key"] == "weeks_2_3"
    assert summary["next_milestone"]["opens_on"] == "2027-05-24"
    # and both episodes, with their own milestones, stay readable
    assert [p["id"] for p in alice.get("/api/v1/me/procedures").json()] == [str(second.pk), str(first.pk)]
    milestones = alice.get("/api/v1/me/milestones").json()
    assert len(milestones) == 10
    first_episode = {m["key"]: m for m in milestones if m["opens_on"] < "2027-05-10"}
    assert first_episode["weeks_2_3"]["opens_on"] == "2027-01-25"
    assert first_episode["weeks_2_3"]["status"] == "missed"
    carol = client_for(cast.carol)
    assert carol.get(f"{_procedures(cast.alice.pk)}/{first.pk}").json()["levels"] == ["L3-L4"]


def test_a_later_scheduled_procedure_does_not_take_over_before_it_is_done(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 9), tick=False)
    first = procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))
    ProcedureFactory(patient=cast.alice_profile, procedure_date=dt.date(2027, 6, 1))

    summary = client_for(cast.alice).get("/api/v1/me/recovery").json()

    assert summary["procedure"]["id"] == str(first.pk)
    assert summary["upcoming_procedure"]["procedure_date"] == "2027-06-01"


# --- Milestone status over time ---------------------------------------------------------------------------------------


def _status(client, key: str, procedure) -> str:
    milestones = client.get("/api/v1/me/milestones").json()
    return next(m["status"] for m in milestones if m["key"] == key and m["opens_on"] >= str(procedure.procedure_date))


@pytest.mark.parametrize(
    ("instant", "status"),
    [
        (utc(2027, 5, 24, 3, 59), "upcoming"),  # 23:59 on 23 May in New York: day 13
        (utc(2027, 5, 24, 4, 0), "open"),  # midnight in New York: day 14, the window opens
        (local(NEW_YORK, 2027, 5, 31, 23, 59), "open"),  # the last day of the window
        (local(NEW_YORK, 2027, 6, 1, 0, 0), "overdue"),
        (local(NEW_YORK, 2027, 6, 14, 23, 59), "overdue"),  # 14 days of grace
        (local(NEW_YORK, 2027, 6, 15, 0, 0), "missed"),
    ],
)
def test_milestone_status_follows_the_calendar_in_the_patients_zone(cast, client_for, time_machine, instant, status):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 9), tick=False)
    procedure = procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))

    time_machine.move_to(instant, tick=False)

    alice = client_for(cast.alice)
    assert _status(alice, "weeks_2_3", procedure) == status
    assert _status(alice, "weeks_6_8", procedure) == "upcoming"


def test_a_milestone_is_completed_once_its_measures_are_in(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 9), tick=False)
    procedure = procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))
    alice = client_for(cast.alice)

    # an overdue milestone can still be done, and then it is completed for good
    time_machine.move_to(local(NEW_YORK, 2027, 6, 3, 10), tick=False)
    assert _status(alice, "weeks_2_3", procedure) == "overdue"
    record_measures(alice, "weeks_2_3", pain=(3, 3), odi_level=2, zcq_level=(2, 2))

    assert _status(alice, "weeks_2_3", procedure) == "completed"
    time_machine.move_to(local(NEW_YORK, 2027, 8, 1, 10), tick=False)
    assert _status(client_for(cast.alice), "weeks_2_3", procedure) == "completed"
    carol_view = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}/milestones").json()
    weeks_2_3 = next(m for m in carol_view if m["key"] == "weeks_2_3")
    assert weeks_2_3["assessments_done"] == ["odi", "pain", "tolerance", "zcq"]
    assert weeks_2_3["completed_at"] == "2027-06-03T14:00:00Z"


def test_procedures_start_on_the_protocol_current_at_scheduling(cast):
    procedure = services.procedure_schedule(
        patient=cast.alice_profile,
        by=cast.carol,
        procedure_date=dt.date(2027, 5, 10),
        levels=["L4-L5"],
        side="left",
        anaesthesia="local",
    )

    assert procedure.protocol == default_protocol()
    assert procedure.created_by == cast.carol
