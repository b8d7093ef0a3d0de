"""FHIR errors: every refusal is an OperationOutcome with the HTTP status that fits."""

from __future__ import annotations

from typing import Any

# HTTP status -> OperationOutcome issue code (http://hl7.org/fhir/issue-type).
ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    410: "deleted",
    413: "too-costly",
    415: "not-supported",
    429: "throttled",
}


class FhirError(Exception):
    """A refusal with one or more diagnostics; rendered as an OperationOutcome."""

    def __init__(self, status: int, *diagnostics: str, code: str | None = None) -> None:
        super().__init__("; ".join(diagnostics))
        self.status = status
        self.diagnostics = diagnostics or ("The request was not valid.",)
        self.code = code or ISSUE_CODES.get(status, "processing")


def operation_outcome(status: int, diagnostics: tuple[str, ...] | list[str], code: str | None = None) -> dict[str, Any]:
    issue_code = code or ISSUE_CODES.get(status, "processing")
    severity = "error" if status >= 400 else "information"
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": issue_code, "diagnostics": text} for text in diagnostics],
    }
