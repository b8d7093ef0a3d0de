"""The preparation checklist's reminders, for the notification engine: which reminders a procedure's checklist calls
for and on which local day (an item's last day, a blood thinner's stop and restart days, the evening before the
procedure), whether they are still wanted when their time comes, and what their messages name. Reads only."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from accounts.languages import localized
from journey.models import (
    BloodThinnerPlan,
    PreparationProtocol,
    ProcedurePreparation,
)
from journey.selectors import (
    MEDICINE_PREFIX,
    item_text,
    preparation_protocol_current,
    procedure_checklists,
    procedure_checklists_made,
    procedures_missing_baseline,
    upcoming_procedures,
)
from recovery.models import Procedure, ProcedureStatus


def procedure_dates(procedure_ids: Iterable[str]) -> dict[str, dt.date]:
    ids = [pk for pk in procedure_ids if pk]
    if not ids:
        return {}
    return {str(pk): date for pk, date in Procedure.objects.filter(pk__in=ids).values_list("pk", "procedure_date")}


def baseline_reminders_wanted(procedure_ids: Iterable[str]) -> set[str]:
    """Of these procedures (ids as text), those still scheduled with baseline measures missing."""
    scheduled = list(
        upcoming_procedures().filter(pk__in=[pk for pk in procedure_ids if pk]).values_list("pk", flat=True)
    )
    return {str(pk) for pk in procedures_missing_baseline(scheduled)}


# What a preparation reminder is about: the last day of a checklist item, a blood thinner's first day without it, the
# day the clinic says it may be taken again, and the evening before the procedure (the items due that day or the next).
REMINDER_ITEM, REMINDER_STOP, REMINDER_RESTART, REMINDER_EVE = "item", "stop", "restart", "eve"


@dataclass(frozen=True)
class PreparationReminder:
    """One reminder a procedure's checklist calls for, on a local day of the patient's."""

    procedure: Procedure
    what: str  # REMINDER_ITEM, REMINDER_STOP or REMINDER_RESTART
    item_key: str
    day: dt.date

    @property
    def occurrence(self) -> str:
        """Once per procedure, item and date: a date moved later is reminded again for its new date. The evening
        before the procedure: once per procedure and procedure date."""
        if self.what == REMINDER_EVE:
            return f"{self.procedure.pk}:{self.procedure.procedure_date.isoformat()}"
        return f"{self.procedure.pk}:{self.item_key}:{self.day.isoformat()}"


def preparation_reminder_item_key(occurrence: str) -> str:
    """The checklist item a reminder's occurrence names (the inverse of PreparationReminder.occurrence)."""
    return occurrence.split(":", 1)[1].rsplit(":", 1)[0] if occurrence.count(":") >= 2 else ""


def _eve_items(procedure: Procedure, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checklist items (not a blood thinner's) not ticked whose last day is the day before the procedure or the
    procedure day itself: packing what to bring, fasting when sedation is planned, the arrival time. The evening
    before lists them in one message, so that evening brings one reminder, not one per item."""
    eve = procedure.procedure_date - dt.timedelta(days=1)
    return [
        item
        for item in items
        if item.get("medicine") is None
        and eve <= item["due_on"] <= procedure.procedure_date
        and item["done_at"] is None
    ]


def _reminders_of(procedure: Procedure, items: Sequence[dict[str, Any]]) -> list[PreparationReminder]:
    """The reminders of one procedure's checklist (the items that apply to this patient, with their ticks): an item
    not ticked, on its last day when that is two days or more before the procedure; the day before the procedure, one
    reminder for all the items not ticked whose last day is that day or the procedure day (a reminder at the check-in
    time of the procedure day would come after the procedure); and a blood thinner not ticked on its stop day, while
    the procedure is scheduled; a blood thinner's restart day while it is scheduled or done."""
    scheduled = procedure.status == ProcedureStatus.SCHEDULED
    eve = procedure.procedure_date - dt.timedelta(days=1)
    out: list[PreparationReminder] = []
    if scheduled and _eve_items(procedure, items):
        out.append(PreparationReminder(procedure, REMINDER_EVE, "", eve))
    for item in items:
        medicine = item.get("medicine")
        open_ = scheduled and item["done_at"] is None
        if medicine is None:
            if open_ and item["due_on"] < eve:
                out.append(PreparationReminder(procedure, REMINDER_ITEM, item["key"], item["due_on"]))
            continue
        if open_:
            out.append(PreparationReminder(procedure, REMINDER_STOP, item["key"], medicine["stop_on"]))
        if medicine["restart_on"] is not None and procedure.status != ProcedureStatus.CANCELLED:
            out.append(PreparationReminder(procedure, REMINDER_RESTART, item["key"], medicine["restart_on"]))
    return out


def preparation_reminder_candidates(start: dt.date, end: dt.date) -> QuerySet[Procedure]:
    """The procedures that may have a preparation reminder dated from `start` to `end`: scheduled ones whose date is
    at most the longest `due_days_before` of any checklist version after `end`, or with a blood thinner stopping then,
    and scheduled or done ones with a blood thinner restarting then."""
    # At least a day: the evening before the procedure.
    longest = max(
        (int(item.get("due_days_before", 0)) for items in PreparationProtocol.objects.values_list("items", flat=True)
         for item in items),
        default=0,
    )  # fmt: skip
    longest = max(longest, 1)
    scheduled = Q(status=ProcedureStatus.SCHEDULED)
    return (
        Procedure.objects.filter(
            (scheduled & Q(procedure_date__gte=start, procedure_date__lte=end + dt.timedelta(days=longest)))
            | (scheduled & Q(blood_thinner_plans__stop_on__gte=start, blood_thinner_plans__stop_on__lte=end))
            | Q(
                status__in=(ProcedureStatus.SCHEDULED, ProcedureStatus.DONE),
                blood_thinner_plans__restart_on__gte=start,
                blood_thinner_plans__restart_on__lte=end,
            )
        )
        .distinct()
        .select_related("patient__user")
    )


def preparation_reminders(procedures: Sequence[Procedure]) -> list[PreparationReminder]:
    """Every reminder the checklists of these procedures (with patient__user) call for now, whatever the date, from
    the same checklist the patient sees (only the items that apply to them), in a fixed number of queries."""
    checklists = procedure_checklists(procedures)
    return [reminder for p in procedures for reminder in _reminders_of(p, checklists[p.pk])]


def preparation_reminders_wanted(procedure_ids: Iterable[str]) -> set[tuple[str, str]]:
    """(what, occurrence) of the reminders these procedures (ids as text) still call for: at sending time, a reminder
    missing here was ticked, its date or medicine changed, or the procedure is no longer scheduled (cancelled)."""
    ids = [pk for pk in procedure_ids if pk]
    procedures = list(
        Procedure.objects.filter(pk__in=ids, status__in=(ProcedureStatus.SCHEDULED, ProcedureStatus.DONE))
        .select_related("patient__user")
    )  # fmt: skip
    return {(r.what, r.occurrence) for r in preparation_reminders(procedures)}


class PreparationItemTitle:
    """A checklist item's title, rendered in the language active when it is read (a reminder is rendered in the
    recipient's language at sending time), from the version's own translations."""

    def __init__(self, protocol: PreparationProtocol, key: str) -> None:
        self.protocol, self.key = protocol, key

    def __str__(self) -> str:
        item: dict[str, Any] = next((i for i in self.protocol.items if i["key"] == self.key), {})
        translated: dict[str, dict[str, Any]] = localized({}, self.protocol.translations, "items")
        return item_text(item, translated.get(self.key, {}), "title")


def preparation_reminder_subjects(occurrences: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """For reminders given as (procedure id, occurrence): what their texts name, by the same pair: `procedure_on`,
    and `item` (the checklist item's title, as a PreparationItemTitle) or `medicine` (the name the clinician
    entered). A few queries, whatever the number."""
    wanted = {(procedure_id, occurrence) for procedure_id, occurrence in occurrences if procedure_id}
    procedure_ids = {procedure_id for procedure_id, _occurrence in wanted}
    if not procedure_ids:
        return {}
    procedures = {
        str(p.pk): p for p in Procedure.objects.filter(pk__in=procedure_ids).select_related("patient__user__clinic")
    }
    protocols = {
        str(p.procedure_id): p.protocol
        for p in ProcedurePreparation.objects.filter(procedure_id__in=procedure_ids).select_related("protocol")
    }
    current: dict[uuid.UUID | None, PreparationProtocol] = {}
    medicines = {
        f"{MEDICINE_PREFIX}{plan_id}": medicine
        for plan_id, medicine in BloodThinnerPlan.objects.filter(procedure_id__in=procedure_ids).values_list(
            "pk", "medicine"
        )
    }
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for procedure_id, occurrence in wanted:
        procedure = procedures.get(procedure_id)
        if procedure is None:
            continue
        key = preparation_reminder_item_key(occurrence)
        subject: dict[str, Any] = {"procedure_on": procedure.procedure_date}
        if key.startswith(MEDICINE_PREFIX):
            if key in medicines:
                subject["medicine"] = medicines[key]
        else:
            protocol = protocols.get(procedure_id)
            if protocol is None:
                clinic = procedure.patient.user.clinic
                clinic_id = clinic.pk if clinic else None
                if clinic_id not in current:
                    current[clinic_id] = preparation_protocol_current(clinic)
                protocol = current[clinic_id]
            if any(item["key"] == key for item in protocol.items):
                subject["item"] = PreparationItemTitle(protocol, key)
        out[(procedure_id, occurrence)] = subject
    return out


class ProcedureEveItems:
    """The titles of the items a procedure-eve reminder lists, rendered in the language active when it is read (the
    recipient's, at sending time), from the version's own translations, joined by semicolons."""

    def __init__(self, protocol: PreparationProtocol, keys: Sequence[str]) -> None:
        self.titles = [PreparationItemTitle(protocol, key) for key in keys]

    def __str__(self) -> str:
        return "; ".join(str(title) for title in self.titles)


def procedure_eve_subjects(procedure_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """For procedure-eve reminders, by procedure id (text): what their texts name now, `procedure_on`, `items` (the
    items not ticked whose last day is the day before or the procedure day, as a ProcedureEveItems; absent when none
    is open) and `arrival` (the
    arrival time the clinic entered, or None). A fixed number of queries, whatever the number."""
    ids = {pk for pk in procedure_ids if pk}
    if not ids:
        return {}
    procedures = list(Procedure.objects.filter(pk__in=ids).select_related("patient__user"))
    made = procedure_checklists_made(procedures)
    out: dict[str, dict[str, Any]] = {}
    for procedure in procedures:
        checklist_ = made[procedure.pk]
        subject: dict[str, Any] = {"procedure_on": procedure.procedure_date, "arrival": checklist_.arrival}
        keys = [item["key"] for item in _eve_items(procedure, checklist_.items)]
        if keys:
            subject["items"] = ProcedureEveItems(checklist_.protocol, keys)
        out[str(procedure.pk)] = subject
    return out
