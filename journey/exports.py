"""The journey part of a patient's own data export: each procedure's preparation checklist as the patient saw it
(with what was ticked, and when) and every article read."""

from __future__ import annotations

from typing import Any

from accounts.models import PatientProfile
from journey import selectors
from journey.models import PreparationTick
from journey.serializers import ArticleReadOut, ChecklistItemOut
from recovery.models import Procedure


def preparation_export(patient: PatientProfile) -> list[dict[str, Any]]:
    """Every procedure that has a preparation plan or a tick: its checklist (items ticked, and the ones not)."""
    ticked = PreparationTick.objects.filter(patient=patient).values("procedure_id")
    procedures = Procedure.objects.filter(patient=patient, pk__in=ticked).union(
        Procedure.objects.filter(patient=patient, preparation__isnull=False)
    )
    return [
        {
            "procedure_id": str(procedure.pk),
            "procedure_date": procedure.procedure_date.isoformat(),
            "items": ChecklistItemOut(selectors.checklist(procedure), many=True).data,
        }
        for procedure in sorted(procedures, key=lambda p: p.procedure_date)
    ]


def education_reads_export(patient: PatientProfile) -> list[dict[str, Any]]:
    return list(ArticleReadOut(selectors.education_reads_of(patient), many=True).data)
