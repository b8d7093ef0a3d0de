"""Logs: one JSON object per line with request id, user id, route, status and duration; no patient data, no query
strings, no link tokens, in Django's request log and in gunicorn's access log alike."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from notifications.tasks import deliveries_send
from tests.factories import UserFactory
from tests.operations.support import database_url, get, gunicorn, log_output
from tests.recovery.support import NEW_YORK, put_checkin
from tests.support import checkin_body, local, procedure_done

NOTE = "Walked to the bakery with my grandson Tobias; bled a little through the dressing"
DAY0 = dt.date(2027, 5, 10)


def _lines(output: str) -> list[dict]:
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]  # each line is one JSON object


def _assert_no_patient_data(output: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret.lower() not in output.lower(), f"{secret!r} reached a log line"


@pytest.mark.urls("tests.operations.urls")
def test_a_checkin_note_and_a_patients_name_never_reach_a_log_line(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 13, 19), tick=False)
    procedure_done(cast.alice_profile, cast.carol, DAY0)
    alice, carol = client_for(cast.alice), client_for(cast.carol)
    checkin_id = uuid.uuid4()

    with log_output() as output:
        # An urgent red flag with a note: the alert path runs too.
        stored = put_checkin(
            alice, checkin_body(DAY0 + dt.timedelta(days=3), red_flags=["fever_chills"], note=NOTE), checkin_id
        )
        refused = put_checkin(alice, checkin_body(DAY0 + dt.timedelta(days=3), back_pain="lots", note=NOTE))
        found = carol.get("/api/v1/patients?search=Alice%20Adams")
        read = carol.get(f"/api/v1/patients/{cast.alice_profile.pk}/checkins/{checkin_id}")
        alice.get(f"/api/v1/me/checkins?note={NOTE}")
        failing = client_for(cast.carol)
        failing.raise_request_exception = False
        failed = failing.get("/test-only/fail?search=Alice")

    assert (stored.status_code, refused.status_code, found.status_code, failed.status_code) == (201, 400, 200, 500)
    assert read.status_code == 200 and read.json()["note"] == NOTE
    text = output.getvalue()
    _assert_no_patient_data(text, NOTE, "Tobias", "Alice", "Adams", "alice@patients.example", "Carol Chen")
    records = _lines(text)
    # The failure is logged with its type and stack, without the message that quoted the patient.
    [error] = [r for r in records if r["logger"] == "django.request"]
    assert "ClinicalDataError (message not logged)" in error["exc_info"]
    assert "fail_with_patient_data" in error["exc_info"]


def test_each_request_is_one_line_with_request_id_user_id_route_status_and_duration(cast, client_for):
    with log_output() as output:
        response = client_for(cast.carol).get(
            f"/api/v1/patients/{cast.alice_profile.pk}?search=Alice", HTTP_X_REQUEST_ID="req-4711"
        )

    assert response.status_code == 200
    [line] = [r for r in _lines(output.getvalue()) if r["logger"] == "mild.request"]
    assert line["request_id"] == "req-4711"
    assert line["user_id"] == str(cast.carol.pk)
    assert line["route"] == "api/v1/patients/<uuid:patient_id>"
    assert line["path"] == f"/api/v1/patients/{cast.alice_profile.pk}"
    assert line["query_keys"] == ["search"]
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert isinstance(line["duration_ms"], float)


def test_signed_out_requests_log_no_user(db, client):
    with log_output() as output:
        client.get("/api/v1/me")

    [line] = [r for r in _lines(output.getvalue()) if r["logger"] == "mild.request"]
    assert (line["status"], line["user_id"], line["route"]) == (401, None, "api/v1/me")


def test_logging_the_request_adds_no_query(cast, client_for, django_assert_num_queries):
    # The request log reads the user only when a layer already loaded it: a signed-out health probe stays one query.
    client = client_for(None)
    with django_assert_num_queries(1):  # SELECT 1 of the database check
        client.get("/health/ready")


def test_a_task_logs_its_id_and_the_ids_it_works_on(db):
    user = UserFactory(full_name="Zelda Zimmermann", email="zelda@patients.example")

    with log_output() as output:
        result = deliveries_send.apply(args=[[101, 102]], task_id="task-abc-1")

    assert result.successful()
    records = _lines(output.getvalue())
    started = next(r for r in records if r["message"].startswith("task notifications.tasks.deliveries_send started"))
    assert started["task_id"] == "task-abc-1"
    assert started["task_name"] == "notifications.tasks.deliveries_send"
    assert started["task_args"] == [[101, 102]]
    assert any(r["task_id"] == "task-abc-1" and r.get("task_state") == "SUCCESS" for r in records)
    _assert_no_patient_data(output.getvalue(), user.full_name, user.email)


@pytest.mark.django_db(transaction=True)
def test_gunicorn_access_log_has_no_query_string_and_no_calendar_or_unsubscribe_token(cast, tmp_path):
    env = {"DATABASE_URL": database_url(), "LOG_FORMAT": "json"}
    token = "CalTok" + uuid.uuid4().hex

    with gunicorn(env, tmp_path) as base:
        searched, _ = get(f"{base}/api/v1/patients?search=Walter", {"X-Session-Token": "SessTok-secret-1"})
        feed, _ = get(f"{base}/calendar/{token}.ics?search=Walter")
        unsubscribe, _ = get(f"{base}/notifications/unsubscribe/{token}?email=walter@patients.example")

    assert (searched, feed, unsubscribe) == (401, 404, 404)
    access = (tmp_path / "access.log").read_text()
    everything = access + (tmp_path / "output.log").read_text()
    _assert_no_patient_data(everything, "Walter", token, "SessTok-secret-1", "search=")
    paths = [json.loads(line)["path"] for line in access.splitlines()]
    assert "/api/v1/patients" in paths
    assert "/calendar/[token].ics" in paths
    assert "/notifications/unsubscribe/[token]" in paths
    assert all(json.loads(line)["request_id"] != "-" for line in access.splitlines())


@pytest.mark.django_db(transaction=True)
def test_gunicorn_text_access_log_is_redacted_too(db, tmp_path):
    env = {"DATABASE_URL": database_url(), "LOG_FORMAT": "text"}

    with gunicorn(env, tmp_path) as base:
        get(f"{base}/api/v1/patients?search=Walter")
        get(f"{base}/calendar/CalTokSecret99.ics")

    access = (tmp_path / "access.log").read_text()
    assert '"GET /api/v1/patients HTTP/1.1" 401' in access
    assert '"GET /calendar/[token].ics HTTP/1.1" 404' in access
    _assert_no_patient_data(access, "Walter", "CalTokSecret99")
