"""Health: /health/live never touches a dependency; /health/ready is 503 only without the database, and reports Redis
and the broker as degraded with 200, so a Redis blink never drains every web process."""

from __future__ import annotations

import json

import pytest

from tests.operations.support import database_url, get, gunicorn, log_output

CLOSED = "redis://127.0.0.1:1/0"


def test_ready_is_200_ok_when_everything_answers(db, client):
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_is_200_degraded_when_redis_and_the_broker_are_down(db, client, settings):
    settings.REDIS_URL = CLOSED
    settings.CELERY_BROKER_URL = CLOSED

    response = client.get("/health/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["cache"].startswith("error: ")
    assert body["broker"].startswith("error: ")


def test_ready_is_degraded_when_only_the_broker_is_down(db, client, settings):
    settings.CELERY_BROKER_URL = CLOSED

    body = client.get("/health/ready").json()

    assert (body["status"], body["cache"], body["broker"][:6]) == ("degraded", "ok", "error:")


def test_live_touches_no_dependency(client, settings):
    # No `db` fixture: pytest-django refuses any database access, so a query here would fail the test.
    settings.REDIS_URL = CLOSED
    settings.CELERY_BROKER_URL = CLOSED

    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_documented_health_path_answers_as_ready(db, client, settings):
    settings.CELERY_BROKER_URL = CLOSED

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


@pytest.mark.parametrize("path", ["/health/", "/health/live", "/health/ready"])
def test_health_needs_no_sign_in_and_no_https_redirect(db, client, settings, path):
    # Load balancers call it over plain HTTP, without credentials.
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(path, secure=False)

    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_web_process_without_its_database_is_live_but_not_ready(tmp_path):
    # A second process whose database does not exist; the shared PostgreSQL keeps running.
    env = {"DATABASE_URL": database_url("no_such_database_for_this_test"), "LOG_FORMAT": "json"}

    with gunicorn(env, tmp_path) as base:
        live = get(f"{base}/health/live")
        ready = get(f"{base}/health/ready")

    assert live == (200, b'{"status": "ok"}')
    assert ready[0] == 503
    body = json.loads(ready[1])
    assert body["status"] == "down"
    assert body["database"] == "error: OperationalError"
    assert body["cache"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_a_web_process_on_a_closed_database_port_is_not_ready(tmp_path):
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/mild", "REDIS_URL": CLOSED, "CELERY_BROKER_URL": CLOSED}

    with gunicorn(env, tmp_path) as base:
        status, body = get(f"{base}/health/ready")

    assert status == 503
    assert json.loads(body)["database"].startswith("error: ")
    assert json.loads(body)["broker"].startswith("error: ")


def test_health_probes_are_logged_like_any_request(db, client):
    with log_output() as output:
        client.get("/health/live")

    [line] = [json.loads(x) for x in output.getvalue().splitlines() if '"mild.request"' in x]
    assert (line["route"], line["status"]) == ("health/live", 200)
