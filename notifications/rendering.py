"""What a message needs to be rendered at send time, for a batch of deliveries in a few queries: each recipient's
language now (not when the delivery was planned), and the names, dates and versioned texts the messages use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accounts.languages import language_of
from accounts.models import User
from journey import reminders as journey_reminders
from notifications import caregiving
from notifications.models import Delivery, Kind
from recovery.models import Alert, PatientMilestone

# The preparation checklist's reminders (journey), by what each is about.
PREPARATION_KINDS = {
    Kind.PREPARATION_REMINDER: journey_reminders.REMINDER_ITEM,
    Kind.MEDICINE_STOP: journey_reminders.REMINDER_STOP,
    Kind.MEDICINE_RESTART: journey_reminders.REMINDER_RESTART,
    Kind.PROCEDURE_EVE: journey_reminders.REMINDER_EVE,
}


def recipient_languages(rows: Sequence[Delivery]) -> dict[Any, str]:
    """Each recipient's language now (not when the delivery was planned), in one query."""
    recipients = User.objects.filter(pk__in={r.recipient_id for r in rows}).only("pk", "language")
    return {user.pk: language_of(user) for user in recipients}


def message_contexts(rows: Sequence[Delivery]) -> dict[int, dict[str, Any]]:
    """The few names inbox texts use, looked up in one query per kind of subject. A caregiver's copy also names the
    patient it is about (`patient`: full name, `patient_first`: first name). Texts of versioned content (a milestone's
    title, a warning sign's advice, a checklist item's title) stay objects here: the message renders them in the
    recipient's language."""
    out: dict[int, dict[str, Any]] = {}
    about = caregiving.patients_named(r.about_id for r in rows)
    alert_ids = {r.subject_id for r in rows if r.kind in (Kind.ALERT, Kind.ALERT_ESCALATION, Kind.CAREGIVER_ALERT)}
    milestone_ids = {r.subject_id for r in rows if r.kind in (Kind.MILESTONE_OPENED, Kind.MILESTONE_CLOSING)}
    alerts = {str(a.pk): a for a in Alert.objects.filter(pk__in=alert_ids).select_related("patient__user__clinic")}
    milestones = {str(m.pk): m for m in PatientMilestone.objects.filter(pk__in=milestone_ids)}
    procedure_dates = journey_reminders.procedure_dates(r.subject_id for r in rows if r.kind == Kind.BASELINE_REMINDER)
    preparation = journey_reminders.preparation_reminder_subjects(
        (r.subject_id, r.occurrence) for r in rows if r.kind in PREPARATION_KINDS and r.kind != Kind.PROCEDURE_EVE
    )
    eve = journey_reminders.procedure_eve_subjects(r.subject_id for r in rows if r.kind == Kind.PROCEDURE_EVE)
    for row in rows:
        if row.kind == Kind.CAREGIVER_ALERT and row.subject_id in alerts:
            out[row.pk] = caregiving.caregiver_alert_context(alerts[row.subject_id])
        elif row.subject_id in alerts:
            alert = alerts[row.subject_id]
            out[row.pk] = {"tier": alert.tier, "patient": alert.patient.user.full_name, "alert": alert.title}
        elif row.subject_id in milestones:
            milestone = milestones[row.subject_id]
            out[row.pk] = {"milestone": milestone, "closes_on": milestone.closes_on}
        elif row.kind == Kind.BASELINE_REMINDER and row.subject_id in procedure_dates:
            out[row.pk] = {"procedure_on": procedure_dates[row.subject_id]}
        elif row.kind == Kind.PROCEDURE_EVE and row.subject_id in eve:
            out[row.pk] = eve[row.subject_id]
        elif row.kind in PREPARATION_KINDS and (row.subject_id, row.occurrence) in preparation:
            out[row.pk] = preparation[(row.subject_id, row.occurrence)]
        elif row.kind == Kind.ALERT_DIGEST:
            out[row.pk] = {}
        if row.about_id in about:
            out[row.pk] = {**out.get(row.pk, {}), **about[row.about_id]}
    return out
