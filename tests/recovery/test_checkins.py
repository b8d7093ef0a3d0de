"""Daily check-ins, written offline-safe: the app makes the id, PUT creates or replays, edits carry the version."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid

import pytest
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import PHIAccess
from recovery.models import Alert, CheckIn, CheckInRevision
from tests.factories import CheckInFactory
from tests.recovery.support import CHECKINS, NEW_YORK, put_checkin
from tests.support import checkin_body, local, procedure_done, utc

pytestmark = pytest.mark.clock_sensitive

TODAY = dt.date(2027, 5, 20)  # day 10 after Alice's procedure


@pytest.fixture
def day_10(cast, time_machine):
    """Alice, 10 days after her procedure, at noon in New York."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 10, 9), tick=False)
    procedure = procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 12), tick=False)
    return procedure


def _counts() -> tuple[int, int, int]:
    return CheckIn.objects.count(), CheckInRevision.objects.count(), Alert.objects.count()


# --- Creating and replaying -------------------------------------------------------------------------------------------


def test_put_creates_the_checkin_with_the_clients_and_the_servers_times(cast, client_for, day_10):
    checkin_id = uuid.uuid4()
    # filled in on the phone at 07:45 this morning, sent at noon when the phone got a signal
    body = checkin_body(TODAY, recorded_at="2027-05-20T07:45:00-04:00", note="Walked to the corner shop.")

    response = put_checkin(client_for(cast.alice), body, checkin_id)

    assert response.status_code == 201, response.json()
    assert response["ETag"] == f'"{checkin_id}-v1"'
    stored = response.json()
    assert stored["id"] == str(checkin_id)
    assert stored["day"] == 10
    assert stored["version"] == 1
    assert stored["etag"] == response["ETag"]
    assert stored["recorded_at"] == "2027-05-20T11:45:00Z"
    assert stored["received_at"] == "2027-05-20T16:00:00Z"
    assert stored["instruction"] is None
    assert {k: stored[k] for k in body if k != "recorded_at"} == {k: v for k, v in body.items() if k != "recorded_at"}
    checkin = CheckIn.objects.get()
    assert checkin.procedure == day_10
    assert checkin.revisions.get().version == 1


def test_the_server_sets_received_at_whatever_the_client_sends(cast, client_for, day_10):
    response = put_checkin(client_for(cast.alice), checkin_body(TODAY, received_at="2020-01-01T00:00:00Z"))

    assert response.status_code == 400
    assert response.json()["errors"] == {"received_at": ["Unknown field."]}
    assert _counts() == (0, 0, 0)


def test_the_identical_request_again_returns_the_same_response_and_stores_nothing(
    cast, client_for, time_machine, day_10
):
    checkin_id = uuid.uuid4()
    body = checkin_body(TODAY, recorded_at="2027-05-20T07:45:00-04:00", red_flags=["fever_chills"])
    first = put_checkin(client_for(cast.alice), body, checkin_id)
    counts = _counts()

    # the app did not hear back and sends it again five minutes later
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 12, 5), tick=False)
    again = put_checkin(client_for(cast.alice), body, checkin_id)

    assert (again.status_code, again.content, again["ETag"]) == (first.status_code, first.content, first["ETag"])
    assert again.status_code == 201
    assert _counts() == counts == (1, 1, 1)


def test_a_replay_without_recorded_at_is_still_a_replay(cast, client_for, time_machine, day_10):
    # An app that does not send the device's time: the server's time stands in for it, and the replay must match.
    checkin_id = uuid.uuid4()
    body = checkin_body(TODAY)
    first = put_checkin(client_for(cast.alice), body, checkin_id)
    assert first.json()["recorded_at"] == "2027-05-20T16:00:00Z"

    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 12, 30), tick=False)
    again = put_checkin(client_for(cast.alice), body, checkin_id)

    assert again.status_code == 201, again.json()
    assert again.content == first.content
    assert _counts() == (1, 1, 0)


def test_the_same_body_with_symptoms_in_another_order_is_a_replay(cast, client_for, day_10):
    checkin_id = uuid.uuid4()
    first = put_checkin(client_for(cast.alice), checkin_body(TODAY, symptoms=["numbness", "tingling"]), checkin_id)

    again = put_checkin(client_for(cast.alice), checkin_body(TODAY, symptoms=["tingling", "numbness"]), checkin_id)

    assert again.content == first.content
    assert _counts() == (1, 1, 0)


# --- Changing a stored check-in ---------------------------------------------------------------------------------------


def test_changing_a_checkin_needs_the_current_version(cast, client_for, time_machine, day_10):
    checkin_id = uuid.uuid4()
    alice = client_for(cast.alice)
    created = put_checkin(alice, checkin_body(TODAY, recorded_at="2027-05-20T07:45:00-04:00"), checkin_id)
    etag = created["ETag"]
    # edited on the phone at 17:55 and sent at 18:00
    changed = checkin_body(TODAY, back_pain=6, note="Worse after gardening.", recorded_at="2027-05-20T17:55:00-04:00")

    # without If-Match: 428, nothing changes
    missing = put_checkin(alice, changed, checkin_id)
    assert missing.status_code == 428
    # with a version that is not the current one: 412, nothing changes
    stale = put_checkin(alice, changed, checkin_id, if_match=f'"{checkin_id}-v7"')
    assert stale.status_code == 412
    assert CheckIn.objects.get().version == 1
    assert _counts() == (1, 1, 0)

    # with the current version: changed, as version 2, and the revision says what changed, who and when
    time_machine.move_to(local(NEW_YORK, 2027, 5, 20, 18), tick=False)
    updated = put_checkin(alice, changed, checkin_id, if_match=etag)

    assert updated.status_code == 200, updated.json()
    assert updated["ETag"] == f'"{checkin_id}-v2"'
    assert updated.json()["version"] == 2
    assert updated.json()["back_pain"] == 6
    assert updated.json()["received_at"] == created.json()["received_at"]
    assert updated.json()["updated_at"] == "2027-05-20T22:00:00Z"
    revision = CheckInRevision.objects.get(version=2)
    assert revision.changes == {
        "back_pain": [4, 6],
        "note": ["", "Worse after gardening."],
        "recorded_at": ["2027-05-20T11:45:00+00:00", "2027-05-20T21:55:00+00:00"],
    }
    assert revision.changed_by == cast.alice
    assert revision.changed_at == utc(2027, 5, 20, 22)
    assert revision.snapshot["back_pain"] == 6
    # the old ETag is stale now
    assert put_checkin(alice, checkin_body(TODAY, back_pain=7), checkin_id, if_match=etag).status_code == 412
    # and the update, sent again, is a replay answered with the stored result
    replay = put_checkin(alice, changed, checkin_id, if_match=etag)
    assert (replay.status_code, replay.content) == (200, updated.content)
    assert _counts() == (1, 2, 0)


def test_a_weak_etag_is_accepted(cast, client_for, day_10):
    checkin_id = uuid.uuid4()
    alice = client_for(cast.alice)
    etag = put_checkin(alice, checkin_body(TODAY), checkin_id)["ETag"]

    response = put_checkin(alice, checkin_body(TODAY, leg_pain=2), checkin_id, if_match=f"W/{etag}")

    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_the_date_of_a_checkin_cannot_change(cast, client_for, day_10):
    checkin_id = uuid.uuid4()
    alice = client_for(cast.alice)
    etag = put_checkin(alice, checkin_body(TODAY), checkin_id)["ETag"]

    response = put_checkin(alice, checkin_body(TODAY - dt.timedelta(days=1)), checkin_id, if_match=etag)

    assert response.status_code == 400
    assert "local_date" in response.json()["errors"]
    assert CheckIn.objects.get().local_date == TODAY


def test_a_second_checkin_for_the_same_day_is_refused_naming_the_first(cast, client_for, day_10):
    first_id = uuid.uuid4()
    put_checkin(client_for(cast.alice), checkin_body(TODAY), first_id)

    response = put_checkin(client_for(cast.alice), checkin_body(TODAY, back_pain=2))

    assert response.status_code == 409
    assert response.json()["existing_id"] == str(first_id)
    assert _counts() == (1, 1, 0)


# --- Which days can be recorded ---------------------------------------------------------------------------------------


def test_backfill_reaches_back_seven_days(cast, client_for, day_10):
    alice = client_for(cast.alice)

    week_ago = put_checkin(alice, checkin_body(TODAY - dt.timedelta(days=7)))
    too_old = put_checkin(alice, checkin_body(TODAY - dt.timedelta(days=8)))

    assert week_ago.status_code == 201
    assert week_ago.json()["day"] == 3
    assert too_old.status_code == 400
    assert "last 7 days" in too_old.json()["errors"]["local_date"][0]
    assert CheckIn.objects.count() == 1


def test_the_backfill_window_is_configurable(cast, client_for, settings, day_10):
    settings.CHECKIN_BACKFILL_DAYS = 2
    alice = client_for(cast.alice)

    assert put_checkin(alice, checkin_body(TODAY - dt.timedelta(days=2))).status_code == 201
    assert put_checkin(alice, checkin_body(TODAY - dt.timedelta(days=3))).status_code == 400


def test_tomorrow_in_the_patients_zone_is_refused_even_when_it_is_today_in_utc(cast, client_for, time_machine):
    # 02:00 UTC on 21 May is 22:00 on 20 May in New York.
    time_machine.move_to(utc(2027, 5, 21, 2), tick=False)
    alice = client_for(cast.alice)

    future = put_checkin(alice, checkin_body(dt.date(2027, 5, 21)))
    today = put_checkin(alice, checkin_body(dt.date(2027, 5, 20)))

    assert future.status_code == 400
    assert "future" in future.json()["errors"]["local_date"][0]
    assert today.status_code == 201
    assert CheckIn.objects.get().local_date == dt.date(2027, 5, 20)


def test_today_in_the_patients_zone_is_accepted_while_it_is_still_yesterday_in_utc(cast, client_for, time_machine):
    # 22:30 UTC on 20 May is 00:30 on 21 May in Berlin.
    time_machine.move_to(utc(2027, 5, 20, 22, 30), tick=False)

    response = put_checkin(client_for(cast.bob), checkin_body(dt.date(2027, 5, 21)))

    assert response.status_code == 201, response.json()
    assert response.json()["day"] is None  # Bob has no procedure yet


def test_days_before_enrolment_are_refused(cast, client_for, time_machine):
    # Alice joined at 10:00 on 15 May, New York time (14:00 UTC).
    cast.alice_profile.enrolled_at = local(NEW_YORK, 2027, 5, 15, 10)
    cast.alice_profile.save()
    time_machine.move_to(local(NEW_YORK, 2027, 5, 17, 9), tick=False)
    alice = client_for(cast.alice)

    before = put_checkin(alice, checkin_body(dt.date(2027, 5, 14)))
    enrolment_day = put_checkin(alice, checkin_body(dt.date(2027, 5, 15)))

    assert before.status_code == 400
    assert "before you joined" in before.json()["errors"]["local_date"][0]
    assert enrolment_day.status_code == 201


def test_a_recorded_at_far_in_the_future_is_refused(cast, client_for, day_10):
    response = put_checkin(client_for(cast.alice), checkin_body(TODAY, recorded_at="2027-05-25T09:00:00Z"))

    assert response.status_code == 400
    assert "recorded_at" in response.json()["errors"]


# --- Bad input --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"back_pain": 11}, "back_pain"),
        ({"back_pain": -1}, "back_pain"),
        ({"leg_pain": 2.5}, "leg_pain"),
        ({"leg_pain": "abc"}, "leg_pain"),
        ({"leg_pain": None}, "leg_pain"),
        ({"walking_minutes": -1}, "walking_minutes"),
        ({"walking_minutes": 1441}, "walking_minutes"),
        ({"standing_minutes": 1441}, "standing_minutes"),
        ({"steps": -5}, "steps"),
        ({"medication": "morphine"}, "medication"),
        ({"symptoms": ["numbness", "headache"]}, "symptoms.1"),
        ({"symptoms": "numbness"}, "symptoms"),
        ({"red_flags": ["feeling_dizzy"]}, "red_flags.0"),
        ({"mood": "cheerful"}, "mood"),
        ({"note": "x" * 1001}, "note"),
        ({"note": "nul\x00byte"}, "note"),
        ({"local_date": "2027-02-30"}, "local_date"),
        ({"local_date": None}, "local_date"),
        ({"recorded_at": "yesterday"}, "recorded_at"),
    ],
)
def test_bad_input_is_refused_with_a_message_for_the_field_and_nothing_stored(cast, client_for, day_10, fields, field):
    body = checkin_body(TODAY, red_flags=["fever_chills"])
    body.update(fields)

    response = put_checkin(client_for(cast.alice), body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field], errors
    assert errors[field][0]
    assert _counts() == (0, 0, 0)


def test_a_missing_field_is_refused(cast, client_for, day_10):
    body = checkin_body(TODAY)
    del body["back_pain"]

    response = put_checkin(client_for(cast.alice), body)

    assert response.status_code == 400
    assert "back_pain" in response.json()["errors"]
    assert _counts() == (0, 0, 0)


def test_a_body_over_the_size_limit_is_refused(cast, client_for, settings, day_10):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = checkin_body(TODAY, note="x" * limit)

    response = put_checkin(client_for(cast.alice), body)

    assert response.status_code == 400
    assert str(limit) in response.json()["detail"]
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        ("local_date=2027-05-20&back_pain=4", "application/x-www-form-urlencoded"),
        ("back_pain: 4", "text/plain"),
        ("<checkin/>", "application/xml"),
    ],
)
def test_a_body_that_is_not_json_is_refused_with_415(cast, client_for, day_10, content, content_type):
    response = client_for(cast.alice).put(f"{CHECKINS}/{uuid.uuid4()}", content, content_type=content_type)

    assert response.status_code == 415
    assert _counts() == (0, 0, 0)


def test_malformed_json_is_refused(cast, client_for, day_10):
    response = client_for(cast.alice).put(
        f"{CHECKINS}/{uuid.uuid4()}", '{"back_pain": 4', content_type="application/json"
    )

    assert response.status_code == 400
    assert _counts() == (0, 0, 0)


def test_a_checkin_id_that_is_not_a_uuid_is_not_found(cast, client_for, day_10):
    assert client_for(cast.alice).put(f"{CHECKINS}/today", checkin_body(TODAY), format="json").status_code == 404


# --- The note is plain text -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "<script>alert(1)</script>",
        'Walked to the shop & back.\nFelt "better" than yesterday \u2014 \U0001f60a',
        "Pain 3/10 <b>less</b> than last week; 'good' day",
    ],
)
def test_the_note_comes_back_exactly_as_written(cast, client_for, day_10, note):
    checkin_id = uuid.uuid4()
    alice = client_for(cast.alice)

    put_checkin(alice, checkin_body(TODAY, note=note), checkin_id)
    response = alice.get(f"{CHECKINS}/{checkin_id}")

    assert response.json()["note"] == note
    assert CheckIn.objects.get().note == note
    # JSON-escaped, never HTML-escaped: the raw body carries the characters themselves
    assert json.dumps(note, ensure_ascii=False).encode() in response.content
    assert b"&lt;" not in response.content and b"&amp;" not in response.content


# --- Whose check-ins --------------------------------------------------------------------------------------------------


def test_another_patients_checkin_is_not_found(cast, client_for, time_machine, day_10):
    bobs_id = uuid.uuid4()
    bobs_body = checkin_body(TODAY)
    assert put_checkin(client_for(cast.bob), bobs_body, bobs_id).status_code == 201
    alice = client_for(cast.alice)

    assert alice.get(f"{CHECKINS}/{bobs_id}").status_code == 404
    # neither a replay of Bob's body nor a change reaches Bob's check-in
    assert put_checkin(alice, bobs_body, bobs_id).status_code == 404
    assert put_checkin(alice, checkin_body(TODAY, back_pain=9), bobs_id).status_code == 404
    bobs = CheckIn.objects.get(pk=bobs_id)
    assert (bobs.patient_id, bobs.back_pain, bobs.version) == (cast.bob.pk, 4, 1)
    assert not CheckIn.objects.filter(patient=cast.alice_profile).exists()


def test_patients_list_only_their_own_checkins(cast, client_for, day_10):
    CheckInFactory(patient=cast.alice_profile, local_date=TODAY)
    CheckInFactory(patient=cast.alice_profile, local_date=TODAY - dt.timedelta(days=1))
    CheckInFactory(patient=cast.bob.patient_profile, local_date=TODAY)

    mine = client_for(cast.alice).get(CHECKINS, {"date_from": "2027-05-20"}).json()

    assert [c["local_date"] for c in mine["results"]] == ["2027-05-20"]
    all_mine = client_for(cast.alice).get(CHECKINS).json()
    assert [c["local_date"] for c in all_mine["results"]] == ["2027-05-20", "2027-05-19"]
    assert client_for(cast.alice).get(f"/api/v1/patients/{cast.bob.pk}/checkins").status_code == 404


def test_clinicians_read_their_patients_checkins_with_revisions_and_it_is_logged(cast, client_for, day_10):
    checkin_id = uuid.uuid4()
    alice = client_for(cast.alice)
    etag = put_checkin(alice, checkin_body(TODAY), checkin_id)["ETag"]
    put_checkin(alice, checkin_body(TODAY, back_pain=7), checkin_id, if_match=etag)
    carol = client_for(cast.carol)

    listed = carol.get(f"/api/v1/patients/{cast.alice.pk}/checkins")
    detail = carol.get(f"/api/v1/patients/{cast.alice.pk}/checkins/{checkin_id}")

    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()["results"]] == [str(checkin_id)]
    assert detail.status_code == 200
    assert detail.json()["back_pain"] == 7
    assert [(r["version"], r["changes"]) for r in detail.json()["revisions"]] == [(1, {}), (2, {"back_pain": [4, 7]})]
    assert detail.json()["revisions"][1]["changed_by"] == {"id": str(cast.alice.pk), "full_name": "Alice Adams"}
    logged = PHIAccess.objects.filter(actor=cast.carol, patient=cast.alice_profile)
    assert sorted(logged.values_list("resource", flat=True)) == ["recovery.checkin", "recovery.checkins"]
    # a clinic admin reads them too
    assert client_for(cast.frank).get(f"/api/v1/patients/{cast.alice.pk}/checkins").status_code == 200


@pytest.mark.parametrize("who", ["dave", "erin", "grace", "bob"])
def test_people_outside_the_care_team_get_404_for_a_patients_checkins(cast, client_for, day_10, who):
    checkin_id = uuid.uuid4()
    put_checkin(client_for(cast.alice), checkin_body(TODAY), checkin_id)
    client = client_for(getattr(cast, who))

    assert client.get(f"/api/v1/patients/{cast.alice.pk}/checkins").status_code == 404
    assert client.get(f"/api/v1/patients/{cast.alice.pk}/checkins/{checkin_id}").status_code == 404
    assert not PHIAccess.objects.filter(actor=getattr(cast, who)).exists()


def test_a_checkin_is_only_found_under_its_own_patient(cast, client_for, day_10):
    bobs_id = uuid.uuid4()
    put_checkin(client_for(cast.bob), checkin_body(TODAY), bobs_id)

    # Carol may see Alice, but Bob's check-in is not Alice's
    response = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}/checkins/{bobs_id}")

    assert response.status_code == 404


def test_staff_cannot_write_check_ins(cast, client_for, day_10):
    # Staff have no check-ins: an id under /me/checkins is "not found" for them (never 403 on a path with an id)
    for who in (cast.carol, cast.frank):
        assert put_checkin(client_for(who), checkin_body(TODAY)).status_code == 404
    assert _counts() == (0, 0, 0)


def test_anonymous_requests_are_refused(cast, day_10):
    assert put_checkin(APIClient(), checkin_body(TODAY)).status_code == 401
    assert _counts() == (0, 0, 0)


# --- Two devices at once ----------------------------------------------------------------------------------------------


def _put_at_once(users_and_requests):
    """Send each (user, checkin_id, body[, if_match]) from its own thread and database connection, released
    together."""
    clients = [APIClient() for _ in users_and_requests]
    for client, request in zip(clients, users_and_requests, strict=True):
        client.force_login(request[0])
    barrier = threading.Barrier(len(users_and_requests))
    responses: list = [None] * len(users_and_requests)

    def send(index: int) -> None:
        try:
            _, checkin_id, body, *if_match = users_and_requests[index]
            barrier.wait(timeout=10)
            responses[index] = put_checkin(clients[index], body, checkin_id, if_match=next(iter(if_match), None))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(users_and_requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(r is not None for r in responses), "a request did not finish"
    return responses


@pytest.fixture
def enrolled_last_month(cast):
    cast.alice_profile.enrolled_at = timezone.now() - dt.timedelta(days=30)
    cast.alice_profile.save()
    return cast


@pytest.mark.django_db(transaction=True)
def test_the_same_new_checkin_sent_twice_at_once_is_stored_once(cast, enrolled_last_month):
    # A phone that retries while the first request is still in flight. Five days, five races.
    today = cast.alice_profile.local_today()
    for back in range(5):
        checkin_id = uuid.uuid4()
        body = checkin_body(today - dt.timedelta(days=back), red_flags=["fall"])

        responses = _put_at_once([(cast.alice, checkin_id, body), (cast.alice, checkin_id, body)])

        assert [r.status_code for r in responses] == [201, 201], [r.content for r in responses]
        assert responses[0].content == responses[1].content
        assert responses[0]["ETag"] == responses[1]["ETag"] == f'"{checkin_id}-v1"'
        assert CheckIn.objects.filter(pk=checkin_id).count() == 1
    assert _counts() == (5, 5, 5)


@pytest.mark.django_db(transaction=True)
def test_two_new_checkins_for_the_same_day_at_once_keep_one_and_name_it(cast, enrolled_last_month):
    today = cast.alice_profile.local_today()
    for back in range(3):
        day = today - dt.timedelta(days=back)
        first, second = uuid.uuid4(), uuid.uuid4()

        responses = _put_at_once(
            [(cast.alice, first, checkin_body(day)), (cast.alice, second, checkin_body(day, back_pain=1))]
        )

        assert sorted(r.status_code for r in responses) == [201, 409], [r.content for r in responses]
        winner = next(r for r in responses if r.status_code == 201).json()["id"]
        loser = next(r for r in responses if r.status_code == 409)
        assert loser.json()["existing_id"] == winner
        assert [str(pk) for pk in CheckIn.objects.filter(local_date=day).values_list("pk", flat=True)] == [winner]
    assert _counts() == (3, 3, 0)


@pytest.mark.django_db(transaction=True)
def test_one_new_id_with_two_different_bodies_at_once_keeps_one_and_asks_the_other_for_its_version(
    cast, enrolled_last_month
):
    today = cast.alice_profile.local_today()
    for back in range(3):
        checkin_id = uuid.uuid4()
        day = today - dt.timedelta(days=back)

        responses = _put_at_once(
            [(cast.alice, checkin_id, checkin_body(day)), (cast.alice, checkin_id, checkin_body(day, back_pain=1))]
        )

        assert sorted(r.status_code for r in responses) == [201, 428], [r.content for r in responses]
        kept = next(r for r in responses if r.status_code == 201).json()
        assert CheckIn.objects.get(pk=checkin_id).back_pain == kept["back_pain"]
    assert _counts() == (3, 3, 0)


@pytest.mark.django_db(transaction=True)
def test_two_devices_editing_the_same_version_at_once_keep_one_edit_and_refuse_the_other(cast, enrolled_last_month):
    today = cast.alice_profile.local_today()
    for back in range(3):
        checkin_id = uuid.uuid4()
        alice = APIClient()
        alice.force_login(cast.alice)
        etag = put_checkin(alice, checkin_body(today - dt.timedelta(days=back)), checkin_id)["ETag"]
        phone = checkin_body(today - dt.timedelta(days=back), back_pain=2)
        tablet = checkin_body(today - dt.timedelta(days=back), back_pain=8)

        responses = _put_at_once([(cast.alice, checkin_id, phone, etag), (cast.alice, checkin_id, tablet, etag)])

        assert sorted(r.status_code for r in responses) == [200, 412], [r.content for r in responses]
        kept = next(r for r in responses if r.status_code == 200).json()
        stored = CheckIn.objects.get(pk=checkin_id)
        assert (stored.version, stored.back_pain) == (2, kept["back_pain"])
        assert CheckInRevision.objects.filter(checkin=stored).count() == 2
