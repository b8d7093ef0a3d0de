"""A patient's own data, as one JSON document. Each app adds its sections at start-up (AppConfig.ready), so accounts
needs no knowledge of what recovery or notifications store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from accounts.models import PatientProfile

ExportSection = Callable[[PatientProfile], Any]
_sections: dict[str, ExportSection] = {}


def export_section_register(name: str, build: ExportSection) -> None:
    _sections[name] = build


def patient_export(patient: PatientProfile) -> dict[str, Any]:
    user = patient.user
    document: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "format_version": 1,
        "account": {
            "id": str(user.pk),
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined.isoformat(),
            "clinic": user.clinic.name if user.clinic else None,
        },
        "profile": {
            "date_of_birth": patient.date_of_birth.isoformat(),
            "time_zone": patient.time_zone,
            "language": patient.user.language,
            "phone": patient.phone,
            "has_diabetes": patient.has_diabetes,
            "has_heart_disease": patient.has_heart_disease,
            "had_previous_spinal_surgery": patient.had_previous_spinal_surgery,
            "emergency_contact": {
                "name": patient.emergency_contact_name,
                "phone": patient.emergency_contact_phone,
                "relationship": patient.emergency_contact_relationship,
            },
            "enrolled_at": patient.enrolled_at.isoformat(),
        },
        "care_team": [
            {"name": m.clinician.full_name, "primary": m.is_primary}
            for m in patient.care_team.select_related("clinician").order_by("-is_primary", "clinician__full_name")
        ],
    }
    for name, build in _sections.items():
        document[name] = build(patient)
    return document
