"""Caregivers: invited by the patient (or her clinic, with her consent), granted per patient, acting through the
patient's /me/... routes with the X-Patient header, PHI-logged, recorded as `entered_by`, and cut off at once."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail

from accounts.models import CaregiverLink, Invitation, PatientProfile, PHIAccess, Role, User
from exercises.models import ExerciseRecord
from exercises.selectors import exercise_occurrences_on
from recovery.models import Assessment, CheckIn, CheckInRevision
from tests.accounts.support import ACCEPT, STRONG_PASSWORD, last_invitation_token
from tests.support import checkin_body, procedure_done

pytestmark = pytest.mark.clock_sensitive

ANNA = "anna@family.example"
NOW = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)  # 09:00 in New York, where Alice lives
INVITE = "/api/v1/me/caregivers"


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def anna_body(**fields):
    return {"full_name": "Anna Ellis", "email": ANNA, "relationship": "daughter", "grants": ["view", "log"], **fields}


@pytest.fixture
def anna(cast, client_for, committing, api) -> User:
    """Alice invited her daughter Anna (view and log), and Anna accepted."""
    response = committing(lambda: client_for(cast.alice).post(INVITE, anna_body(), format="json"))
    assert response.status_code == 201, response.json()
    accepted = api.post(ACCEPT, {"token": last_invitation_token(ANNA), "password": STRONG_PASSWORD}, format="json")
    assert accepted.status_code == 200, accepted.json()
    return User.objects.get(email=ANNA)


def as_caregiver(client_for, user: User, patient: User):
    client = client_for(user)
    client.credentials(HTTP_X_PATIENT=str(patient.pk))
    return client


def test_a_patient_invites_a_caregiver_with_the_same_invitation_rules(cast, client_for, committing):
    # When Alice invites her daughter
    response = committing(lambda: client_for(cast.alice).post(INVITE, anna_body(), format="json"))

    # Then Anna has an account of her own, inactive until she accepts, and a link to Alice with what Alice granted
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["full_name"], body["relationship"], body["grants"], body["status"]) == (
        "Anna Ellis",
        "daughter",
        ["view", "log"],
        "invited",
    )
    anna = User.objects.get(email=ANNA)
    assert (anna.role, anna.is_active, anna.clinic_id) == (Role.CAREGIVER, False, cast.riverside.pk)
    # And the invitation is single use, stored hashed, for 7 days, mailed with Alice's name
    invitation = Invitation.objects.get(user=anna)
    token = last_invitation_token(ANNA)
    assert invitation.token_hash == Invitation.hash_token(token) and token not in invitation.token_hash
    assert invitation.expires_at == NOW + dt.timedelta(days=7)
    assert "Alice Adams would like you to help" in mail.outbox[-1].body


def test_resend_rotates_the_link_and_revoke_withdraws_it(cast, client_for, committing):
    alice = client_for(cast.alice)
    link_id = committing(lambda: alice.post(INVITE, anna_body(), format="json")).json()["id"]
    first = last_invitation_token(ANNA)

    resent = committing(lambda: alice.post(f"{INVITE}/{link_id}/resend"))

    assert resent.status_code == 200, resent.json()
    second = last_invitation_token(ANNA)
    assert second != first
    assert Invitation.objects.get(user__email=ANNA).send_count == 2
    # Removing Anna before she accepted withdraws the invitation too: the link no longer works
    assert alice.post(f"{INVITE}/{link_id}/revoke").json()["status"] == "removed"
    refused = client_for(None).post(ACCEPT, {"token": second, "password": STRONG_PASSWORD}, format="json")
    assert refused.status_code == 400
    assert not User.objects.get(email=ANNA).is_active


def test_a_granted_caregiver_reads_the_patients_recovery_and_each_read_is_logged(cast, anna, client_for):
    procedure_done(cast.alice_profile, cast.carol, dt.date(2026, 3, 8))
    client = as_caregiver(client_for, anna, cast.alice)

    for url in ("/api/v1/me/recovery", "/api/v1/me/checkins", "/api/v1/me/milestones", "/api/v1/me/exercises/today"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.json())
    assert client.get("/api/v1/me/recovery").json()["day"] == 2

    # Each read is logged like a clinician's, for Alice
    rows = list(PHIAccess.objects.filter(actor=anna))
    assert len(rows) == 5
    assert {row.patient_id for row in rows} == {cast.alice.pk}
    assert {row.resource for row in rows} >= {"caregiver:me-recovery", "caregiver:me-checkin-list"}
    # And her own list of whom she helps names Alice, as her daughter
    caring = client_for(anna).get("/api/v1/me/caring-for").json()
    assert [(c["full_name"], c["relationship"]) for c in caring] == [("Alice Adams", "daughter")]


def test_a_caregivers_check_in_says_who_entered_it_and_the_clinician_sees_it(cast, anna, client_for):
    procedure_done(cast.alice_profile, cast.carol, dt.date(2026, 3, 8))
    client = as_caregiver(client_for, anna, cast.alice)
    checkin_id = uuid.uuid4()

    # When Anna fills in Alice's check-in for today, then corrects it
    created = client.put(f"/api/v1/me/checkins/{checkin_id}", checkin_body(dt.date(2026, 3, 10)), format="json")
    assert created.status_code == 201, created.json()
    changed = client.put(
        f"/api/v1/me/checkins/{checkin_id}",
        checkin_body(dt.date(2026, 3, 10), back_pain=2),
        format="json",
        HTTP_IF_MATCH=created["ETag"],
    )
    assert changed.status_code == 200, changed.json()

    # Then the check-in is Alice's, and it and both its revisions say Anna entered them
    checkin = CheckIn.objects.get(pk=checkin_id)
    assert checkin.patient_id == cast.alice.pk
    assert checkin.entered_by is not None and checkin.entered_by.label == "Anna Ellis, daughter"
    assert [r.entered_by_id for r in CheckInRevision.objects.filter(checkin=checkin)] == [checkin.entered_by_id] * 2
    # And Dr Carol sees "entered by Anna Ellis, daughter"
    shown = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}/checkins/{checkin_id}").json()
    assert shown["entered_by"] == {"name": "Anna Ellis", "relationship": "daughter", "shown_as": "Anna Ellis, daughter"}
    assert [r["entered_by"]["shown_as"] for r in shown["revisions"]] == ["Anna Ellis, daughter"] * 2
    [edit] = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}/timeline").json()["checkin_revisions"]
    assert (edit["changed_by"]["full_name"], edit["entered_by"]["shown_as"]) == ("Anna Ellis", "Anna Ellis, daughter")
    # While Alice's own check-ins say nobody else entered them (she joined a week ago)
    PatientProfile.objects.filter(user=cast.alice).update(enrolled_at=NOW - dt.timedelta(days=7))
    own = client_for(cast.alice).put(
        f"/api/v1/me/checkins/{uuid.uuid4()}", checkin_body(dt.date(2026, 3, 9)), format="json"
    )
    assert own.status_code == 201, own.json()
    assert own.json()["entered_by"] is None


def test_a_caregivers_exercise_session_says_who_recorded_it(cast, anna, client_for):
    procedure_done(cast.alice_profile, cast.carol, dt.date(2026, 2, 28))
    key = exercise_occurrences_on(cast.alice_profile, dt.date(2026, 3, 9))[0].key

    response = as_caregiver(client_for, anna, cast.alice).put(
        f"/api/v1/me/exercises/occurrences/{key}",
        {"state": "done", "pain_during": 2, "difficulty": "ok"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["entered_by"]["shown_as"] == "Anna Ellis, daughter"
    assert ExerciseRecord.objects.get(patient=cast.alice_profile).entered_by.caregiver == anna


def test_assessments_need_their_own_grant_and_record_who_helped(cast, anna, client_for):
    from recovery import services

    services.procedure_schedule(
        patient=cast.alice_profile, by=cast.carol, procedure_date=dt.date(2026, 3, 12), levels=["L4-L5"],
        side="bilateral", anaesthesia="local",
    )  # fmt: skip
    client = as_caregiver(client_for, anna, cast.alice)
    baseline = {"instrument": "pain", "timepoint": "baseline", "answers": {"back_pain": 6, "leg_pain": 7}}

    # Without the "assessments" grant: refused, with why, and nothing stored
    refused = client.post("/api/v1/me/assessments", baseline, format="json")
    assert refused.status_code == 403
    assert "questionnaires" in refused.json()["detail"]
    assert not Assessment.objects.exists()

    # When Alice grants it, Anna may help, and the measure says so
    link = CaregiverLink.objects.get(caregiver=anna)
    granted = client_for(cast.alice).patch(
        f"{INVITE}/{link.pk}", {"grants": ["view", "log", "assessments"]}, format="json"
    )
    assert granted.status_code == 200, granted.json()
    recorded = client.post("/api/v1/me/assessments", baseline, format="json")
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["entered_by"]["shown_as"] == "Anna Ellis, daughter"
    assert Assessment.objects.get().recorded_by == anna


def test_without_the_log_grant_a_caregiver_may_look_but_not_write(cast, anna, client_for):
    link = CaregiverLink.objects.get(caregiver=anna)
    client_for(cast.alice).patch(f"{INVITE}/{link.pk}", {"grants": ["view"]}, format="json")
    client = as_caregiver(client_for, anna, cast.alice)

    response = client.put(f"/api/v1/me/checkins/{uuid.uuid4()}", checkin_body(dt.date(2026, 3, 10)), format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == "Alice has not asked you to fill in check-ins and exercise sessions for them."
    assert not CheckIn.objects.exists()
    assert client.get("/api/v1/me/checkins").status_code == 200


def test_revoking_takes_effect_on_the_next_request(cast, anna, client_for):
    client = as_caregiver(client_for, anna, cast.alice)
    assert client.get("/api/v1/me/recovery").status_code == 200
    link = CaregiverLink.objects.get(caregiver=anna)

    # When Alice removes Anna
    assert client_for(cast.alice).post(f"{INVITE}/{link.pk}/revoke").status_code == 200

    # Then Anna's very next requests are 404, whatever they ask, and a write stores nothing
    for url in (
        "/api/v1/me/recovery",
        f"/api/v1/patients/{cast.alice.pk}",
        f"/api/v1/patients/{cast.alice.pk}/recovery",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    written = client.put(f"/api/v1/me/checkins/{uuid.uuid4()}", checkin_body(dt.date(2026, 3, 10)), format="json")
    assert written.status_code == 404
    assert not CheckIn.objects.exists()
    assert client.get("/api/v1/patients").json()["count"] == 0
    assert client_for(anna).get("/api/v1/me/caring-for").json() == []


def test_a_caregiver_never_reaches_another_patient_nor_the_clinicians_tools(cast, anna, client_for):
    # Anna naming Bob, or reading his record: 404 as for anyone's who is not hers to see
    assert as_caregiver(client_for, anna, cast.bob).get("/api/v1/me/recovery").status_code == 404
    client = as_caregiver(client_for, anna, cast.alice)
    assert client.get(f"/api/v1/patients/{cast.bob.pk}/recovery").status_code == 404
    # Alice's own record she reads as Alice does; the clinicians' tools and the PHI log are refused
    assert client.get(f"/api/v1/patients/{cast.alice.pk}/recovery").status_code == 200
    for url in ("/api/v1/alerts", "/api/v1/audit/phi-access", "/api/v1/clinician/patients"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/api/v1/patients/{cast.alice.pk}/timeline").status_code == 403
    # And the patient-only actions are hers alone
    assert client.get("/api/v1/me/export").status_code == 403
    assert client.get(INVITE).status_code == 403


def test_one_person_helps_several_patients_and_a_patient_has_several_caregivers(cast, anna, client_for, committing):
    # Bob invites Anna too (she already has an account) and Alice adds her son
    response = committing(
        lambda: client_for(cast.bob).post(INVITE, anna_body(relationship="neighbour", grants=["view"]), format="json")
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "active"
    son = anna_body(full_name="Tom Adams", email="tom@family.example", relationship="son")
    assert committing(lambda: client_for(cast.alice).post(INVITE, son, format="json")).status_code == 201

    assert User.objects.filter(email=ANNA).count() == 1
    caring = client_for(anna).get("/api/v1/me/caring-for").json()
    assert {(c["full_name"], c["relationship"]) for c in caring} == {
        ("Alice Adams", "daughter"),
        ("Bob Baker", "neighbour"),
    }
    assert [c["full_name"] for c in client_for(cast.alice).get(INVITE).json()] == ["Anna Ellis", "Tom Adams"]


def test_the_clinic_invites_only_with_the_patients_consent_recorded(cast, client_for, committing):
    url = f"/api/v1/patients/{cast.alice.pk}/caregivers"
    carol = client_for(cast.carol)

    without = carol.post(url, {**anna_body(), "consent": False}, format="json")
    assert without.status_code == 400
    assert "consent" in without.json()["errors"]
    assert not User.objects.filter(email=ANNA).exists()

    with_consent = committing(lambda: carol.post(url, {**anna_body(), "consent": True}, format="json"))
    assert with_consent.status_code == 201, with_consent.json()
    link = CaregiverLink.objects.get(caregiver__email=ANNA)
    assert (link.consent_recorded_by, link.consent_recorded_at, link.invited_by) == (cast.carol, NOW, cast.carol)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (anna_body(email="carol@riverside.example"), "email", "belongs to a member of clinic staff"),
        (anna_body(email="bob@patients.example"), "email", "belongs to a patient's own account"),
        (anna_body(grants=["view", "drive"]), "grants", 'There is no such grant: "drive"'),
        (anna_body(relationship="  "), "relationship", ""),
    ],
    ids=["a-clinician", "a-patient", "no-such-grant", "blank-relationship"],
)
def test_bad_invitations_are_refused_with_a_clear_message_and_nothing_stored(cast, client_for, body, field, message):
    users = User.objects.count()

    response = client_for(cast.alice).post(INVITE, body, format="json")

    assert response.status_code == 400, response.json()
    assert message in " ".join(response.json()["errors"][field])
    assert (User.objects.count(), CaregiverLink.objects.count(), Invitation.objects.count()) == (users, 0, 0)


def test_a_grant_that_does_not_exist_is_refused_when_changing_grants(cast, anna, client_for):
    link = CaregiverLink.objects.get(caregiver=anna)

    response = client_for(cast.alice).patch(f"{INVITE}/{link.pk}", {"grants": ["view", "everything"]}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["grants"] == [
        'There is no such grant: "everything". Choose from: view, log, reminders, assessments.'
    ]
    link.refresh_from_db()
    assert link.grants == ["view", "log"]


def test_a_caregiver_must_say_which_patient_they_are_helping(cast, anna, client_for):
    missing = client_for(anna).get("/api/v1/me/recovery")
    assert missing.status_code == 400
    assert "X-Patient" in missing.json()["errors"]
    client = client_for(anna)
    client.credentials(HTTP_X_PATIENT="not-an-id")
    assert client.get("/api/v1/me/recovery").status_code == 400
    assert not PHIAccess.objects.filter(actor=anna).exists()
