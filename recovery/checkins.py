"""The daily check-in's write path: create, replay or change one day's check-in by its client-generated id (the
offline-sync rules), run the rules over it and raise what they find. recovery.services re-exports the public names,
so callers keep using services.checkin_put and its outcomes."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CaregiverLink, PatientProfile, User
from recovery import rules, safety

# The alert writes live in recovery.alerts; recovery.services.alert_* keeps working for every caller.
from recovery.alerts import alert_acknowledge as alert_acknowledge
from recovery.alerts import alert_assign as alert_assign
from recovery.alerts import alert_resolve as alert_resolve
from recovery.alerts import alerts_raise as alerts_raise
from recovery.content.healthcare_use import CURRENT as HEALTHCARE_USE
from recovery.models import (
    Alert,
    CheckIn,
    CheckInRevision,
    snapshot_of,
)
from recovery.selectors import (
    baseline_pain,
    current_procedure_with_baseline_pain,
)
from recovery.signals import (
    announce,
    checkin_recorded,
)

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
    "red_flags", "healthcare_use", "healthcare_use_version", "note", "recorded_at",
)  # fmt: skip
# Fields added after check-ins were first stored: left out of the hash while unanswered, so a replay of a check-in
# stored before them still hashes as it did.
_HASHED_WHEN_GIVEN = ("healthcare_use", "healthcare_use_version")


def _canonical_hash(data: dict[str, Any]) -> str:
    normal: dict[str, Any] = {
        k: data.get(k) for k in CHECKIN_FIELDS if k not in _HASHED_WHEN_GIVEN or data.get(k) is not None
    }
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
        raise ValidationError({"local_date": [_("This date is in the future where you are.")]})
    if local_date < today - dt.timedelta(days=backfill):
        raise ValidationError(
            {"local_date": [_("Check-ins can be added for the last %(days)s days only.") % {"days": backfill}]}
        )
    if local_date < patient.enrolled_at.astimezone(patient.zone).date():
        raise ValidationError({"local_date": [_("This date is before you joined the program.")]})


# How far back a run of check-ins reporting leg weakness is followed (daily check-ins last 90 days).
LEG_WEAKNESS_LOOKBACK_DAYS = 120


def _checkin_findings(
    checkin: CheckIn,
    recent_checkins: Iterable[CheckIn] | None = None,
    baseline: tuple[int | None, int | None] | object | None = ...,
) -> list[rules.Finding]:
    """What the rules find in this check-in. `recent_checkins` (the patient's others since the pain rules' look-back)
    and `baseline` (the procedure's baseline pain) are read here unless the caller already has them."""
    trigger = f"checkin:{checkin.pk}"
    findings = rules.red_flag_findings(checkin.red_flags, trigger)
    since = checkin.local_date - dt.timedelta(days=PAIN_LOOKBACK_DAYS)
    if recent_checkins is None:
        recent_checkins = list(
            CheckIn.objects.filter(patient_id=checkin.patient_id, local_date__gte=since).only(
                "local_date", "back_pain", "leg_pain"
            )
        )
    recent = [
        rules.DayPain(c.local_date, c.back_pain, c.leg_pain, f"checkin:{c.pk}")
        for c in recent_checkins
        if c.pk != checkin.pk and c.local_date >= since
    ]
    today = rules.DayPain(checkin.local_date, checkin.back_pain, checkin.leg_pain, trigger)
    if baseline is ...:
        baseline = baseline_pain(checkin.procedure) if checkin.procedure else None
    findings += rules.pain_trend_findings(recent, today, baseline, trigger)  # type: ignore[arg-type]
    healthcare = rules.healthcare_use_finding(checkin.healthcare_use, trigger, checkin.healthcare_use_version)
    if healthcare is not None:
        findings.append(healthcare)
    if rules.LEG_WEAKNESS_SYMPTOM in checkin.symptoms:
        earlier = [
            rules.DaySymptoms(local_date, symptoms, red_flags, f"checkin:{pk}")
            for pk, local_date, symptoms, red_flags in CheckIn.objects.filter(
                patient_id=checkin.patient_id,
                local_date__lt=checkin.local_date,
                local_date__gte=checkin.local_date - dt.timedelta(days=LEG_WEAKNESS_LOOKBACK_DAYS),
            )
            .order_by("-local_date")
            .values_list("pk", "local_date", "symptoms", "red_flags")
        ]
        day = rules.DaySymptoms(checkin.local_date, checkin.symptoms, checkin.red_flags, trigger)
        weakness = rules.leg_weakness_finding(day, earlier)
        if weakness is not None:
            findings.append(weakness)
    return findings


# How far back the pain rules look from a check-in's day.
PAIN_LOOKBACK_DAYS = max(rules.PAIN_RISE_DAYS, rules.HIGH_PAIN_DAYS)


def checkin_put(
    *,
    patient: PatientProfile,
    by: User,
    checkin_id: uuid.UUID,
    data: dict[str, Any],
    if_match: str | None,
    entered_by: CaregiverLink | None = None,
    now: dt.datetime | None = None,
) -> CheckInResult:
    """Create, replay or update the check-in with this client-generated id (see the offline-sync rules).
    `entered_by`: the caregiver link through which someone filled it in for the patient (kept on the check-in for its
    latest version, and on each revision).

    - unknown id: create, unless that day already has a check-in (CheckInConflict);
    - known id, same body: a replay; nothing is stored and the stored check-in is returned;
    - known id, different body: an update, which needs If-Match with the current ETag.

    A new check-in costs one read before its two INSERTs (the id, the day and the pain rules' recent days in one
    query) and one for its procedure with the baseline pain; nothing written is read back.
    """
    now = now or timezone.now()
    # The hash covers the body as the client sent it: a replay that leaves out recorded_at must still match, although
    # the server's clock stands in for the missing time on the stored check-in.
    body_hash = _canonical_hash(data)
    data = {**data, "recorded_at": data.get("recorded_at") or now}
    data["healthcare_use_version"] = (
        None if data.get("healthcare_use") is None else data.get("healthcare_use_version") or HEALTHCARE_USE.version
    )
    try:
        return _checkin_put(patient, by, entered_by, checkin_id, data, if_match, body_hash, now)
    except IntegrityError:
        # A concurrent request with the same id or for the same day committed first (the INSERT waited for it and
        # failed, which ended this transaction): answer as if it had come first.
        try:
            return _checkin_put(patient, by, entered_by, checkin_id, data, if_match, body_hash, now)
        except IntegrityError:
            raise CheckInConflict(checkin_id) from None


def _checkin_put(
    patient: PatientProfile,
    by: User,
    entered_by: CaregiverLink | None,
    checkin_id: uuid.UUID,
    data: dict[str, Any],
    if_match: str | None,
    body_hash: str,
    now: dt.datetime,
) -> CheckInResult:
    local_date = data["local_date"]
    with transaction.atomic():
        # This id (whoever's it is), and the patient's check-ins from the pain rules' look-back on, which include
        # any other one for this day.
        near = list(
            CheckIn.objects.filter(
                Q(pk=checkin_id)
                | Q(patient=patient, local_date__gte=local_date - dt.timedelta(days=PAIN_LOOKBACK_DAYS))
            )
        )
        existing = next((c for c in near if c.pk == checkin_id), None)
        if existing is not None:
            if existing.patient_id != patient.pk:
                raise Http404(_("No check-in with this id."))
            existing.patient = patient
            if existing.body_hash == body_hash:
                return CheckInResult(existing, CheckInOutcome.REPLAYED, [])
            locked = CheckIn.objects.select_for_update().get(pk=checkin_id)
            locked.patient = patient
            return _checkin_update(
                locked, by=by, entered_by=entered_by, data=data, if_match=if_match, body_hash=body_hash, now=now
            )
        checkin_date_check(patient, local_date, now)
        same_day = [c.pk for c in near if c.local_date == local_date]
        if same_day:
            raise CheckInConflict(same_day[0])
        procedure = current_procedure_with_baseline_pain(patient, on=local_date)
        checkin = CheckIn(
            id=checkin_id,
            patient=patient,
            procedure=procedure,
            received_at=now,
            updated_at=now,
            body_hash=body_hash,
            entered_by=entered_by,
            **{k: data.get(k) for k in CHECKIN_FIELDS},
        )
        checkin.symptoms = checkin.symptoms or []
        checkin.red_flags = checkin.red_flags or []
        checkin.save(force_insert=True)
        CheckInRevision.objects.create(
            checkin=checkin, version=1, changed_by=by, entered_by=entered_by, changed_at=now, changes={},
            snapshot=snapshot_of(checkin),
        )  # fmt: skip
        baseline = getattr(procedure, "baseline_pain", None)
        alerts = alerts_raise(patient=patient, findings=_checkin_findings(checkin, near, baseline), now=now)
        safety.adverse_event_draft_from_checkin(checkin=checkin, now=now)
        announce(
            checkin_recorded, checkin_id=checkin.pk, patient_id=patient.pk, local_date=checkin.local_date, created=True
        )
    return CheckInResult(checkin, CheckInOutcome.CREATED, alerts)


def _checkin_update(
    checkin: CheckIn,
    *,
    by: User,
    entered_by: CaregiverLink | None,
    data: dict[str, Any],
    if_match: str | None,
    body_hash: str,
    now: dt.datetime,
) -> CheckInResult:
    if if_match is None:
        raise VersionRequired()
    if if_match.removeprefix("W/") != checkin.etag:
        raise VersionMismatch()
    if data["local_date"] != checkin.local_date:
        raise ValidationError(
            {"local_date": [_("A check-in's date cannot change; record that day as a new check-in.")]}
        )
    before = snapshot_of(checkin)
    for name in CHECKIN_FIELDS:
        setattr(checkin, name, data.get(name))
    checkin.symptoms = checkin.symptoms or []
    checkin.red_flags = checkin.red_flags or []
    checkin.version += 1
    checkin.updated_at = now
    checkin.body_hash = body_hash
    checkin.entered_by = entered_by
    checkin.save()
    after = snapshot_of(checkin)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    CheckInRevision.objects.create(
        checkin=checkin, version=checkin.version, changed_by=by, entered_by=entered_by, changed_at=now,
        changes=changes, snapshot=after,
    )  # fmt: skip
    alerts = alerts_raise(patient=checkin.patient, findings=_checkin_findings(checkin), now=now)
    safety.adverse_event_draft_from_checkin(checkin=checkin, now=now)
    announce(
        checkin_recorded,
        checkin_id=checkin.pk,
        patient_id=checkin.patient_id,
        local_date=checkin.local_date,
        created=False,
    )
    return CheckInResult(checkin, CheckInOutcome.UPDATED, alerts)
