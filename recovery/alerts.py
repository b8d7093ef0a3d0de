"""Writes for alerts: raising them from rule findings, acknowledging, resolving and assigning them. Each service is one
transaction; facts are announced through recovery.signals. recovery.services re-exports these names."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import StateConflict
from accounts.models import CareTeamMember, PatientProfile, User
from recovery import rules
from recovery.models import Alert, AlertEvent, AlertState
from recovery.signals import alert_raised, alert_recorded, alert_reviewed, announce, within


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
            alert_recorded.send(sender=alert_recorded, alert_id=alert.pk, patient_id=patient.pk, tier=alert.tier)
            announce(alert_raised, alert_id=alert.pk, patient_id=patient.pk, tier=alert.tier)
            raised.append(alert)
    return raised


def alert_acknowledge(*, alert: Alert, by: User, note: str = "", now: dt.datetime | None = None) -> Alert:
    now = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.state == AlertState.RESOLVED:
            raise StateConflict("This alert is already resolved.")
        if alert.state == AlertState.OPEN:
            alert.state = AlertState.ACKNOWLEDGED
            alert.acknowledged_at = now
            alert.acknowledged_by = by
            alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
            AlertEvent.objects.create(alert=alert, action="acknowledged", actor=by, at=now, note=note)
            within(alert_reviewed, alert_id=alert.pk, patient_id=alert.patient_id, by_id=by.pk, at=now)
    return alert


def alert_resolve(*, alert: Alert, by: User, note: str, now: dt.datetime | None = None) -> Alert:
    now = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.state == AlertState.RESOLVED:
            raise StateConflict("This alert is already resolved.")
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = now, by
        alert.state = AlertState.RESOLVED
        alert.resolved_at = now
        alert.resolved_by = by
        alert.note = note
        alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by", "note"])
        AlertEvent.objects.create(alert=alert, action="resolved", actor=by, at=now, note=note)
        within(alert_reviewed, alert_id=alert.pk, patient_id=alert.patient_id, by_id=by.pk, at=now)
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
            raise StateConflict("This alert is already resolved.")
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
