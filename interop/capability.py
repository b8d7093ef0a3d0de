"""The CapabilityStatement: built from the same registry as the URL configuration, so it lists exactly what is
served (tests/interop/test_capability.py checks it against the URL resolver)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from interop import codes
from interop.registry import FINDERS
from interop.search import COMMON

EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"
GROUP_EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"
EVERYTHING_DEFINITION = "http://hl7.org/fhir/OperationDefinition/Patient-everything"
SOFTWARE_VERSION = "2026.12"


def capability_statement() -> dict[str, Any]:
    resources: list[dict[str, Any]] = []
    for name, finder in FINDERS.items():
        entry: dict[str, Any] = {
            "type": name,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": p.name, "type": p.type, "documentation": p.documentation} for p in (*finder.params,)
            ]
            + [{"name": "_count", "type": "number", "documentation": f"Page size, up to {settings.PAGE_SIZE_MAX}."}],
        }
        if name == "Patient":
            entry["operation"] = [{"name": "everything", "definition": EVERYTHING_DEFINITION}]
        resources.append(entry)
    resources.append({"type": "Group", "operation": [{"name": "export", "definition": GROUP_EXPORT_DEFINITION}]})
    return {
        "resourceType": "CapabilityStatement",
        "id": "mild-recovery",
        "url": f"{settings.APP_URL}/fhir/r4/metadata",
        "name": "MildRecoveryFhirServer",
        "title": "MILD Recovery FHIR R4 API",
        "status": "active",
        "date": "2026-12-01",
        "kind": "instance",
        "software": {"name": "MILD Recovery", "version": SOFTWARE_VERSION},
        "implementation": {
            "description": "Read-only FHIR R4 API and bulk export of the MILD Recovery backend.",
            "url": f"{settings.APP_URL}/fhir/r4",
        },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    f"Read-only. Codes of our own are in the CodeSystem {codes.own_system()} "
                    "(served as CodeSystem/mild-recovery). Paging: _count and _offset; the Bundle's next and previous "
                    f"links carry them. Every search also accepts {', '.join(COMMON)}. Unknown search parameters are "
                    "refused unless the request has 'Prefer: handling=lenient'. AdverseEvent: the adverse events "
                    "clinicians recorded (drafts are not served), with the Clavien-Dindo grade and the health care "
                    "used as extensions."
                ),
                "security": {
                    "service": [{"text": "Session token (X-Session-Token) or session cookie, as the rest of the API"}],
                    "description": "Sign in through /_allauth/app/v1/auth/login; send the token as X-Session-Token.",
                },
                "resource": resources,
                "operation": [{"name": "export", "definition": EXPORT_DEFINITION}],
            }
        ],
    }
