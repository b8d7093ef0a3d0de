"""Caregivers in the delivery engine: who gets a copy of a patient's reminders and of what to do after a warning sign
(the caregivers holding the patient's "reminders" grant), whether they still may when it is sent, and what their copy
says. The engine itself (notifications.services) plans, claims and sends their rows like anyone's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from accounts.models import CaregiverLink, Grant, PatientProfile
from notifications import messages
from notifications.models import Delivery
from recovery.content.red_flags import RULE_SETS
from recovery.models import Alert, Tier

REVOKED_REASON = "caregiver no longer gets this patient's reminders"


def caregivers_getting_reminders(patient_ids: Iterable[Any], *, paused_too: bool = False) -> dict[Any, list[Any]]:
    """patient -> the caregivers who hold that patient's "reminders" grant now (one query). Those who paused their
    own reminders are left out, unless `paused_too` (what to do in an emergency is never paused)."""
    links = CaregiverLink.objects.granting(Grant.REMINDERS).filter(patient_id__in=set(patient_ids))
    if not paused_too:
        links = links.exclude(caregiver__notification_preference__paused=True)
    out: dict[Any, list[Any]] = {}
    for patient_id, caregiver_id in links.values_list("patient_id", "caregiver_id"):
        out.setdefault(patient_id, []).append(caregiver_id)
    return out


def caregivers_still_granted(rows: Sequence[Delivery]) -> set[tuple[Any, Any]]:
    """(caregiver, patient) of the caregivers' copies among `rows` whose "reminders" grant still holds at send time;
    a copy whose pair is missing was revoked after planning (one query, none without copies)."""
    copies = [r for r in rows if r.about_id is not None]
    if not copies:
        return set()
    links = CaregiverLink.objects.granting(Grant.REMINDERS).filter(
        caregiver_id__in={r.recipient_id for r in copies}, patient_id__in={r.about_id for r in copies}
    )
    return set(links.values_list("caregiver_id", "patient_id"))


def patients_named(patient_ids: Iterable[Any]) -> dict[Any, dict[str, str]]:
    """patient -> how a caregiver's copy names them (`patient`: full name, `patient_first`: first name)."""
    ids = {pk for pk in patient_ids if pk is not None}
    if not ids:
        return {}
    profiles = PatientProfile.objects.filter(pk__in=ids).select_related("user")
    return {p.pk: {"patient": p.user.full_name, "patient_first": p.user.get_short_name()} for p in profiles}


def caregiver_alert_context(alert: Alert) -> dict[str, Any]:
    """What the patient's own screen told them to do for this alert (its rule set's instruction, with the clinic's
    numbers: the message renders it in the caregiver's language), for a caregiver's inbox: no warning sign, answer or
    note. `alert` comes with patient__user__clinic."""
    clinic = alert.patient.user.clinic
    if clinic is None:  # patients always belong to a clinic (a database constraint); this keeps the types honest
        raise ValueError("A patient without a clinic cannot be told whom to call.")
    rule_set = RULE_SETS.get(alert.rule_set_version, RULE_SETS[max(RULE_SETS)])
    instruction = rule_set.instructions[alert.tier]  # type: ignore[index]
    call = clinic.emergency_number if alert.tier == Tier.EMERGENCY else clinic.phone
    return {"tier": alert.tier, "instruction": instruction, "clinic": clinic, "call": call}


def message_for(row: Delivery, context: dict[str, Any] | None, *, language: str | None) -> messages.Message:
    """A person's own message, or a caregiver's copy of one (which says whom it is about), in `language`."""
    if row.about_id is not None:
        return messages.build_for_caregiver(row, context, language=language)
    return messages.build(row, context, language=language)
