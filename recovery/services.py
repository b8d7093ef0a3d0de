"""Writes for recovery. Each service is one transaction; facts are announced through recovery.signals on commit."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from accounts.models import CareTeamMember, Clinic, PatientProfile, Role, User
from recovery import instruments, rules
from recovery.exercise_services import exercise_holds_release, exercise_plan_create_for_procedure
from recovery.models import (
    Alert,
    AlertEvent,
    AlertState,
    Assessment,
    CheckIn,
    CheckInRevision,
    PatientMilestone,
    Procedure,
    ProcedureStatus,
    Protocol,
    ProtocolMilestone,
    ProtocolPhase,
    snapshot_of,
)
from recovery.selectors import (
    assessment_comparisons,
    baseline_pain,
    current_procedure,
    milestone_statuses_open_for_assessment,
)
from recovery.signals import alert_raised, announce, checkin_recorded, milestone_opened, procedure_completed

# --- Protocols --------------------------------------------------------------------------------------------------------


def protocol_current(clinic: Clinic | None) -> Protocol:
    """The protocol new procedures of this clinic start on: its own newest version, else the shipped default's."""
    protocol = Protocol.objects.filter(clinic=clinic).order_by("-version").first() if clinic else None
    if protocol is None:
        protocol = Protocol.objects.filter(clinic__isnull=True).order_by("-version").first()
    if protocol is None:
        raise ValidationError("No recovery protocol is installed; run the migrations.")
    return protocol


def _protocol_children_write(
    protocol: Protocol, phases: Sequence[dict[str, Any]], milestones: Sequence[dict[str, Any]]
) -> None:
    ProtocolPhase.objects.bulk_create([ProtocolPhase(protocol=protocol, **phase) for phase in phases])
    ProtocolMilestone.objects.bulk_create([ProtocolMilestone(protocol=protocol, **m) for m in milestones])


def _protocol_definition(protocol: Protocol) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    phase_fields = ("key", "title", "start_day", "end_day", "summary", "instructions", "avoid")
    milestone_fields = (
        "key", "title", "kind", "open_day", "target_day", "close_day", "assessments", "optional", "enabled",
        "patient_text",
    )  # fmt: skip
    phases = [{f: getattr(p, f) for f in phase_fields} for p in protocol.phases.all()]
    milestones = [{f: getattr(m, f) for f in milestone_fields} for m in protocol.milestones.all()]
    return phases, milestones


def protocol_copy_for_clinic(*, clinic: Clinic, by: User, source: Protocol) -> Protocol:
    """A clinic's own editable copy of a protocol, as its version 1 (once; later changes are new versions)."""
    with transaction.atomic():
        Clinic.objects.select_for_update().get(pk=clinic.pk)
        if Protocol.objects.filter(clinic=clinic).exists():
            raise ValidationError("Your clinic already has its own protocol; edit that one instead.")
        copy = Protocol.objects.create(
            clinic=clinic, name=source.name, version=1, based_on=source, created_by=by,
            change_note=f"Copied from {source}.",
        )  # fmt: skip
        _protocol_children_write(copy, *_protocol_definition(source))
    return copy


def protocol_revise(
    *,
    protocol: Protocol,
    by: User,
    name: str,
    phases: Sequence[dict[str, Any]],
    milestones: Sequence[dict[str, Any]],
    change_note: str = "",
) -> Protocol:
    """Save an edit as the next version. Procedures already started keep the version they started with."""
    if protocol.clinic_id is None:
        raise ValidationError("The shipped default protocol cannot be edited; copy it for your clinic first.")
    with transaction.atomic():
        latest = Protocol.objects.select_for_update().filter(clinic_id=protocol.clinic_id).order_by("-version").first()
        if latest is None or latest.pk != protocol.pk:
            raise ValidationError("Only the newest version can be edited; it changed since you loaded this one.")
        revised = Protocol.objects.create(
            clinic_id=protocol.clinic_id, name=name, version=latest.version + 1, based_on=latest, created_by=by,
            change_note=change_note,
        )  # fmt: skip
        _protocol_children_write(revised, phases, milestones)
    return revised


# --- Procedures -------------------------------------------------------------------------------------------------------

PROCEDURE_EDITABLE = ("procedure_date", "levels", "side", "anaesthesia", "notes", "performed_by")


def _performer(patient: PatientProfile, performed_by_id: uuid.UUID | None) -> User | None:
    if performed_by_id is None or patient.user.clinic_id is None:
        return None
    performer = User.objects.filter(
        pk=performed_by_id, role=Role.CLINICIAN, clinic_id=patient.user.clinic_id, is_active=True
    ).first()
    if performer is None:
        raise ValidationError({"performed_by": ["Choose an active clinician of the patient's clinic."]})
    return performer


def procedure_schedule(
    *,
    patient: PatientProfile,
    by: User,
    procedure_date: dt.date,
    levels: Sequence[str],
    side: str,
    anaesthesia: str,
    notes: str = "",
    performed_by: uuid.UUID | None = None,
) -> Procedure:
    return Procedure.objects.create(
        patient=patient,
        performed_by=_performer(patient, performed_by),
        procedure_date=procedure_date,
        levels=list(levels),
        side=side,
        anaesthesia=anaesthesia,
        notes=notes,
        protocol=protocol_current(patient.user.clinic),
        created_by=by,
    )


def procedure_update(*, procedure: Procedure, **fields: Any) -> Procedure:
    if procedure.status == ProcedureStatus.CANCELLED:
        raise ValidationError("A cancelled procedure cannot be changed.")
    moved = "procedure_date" in fields and fields["procedure_date"] != procedure.procedure_date
    if procedure.status == ProcedureStatus.DONE and moved:
        raise ValidationError(
            {"procedure_date": ["The date of a done procedure anchors its milestones and cannot change."]}
        )
    if "performed_by" in fields:
        procedure.performed_by = _performer(procedure.patient, fields.pop("performed_by"))
    for name, value in fields.items():
        setattr(procedure, name, value)
    procedure.save()
    return procedure


def procedure_complete(*, procedure: Procedure, by: User, now: dt.datetime | None = None) -> Procedure:
    """Mark the procedure done and lay out its milestones, as dates in the patient's zone. Safe to repeat."""
    now = now or timezone.now()
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().select_related("patient").get(pk=procedure.pk)
        if procedure.status == ProcedureStatus.DONE:
            return procedure
        if procedure.status == ProcedureStatus.CANCELLED:
            raise ValidationError("A cancelled procedure cannot be marked done.")
        if procedure.procedure_date > procedure.patient.local_today(now):
            raise ValidationError({"procedure_date": ["A procedure in the future cannot be marked done."]})
        procedure.status = ProcedureStatus.DONE
        procedure.completed_at = now
        procedure.save(update_fields=["status", "completed_at"])
        day0 = procedure.procedure_date
        PatientMilestone.objects.bulk_create(
            [
                PatientMilestone(
                    patient=procedure.patient,
                    procedure=procedure,
                    key=m.key,
                    title=m.title,
                    kind=m.kind,
                    opens_on=day0 + dt.timedelta(days=m.open_day),
                    target_on=day0 + dt.timedelta(days=m.target_day),
                    closes_on=day0 + dt.timedelta(days=m.close_day),
                    assessments=list(m.assessments),
                    patient_text=m.patient_text,
                )
                for m in procedure.protocol.milestones.filter(enabled=True)
            ]
        )
        exercise_plan_create_for_procedure(procedure=procedure, by=by, now=now)
        announce(procedure_completed, procedure_id=procedure.pk, patient_id=procedure.patient_id)
    return procedure


def procedure_cancel(*, procedure: Procedure) -> Procedure:
    if procedure.status == ProcedureStatus.DONE:
        raise ValidationError("A done procedure cannot be cancelled.")
    procedure.status = ProcedureStatus.CANCELLED
    procedure.save(update_fields=["status"])
    return procedure


# --- Alerts -----------------------------------------------------------------------------------------------------------


def alerts_raise(*, patient: PatientProfile, findings: Sequence[rules.Finding], now: dt.datetime) -> list[Alert]:
    """One alert per (patient, rule, trigger); findings already raised are skipped. Returns the new alerts."""
    raised: list[Alert] = []
    for finding in findings:
        with transaction.atomic():  # a savepoint: a concurrent insert of the same alert loses quietly
            alert, created = Alert.objects.get_or_create(
                patient=patient,
                rule=finding.rule,
                trigger=finding.trigger,
                defaults={
                    "tier": finding.tier,
                    "title": finding.title,
                    "details": finding.details,
                    "rule_set_version": rules.RULE_SET_VERSION,
                    "raised_at": now,
                },
            )
        if created:
            AlertEvent.objects.create(alert=alert, action="raised", at=now)
            announce(alert_raised, alert_id=alert.pk, patient_id=patient.pk, tier=alert.tier)
            raised.append(alert)
    return raised


def alert_acknowledge(*, alert: Alert, by: User, note: str = "", now: dt.datetime | None = None) -> Alert:
    now = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.state == AlertState.RESOLVED:
            raise ValidationError("This alert is already resolved.")
        if alert.state == AlertState.OPEN:
            alert.state = AlertState.ACKNOWLEDGED
            alert.acknowledged_at = now
            alert.acknowledged_by = by
            alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
            AlertEvent.objects.create(alert=alert, action="acknowledged", actor=by, at=now, note=note)
            exercise_holds_release(alert=alert, by=by, now=now)
    return alert


def alert_resolve(*, alert: Alert, by: User, note: str, now: dt.datetime | None = None) -> Alert:
    now = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.state == AlertState.RESOLVED:
            raise ValidationError("This alert is already resolved.")
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = now, by
        alert.state = AlertState.RESOLVED
        alert.resolved_at = now
        alert.resolved_by = by
        alert.note = note
        alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by", "note"])
        AlertEvent.objects.create(alert=alert, action="resolved", actor=by, at=now, note=note)
        exercise_holds_release(alert=alert, by=by, now=now)
    return alert


def alert_assign(
    *, alert: Alert, by: User, assignee_id: uuid.UUID | None, note: str = "", now: dt.datetime | None = None
) -> Alert:
    """Give an unresolved alert to a clinician on the patient's care team, or back to the team (None). Each change is
    an AlertEvent ("assigned" naming the assignee, or "unassigned"); assigning to whoever has it already changes
    nothing and records nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.state == AlertState.RESOLVED:
            raise ValidationError("This alert is already resolved.")
        assignee = None
        if assignee_id is not None:
            member = (
                CareTeamMember.objects.filter(
                    patient_id=alert.patient_id, clinician_id=assignee_id, clinician__is_active=True
                )
                .select_related("clinician")
                .first()
            )
            if member is None:
                raise ValidationError({"assignee": ["Choose a clinician on this patient's care team."]})
            assignee = member.clinician
        if alert.assigned_to_id == assignee_id:
            return alert
        alert.assigned_to = assignee
        alert.save(update_fields=["assigned_to"])
        AlertEvent.objects.create(
            alert=alert,
            action="assigned" if assignee is not None else "unassigned",
            actor=by,
            assignee=assignee,
            at=now,
            note=note,
        )
    return alert


# --- Daily check-ins --------------------------------------------------------------------------------------------------


class CheckInOutcome(enum.Enum):
    CREATED = "created"
    REPLAYED = "replayed"
    UPDATED = "updated"


class CheckInConflict(Exception):
    """Another check-in already exists for that day."""

    def __init__(self, existing_id: uuid.UUID) -> None:
        super().__init__(str(existing_id))
        self.existing_id = existing_id


class VersionRequired(Exception):
    """Changing a stored check-in needs the version the client last saw (If-Match)."""


class VersionMismatch(Exception):
    """The client's version is not the current one: someone (or another device) changed it since."""


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    outcome: CheckInOutcome
    alerts: list[Alert]


CHECKIN_FIELDS = (
    "local_date", "back_pain", "leg_pain", "walking_minutes", "standing_minutes", "steps", "medication", "symptoms",
    "red_flags", "note", "recorded_at",
)  # fmt: skip


def _canonical_hash(data: dict[str, Any]) -> str:
    normal: dict[str, Any] = {k: data.get(k) for k in CHECKIN_FIELDS}
    normal["local_date"] = data["local_date"].isoformat()
    recorded_at = data.get("recorded_at")
    normal["recorded_at"] = recorded_at.astimezone(dt.UTC).isoformat() if recorded_at else None
    normal["symptoms"] = sorted(data.get("symptoms") or [])
    normal["red_flags"] = sorted(data.get("red_flags") or [])
    return hashlib.sha256(json.dumps(normal, sort_keys=True).encode()).hexdigest()


def checkin_date_check(patient: PatientProfile, local_date: dt.date, now: dt.datetime) -> None:
    today = patient.local_today(now)
    backfill = int(settings.CHECKIN_BACKFILL_DAYS)
    if local_date > today:
        raise ValidationError({"local_date": ["This date is in the future where you are."]})
    if local_date < today - dt.timedelta(days=backfill):
        raise ValidationError({"local_date": [f"Check-ins can be added for the last {backfill} days only."]})
    if local_date < patient.enrolled_at.astimezone(patient.zone).date():
        raise ValidationError({"local_date": ["This date is before you joined the programme."]})


def _checkin_findings(checkin: CheckIn) -> list[rules.Finding]:
    trigger = f"checkin:{checkin.pk}"
    findings = rules.red_flag_findings(checkin.red_flags, trigger)
    since = checkin.local_date - dt.timedelta(days=max(rules.PAIN_RISE_DAYS, rules.HIGH_PAIN_DAYS))
    recent = [
        rules.DayPain(c.local_date, c.back_pain, c.leg_pain, f"checkin:{c.pk}")
        for c in CheckIn.objects.filter(patient_id=checkin.patient_id, local_date__gte=since)
        .exclude(pk=checkin.pk)
        .only("local_date", "back_pain", "leg_pain")
    ]
    today = rules.DayPain(checkin.local_date, checkin.back_pain, checkin.leg_pain, trigger)
    baseline = baseline_pain(checkin.procedure) if checkin.procedure else None
    return findings + rules.pain_trend_findings(recent, today, baseline, trigger)


def checkin_put(
    *,
    patient: PatientProfile,
    by: User,
    checkin_id: uuid.UUID,
    data: dict[str, Any],
    if_match: str | None,
    now: dt.datetime | None = None,
) -> CheckInResult:
    """Create, replay or update the check-in with this client-generated id (see the offline-sync rules).

    - unknown id: create, unless that day already has a check-in (CheckInConflict);
    - known id, same body: a replay; nothing is stored and the stored check-in is returned;
    - known id, different body: an update, which needs If-Match with the current ETag.
    """
    now = now or timezone.now()
    # The hash covers the body as the client sent it: a replay that leaves out recorded_at must still match, although
    # the server's clock stands in for the missing time on the stored check-in.
    body_hash = _canonical_hash(data)
    data = {**data, "recorded_at": data.get("recorded_at") or now}

    def stored(existing: CheckIn) -> CheckInResult:
        if existing.patient_id != patient.pk:
            raise Http404("No check-in with this id.")
        if existing.body_hash == body_hash:
            return CheckInResult(existing, CheckInOutcome.REPLAYED, [])
        return _checkin_update(existing, by=by, data=data, if_match=if_match, body_hash=body_hash, now=now)

    with transaction.atomic():
        existing = CheckIn.objects.select_for_update().filter(pk=checkin_id).first()
        if existing is not None:
            return stored(existing)
        checkin_date_check(patient, data["local_date"], now)
        other = CheckIn.objects.filter(patient=patient, local_date=data["local_date"]).values_list("pk", flat=True)
        if other and other[0] == checkin_id:
            # A concurrent request with this id committed since we looked: answer as if it had come first.
            return stored(CheckIn.objects.select_for_update().get(pk=checkin_id))
        if other:
            raise CheckInConflict(other[0])
        procedure = current_procedure(patient, on=data["local_date"])
        checkin = CheckIn(
            id=checkin_id,
            patient=patient,
            procedure=procedure,
            received_at=now,
            updated_at=now,
            body_hash=body_hash,
            **{k: data.get(k) for k in CHECKIN_FIELDS},
        )
        checkin.symptoms = checkin.symptoms or []
        checkin.red_flags = checkin.red_flags or []
        try:
            with transaction.atomic():
                checkin.save(force_insert=True)
        except IntegrityError:
            # A concurrent request with the same id or the same day won the race: answer as if it came first.
            raced = CheckIn.objects.select_for_update().filter(pk=checkin_id).first()
            if raced is not None:
                return stored(raced)
            day = CheckIn.objects.filter(patient=patient, local_date=data["local_date"]).values_list("pk", flat=True)
            raise CheckInConflict(day[0] if day else checkin_id) from None
        CheckInRevision.objects.create(
            checkin=checkin, version=1, changed_by=by, changed_at=now, changes={}, snapshot=snapshot_of(checkin)
        )
        alerts = alerts_raise(patient=patient, findings=_checkin_findings(checkin), now=now)
        announce(checkin_recorded, checkin_id=checkin.pk, patient_id=patient.pk, created=True)
    return CheckInResult(checkin, CheckInOutcome.CREATED, alerts)


def _checkin_update(
    checkin: CheckIn, *, by: User, data: dict[str, Any], if_match: str | None, body_hash: str, now: dt.datetime
) -> CheckInResult:
    if if_match is None:
        raise VersionRequired()
    if if_match.removeprefix("W/") != checkin.etag:
        raise VersionMismatch()
    if data["local_date"] != checkin.local_date:
        raise ValidationError({"local_date": ["A check-in's date cannot change; record that day as a new check-in."]})
    before = snapshot_of(checkin)
    for name in CHECKIN_FIELDS:
        setattr(checkin, name, data.get(name))
    checkin.symptoms = checkin.symptoms or []
    checkin.red_flags = checkin.red_flags or []
    checkin.version += 1
    checkin.updated_at = now
    checkin.body_hash = body_hash
    checkin.save()
    after = snapshot_of(checkin)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    CheckInRevision.objects.create(
        checkin=checkin, version=checkin.version, changed_by=by, changed_at=now, changes=changes, snapshot=after
    )
    alerts = alerts_raise(patient=checkin.patient, findings=_checkin_findings(checkin), now=now)
    announce(checkin_recorded, checkin_id=checkin.pk, patient_id=checkin.patient_id, created=False)
    return CheckInResult(checkin, CheckInOutcome.UPDATED, alerts)


# --- Assessments ------------------------------------------------------------------------------------------------------


class AssessmentExists(Exception):
    def __init__(self, existing_id: uuid.UUID) -> None:
        super().__init__(str(existing_id))
        self.existing_id = existing_id


def _assessment_procedure_and_milestone(
    patient: PatientProfile, timepoint: str, today: dt.date
) -> tuple[Procedure, PatientMilestone | None]:
    if timepoint == Assessment.BASELINE:
        procedure = (
            Procedure.objects.filter(patient=patient, procedure_date__gte=today)
            .exclude(status=ProcedureStatus.CANCELLED)
            .order_by("procedure_date")
            .first()
        )
        if procedure is None:
            raise ValidationError(
                {"timepoint": ["The baseline is taken before a procedure, and no upcoming procedure is scheduled."]}
            )
        return procedure, None
    procedure = current_procedure(patient, on=today)
    if procedure is None:
        raise ValidationError({"timepoint": ["There is no done procedure to follow up yet."]})
    milestone = PatientMilestone.objects.filter(procedure=procedure, key=timepoint).first()
    if milestone is None:
        raise ValidationError({"timepoint": [f"Unknown milestone '{timepoint}' for this procedure."]})
    if milestone.status_on(today) not in milestone_statuses_open_for_assessment():
        raise ValidationError(
            {"timepoint": [f"{milestone.title} is {milestone.status_on(today).label.lower()}; it cannot be done now."]}
        )
    return procedure, milestone


def assessment_record(
    *,
    patient: PatientProfile,
    by: User,
    instrument: str,
    timepoint: str,
    answers: dict[str, Any],
    now: dt.datetime | None = None,
) -> Assessment:
    """Score and store one outcome measure; completing a milestone's last measure completes the milestone."""
    now = now or timezone.now()
    today = patient.local_today(now)
    definition = instruments.INSTRUMENTS.get(instrument)
    if definition is None:
        raise ValidationError({"instrument": [f"Choose one of: {', '.join(instruments.INSTRUMENTS)}."]})
    procedure, milestone = _assessment_procedure_and_milestone(patient, timepoint, today)
    if milestone is not None and instrument not in milestone.assessments:
        raise ValidationError({"instrument": [f"{milestone.title} does not include this measure."]})
    errors = instruments.validate_answers(definition, answers, post_treatment=timepoint != Assessment.BASELINE)
    if errors:
        raise ValidationError({f"answers.{key}": messages for key, messages in errors.items()})
    with transaction.atomic():
        existing = Assessment.objects.filter(procedure=procedure, timepoint=timepoint, instrument=instrument).first()
        if existing is not None:
            raise AssessmentExists(existing.pk)
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    patient=patient,
                    procedure=procedure,
                    milestone=milestone,
                    timepoint=timepoint,
                    instrument=instrument,
                    instrument_version=definition.version,
                    answers=answers,
                    scores=instruments.score(instrument, answers),
                    local_date=today,
                    completed_at=now,
                    recorded_by=by,
                )
        except IntegrityError:
            raced = Assessment.objects.get(procedure=procedure, timepoint=timepoint, instrument=instrument)
            raise AssessmentExists(raced.pk) from None
        if milestone is not None:
            _milestone_complete_if_done(milestone, now)
    return assessment


def _milestone_complete_if_done(milestone: PatientMilestone, now: dt.datetime) -> None:
    done = set(
        Assessment.objects.filter(procedure_id=milestone.procedure_id, timepoint=milestone.key).values_list(
            "instrument", flat=True
        )
    )
    if not set(milestone.assessments) <= done:
        return
    updated = PatientMilestone.objects.filter(pk=milestone.pk, completed_at__isnull=True).update(completed_at=now)
    if updated and milestone.key == "weeks_6_8":
        comparisons = assessment_comparisons(milestone.procedure, milestone.key)
        finding = rules.no_improvement_finding(milestone_id=str(milestone.pk), comparisons=comparisons)
        if finding is not None:
            alerts_raise(patient=milestone.patient, findings=[finding], now=now)


# --- Time-based rules -------------------------------------------------------------------------------------------------


def time_rules_run_for_patient(*, patient: PatientProfile, now: dt.datetime | None = None) -> list[Alert]:
    """The rules that depend on time passing (no check-in, milestone overdue) and milestone-opening announcements,
    for one patient's current procedure. Idempotent: alerts are unique per trigger and announcements are claimed
    with a conditional UPDATE."""
    now = now or timezone.now()
    today = patient.local_today(now)
    procedure = current_procedure(patient, on=today)
    if procedure is None:
        return []
    findings: list[rules.Finding] = []
    last = CheckIn.objects.filter(patient=patient, procedure=procedure).aggregate(last=Max("local_date"))["last"]
    gap = rules.missing_checkin_finding(today=today, procedure_date=procedure.procedure_date, last_checkin=last)
    if gap is not None:
        findings.append(gap)
    for milestone in PatientMilestone.objects.filter(procedure=procedure, completed_at__isnull=True):
        status = milestone.status_on(today)
        if status == "overdue":
            findings.append(rules.milestone_overdue_finding(str(milestone.pk), milestone.title, milestone.closes_on))
        if status == "open" and milestone.opened_announced_at is None:
            claimed = PatientMilestone.objects.filter(pk=milestone.pk, opened_announced_at__isnull=True).update(
                opened_announced_at=now
            )
            if claimed:
                announce(milestone_opened, milestone_id=milestone.pk, patient_id=patient.pk)
    with transaction.atomic():
        return alerts_raise(patient=patient, findings=findings, now=now)
