"""Whether a planned delivery is still wanted when its time comes: a reminder whose check-in is done, a checklist item
ticked, an escalation whose alert was acknowledged, a caregiver whose grant was revoked since it was planned. Each
reason is recorded on the skipped delivery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from journey import reminders as journey_reminders
from notifications import caregiving, rendering
from notifications.models import Delivery, Kind
from recovery import selectors as recovery_selectors
from recovery.models import Alert

# Why one planned is not sent after all (the item, its date or the procedure changed since).
PREPARATION_SKIPPED = {
    Kind.PREPARATION_REMINDER: "item ticked, its date changed or procedure no longer scheduled",
    Kind.MEDICINE_STOP: "medicine ticked, its stop date changed or procedure no longer scheduled",
    Kind.MEDICINE_RESTART: "restart date changed, medicine removed or procedure cancelled",
    Kind.PROCEDURE_EVE: "its items ticked, procedure date changed or procedure no longer scheduled",
}


def no_longer_wanted(rows: Sequence[Delivery]) -> dict[int, str]:
    """Deliveries that became pointless since they were planned, with the reason (a constant number of queries)."""
    reminders = [r for r in rows if r.kind in (Kind.CHECKIN_REMINDER, Kind.CHECKIN_NUDGE)]
    done = recovery_selectors.checkin_days(
        (r.about_id or r.recipient_id for r in reminders), (dt.date.fromisoformat(r.occurrence) for r in reminders)
    )
    still_granted = caregiving.caregivers_still_granted(rows)
    escalations = {r.subject_id for r in rows if r.kind == Kind.ALERT_ESCALATION}
    handled = {
        str(pk) for pk in Alert.objects.filter(pk__in=escalations).exclude(state="open").values_list("pk", flat=True)
    }
    baseline = {r.subject_id for r in rows if r.kind == Kind.BASELINE_REMINDER}
    baseline_wanted = journey_reminders.baseline_reminders_wanted(baseline) if baseline else set()
    preparation = {r.subject_id for r in rows if r.kind in rendering.PREPARATION_KINDS}
    preparation_wanted = journey_reminders.preparation_reminders_wanted(preparation) if preparation else set()
    reasons: dict[int, str] = {}
    for row in rows:
        # By kind, not `row in reminders`: that compares model instances one by one (quadratic in the chunk size).
        is_reminder = row.kind in (Kind.CHECKIN_REMINDER, Kind.CHECKIN_NUDGE)
        if row.about_id is not None and (row.recipient_id, row.about_id) not in still_granted:
            # Revoked (the grant, or the whole link) after planning: nothing more reaches them, from this moment.
            reasons[row.pk] = caregiving.REVOKED_REASON
        elif is_reminder and (row.about_id or row.recipient_id, dt.date.fromisoformat(row.occurrence)) in done:
            reasons[row.pk] = "check-in already done"
        elif row.kind == Kind.ALERT_ESCALATION and row.subject_id in handled:
            reasons[row.pk] = "alert acknowledged in time"
        elif row.kind == Kind.BASELINE_REMINDER and row.subject_id not in baseline_wanted:
            reasons[row.pk] = "baseline done or procedure no longer scheduled"
        elif (
            row.kind in rendering.PREPARATION_KINDS
            and (rendering.PREPARATION_KINDS[Kind(row.kind)], row.occurrence) not in preparation_wanted
        ):
            reasons[row.pk] = PREPARATION_SKIPPED[Kind(row.kind)]
    return reasons
