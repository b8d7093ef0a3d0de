"""Every bad request is a 4xx naming what is wrong, and the schema states what the server enforces.

- Bodies nested too deep to parse safely, and NUL characters in the address, are refused before any view (ours and
  allauth's); NUL characters in a JSON text field are refused for that field.
- A field the caller may not set is a 400 naming it, never a silent 200.
- In JSON bodies each value has the JSON type its schema gives (`"7"`, `7.0`, `2.5` are not integers; `0` is not a
  string); one test checks every input serializer against the generated schema.
"""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.inputs import StrictInputSerializer
from accounts.models import PatientProfile, PHIAccess
from notifications.models import Kind, Notification
from tests.factories import AlertFactory
from tests.recovery.support import put_checkin
from tests.support import checkin_body

DEEP = "[" * 5000


# --- Before any view --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/invitations/accept", "/_allauth/app/v1/auth/login", "/_allauth/browser/v1/auth/login"],
)
def test_a_deeply_nested_body_is_refused_even_without_signing_in(api, path):
    response = api.generic("POST", path, DEEP, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_a_deeply_nested_body_is_refused_on_a_signed_in_endpoint(cast, client_for):
    response = client_for(cast.alice).generic(
        "PUT", "/api/v1/me/checkins/7d1c3f52-3b9e-4d8f-9d55-2f0f1f6e2a10", DEEP, content_type="application/json"
    )

    assert response.status_code == 400


def test_nul_in_a_search_is_refused(cast, client_for):
    response = client_for(cast.carol).get("/api/v1/patients?search=Wal%00ter")

    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_a_json_string_is_refused_and_nothing_is_stored(cast, client_for, alice_done):
    response = client_for(cast.alice).generic(
        "PUT",
        "/api/v1/me/checkins/7d1c3f52-3b9e-4d8f-9d55-2f0f1f6e2a10",
        '{"local_date": "2027-01-01", "note": "a\\u0000b"}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    assert not cast.alice_profile.checkins.exists()


@pytest.fixture
def alice_done(cast):
    import datetime as dt

    from django.utils import timezone

    from tests.support import procedure_done

    today = timezone.now().astimezone(cast.alice_profile.zone).date()
    return procedure_done(cast.alice_profile, cast.carol, today - dt.timedelta(days=3))


# --- Fields the caller may not set ------------------------------------------------------------------------------------


def test_changing_ones_own_role_is_refused_naming_the_field(cast, client_for):
    response = client_for(cast.alice).patch("/api/v1/me", {"role": "clinic_admin"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["role"]
    cast.alice.refresh_from_db()
    assert cast.alice.role == "patient"


def test_a_patient_cannot_change_their_own_risk_factors(cast, client_for):
    response = client_for(cast.alice).patch(f"/api/v1/patients/{cast.alice.pk}", {"has_diabetes": True}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["has_diabetes"]
    assert PatientProfile.objects.get(pk=cast.alice.pk).has_diabetes is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"full_name": 0}, "full_name"),
        ({"full_name": ["Alice"]}, "full_name"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": 5}, "time_zone"),
        ({"phone": 5550100}, "phone"),
    ],
)
def test_text_fields_take_text_and_time_zones_are_iana_names(cast, client_for, body, field):
    response = client_for(cast.alice).patch("/api/v1/me", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("value", ["7", 7.0, 2.5, True, "seven"])
def test_check_in_integers_refuse_strings_fractions_and_booleans(cast, client_for, alice_done, value):
    import datetime as dt

    from django.utils import timezone

    today = timezone.now().astimezone(cast.alice_profile.zone).date()
    response = put_checkin(client_for(cast.alice), checkin_body(today, back_pain=value))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["back_pain"]
    assert not cast.alice_profile.checkins.filter(local_date__gte=today - dt.timedelta(days=1)).exists()


# --- Responses ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/me/inbox", "/api/v1/patients"])
def test_api_responses_are_never_stored_by_a_cache(cast, client_for, path):
    response = client_for(cast.carol).get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_sign_in_responses_are_never_stored_by_a_cache(cast, api):
    from tests.factories import PASSWORD

    response = api.post("/_allauth/app/v1/auth/login", {"email": cast.alice.email, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_clinician_reading_an_alert_in_the_inbox_is_a_logged_read_of_phi(cast, client_for):
    alert = AlertFactory(patient=cast.alice_profile)
    from django.utils import timezone

    Notification.objects.create(
        recipient=cast.carol,
        kind=Kind.ALERT,
        occurrence=str(alert.pk),
        title="Urgent alert",
        body="Alice Adams: Fever or chills.",
        created_at=timezone.now(),
    )
    client = client_for(cast.carol)

    assert client.get("/api/v1/me/inbox").status_code == 200
    assert [(r.actor_id, r.patient_id, r.resource) for r in PHIAccess.objects.all()] == [
        (cast.carol.pk, cast.alice.pk, "inbox")
    ]
    # Her own reminders are not anyone's PHI: a patient reading her inbox writes nothing
    assert client_for(cast.alice).get("/api/v1/me/inbox").status_code == 200
    assert PHIAccess.objects.count() == 1


# --- The schema and the behaviour agree -------------------------------------------------------------------------------

# Values of the wrong JSON type for each schema type.
WRONG: dict[str, list[Any]] = {
    "integer": ["7", 7.0, 2.5, True, [], {}],
    "number": ["7", True, [], {}],
    "boolean": ["true", 1, 0, [], {}],
    "string": [0, 2.5, True, [], {}],
    "array": ["x", 1, {}],
    "object": ["x", 1, []],
}


def _input_serializers() -> list[type[StrictInputSerializer]]:
    import config.urls  # noqa: F401 (imports every API module, so every serializer class exists)

    found: list[type[StrictInputSerializer]] = []
    pending = list(StrictInputSerializer.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda c: c.__name__)


def _json_type(spec: dict[str, Any], components: dict[str, Any]) -> str | None:
    if "$ref" in spec:
        return _json_type(components[spec["$ref"].rsplit("/", 1)[1]], components)
    for key in ("oneOf", "anyOf", "allOf"):
        if key in spec:
            types = {_json_type(s, components) for s in spec[key]} - {None}
            return types.pop() if len(types) == 1 else None
    kind = spec.get("type")
    return kind if isinstance(kind, str) else None


@pytest.fixture(scope="module")
def components() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def test_every_input_serializer_refuses_what_its_schema_does_not_allow(components):
    checked: list[str] = []
    problems: list[str] = []
    for cls in _input_serializers():
        component = components.get(f"{cls.__name__}Request")
        if component is None:
            continue  # a query-parameter serializer (query strings are text) or one no view uses as a body
        for name, spec in component.get("properties", {}).items():
            kind = _json_type(spec, components)
            if kind is None or spec.get("readOnly"):
                continue
            for value in WRONG.get(kind, []):
                serializer = cls(data={name: value}, partial=True)
                if serializer.is_valid() or name not in serializer.errors:
                    problems.append(f"{cls.__name__}.{name} ({kind}) accepted {value!r}")
            checked.append(f"{cls.__name__}.{name}")
        serializer = cls(data={"not_a_field": 1}, partial=True)
        if serializer.is_valid():
            problems.append(f"{cls.__name__} accepted an unknown field")
    assert len(checked) > 40, checked
    assert not problems, "\n".join(problems)


def test_every_input_serializer_is_strict():
    # Every serializer a view takes a request body with is a StrictInputSerializer (this list is what the test above
    # can check); a plain serializers.Serializer would take unknown fields and "7" for 7 silently.
    names = {cls.__name__ for cls in _input_serializers()}
    for required in ("PatientSelfUpdateIn", "PatientStaffUpdateIn", "CheckInIn", "StaffInviteIn", "PreferenceIn"):
        assert required in names
