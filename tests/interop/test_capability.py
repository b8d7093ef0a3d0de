"""GET /fhir/r4/metadata lists exactly what the URL configuration serves, and is valid FHIR."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.interop.support import FHIR, fhir_valid, get

pytestmark = pytest.mark.django_db


def fhir_routes() -> set[str]:
    """Names of every route under fhir/r4/, from Django's URL resolver."""
    names: set[str] = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == "fhir/r4/":
            names |= {p.name for p in entry.url_patterns if isinstance(p, URLPattern) and p.name}
    return names


def test_capability_statement_lists_exactly_the_routes_served(api) -> None:
    # When an anonymous client asks what is served
    response = get(api, f"{FHIR}/metadata")
    assert response.status_code == 200
    statement = fhir_valid(response.json())
    (rest,) = statement["rest"]
    # Then each resource's interactions and operations name exactly the routes there are
    claimed = {"fhir-metadata", "fhir-unknown"}
    for resource in rest["resource"]:
        kind = resource["type"].lower()
        for interaction in resource.get("interaction", []):
            claimed.add({"read": f"fhir-{kind}-read", "search-type": f"fhir-{kind}-search"}[interaction["code"]])
        for operation in resource.get("operation", []):
            claimed.add(f"fhir-{kind}-{operation['name']}")
    for operation in rest["operation"]:
        claimed |= {f"fhir-{operation['name']}", f"fhir-{operation['name']}-status", f"fhir-{operation['name']}-file"}
    assert claimed == fhir_routes()
    # AdverseEvent is served (the adverse events clinicians recorded)
    assert "AdverseEvent" in {r["type"] for r in rest["resource"]}
    assert statement["fhirVersion"] == "4.0.1"
    assert "https://app.test/fhir/CodeSystem/mild-recovery" in rest["documentation"]


def test_every_search_parameter_in_the_statement_is_accepted(cast, client_for) -> None:
    client = client_for(cast.carol)
    statement = get(client, f"{FHIR}/metadata").json()
    samples = {"reference": str(cast.alice.pk), "date": "ge2026-01-01", "token": "x", "number": "5"}
    for resource in statement["rest"][0]["resource"]:
        for param in resource.get("searchParam", []):
            response = get(client, f"{FHIR}/{resource['type']}", **{param["name"]: samples[param["type"]]})
            assert response.status_code == 200, (resource["type"], param["name"], response.content)
