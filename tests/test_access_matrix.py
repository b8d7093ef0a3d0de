"""Every API endpoint x every kind of actor gets exactly the status tests/access_matrix.py says, and nothing leaks.

Endpoints are enumerated by walking Django's URL resolver, not the OpenAPI schema. The resolver is what actually
dispatches requests: every route under api/v1/ is there, whatever kind of view serves it. The schema only has what
drf-spectacular can introspect and chooses to show (plain Django views, views excluded with
`extend_schema(exclude=True)`, a wrong SCHEMA_PATH_PREFIX all vanish from it silently), and a route missing from the
matrix because it is missing from the schema is exactly the hole this test exists to catch. The HTTP methods come from
the view class (the handlers it defines), so a `delete` added to an existing view shows up too.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts.models import PatientProfile, PHIAccess, Role, User
from tests.access_matrix import ACTORS, CLINIC_OUTSIDERS, OUTSIDERS, Entry, World, actor_user
from tests.access_matrix import MATRIX as API_MATRIX
from tests.access_matrix_editing import EDITING_MATRIX
from tests.access_matrix_fhir import FHIR_MATRIX
from tests.access_matrix_procedure import PROCEDURE_MATRIX
from tests.access_matrix_world import acted_for, actor_headers
from tests.conftest import Cast

# The JSON API and the FHIR API (interop), both under the same authorization rules.
API_PREFIXES = ("api/v1/", "fhir/r4/")
MATRIX = [*API_MATRIX, *PROCEDURE_MATRIX, *EDITING_MATRIX, *FHIR_MATRIX]
IGNORED_METHODS = {"OPTIONS", "HEAD"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# What the PWA holds: the CSRF cookie and the same secret in the X-CSRFToken header (32 letters or digits).
CSRF_SECRET = "MatrixCsrfSecret0123456789abcdef"
ERROR_KEYS = {"status", "code", "detail"}


@dataclass(frozen=True)
class Endpoint:
    route: str
    method: str
    pattern: str
    has_path_ids: bool


def api_endpoints() -> tuple[dict[tuple[str, str], Endpoint], list[str]]:
    """(route name, method) -> Endpoint for every route under api/v1/ and fhir/r4/, and what stops a route from being
    listed."""
    endpoints: dict[tuple[str, str], Endpoint] = {}
    problems: list[str] = []

    def walk(patterns: list[Any], prefix: str, namespace: str, has_ids: bool) -> None:
        for entry in patterns:
            pattern = prefix + str(entry.pattern).lstrip("^")
            ids = has_ids or bool(getattr(entry.pattern, "converters", None)) or entry.pattern.regex.groups > 0
            if isinstance(entry, URLResolver):
                if any(pattern.startswith(prefix) or prefix.startswith(pattern) for prefix in API_PREFIXES):
                    walk(entry.url_patterns, pattern, ":".join(filter(None, [namespace, entry.namespace])), ids)
                continue
            assert isinstance(entry, URLPattern)
            if not pattern.startswith(API_PREFIXES):
                continue
            if not entry.name:
                problems.append(f"{pattern}: the route has no name; name it so the matrix can refer to it")
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            view_class = getattr(entry.callback, "view_class", None)
            if view_class is None:
                problems.append(f"{name} ({pattern}): a function view; its methods cannot be listed, use a class")
                continue
            methods = sorted(
                m.upper()
                for m in view_class.http_method_names
                if m.upper() not in IGNORED_METHODS and callable(getattr(view_class, m, None))
            )
            for method in methods:
                if (name, method) in endpoints:
                    problems.append(f"{name} {method}: two routes share this name")
                endpoints[(name, method)] = Endpoint(name, method, pattern, ids)

    walk(get_resolver().url_patterns, "", "", False)
    return endpoints, problems


def _client_as(user: User | None) -> APIClient:
    """A client like the PWA's: session cookie, CSRF enforced (and the token sent), signed in with a password just
    now (so actions needing a recent sign-in are allowed)."""
    client = APIClient(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
        session = client.session
        # What allauth records at a password sign-in (allauth.account.internal.flows.login.record_authentication).
        session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "email": user.email}]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
        client.cookies["csrftoken"] = CSRF_SECRET
        client.credentials(HTTP_X_CSRFTOKEN=CSRF_SECRET)
    return client


def _call(
    client: APIClient, method: str, url: str, body: dict[str, Any] | None, headers: dict[str, str] | None = None
) -> Any:
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in (headers or {}).items()}
    return getattr(client, method.lower())(url, data=body, format="json" if body is not None else None, **extra)


# FHIR refusals are OperationOutcomes; the issue code for each status (interop/errors.py).
FHIR_ISSUE_CODES = {401: "login", 403: "forbidden", 404: "not-found"}


def _is_fhir(response: Any) -> bool:
    return response.get("Content-Type", "").startswith("application/fhir+json")


def _error_text(response: Any) -> str:
    """The human-readable reason of a refusal, in either error format."""
    body = response.json()
    return " ".join(i["diagnostics"] for i in body["issue"]) if _is_fhir(response) else body["detail"]


def _assert_fhir_error_body(response: Any, status: int) -> None:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome", body
    assert body["issue"] and all(issue["severity"] == "error" for issue in body["issue"]), body
    if status in FHIR_ISSUE_CODES:
        assert [issue["code"] for issue in body["issue"]] == [FHIR_ISSUE_CODES[status]], body
        text = response.content.decode().lower()
        leaked = [value for value in _patient_names_and_emails() if value in text]
        assert not leaked, f"{leaked} in {body}"
    if status == 401:
        assert response["WWW-Authenticate"]


def _patient_names_and_emails() -> list[str]:
    people = User.objects.filter(role=Role.PATIENT).values_list("full_name", "email")
    return [value.lower() for person in people for value in person]


def _assert_error_body(response: Any, status: int) -> None:
    if _is_fhir(response):
        _assert_fhir_error_body(response, status)
        return
    body = response.json()
    assert body["status"] == status
    assert set(body) in (ERROR_KEYS, ERROR_KEYS | {"errors"}), body
    assert isinstance(body["code"], str)
    assert isinstance(body["detail"], str)
    if status in (401, 403, 404):
        # Not-yours answers carry nothing about anyone: no name, no email, no field errors.
        assert set(body) == ERROR_KEYS, body
        text = response.content.decode().lower()
        leaked = [value for value in _patient_names_and_emails() if value in text]
        assert not leaked, f"{leaked} in {body}"
    if status == 404:
        assert body["code"] == "not_found"
    if status == 401:
        assert body["code"] == "not_authenticated"
        assert response["WWW-Authenticate"]


def _assert_phi_log(entry: Entry, world: World, user: User | None, response: Any) -> None:
    """Exactly one PHI access row per patient a clinician, admin or caregiver read; none for anything else.

    A caregiver's request under /me/... (no `phi` on the entry: a patient's own reads are not logged) is logged for
    the patient they act for once their access is established, as a clinician's lookup by patient id is: at most one
    row, for that patient (tests/accounts/test_caregivers.py checks which routes log it)."""
    rows = list(PHIAccess.objects.filter(actor=user)) if user is not None else []
    succeeded = 200 <= response.status_code < 300
    if user is not None and user.is_caregiver and entry.phi is None:
        patient = acted_for(world)
        assert len(rows) <= 1, f"unexpected PHI access rows: {rows}"
        assert all(row.patient_id == getattr(patient, "pk", None) for row in rows), rows
        for row in rows:
            assert row.ip == "127.0.0.1"
            assert row.request_id == response["X-Request-ID"]
            assert row.resource
        return
    read_by_staff = user is not None and (user.is_clinic_staff or user.is_caregiver) and succeeded
    if not (read_by_staff and entry.phi is not None):
        assert rows == [], f"unexpected PHI access rows: {rows}"
        return
    if response["Content-Type"].startswith(("application/json", "application/fhir+json")):
        body = response.json()
    else:
        body = b"".join(response.streaming_content) if response.streaming else response.content
    read = entry.phi(world, body)
    if read is None:
        # This actor's answer reads no patient's record (a de-identified aggregate), by the entry's own account.
        assert rows == [], f"unexpected PHI access rows: {rows}"
        return
    assert read, "a read of patient data that read nobody: the matrix's world is missing a patient"
    assert Counter(row.patient_id for row in rows) == Counter(read)
    for row in rows:
        assert row.ip == "127.0.0.1"
        assert row.request_id == response["X-Request-ID"]
        assert row.resource


def test_every_endpoint_is_in_the_matrix() -> None:
    endpoints, problems = api_endpoints()
    assert endpoints, f"no routes found under {API_PREFIXES}: the walk is broken"
    in_matrix = [entry.key for entry in MATRIX]
    report = [*problems]
    report += [f"twice in the matrix: {route} {method}" for (route, method), n in Counter(in_matrix).items() if n > 1]
    report += [
        f"not in the matrix: {route} {method} (/{endpoints[route, method].pattern})"
        for route, method in sorted(set(endpoints) - set(in_matrix))
    ]
    report += [
        f"in the matrix but no such endpoint: {route} {method}"
        for route, method in sorted(set(in_matrix) - set(endpoints))
    ]
    assert not report, "\n".join(["", *report, "See the top of tests/access_matrix.py for how to add an entry."])


def test_outsiders_get_404_from_every_path_with_an_id() -> None:
    """Every path id in the matrix is Alice's (or her care team's): whoever may not see her must get 404 (not 403),
    the same answer as for an id that does not exist. Ids of Riverside's own records (`clinic_wide`): the other
    clinic's staff must get 404."""
    endpoints, _ = api_endpoints()
    wrong = [
        f"{entry.id}: {actor} expects {entry.expect[actor]}"
        for entry in MATRIX
        if entry.key in endpoints and endpoints[entry.key].has_path_ids and not entry.shared
        for actor in (CLINIC_OUTSIDERS if entry.clinic_wide else OUTSIDERS)
        if entry.expect[actor] != 404
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("entry", "actor"), [pytest.param(entry, actor, id=f"{entry.id}-{actor}") for entry in MATRIX for actor in ACTORS]
)
def test_access(entry: Entry, actor: str, cast: Cast) -> None:
    # Given the cast and whatever Alice's records the request points at
    user = actor_user(cast, actor)
    world = World(cast, user)
    url = reverse(entry.route, kwargs=entry.path(world))
    body = entry.body(world) if entry.body is not None else None
    # When the actor makes the request (a caregiver's app names the patient they are helping)
    response = _call(_client_as(user), entry.method, url, body, {**actor_headers(cast, actor), **(entry.headers or {})})
    # Then they get exactly the status the matrix says, and the PHI log has exactly what was read
    expected = entry.expect[actor]
    assert response.status_code == expected, (
        f"{entry.method} {url} as {actor}: {response.status_code}, expected {expected}: {response.content[:500]!r}"
    )
    if expected >= 400:
        _assert_error_body(response, expected)
    _assert_phi_log(entry, world, user, response)


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param(entry, id=entry.id)
        for entry in MATRIX
        if entry.method in UNSAFE_METHODS and entry.expect.anonymous == 401
    ],
)
def test_session_writes_without_csrf_token_are_refused(entry: Entry, cast: Cast) -> None:
    # Given Alice signed in with the session cookie, but a page that does not send the CSRF token
    world = World(cast, cast.alice)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.alice)
    url = reverse(entry.route, kwargs=entry.path(world))
    # When it writes
    response = _call(client, entry.method, url, entry.body(world) if entry.body is not None else None)
    # Then the write is refused before anything else is decided
    assert response.status_code == 403, response.content
    _assert_error_body(response, 403)
    assert "CSRF" in _error_text(response)


@pytest.mark.parametrize("actor", ["patient_a", "a_clinician"])
@pytest.mark.parametrize("entry", list({entry.route: entry for entry in MATRIX}.values()), ids=lambda e: e.route)
def test_options_is_refused_on_every_route(entry: Entry, actor: str, cast: Cast) -> None:
    """OPTIONS is outside the matrix (it reads nothing) but must not be a way in, nor a 500: DRF's self-description
    crashed on write views without a serializer_class, so it is switched off (405)."""
    user = actor_user(cast, actor)
    url = reverse(entry.route, kwargs=entry.path(World(cast, user)))
    response = _client_as(user).options(url)
    # 403 where the role gate comes first (a clinician on a patient-only route); 404 where a clinician addresses a
    # patient's own record under /me/ (staff have none); 405 everywhere else
    assert response.status_code in (403, 404, 405), response.content
    _assert_error_body(response, response.status_code)
    assert not PHIAccess.objects.filter(actor=user).exists()


VISIBLE_PATIENTS = {
    "caregiver_a": {"alice"},
    "caregiver_b": {"bob"},
    "patient_a": {"alice"},
    "patient_b": {"bob"},
    "a_clinician": {"alice"},
    "same_clinic_other_clinician": {"bob"},
    "other_clinic_clinician": {"heidi"},
    "a_clinic_admin": {"alice", "bob"},
    "other_clinic_admin": {"heidi"},
}


@pytest.mark.parametrize("actor", list(VISIBLE_PATIENTS))
def test_patient_list_shows_exactly_the_visible_patients(actor: str, cast: Cast) -> None:
    # Given the cast
    user = actor_user(cast, actor)
    client = _client_as(user)
    patients = {name: getattr(cast, name).pk for name in ("alice", "bob", "heidi")}
    expected = {patients[name] for name in VISIBLE_PATIENTS[actor]}
    assert PatientProfile.objects.count() == 3

    # When the actor lists patients, then they see exactly their patients, and the count says no more
    body = client.get("/api/v1/patients").json()
    assert {item["id"] for item in body["results"]} == {str(pk) for pk in expected}
    assert body["count"] == len(expected)
    assert body["next"] is None

    # And page by page, the pages add up to the same patients and the count never includes anyone else
    seen: list[str] = []
    for page in range(1, len(expected) + 1):
        body = client.get("/api/v1/patients", {"page_size": 1, "page": page}).json()
        assert body["count"] == len(expected)
        seen += [item["id"] for item in body["results"]]
    assert sorted(seen) == sorted(str(pk) for pk in expected)
    beyond = client.get("/api/v1/patients", {"page_size": 1, "page": len(expected) + 1})
    assert beyond.status_code == 404

    # And searching for someone else's patient by name finds nobody
    for name in set(patients) - VISIBLE_PATIENTS[actor]:
        first_name = getattr(cast, name).full_name.split()[0]
        body = client.get("/api/v1/patients", {"search": first_name}).json()
        assert (body["count"], body["results"]) == (0, [])


def test_anonymous_cannot_list_patients(cast: Cast) -> None:
    response = _client_as(None).get("/api/v1/patients")
    assert response.status_code == 401
    _assert_error_body(response, 401)
