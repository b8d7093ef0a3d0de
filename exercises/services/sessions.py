"""What the patient did at a session: one record per occurrence, idempotent, and the watch alert for pain during
an exercise twice in a row (which holds the prescription's progression, exercises.services.holds)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import CaregiverLink, PatientProfile
from exercises.models import ExerciseRecord, Prescription, RecordState
from exercises.selectors import exercise_occurrence_find, parse_occurrence_key
from exercises.services.holds import progression_hold
from exercises.services.versions import plan_locked
from recovery import rules
from recovery.content.protocol_default import EXERCISE_PAIN_SCORE
from recovery.models import Alert, AlertState
from recovery.selectors import exercise_pause
from recovery.services import alerts_raise

EXERCISE_PAIN_RULE = "exercise_pain_7_plus_twice"


@dataclass(frozen=True)
class RecordResult:
    record: ExerciseRecord
    created: bool
    alerts: list[Alert]


def _exercise_pain_findings(record: ExerciseRecord) -> list[rules.Finding]:
    """Watch tier: pain during the exercise of EXERCISE_PAIN_SCORE+ in two consecutive sessions of the same
    prescription. Sessions are the done or partly done records in occurrence order (skipped ones are not sessions:
    they neither count nor break the run). Records may arrive out of order, so the new record is paired with the
    session before it and the one after it; the alert's trigger is the later record of the pair.

    While an alert for the prescription is still open (no clinician has looked yet), further painful sessions raise
    no more: one unread alert says it, and the progression is already held.
    """
    if not record.performed or record.pain_during is None or record.pain_during < EXERCISE_PAIN_SCORE:
        return []
    unread = Alert.objects.filter(
        patient_id=record.patient_id,
        rule=EXERCISE_PAIN_RULE,
        state=AlertState.OPEN,
        details__prescription=str(record.prescription_id),
    )
    if unread.exists():
        return []
    sessions = ExerciseRecord.objects.filter(
        prescription_id=record.prescription_id, state__in=(RecordState.DONE, RecordState.PARTLY_DONE)
    ).exclude(pk=record.pk)
    d, t = record.local_date, record.local_time
    before = sessions.filter(Q(local_date__lt=d) | Q(local_date=d, local_time__lt=t)).order_by(
        "-local_date", "-local_time"
    )
    after = sessions.filter(Q(local_date__gt=d) | Q(local_date=d, local_time__gt=t)).order_by(
        "local_date", "local_time"
    )
    findings: list[rules.Finding] = []
    for earlier, later in ((before.first(), record), (record, after.first())):
        if earlier is None or later is None:
            continue
        if min(earlier.pain_during or 0, later.pain_during or 0) < EXERCISE_PAIN_SCORE:
            continue
        details = {
            "exercise": record.prescription.exercise.name,
            "prescription": str(record.prescription_id),
            "sessions": [
                {"occurrence": r.occurrence_key, "state": r.state, "pain_during": r.pain_during}
                for r in (earlier, later)
            ],
        }
        findings.append(rules.Finding(EXERCISE_PAIN_RULE, f"exercise-record:{later.pk}", details))
    return findings


PAUSED_MESSAGE = gettext_lazy(
    "Your exercises are on hold because you told us about a warning sign. This session cannot be recorded until "
    "your clinic has seen it."
)


class ExercisesPaused(Exception):
    """The session is on a day the patient's exercise plan is paused (an open emergency or urgent alert that no
    clinician has acknowledged yet: recovery.selectors.exercise_pause)."""


def exercise_record_put(
    *,
    patient: PatientProfile,
    occurrence: str,
    state: str,
    pain_during: int | None,
    difficulty: str,
    recorded_at: dt.datetime | None = None,
    entered_by: CaregiverLink | None = None,
    now: dt.datetime | None = None,
) -> RecordResult:
    """Record what the patient did at one occurrence; the same request again changes nothing (idempotent per
    occurrence), a different one corrects the record. `entered_by`: the caregiver link it was recorded through.

    Http404 for a key that is not an occurrence of this patient's plan; ValidationError for a day after today (in
    the patient's zone) or before the backfill window; ExercisesPaused for a day on or after the day a still
    unacknowledged emergency or urgent alert was raised. Pain of 7+ twice in a row raises a watch alert and holds the
    prescription's progression.
    """
    now = now or timezone.now()
    parsed = parse_occurrence_key(occurrence)
    if parsed is None:
        raise Http404(_("No exercise session with this key."))
    prescription_id, local_date, local_time = parsed
    prescription = (
        Prescription.objects.select_related("exercise", "plan__procedure", "plan__patient")
        .filter(pk=prescription_id, plan__patient=patient)
        .first()
    )
    if prescription is None:
        raise Http404(_("No exercise session with this key."))
    today = patient.local_today(now)
    backfill = int(settings.CHECKIN_BACKFILL_DAYS)  # the same offline window as daily check-ins
    if local_date > today:
        raise ValidationError({"occurrence": [_("This session is on a day after today where you are.")]})
    if local_date < today - dt.timedelta(days=backfill):
        message = ngettext(
            "Sessions can be recorded for the last %(days)d day only.",
            "Sessions can be recorded for the last %(days)d days only.",
            backfill,
        )
        raise ValidationError({"occurrence": [message % {"days": backfill}]})
    found = exercise_occurrence_find(prescription, local_date, local_time, patient.zone)
    if found is None:
        raise Http404(_("No exercise session with this key."))
    pause = exercise_pause(patient)
    if pause is not None and local_date >= pause["since_date"]:
        raise ExercisesPaused(str(PAUSED_MESSAGE))
    values = {
        "state": state,
        "pain_during": pain_during,
        "difficulty": difficulty,
    }
    with transaction.atomic():
        plan_locked(prescription.plan)
        record = (
            ExerciseRecord.objects.select_for_update()
            .filter(prescription=prescription, local_date=local_date, local_time=local_time)
            .first()
        )
        created = record is None
        if record is None:
            record = ExerciseRecord.objects.create(
                patient=patient, prescription=prescription, version_id=found.version_id, local_date=local_date,
                local_time=local_time, recorded_at=recorded_at or now, received_at=now, updated_at=now,
                entered_by=entered_by, **values,
            )  # fmt: skip
        elif any(getattr(record, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(record, name, value)
            record.recorded_at, record.updated_at, record.entered_by = recorded_at or now, now, entered_by
            record.save()
        else:
            return RecordResult(record, created=False, alerts=[])
        record.prescription = prescription
        alerts = alerts_raise(patient=patient, findings=_exercise_pain_findings(record), now=now)
        for alert in alerts:
            progression_hold(prescription, alert, now)
    return RecordResult(record, created=created, alerts=alerts)
