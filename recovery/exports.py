"""The recovery part of a patient's own data export."""

from __future__ import annotations

from typing import Any

from accounts.models import PatientProfile
from recovery.models import Alert, Assessment, CheckIn, Procedure, Screening
from recovery.safety_selectors import adverse_events_of
from recovery.safety_serializers import AdverseEventOut, ScreeningOut
from recovery.serializers import AssessmentOut, CheckInDetailOut, ProcedureOut


def procedures_export(patient: PatientProfile) -> list[dict[str, Any]]:
    procedures = Procedure.objects.filter(patient=patient).select_related("protocol", "performed_by")
    return list(ProcedureOut(procedures, many=True).data)


def checkins_export(patient: PatientProfile) -> list[dict[str, Any]]:
    checkins = (
        CheckIn.objects.filter(patient=patient)
        .select_related("procedure", "patient__user__clinic")
        .prefetch_related("revisions__changed_by")
        .order_by("local_date")
    )
    return list(CheckInDetailOut(checkins, many=True).data)


def assessments_export(patient: PatientProfile) -> list[dict[str, Any]]:
    assessments = Assessment.objects.filter(patient=patient).select_related("procedure")
    return list(AssessmentOut(assessments, many=True).data)


def alerts_export(patient: PatientProfile) -> list[dict[str, Any]]:
    return [
        {
            "raised_at": alert.raised_at.isoformat(),
            "tier": alert.tier,
            "title": alert.title,
            "state": alert.state,
            "resolved_at": alert.resolved_at.isoformat() if alert.resolved_at else None,
            "note": alert.note,
        }
        for alert in Alert.objects.filter(patient=patient).order_by("raised_at")
    ]


def screenings_export(patient: PatientProfile) -> list[dict[str, Any]]:
    screenings = (
        Screening.objects.filter(patient=patient).select_related("decided_by", "procedure").order_by("decided_at")
    )
    return list(ScreeningOut(screenings, many=True).data)


def adverse_events_export(patient: PatientProfile) -> list[dict[str, Any]]:
    return list(AdverseEventOut(adverse_events_of(patient).order_by("created_at", "id"), many=True).data)
