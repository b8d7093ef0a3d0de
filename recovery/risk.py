"""A patient's risk factors, as the clinician weighs an alert with them (CLINICAL.md, "Risks and warning signs"):
older age (nerve damage), diabetes (infection), heart disease, previous spinal surgery (scar tissue). Age comes from
the date of birth; the others from the patient's profile, which the candidate screening keeps up to date
(recovery.safety.screening_save)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers

from accounts.models import PatientProfile

# Field of PatientProfile -> the risk factor's key.
RISK_FACTOR_FIELDS = {
    "diabetes": "has_diabetes",
    "heart_disease": "has_heart_disease",
    "previous_spinal_surgery": "had_previous_spinal_surgery",
}
RISK_FACTOR_KEYS = sorted(RISK_FACTOR_FIELDS)


def risk_factors_of(patient: PatientProfile, today: dt.date | None = None) -> dict[str, Any]:
    """{age, diabetes, heart_disease, previous_spinal_surgery, present}: `present` lists the keys that are true."""
    flags = {key: bool(getattr(patient, field)) for key, field in RISK_FACTOR_FIELDS.items()}
    return {"age": patient.age(today), **flags, "present": [key for key, yes in flags.items() if yes]}


class RiskFactorsOut(serializers.Serializer[Any]):
    age = serializers.IntegerField(help_text="Years, on the patient's today.")
    diabetes = serializers.BooleanField()
    heart_disease = serializers.BooleanField()
    previous_spinal_surgery = serializers.BooleanField()
    present = serializers.ListField(child=serializers.ChoiceField(choices=RISK_FACTOR_KEYS))
