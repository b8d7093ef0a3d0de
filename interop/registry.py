"""What the FHIR API serves: every resource type with its finder and search parameters. The URL configuration and
the CapabilityStatement are both built from this one table, so they cannot disagree."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet

from interop import codes
from interop.mapping import plans, questionnaires, safety
from interop.search import LAST_UPDATED, PATIENT, Criteria, date_param
from interop.selectors import (
    CareTeamFinder,
    Emitted,
    Finder,
    FlagFinder,
    GoalFinder,
    ObservationFinder,
    OrganizationFinder,
    Page,
    PatientFinder,
    PractitionerFinder,
    ProcedureFinder,
    QuestionnaireResponseFinder,
    RowFinder,
    _keys,
    as_uuid,
    date_q,
    export_batch_size,
    in_batches,
    not_found,
    union_page,
)
from interop.sources import (
    AdverseEvent,
    AdverseEventStatus,
    ExercisePlan,
    PatientProfile,
    Procedure,
    ProcedureStatus,
    User,
    prescriptions_in_plan_order,
    scope_to_visible_patients,
)


def _superseded(rows: QuerySet[Procedure]) -> QuerySet[Procedure]:
    later = Procedure.objects.filter(
        patient=OuterRef("patient"), status=ProcedureStatus.DONE, procedure_date__gt=OuterRef("procedure_date")
    )
    return (
        rows.select_related("protocol", "patient")
        .prefetch_related("protocol__phases", "milestones")
        .annotate(_superseded=Exists(later))
    )


def _plans(rows: QuerySet[ExercisePlan]) -> QuerySet[ExercisePlan]:
    later = Procedure.objects.filter(
        patient=OuterRef("patient"),
        status=ProcedureStatus.DONE,
        procedure_date__gt=OuterRef("procedure__procedure_date"),
    )
    return (
        rows.select_related("procedure")
        .prefetch_related(Prefetch("prescriptions", prescriptions_in_plan_order()))
        .annotate(_superseded=Exists(later))
    )


def _protocol_plan(procedure: Procedure) -> dict[str, Any]:
    milestones = sorted(procedure.milestones.all(), key=lambda m: m.opens_on)
    today = procedure.patient.local_today()
    return plans.protocol_care_plan(procedure, milestones, procedure._superseded, today)  # type: ignore[attr-defined]


def _exercise_plan(plan: ExercisePlan) -> dict[str, Any]:
    return plans.exercise_care_plan(plan, list(plan.prescriptions.all()), plan._superseded)  # type: ignore[attr-defined]


class CarePlanFinder(Finder):
    """The recovery protocol of each procedure (`protocol-<procedure id>`) and its exercise plan
    (`exercise-<plan id>`, part of the former)."""

    name = "CarePlan"
    params = (PATIENT,)
    export_weight = 32

    def search(self, user: User, criteria: Criteria) -> Page:
        procedures = scope_to_visible_patients(user, Procedure.objects.all())
        exercise_plans = scope_to_visible_patients(user, ExercisePlan.objects.all())
        if criteria.patient is not None:
            procedures = procedures.filter(patient_id=criteria.patient)
            exercise_plans = exercise_plans.filter(patient_id=criteria.patient)
        exercise_plans = exercise_plans.annotate(_date=F("procedure__procedure_date"))
        keys, total = union_page([_keys(procedures, 0, "procedure_date"), _keys(exercise_plans, 1, "_date")], criteria)
        procedure_rows = _superseded(Procedure.objects.all()).in_bulk([i for i, k in keys if k == 0])
        plan_rows = _plans(ExercisePlan.objects.all()).in_bulk([i for i, k in keys if k == 1])
        resources = [_protocol_plan(procedure_rows[i]) if k == 0 else _exercise_plan(plan_rows[i]) for i, k in keys]
        patients = {r.patient_id for r in procedure_rows.values()} | {r.patient_id for r in plan_rows.values()}
        return Page(resources, patients, total)

    def read(self, user: User, resource_id: str) -> Emitted:
        if resource_id.startswith(plans.PROTOCOL_PREFIX):
            row_id = as_uuid(self.name, resource_id.removeprefix(plans.PROTOCOL_PREFIX))
            procedures = scope_to_visible_patients(user, Procedure.objects.filter(pk=row_id))
            procedure = _superseded(procedures).first()
            if procedure is not None:
                return _protocol_plan(procedure), procedure.patient_id
        elif resource_id.startswith(plans.EXERCISE_PREFIX):
            row_id = as_uuid(self.name, resource_id.removeprefix(plans.EXERCISE_PREFIX))
            plan = _plans(scope_to_visible_patients(user, ExercisePlan.objects.filter(pk=row_id))).first()
            if plan is not None:
                return _exercise_plan(plan), plan.patient_id
        raise not_found(self.name, resource_id)

    def for_patient(self, patient: PatientProfile) -> Iterator[dict[str, Any]]:
        for procedure in _superseded(Procedure.objects.filter(patient=patient)).order_by("procedure_date"):
            yield _protocol_plan(procedure)
        for plan in _plans(ExercisePlan.objects.filter(patient=patient)).order_by("created_at"):
            yield _exercise_plan(plan)

    def for_clinic(self, clinic_id: uuid.UUID, since: dt.datetime | None) -> Iterator[Emitted]:
        size = export_batch_size(self.export_weight)
        procedures = _superseded(Procedure.objects.filter(patient__user__clinic_id=clinic_id)).order_by("pk")
        for batch in in_batches(procedures, size):
            yield from ((_protocol_plan(procedure), procedure.patient_id) for procedure in batch)
        exercise_plans = _plans(ExercisePlan.objects.filter(patient__user__clinic_id=clinic_id)).order_by("pk")
        for plans_batch in in_batches(exercise_plans, size):
            yield from ((_exercise_plan(plan), plan.patient_id) for plan in plans_batch)


class AdverseEventFinder(RowFinder):
    """The adverse events clinicians recorded (not drafts, nor dismissed drafts)."""

    name = "AdverseEvent"
    params = (PATIENT, date_param("The day it started"), LAST_UPDATED)
    order = ("onset_date", "id")
    export_weight = 4

    def scoped(self, user: User) -> QuerySet[Any]:
        return scope_to_visible_patients(user, AdverseEvent.objects.filter(status=AdverseEventStatus.RECORDED))

    def of_clinic(self, clinic_id: uuid.UUID) -> QuerySet[Any]:
        return AdverseEvent.objects.filter(status=AdverseEventStatus.RECORDED, patient__user__clinic_id=clinic_id)

    def narrow(self, rows: QuerySet[Any], criteria: Criteria) -> QuerySet[Any]:
        rows = super().narrow(rows, criteria)
        return rows.filter(
            date_q("onset_date", criteria.dates, date_field=True) & date_q("updated_at", criteria.last_updated)
        )

    def since(self, rows: QuerySet[Any], since: dt.datetime) -> QuerySet[Any]:
        return rows.filter(updated_at__gte=since)

    def emit(self, rows: list[Any]) -> list[Emitted]:
        return [(safety.adverse_event(row), row.patient_id) for row in rows]


class StaticFinder(Finder):
    """Content that is nobody's data, the same for everyone signed in."""

    patient_data = False

    def everything(self) -> dict[str, dict[str, Any]]:
        raise NotImplementedError

    def search(self, user: User, criteria: Criteria) -> Page:
        served = list(self.everything().values())
        return Page(served[criteria.offset : criteria.offset + criteria.count], set(), len(served))

    def read(self, user: User, resource_id: str) -> Emitted:
        resource = self.everything().get(resource_id)
        if resource is None:
            raise not_found(self.name, resource_id)
        return resource, None

    def for_patient(self, patient: PatientProfile) -> Iterator[dict[str, Any]]:
        yield from ()

    def for_clinic(self, clinic_id: uuid.UUID, since: dt.datetime | None) -> Iterator[Emitted]:
        yield from ((r, None) for r in self.everything().values())


class QuestionnaireFinder(StaticFinder):
    name = "Questionnaire"

    def everything(self) -> dict[str, dict[str, Any]]:
        return questionnaires.questionnaires()


class CodeSystemFinder(StaticFinder):
    name = "CodeSystem"

    def everything(self) -> dict[str, dict[str, Any]]:
        return {"mild-recovery": codes.code_system_resource()}


FINDERS: dict[str, Finder] = {
    finder.name: finder
    for finder in (
        PatientFinder(),
        PractitionerFinder(),
        OrganizationFinder(),
        CareTeamFinder(),
        ProcedureFinder(),
        ObservationFinder(),
        QuestionnaireFinder(),
        QuestionnaireResponseFinder(),
        CarePlanFinder(),
        GoalFinder(),
        FlagFinder(),
        AdverseEventFinder(),
        CodeSystemFinder(),
    )
}

# What $export and $everything include (CodeSystem is served for reading, not exported).
EXPORT_TYPES = tuple(name for name in FINDERS if name != "CodeSystem")
