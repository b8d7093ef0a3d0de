"""Writes for recovery. Each service is one transaction; facts are announced through recovery.signals on commit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import StateConflict
from accounts.models import CaregiverLink, Clinic, PatientProfile, Role, User
from recovery import instruments, rules, safety, wording

# The alert writes live in recovery.alerts and the check-in writes in recovery.checkins; recovery.services.alert_* and
# checkin_put (with its outcomes) keep working for every caller.
from recovery.alerts import alert_acknowledge as alert_acknowledge
from recovery.alerts import alert_assign as alert_assign
from recovery.alerts import alert_resolve as alert_resolve
from recovery.alerts import alerts_raise as alerts_raise
from recovery.checkins import CheckInConflict as CheckInConflict
from recovery.checkins import CheckInOutcome as CheckInOutcome
from recovery.checkins import CheckInResult as CheckInResult
from recovery.checkins import VersionMismatch as VersionMismatch
from recovery.checkins import VersionRequired as VersionRequired
from recovery.checkins import checkin_put as checkin_put
from recovery.models import (
    Alert,
    Assessment,
    CheckIn,
    MilestoneStatus,
    PatientMilestone,
    Procedure,
    ProcedureStatus,
    Protocol,
    ProtocolMilestone,
    ProtocolPhase,
)
from recovery.selectors import (
    assessment_comparisons,
    current_procedure,
    milestone_statuses_open_for_assessment,
)
from recovery.signals import (
    announce,
    milestone_opened,
    procedure_completed,
    within,
)

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
    phase_fields = ("key", "title", "start_day", "end_day", "summary", "instructions", "avoid", "translations")
    milestone_fields = (
        "key", "title", "kind", "open_day", "target_day", "close_day", "assessments", "optional", "enabled",
        "patient_text", "translations",
    )  # fmt: skip
    phases = [{f: getattr(p, f) for f in phase_fields} for p in protocol.phases.all()]
    milestones = [{f: getattr(m, f) for f in milestone_fields} for m in protocol.milestones.all()]
    return phases, milestones


def carried_translations(before: dict[str, Any], after: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The translations of `after`: its own when it gives them, else those of `before` for every field in `fields`
    whose English is unchanged."""
    if "translations" in after:
        return dict(after["translations"] or {})
    carried: dict[str, Any] = {}
    for language, texts in (before.get("translations") or {}).items():
        kept = {f: v for f, v in texts.items() if f in fields and before.get(f) == after.get(f)}
        if kept:
            carried[language] = kept
    return carried


def _with_carried(item: dict[str, Any], before: Sequence[dict[str, Any]], fields: Sequence[str]) -> dict[str, Any]:
    """A phase or milestone of a revision with its translations (carried from the same key's before, see above)."""
    previous = next((b for b in before if b["key"] == item["key"]), {})
    return {**item, "translations": carried_translations(previous, item, fields)}


def protocol_copy_for_clinic(*, clinic: Clinic, by: User, source: Protocol) -> Protocol:
    """A clinic's own editable copy of a protocol, as its version 1 (once; later changes are new versions)."""
    with transaction.atomic():
        Clinic.objects.select_for_update().get(pk=clinic.pk)
        if Protocol.objects.filter(clinic=clinic).exists():
            raise StateConflict("Your clinic already has its own protocol; edit that one instead.")
        copy = Protocol.objects.create(
            clinic=clinic, name=source.name, version=1, based_on=source, created_by=by,
            change_note=f"Copied from {source}.", when_to_get_help=source.when_to_get_help,
            translations=source.translations,
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
    when_to_get_help: dict[str, Any] | None = None,
    translations: dict[str, Any] | None = None,
) -> Protocol:
    """Save an edit as the next version. Procedures already started keep the version they started with. Without a
    new "When to get help" text the version keeps the one before's.

    Translations (of the phases, milestones and "When to get help"): those given replace the ones before; without
    them, each translated field the edit left unchanged in English keeps its translation, and a field whose English
    changed loses it (the reader sees the new English rather than a translation of the old text)."""
    if protocol.clinic_id is None:
        raise ValidationError("The shipped default protocol cannot be edited; copy it for your clinic first.")
    with transaction.atomic():
        latest = Protocol.objects.select_for_update().filter(clinic_id=protocol.clinic_id).order_by("-version").first()
        if latest is None or latest.pk != protocol.pk:
            raise ValidationError("Only the newest version can be edited; it changed since you loaded this one.")
        help_text = latest.when_to_get_help if when_to_get_help is None else when_to_get_help
        before_phases, before_milestones = _protocol_definition(latest)
        revised = Protocol.objects.create(
            clinic_id=protocol.clinic_id, name=name, version=latest.version + 1, based_on=latest, created_by=by,
            change_note=change_note, when_to_get_help=help_text,
            translations=carried_translations(
                {"when_to_get_help": latest.when_to_get_help, "translations": latest.translations},
                {"when_to_get_help": help_text, **({"translations": translations} if translations is not None else {})},
                ("when_to_get_help",),
            ),
        )  # fmt: skip
        _protocol_children_write(
            revised,
            [_with_carried(p, before_phases, wording.PHASE_FIELDS) for p in phases],
            [_with_carried(m, before_milestones, wording.MILESTONE_FIELDS) for m in milestones],
        )
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
        raise StateConflict("A cancelled procedure cannot be changed.")
    moved = "procedure_date" in fields and fields["procedure_date"] != procedure.procedure_date
    if procedure.status == ProcedureStatus.DONE and moved:
        raise StateConflict(
            {"procedure_date": ["The date of a done procedure anchors its milestones and cannot change."]}
        )
    if "performed_by" in fields:
        procedure.performed_by = _performer(procedure.patient, fields.pop("performed_by"))
    for name, value in fields.items():
        setattr(procedure, name, value)
    procedure.save()
    return procedure


def procedure_complete(
    *, procedure: Procedure, by: User, now: dt.datetime | None = None, override_reason: str = ""
) -> Procedure:
    """Mark the procedure done and lay out its milestones, as dates in the patient's zone. Safe to repeat.

    Needs a screening of this episode whose outcome is "candidate", or a clinician's `override_reason`, which is kept
    on the procedure with who gave it and when (recovery.safety.procedure_screening_check)."""
    now = now or timezone.now()
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().select_related("patient").get(pk=procedure.pk)
        if procedure.status == ProcedureStatus.DONE:
            return procedure
        if procedure.status == ProcedureStatus.CANCELLED:
            raise StateConflict("A cancelled procedure cannot be marked done.")
        if procedure.procedure_date > procedure.patient.local_today(now):
            raise ValidationError({"procedure_date": ["A procedure in the future cannot be marked done."]})
        safety.procedure_screening_check(procedure=procedure, by=by, override_reason=override_reason, now=now)
        procedure.status = ProcedureStatus.DONE
        procedure.completed_at = now
        procedure.save(
            update_fields=[
                "status",
                "completed_at",
                "screening_override_reason",
                "screening_override_by",
                "screening_override_at",
            ]
        )
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
                    translations=m.translations,
                )
                for m in procedure.protocol.milestones.filter(enabled=True)
            ]
        )
        within(procedure_completed, procedure_id=procedure.pk, patient_id=procedure.patient_id, by_id=by.pk, at=now)
    return procedure


def procedure_cancel(*, procedure: Procedure) -> Procedure:
    if procedure.status == ProcedureStatus.DONE:
        raise StateConflict("A done procedure cannot be cancelled.")
    procedure.status = ProcedureStatus.CANCELLED
    procedure.save(update_fields=["status"])
    return procedure


# --- Assessments ------------------------------------------------------------------------------------------------------


class AssessmentExists(Exception):
    def __init__(self, existing_id: uuid.UUID) -> None:
        super().__init__(str(existing_id))
        self.existing_id = existing_id


def _assessment_procedure_and_milestone(
    patient: PatientProfile, timepoint: str, today: dt.date
) -> tuple[Procedure, PatientMilestone | None]:
    if timepoint == Assessment.BASELINE:
        # Baseline measures are taken before the procedure day (CLINICAL.md): from that day on the answers could
        # already reflect the procedure, so they would not be a baseline.
        procedure = (
            Procedure.objects.filter(patient=patient, procedure_date__gte=today)
            .exclude(status=ProcedureStatus.CANCELLED)
            .order_by("procedure_date")
            .first()
        )
        if procedure is None:
            raise ValidationError(
                {"timepoint": [_("The baseline is taken before a procedure, and no upcoming procedure is scheduled.")]}
            )
        if procedure.procedure_date <= today:
            raise ValidationError(
                {
                    "timepoint": [
                        _("The baseline must be taken before the day of the procedure; today is the procedure day.")
                    ]
                }
            )
        return procedure, None
    procedure = current_procedure(patient, on=today)
    if procedure is None:
        raise ValidationError({"timepoint": [_("There is no done procedure to follow up yet.")]})
    milestone = PatientMilestone.objects.filter(procedure=procedure, key=timepoint).first()
    if milestone is None:
        raise ValidationError(
            {"timepoint": [_("Unknown milestone '%(timepoint)s' for this procedure.") % {"timepoint": timepoint}]}
        )
    state = milestone.status_on(today)
    if state not in milestone_statuses_open_for_assessment():
        messages = {
            MilestoneStatus.UPCOMING: _("%(milestone)s is upcoming; it cannot be done now."),
            MilestoneStatus.COMPLETED: _("%(milestone)s is completed; it cannot be done now."),
        }
        message = messages.get(state, _("%(milestone)s is missed; it cannot be done now."))
        raise ValidationError({"timepoint": [message % {"milestone": wording.text_of(milestone, "title")}]})
    return procedure, milestone


def assessment_record(
    *,
    patient: PatientProfile,
    by: User,
    instrument: str,
    timepoint: str,
    answers: dict[str, Any],
    entered_by: CaregiverLink | None = None,
    now: dt.datetime | None = None,
) -> Assessment:
    """Score and store one outcome measure; completing a milestone's last measure completes the milestone.
    `entered_by`: the caregiver link through which someone helped the patient enter it."""
    now = now or timezone.now()
    today = patient.local_today(now)
    definition = instruments.INSTRUMENTS.get(instrument)
    if definition is None:
        raise ValidationError(
            {"instrument": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(instruments.INSTRUMENTS)}]}
        )
    procedure, milestone = _assessment_procedure_and_milestone(patient, timepoint, today)
    if milestone is not None and instrument not in milestone.assessments:
        raise ValidationError(
            {
                "instrument": [
                    _("%(milestone)s does not include this measure.")
                    % {"milestone": wording.text_of(milestone, "title")}
                ]
            }
        )
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
                    entered_by=entered_by,
                    # The language the form was shown in to whoever filled it in (the request's).
                    language=wording.instrument_language(definition),
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
