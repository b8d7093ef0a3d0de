"""The platform around the API: one error format, request limits, production settings, CSP, the schema. Health and
logs: tests/operations."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from accounts.models import PatientProfile, User

BASE_DIR = Path(__file__).resolve().parent.parent


# --- One error format ---------------------------------------------------------------------------------------------


def test_unknown_api_path_is_a_json_404_in_the_error_format(db, client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


def test_not_authenticated_is_in_the_error_format(db, api):
    response = api.get("/api/v1/me")

    assert response.status_code == 401
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "not_authenticated"
    assert body["detail"]


def test_page_size_over_the_maximum_is_refused(cast, client_for):
    too_many = django_settings.PAGE_SIZE_MAX + 1

    response = client_for(cast.frank).get(f"/api/v1/patients?page_size={too_many}")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["page_size"] == [f"Must be at most {django_settings.PAGE_SIZE_MAX}."]


@pytest.mark.parametrize("page_size", ["0", "-5", "lots"])
def test_nonsense_page_size_is_refused(cast, client_for, page_size):
    response = client_for(cast.frank).get(f"/api/v1/patients?page_size={page_size}")

    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


def test_page_size_at_the_maximum_is_served(cast, client_for):
    response = client_for(cast.frank).get(f"/api/v1/patients?page_size={django_settings.PAGE_SIZE_MAX}")

    assert response.status_code == 200


def enrolment(**overrides: object) -> dict[str, object]:
    return {
        "full_name": "Nina Novak",
        "email": "nina@patients.example",
        "date_of_birth": "1950-04-02",
        "time_zone": "UTC",
        **overrides,
    }


def test_json_body_over_the_size_limit_is_refused_and_stores_nothing(cast, client_for):
    users, profiles = User.objects.count(), PatientProfile.objects.count()
    body = json.dumps(enrolment(emergency_contact_name="x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE))

    response = client_for(cast.carol).post("/api/v1/patients", body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 400
    assert response.json()["code"] == "body_too_large"
    assert (User.objects.count(), PatientProfile.objects.count()) == (users, profiles)


def test_request_for_an_unknown_host_is_a_400_in_the_error_format(db, client):
    response = client.get("/health/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert response.json() == {"status": 400, "code": "bad_request", "detail": "The request was not valid."}


def test_malformed_json_is_a_400_in_the_error_format(cast, client_for):
    response = client_for(cast.carol).post("/api/v1/patients", '{"full_name": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", "full_name=Nina"),
        ("application/x-www-form-urlencoded", "full_name=Nina&email=nina%40patients.example"),
        ("application/xml", "<patient/>"),
    ],
)
def test_non_json_body_is_415_in_the_error_format(cast, client_for, content_type, body):
    users = User.objects.count()

    response = client_for(cast.carol).post("/api/v1/patients", body, content_type=content_type)

    assert response.status_code == 415
    assert response.json()["status"] == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert User.objects.count() == users


def test_method_not_allowed_is_in_the_error_format(cast, client_for):
    response = client_for(cast.alice).delete("/api/v1/me")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


# --- Production settings ------------------------------------------------------------------------------------------


def test_deploy_check_reports_nothing_with_production_settings():
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "recovery.example.org",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_build_step_without_a_secret_key_migrates_but_fails_the_deploy_check_and_signs_nothing():
    # Without ALLOW_MISSING_SECRET_KEY nothing starts at all (tests/test_startup_config.py).
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "recovery.example.org",
        "ALLOW_MISSING_SECRET_KEY": "true",
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }
    migrations = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check", "--plan"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in migrations.stderr, migrations.stderr
    sign = "import django; django.setup(); from django.core import signing; signing.dumps('session')"

    refused = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", sign],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in refused.stderr

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr + result.stdout


def test_api_docs_page_carries_a_content_security_policy_without_inline_scripts(db, client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    policy = response["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}
    assert "script-src" in directives
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    # and the page indeed loads its scripts from files, not inline
    html = response.content.decode()
    assert "<script>" not in html.replace(" ", "")


def test_openapi_schema_validates_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert out.read_text().startswith("openapi: 3")
