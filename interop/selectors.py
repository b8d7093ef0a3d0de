"""Reads for FHIR. For each resource type: the rows a user may see (through accounts.scoping), narrowed by the search
criteria, one page at a time, as resources; the same for one patient ($everything) and for a whole clinic (the bulk
export, streamed with server-side cursors)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, IntegerField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from interop import codes
from interop.errors import FhirError
from interop.mapping import clinical, people, plans, questionnaires
from interop.models import ACTIVE_EXPORT_STATUSES, ExportFile, ExportJob
from interop.search import CATEGORY, CODE, LAST_UPDATED, PATIENT, Criteria, DateBound, SearchParam, date_param
from interop.sources import (
    Alert,
    AlertState,
    Assessment,
    CareTeamMember,
    CheckIn,
    Clinic,
    PatientMilestone,
    PatientProfile,
    Procedure,
    Role,
    User,
    clinic_staff_visible_to,
    patients_visible_to,
    scope_to_visible_patients,
)

Emitted = tuple[dict[str, Any], uuid.UUID | None]  # a resource and the patient whose data it is (None: nobody's)


@dataclass
class Page:
    resources: list[dict[str, Any]]
    patient_ids: set[uuid.UUID]
    total: int


def export_batch_size(weight: int = 1) -> int:
    """Rows the bulk export reads at a time for a type whose rows each weigh `weight` check-ins in memory (see
    Finder.export_weight): FHIR_EXPORT_BATCH_SIZE // weight, at least 1."""
    return max(1, int(getattr(settings, "FHIR_EXPORT_BATCH_SIZE", 2000)) // weight)


def release(rows: Iterable[Any]) -> None:
    """Break the reference cycles that select_related and prefetch_related leave among model instances (a care team
    member points back to its patient, a milestone to its procedure, a user to its profile), so that a batch is freed
    as soon as it is written. Left alone, each batch lives on until the next full garbage collection, which comes
    rarer as the heap grows: the export's memory then grows with the clinic."""
    stack = list(rows)
    while stack:
        row = stack.pop()
        prefetched = row.__dict__.pop("_prefetched_objects_cache", None) or {}
        for related in prefetched.values():
            stack.extend(related._result_cache or ())
        joined = row._state.fields_cache
        if joined:
            stack.extend(value for value in joined.values() if value is not None)
            row._state.fields_cache = {}


def in_batches(rows: QuerySet[Any], size: int) -> Iterator[list[Any]]:
    """The rows in lists of `size`, read with a server-side cursor `size` at a time, prefetches run per batch; each
    batch is released when the caller asks for the next one, so nothing of it stays."""
    batch: list[Any] = []
    for row in rows.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) >= size:
            yield batch
            release(batch)
            batch = []
    if batch:
        yield batch
        release(batch)


def date_q(name: str, bounds: Iterable[DateBound], *, date_field: bool = False) -> Q:
    """All bounds at once (AND), on a datetime column or, with `date_field`, on a calendar date column."""
    q = Q()
    for bound in bounds:
        start: dt.date | dt.datetime = bound.start
        end: dt.date | dt.datetime = bound.end
        if date_field:
            start = bound.start.astimezone(dt.UTC).date()
            end_utc = bound.end.astimezone(dt.UTC)
            end = end_utc.date() + dt.timedelta(days=0 if end_utc.time() == dt.time(0) else 1)
        q &= {
            "eq": Q(**{f"{name}__gte": start, f"{name}__lt": end}),
            "ge": Q(**{f"{name}__gte": start}),
            "gt": Q(**{f"{name}__gte": end}),
            "le": Q(**{f"{name}__lt": end}),
            "lt": Q(**{f"{name}__lt": start}),
        }[bound.prefix]
    return q


def tokens_match(wanted: list[list[tuple[str | None, str]]], have: set[tuple[str, str]]) -> bool:
    """Every parameter (AND) has at least one token (OR) among `have`; a token without system matches any system."""
    return all(
        any((system, code) in have if system else any(c == code for _, c in have) for system, code in tokens)
        for tokens in wanted
    )


class Finder:
    """One resource type: search, read, one patient's resources, one clinic's resources."""

    name = ""
    params: tuple[SearchParam, ...] = ()
    patient_data = True  # reads are PHI and logged
    # What one row of the type holds in memory during the bulk export, with the rows joined and prefetched for it,
    # in check-ins (a check-in row, about 1 kB, weighs 1; a procedure with its protocol, patient, milestones and
    # exercise plan about 30). A batch reads FHIR_EXPORT_BATCH_SIZE // export_weight rows, so every type's batch
    # holds about as much as a batch of check-ins: the export's peak memory is that of one such batch, whatever the
    # clinic's size (bench/bench_fhir_export.py measures it).
    export_weight = 1

    def search(self, user: User, criteria: Criteria) -> Page:
        raise NotImplementedError

    def read(self, user: User, resource_id: str) -> Emitted:
        raise NotImplementedError

    def for_patient(self, patient: PatientProfile) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def for_clinic(self, clinic_id: uuid.UUID, since: dt.datetime | None) -> Iterator[Emitted]:
        raise NotImplementedError


def not_found(resource_type: str, resource_id: str) -> FhirError:
    return FhirError(404, f"{resource_type}/{resource_id} is not known here.")


def as_uuid(resource_type: str, resource_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(resource_id)
    except ValueError:
        raise not_found(resource_type, resource_id) from None


class RowFinder(Finder):
    """A type backed by one table, a row per resource."""

    order: tuple[str, ...] = ("pk",)
    patient_field = "patient"

    def scoped(self, user: User) -> QuerySet[Any]:
        raise NotImplementedError

    def of_clinic(self, clinic_id: uuid.UUID) -> QuerySet[Any]:
        raise NotImplementedError

    def narrow(self, rows: QuerySet[Any], criteria: Criteria) -> QuerySet[Any]:
        if criteria.patient is not None:
            rows = rows.filter(**{f"{self.patient_field}_id": criteria.patient})
        return rows

    def since(self, rows: QuerySet[Any], since: dt.datetime) -> QuerySet[Any]:
        return rows  # no change time recorded: every row is exported

    def scoped_to_patient(self, patient: PatientProfile) -> QuerySet[Any]:
        clinic_id = patient.user.clinic_id
        rows = self.of_clinic(clinic_id) if clinic_id else self.of_clinic(uuid.UUID(int=0)).none()
        return rows.filter(**{f"{self.patient_field}_id": patient.pk})

    def emit(self, rows: list[Any]) -> list[Emitted]:
        raise NotImplementedError

    def search(self, user: User, criteria: Criteria) -> Page:
        rows = self.narrow(self.scoped(user), criteria).order_by(*self.order)
        total = rows.count()
        page = list(rows[criteria.offset : criteria.offset + criteria.count]) if criteria.count else []
        emitted = self.emit(page)
        return Page([r for r, _ in emitted], {p for _, p in emitted if p is not None}, total)

    def read(self, user: User, resource_id: str) -> Emitted:
        row = self.scoped(user).filter(pk=as_uuid(self.name, resource_id)).first()
        if row is None:
            raise not_found(self.name, resource_id)
        return self.emit([row])[0]

    def for_patient(self, patient: PatientProfile) -> Iterator[dict[str, Any]]:
        rows = self.scoped_to_patient(patient)
        yield from (r for r, _ in self.emit(list(rows.order_by(*self.order))))

    def for_clinic(self, clinic_id: uuid.UUID, since: dt.datetime | None) -> Iterator[Emitted]:
        rows = self.of_clinic(clinic_id)
        if since is not None:
            rows = self.since(rows, since)
        for batch in in_batches(rows.order_by(*self.order), export_batch_size(self.export_weight)):
            yield from self.emit(batch)


def _care_team_prefetch() -> Prefetch[Any]:
    members = CareTeamMember.objects.select_related("clinician").order_by("-is_primary", "clinician__full_name")
    return Prefetch("care_team", members)


class PatientFinder(RowFinder):
    name = "Patient"
    order = ("user__full_name", "user_id")
    patient_field = "user"
    export_weight = 10

    def scoped(self, user: User) -> QuerySet[Any]:
        return patients_visible_to(user).select_related("user").prefetch_related(_care_team_prefetch())

    def of_clinic(self, clinic_id: uuid.UUID) -> QuerySet[Any]:
        return (
            PatientProfile.objects.filter(user__clinic_id=clinic_id)
            .select_related("user")
            .prefetch_related(_care_team_prefetch())
        )

    def emit(self, rows: list[Any]) -> list[Emitted]:
        return [(people.patient(p, list(p.care_team.all())), p.pk) for p in rows]


class CareTeamFinder(PatientFinder):
    name = "CareTeam"
    params = (PATIENT,)

    def emit(self, rows: list[Any]) -> list[Emitted]:
        return [(people.care_team(p, list(p.care_team.all())), p.pk) for p in rows]


class PractitionerFinder(RowFinder):
    name = "Practitioner"
    order = ("full_name", "id")
    patient_data = False
    export_weight = 2

    def scoped(self, user: User) -> QuerySet[Any]:
        if user.role in (Role.PATIENT, Role.CAREGIVER):
            # A patient's own care team; a caregiver's, the care teams of the patients who let them see their record.
            patients = patients_visible_to(user).values("user_id")
            return User.objects.filter(care_team_memberships__patient_id__in=patients).distinct()
        return clinic_staff_visible_to(user)

    def of_clinic(self, clinic_id: uuid.UUID) -> QuerySet[Any]:
        return User.objects.filter(clinic_id=clinic_id, role__in=(Role.CLINICIAN, Role.CLINIC_ADMIN))

    def for_patient(self, patient: PatientProfile) -> Iterator[dict[str, Any]]:
        rows = User.objects.filter(care_team_memberships__patient=patient).order_by(*self.order)
        yield from (r for r, _ in self.emit(list(rows)))

    def emit(self, rows: list[Any]) -> list[Emitted]:
        return [(people.practitioner(u), None) for u in rows]


class OrganizationFinder(RowFinder):
    name = "Organization"
    order = ("name", "id")
    patient_data = False

    def scoped(self, user: User) -> QuerySet[Any]:
        return Clinic.objects.filter(pk=user.clinic_id) if user.clinic_id else Clinic.objects.none()

    def of_clinic(self, clinic_id: uuid.UUID) -> QuerySet[Any]:
        return Clinic.objects.filter(pk=clinic_id)

    def for_patient(self, patient: PatientProfile) -> Iterator[dict[str, Any]]:
        clinics = Clinic.objects.filter(members=patient.user)
        yield from (r for r, _ in self.emit(list(clinics)))

    def emit(self, rows: list[Any]) -> list[Emitted]:
        return [(people.organization(c), None) for c in rows]


class ProcedureFinder(RowFinder):
    name = "Procedure"
    params = (PATIENT, date_param("The procedure date"), CODE)
    order = ("procedure_date", "created_at", "id")
    export_weight = 4
    MILD_TOKENS = frozenset({(codes.CPT, codes.MILD_CPT_CODE)})

    def scoped(self, user: User) -> QuerySet[Any]:
        return scope_to_visible_patients(user, Procedure.objects.all())

    def of_clinic(self, clinic_id: uuid.UUID) -> QuerySet[Any]:
        return Procedure.objects.filter(patient__user__clinic_id=clinic_id)

    def narrow(self, rows: QuerySet[Any], criteria: Criteria) -> QuerySet[Any]:
        rows = super().narrow(rows, criteria).filter(date_q("procedure_date", criteria.dates, date_field=True))
        if criteria.codes and not tokens_match(criteria.codes, set(self.MILD_TOKENS)):
            return rows.none()
        return rows

    def emit(self, rows: list[Any]) -> list[Emitted]:
        return [(clinical.procedure(p), p.patient_id) for p in rows]


class GoalFinder(RowFinder):
    name = "Goal"
    params = (PATIENT,)
    order = ("opens_on", "id")
    export_weight = 4

    def scoped(self, user: User) -> QuerySet[Any]:
        return scope_to_visible_patients(user, PatientMilestone.objects.select_related("patient"))

    def of_clinic(self, clinic_id: uuid.UUID) -> QuerySet[Any]:
        return PatientMilestone.objects.filter(patient__user__clinic_id=clinic_id).select_related("patient")

    def emit(self, rows: list[Any]) -> list[Emitted]:
        return [(plans.goal(m, m.patient.local_today()), m.patient_id) for m in rows]


class FlagFinder(RowFinder):
    name = "Flag"
    params = (PATIENT, date_param("When the alert was raised"), LAST_UPDATED)
    order = ("raised_at", "id")
    export_weight = 4

    @staticmethod
    def _unresolved(rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(state__in=(AlertState.OPEN, AlertState.ACKNOWLEDGED)).annotate(
            _updated=Greatest(
                "raised_at", Coalesce("acknowledged_at", "raised_at"), Coalesce("resolved_at", "raised_at")
            )
        )

    def scoped(self, user: User) -> QuerySet[Any]:
        return self._unresolved(scope_to_visible_patients(user, Alert.objects.all()))

    def of_clinic(self, clinic_id: uuid.UUID) -> QuerySet[Any]:
        return self._unresolved(Alert.objects.filter(patient__user__clinic_id=clinic_id))

    def narrow(self, rows: QuerySet[Any], criteria: Criteria) -> QuerySet[Any]:
        rows = super().narrow(rows, criteria)
        return rows.filter(date_q("raised_at", criteria.dates) & date_q("_updated", criteria.last_updated))

    def since(self, rows: QuerySet[Any], since: dt.datetime) -> QuerySet[Any]:
        return rows.filter(_updated__gte=since)

    def emit(self, rows: list[Any]) -> list[Emitted]:
        return [(clinical.flag(a), a.patient_id) for a in rows]


# --- Types made of several tables: one ordered UNION ALL of keys, paged in SQL, then the rows of the page -------------


def _keys(rows: QuerySet[Any], kind: int, when: str) -> QuerySet[Any]:
    return rows.annotate(k=Value(kind, output_field=IntegerField()), t=F(when)).values_list("id", "k", "t")


def union_page(parts: list[QuerySet[Any]], criteria: Criteria) -> tuple[list[tuple[uuid.UUID, int]], int]:
    """(row id, kind) of the page's rows in order, and the total, over the union of `parts`."""
    if not parts:
        return [], 0
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    total = union.count()
    if not criteria.count:
        return [], total
    rows = union.order_by("t", "id", "k")[criteria.offset : criteria.offset + criteria.count]
    return [(row_id, kind) for row_id, kind, _ in rows], total


class ObservationFinder(Finder):
    """One Observation per check-in value and per assessment score; ids `ci-<check-in>-<measure>` and
    `as-<assessment>-<measure>`."""

    name = "Observation"
    params = (PATIENT, date_param("The effective time"), CODE, CATEGORY, LAST_UPDATED)

    @staticmethod
    def measures(criteria: Criteria) -> list[int]:
        chosen = []
        for index, measure in enumerate(codes.MEASURES):
            categories = {(codes.OBSERVATION_CATEGORY, measure.category)}
            if tokens_match(criteria.codes, measure.code_tokens()) and tokens_match(criteria.categories, categories):
                chosen.append(index)
        return chosen

    def search(self, user: User, criteria: Criteria) -> Page:
        checkins = scope_to_visible_patients(user, CheckIn.objects.all())
        assessments = scope_to_visible_patients(user, Assessment.objects.all())
        if criteria.patient is not None:
            checkins = checkins.filter(patient_id=criteria.patient)
            assessments = assessments.filter(patient_id=criteria.patient)
        checkins = checkins.filter(date_q("recorded_at", criteria.dates) & date_q("updated_at", criteria.last_updated))
        assessments = assessments.filter(
            date_q("completed_at", criteria.dates) & date_q("completed_at", criteria.last_updated)
        )
        parts = []
        for index in self.measures(criteria):
            measure = codes.MEASURES[index]
            if measure.source == "checkin":
                with_value = checkins.exclude(**{measure.field: None}) if measure.field == "steps" else checkins
                parts.append(_keys(with_value, index, "recorded_at"))
            else:
                scored = assessments.filter(instrument=measure.instrument).exclude(**{f"scores__{measure.field}": None})
                parts.append(_keys(scored, index, "completed_at"))
        keys, total = union_page(parts, criteria)
        checkin_rows = CheckIn.objects.in_bulk([i for i, k in keys if codes.MEASURES[k].source == "checkin"])
        assessment_rows = Assessment.objects.in_bulk([i for i, k in keys if codes.MEASURES[k].source == "assessment"])
        resources = []
        for row_id, index in keys:
            measure = codes.MEASURES[index]
            if measure.source == "checkin":
                resource = clinical.checkin_observation(checkin_rows[row_id], measure)
            else:
                resource = clinical.assessment_observation(assessment_rows[row_id], measure)
            if resource is not None:
                resources.append(resource)
        patients = {r.patient_id for r in checkin_rows.values()} | {r.patient_id for r in assessment_rows.values()}
        return Page(resources, patients, total)

    def read(self, user: User, resource_id: str) -> Emitted:
        parsed = clinical.parse_observation_id(resource_id)
        measure = codes.measure_of(parsed[0], parsed[2]) if parsed else None
        if parsed is None or measure is None:
            raise not_found(self.name, resource_id)
        resource: dict[str, Any] | None = None
        if measure.source == "checkin":
            checkin = scope_to_visible_patients(user, CheckIn.objects.all()).filter(pk=parsed[1]).first()
            resource = clinical.checkin_observation(checkin, measure) if checkin else None
            patient_id = checkin.patient_id if checkin else None
        else:
            assessment = scope_to_visible_patients(user, Assessment.objects.all()).filter(pk=parsed[1]).first()
            if assessment is not None and assessment.instrument == measure.instrument:
                resource = clinical.assessment_observation(assessment, measure)
            patient_id = assessment.patient_id if assessment else None
        if resource is None:
            raise not_found(self.name, resource_id)
        return resource, patient_id

    def for_patient(self, patient: PatientProfile) -> Iterator[dict[str, Any]]:
        for checkin in CheckIn.objects.filter(patient=patient).order_by("local_date"):
            yield from clinical.checkin_observations(checkin)
        for assessment in Assessment.objects.filter(patient=patient).order_by("completed_at"):
            yield from clinical.assessment_observations(assessment)

    def for_clinic(self, clinic_id: uuid.UUID, since: dt.datetime | None) -> Iterator[Emitted]:
        checkins = CheckIn.objects.filter(patient__user__clinic_id=clinic_id)
        assessments = Assessment.objects.filter(patient__user__clinic_id=clinic_id)
        if since is not None:
            checkins = checkins.filter(updated_at__gte=since)
            assessments = assessments.filter(completed_at__gte=since)
        for checkin in checkins.order_by("patient_id", "local_date").iterator(chunk_size=export_batch_size()):
            for resource in clinical.checkin_observations(checkin):
                yield resource, checkin.patient_id
        for assessment in assessments.order_by("patient_id", "completed_at").iterator(chunk_size=export_batch_size()):
            for resource in clinical.assessment_observations(assessment):
                yield resource, assessment.patient_id


class QuestionnaireResponseFinder(Finder):
    """One response per check-in (`ci-<id>`) and per assessment (`as-<id>`)."""

    name = "QuestionnaireResponse"
    params = (PATIENT, date_param("When it was answered"), LAST_UPDATED)

    def search(self, user: User, criteria: Criteria) -> Page:
        checkins = scope_to_visible_patients(user, CheckIn.objects.all())
        assessments = scope_to_visible_patients(user, Assessment.objects.all())
        if criteria.patient is not None:
            checkins = checkins.filter(patient_id=criteria.patient)
            assessments = assessments.filter(patient_id=criteria.patient)
        checkins = checkins.filter(date_q("recorded_at", criteria.dates) & date_q("updated_at", criteria.last_updated))
        assessments = assessments.filter(
            date_q("completed_at", criteria.dates) & date_q("completed_at", criteria.last_updated)
        )
        keys, total = union_page([_keys(checkins, 0, "recorded_at"), _keys(assessments, 1, "completed_at")], criteria)
        checkin_rows = CheckIn.objects.in_bulk([i for i, k in keys if k == 0])
        assessment_rows = Assessment.objects.in_bulk([i for i, k in keys if k == 1])
        resources = [
            questionnaires.checkin_response(checkin_rows[i])
            if k == 0
            else questionnaires.assessment_response(assessment_rows[i])
            for i, k in keys
        ]
        patients = {r.patient_id for r in checkin_rows.values()} | {r.patient_id for r in assessment_rows.values()}
        return Page(resources, patients, total)

    def read(self, user: User, resource_id: str) -> Emitted:
        if resource_id.startswith(clinical.CHECKIN_PREFIX):
            row_id = as_uuid(self.name, resource_id.removeprefix(clinical.CHECKIN_PREFIX))
            checkin = scope_to_visible_patients(user, CheckIn.objects.all()).filter(pk=row_id).first()
            if checkin is not None:
                return questionnaires.checkin_response(checkin), checkin.patient_id
        elif resource_id.startswith(clinical.ASSESSMENT_PREFIX):
            row_id = as_uuid(self.name, resource_id.removeprefix(clinical.ASSESSMENT_PREFIX))
            assessment = scope_to_visible_patients(user, Assessment.objects.all()).filter(pk=row_id).first()
            if assessment is not None:
                return questionnaires.assessment_response(assessment), assessment.patient_id
        raise not_found(self.name, resource_id)

    def for_patient(self, patient: PatientProfile) -> Iterator[dict[str, Any]]:
        for checkin in CheckIn.objects.filter(patient=patient).order_by("local_date"):
            yield questionnaires.checkin_response(checkin)
        for assessment in Assessment.objects.filter(patient=patient).order_by("completed_at"):
            yield questionnaires.assessment_response(assessment)

    def for_clinic(self, clinic_id: uuid.UUID, since: dt.datetime | None) -> Iterator[Emitted]:
        checkins = CheckIn.objects.filter(patient__user__clinic_id=clinic_id)
        assessments = Assessment.objects.filter(patient__user__clinic_id=clinic_id)
        if since is not None:
            checkins = checkins.filter(updated_at__gte=since)
            assessments = assessments.filter(completed_at__gte=since)
        for checkin in checkins.order_by("patient_id", "local_date").iterator(chunk_size=export_batch_size()):
            yield questionnaires.checkin_response(checkin), checkin.patient_id
        for assessment in assessments.order_by("patient_id", "completed_at").iterator(chunk_size=export_batch_size()):
            yield questionnaires.assessment_response(assessment), assessment.patient_id


# --- Bulk export jobs -------------------------------------------------------------------------------------------------


def export_running(clinic: Clinic, now: dt.datetime) -> bool:
    """Whether an export of the clinic is queued or running (one at a time per clinic)."""
    return ExportJob.objects.filter(clinic=clinic, status__in=ACTIVE_EXPORT_STATUSES, expires_at__gt=now).exists()


def export_job_of_clinic(clinic_id: uuid.UUID, job_id: uuid.UUID, now: dt.datetime) -> ExportJob | None:
    """The clinic's export job while it has not expired, or None."""
    return ExportJob.objects.filter(pk=job_id, clinic_id=clinic_id, expires_at__gt=now).first()


def export_files_of(job: ExportJob) -> list[ExportFile]:
    """The files of an export job in the order they were written, for its manifest."""
    return list(ExportFile.objects.filter(job=job).order_by("id"))


def export_file_of(job: ExportJob, name: str) -> ExportFile | None:
    """One file of an export job by name, or None."""
    return ExportFile.objects.filter(job=job, name=name).first()
