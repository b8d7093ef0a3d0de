"""Reads of the patient's journey: the upcoming procedure and its preparation checklist, the baseline measures still
to take, the journey stage and the education library. Nothing here writes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from accounts.languages import localized
from accounts.models import Clinic, PatientProfile
from journey.models import (
    ArticleRead,
    BloodThinnerPlan,
    EducationArticle,
    EducationLibrary,
    PreparationProtocol,
    PreparationTick,
    ProcedurePreparation,
)
from recovery.content.protocol_default import BASELINE_ASSESSMENTS
from recovery.models import Anaesthesia, Assessment, Procedure, ProcedureStatus
from recovery.selectors import current_procedure

MEDICINE_PREFIX = "medicine-"

# --- Versions in force ------------------------------------------------------------------------------------------------


def preparation_protocol_current(clinic: Clinic | None) -> PreparationProtocol:
    """The clinic's newest checklist version, else the newest shipped default."""
    own = PreparationProtocol.objects.filter(clinic=clinic).order_by("-version").first() if clinic else None
    return own or PreparationProtocol.objects.filter(clinic__isnull=True).order_by("-version")[0]


def education_library_current(clinic: Clinic | None) -> EducationLibrary:
    """The clinic's newest library version, else the newest shipped default."""
    own = EducationLibrary.objects.filter(clinic=clinic).order_by("-version").first() if clinic else None
    return own or EducationLibrary.objects.filter(clinic__isnull=True).order_by("-version")[0]


def preparation_protocol_of(procedure: Procedure) -> PreparationProtocol:
    """The version a procedure's checklist follows: fixed once its preparation plan exists, else the current one."""
    plan = ProcedurePreparation.objects.filter(procedure=procedure).select_related("protocol").first()
    return plan.protocol if plan else preparation_protocol_current(procedure.patient.user.clinic)


# --- The upcoming procedure -------------------------------------------------------------------------------------------


def upcoming_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.filter(status=ProcedureStatus.SCHEDULED).order_by("procedure_date", "created_at")


def upcoming_procedure(patient: PatientProfile, today: dt.date) -> Procedure | None:
    """The patient's next scheduled procedure, today or later (the one the countdown and checklist are about)."""
    return upcoming_procedures().filter(patient=patient, procedure_date__gte=today).first()


def countdown_text(days: int) -> str:
    """The countdown in the active language."""
    if days == 0:
        return _("Your procedure is today")
    if days == 1:
        return _("Your procedure is tomorrow")
    return ngettext("Your procedure is in %(days)d day", "Your procedure is in %(days)d days", days) % {"days": days}


def long_date(day: dt.date) -> str:
    """A date inside a text, in the active language: "Monday 1 June", "lunes 1 de junio" (Django's date formats; the
    format itself comes from each language's catalog)."""
    return date_format(day, pgettext("weekday, day and month inside a sentence (Django date format)", "l j F"))


def clock_time(value: dt.time) -> str:
    """A time of day inside a text, in the active language's way (24-hour clock: "07:30")."""
    return time_format(value, pgettext("time of day inside a sentence (Django time format)", "H:i"))


# --- The checklist ----------------------------------------------------------------------------------------------------


def _applies(item: dict[str, Any], procedure: Procedure) -> bool:
    applies = item.get("applies", "everyone")
    if applies == "diabetes":
        return bool(procedure.patient.has_diabetes)
    if applies == "sedation":
        return procedure.anaesthesia == Anaesthesia.LOCAL_SEDATION
    return True


def _item_text(item: dict[str, Any], translated: dict[str, Any], field: str) -> str:
    """A text field of a checklist item (or the medicine template) in the active language, English where missing."""
    return str(translated.get(field) or item.get(field) or "")


def _arrival_text(item: dict[str, Any], translated: dict[str, Any], arrival: dt.time | None) -> str:
    if arrival is None:
        return _item_text(item, translated, "text_pending") or _item_text(item, translated, "text")
    return _item_text(item, translated, "text").replace("{arrival_time}", clock_time(arrival))


def blood_thinner_plans_of(procedure: Procedure) -> list[BloodThinnerPlan]:
    """The clinic's plan for the patient's blood thinners before this procedure, for the care team's view."""
    return list(BloodThinnerPlan.objects.filter(procedure=procedure))


def _medicine_item(
    template: dict[str, str], translated: dict[str, Any], plan: BloodThinnerPlan, procedure_date: dt.date
) -> dict[str, Any]:
    values = {
        "{medicine}": plan.medicine,
        "{stop_on}": long_date(plan.stop_on),
        "{restart_on}": long_date(plan.restart_on) if plan.restart_on else "",
    }
    text = _item_text(template, translated, "text")
    if not plan.restart_on:
        text = _item_text(template, translated, "text_no_restart") or text
    title = _item_text(template, translated, "title")
    for placeholder, value in values.items():
        text, title = text.replace(placeholder, value), title.replace(placeholder, value)
    return {
        "key": plan.item_key,
        "kind": "medicine",
        "title": title,
        "text": text + (f" {plan.note}" if plan.note else ""),
        "due_on": plan.stop_on - dt.timedelta(days=1),
        "medicine": {"id": plan.pk, "medicine": plan.medicine, "stop_on": plan.stop_on, "restart_on": plan.restart_on},
    }


def _checklist_of(
    procedure: Procedure,
    protocol: PreparationProtocol,
    arrival: dt.time | None,
    plans: Sequence[BloodThinnerPlan],
    ticks: dict[str, dt.datetime],
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    # The version's own translation in the active language (English: none), frozen with it.
    translated_items: dict[str, dict[str, Any]] = localized({}, protocol.translations, "items")
    for item in protocol.items:
        if not _applies(item, procedure):
            continue
        translated = translated_items.get(item["key"], {})
        if item.get("applies") == "arrival":
            text = _arrival_text(item, translated, arrival)
        else:
            text = _item_text(item, translated, "text")
        due_on = procedure.procedure_date - dt.timedelta(days=int(item.get("due_days_before", 0)))
        items.append({"key": item["key"], "kind": item.get("applies", "everyone"),
                      "title": _item_text(item, translated, "title"), "text": text, "due_on": due_on})  # fmt: skip
    medicine: dict[str, Any] = localized({}, protocol.translations, "medicine_item")
    items += [_medicine_item(protocol.medicine_item, medicine, plan, procedure.procedure_date) for plan in plans]
    items.sort(key=lambda i: i["due_on"])
    for item in items:
        item["done_at"] = ticks.get(item["key"])
    return items


def checklist(procedure: Procedure) -> list[dict[str, Any]]:
    """The procedure's checklist: the items of its protocol version that apply to this patient and procedure, and
    one item per blood thinner, in the order they are due, each with `done_at` (None until ticked)."""
    preparation = ProcedurePreparation.objects.filter(procedure=procedure).select_related("protocol").first()
    protocol = preparation.protocol if preparation else preparation_protocol_current(procedure.patient.user.clinic)
    return _checklist_of(
        procedure,
        protocol,
        preparation.arrival_time if preparation else None,
        list(BloodThinnerPlan.objects.filter(procedure=procedure)),
        dict(PreparationTick.objects.filter(procedure=procedure).values_list("item_key", "done_at")),
    )


def checklist_item_keys(procedure: Procedure) -> set[str]:
    return {item["key"] for item in checklist(procedure)}


# --- Baseline measures ------------------------------------------------------------------------------------------------


def baseline_status(procedure: Procedure) -> dict[str, Any]:
    """Which baseline measures the procedure still needs (recovery's BASELINE_ASSESSMENTS)."""
    done = set(
        Assessment.objects.filter(procedure=procedure, timepoint=Assessment.BASELINE).values_list(
            "instrument", flat=True
        )
    )
    wanted = list(BASELINE_ASSESSMENTS)
    return {
        "instruments": wanted,
        "done": [i for i in wanted if i in done],
        "missing": [i for i in wanted if i not in done],
    }


def procedures_missing_baseline(procedure_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of these procedures, the ones whose baseline measures are not all taken (one query)."""
    ids = set(procedure_ids)
    taken: dict[uuid.UUID, set[str]] = {pk: set() for pk in ids}
    rows = Assessment.objects.filter(
        procedure_id__in=ids, timepoint=Assessment.BASELINE, instrument__in=BASELINE_ASSESSMENTS
    ).values_list("procedure_id", "instrument")
    for procedure_id, instrument in rows:
        taken[procedure_id].add(instrument)
    return {pk for pk, instruments in taken.items() if len(instruments) < len(BASELINE_ASSESSMENTS)}


def upcoming_procedures_between(start: dt.date, end: dt.date) -> QuerySet[Procedure]:
    """Scheduled procedures dated from `start` to `end` (for baseline reminders, which then judge each patient's own
    day)."""
    return upcoming_procedures().filter(procedure_date__gte=start, procedure_date__lte=end)


# --- What the patient and the care team see ---------------------------------------------------------------------------


def preparation_of(procedure: Procedure, today: dt.date) -> dict[str, Any]:
    items = checklist(procedure)
    days = (procedure.procedure_date - today).days
    preparation = ProcedurePreparation.objects.filter(procedure=procedure).first()
    return {
        "procedure": {
            "id": procedure.pk,
            "procedure_date": procedure.procedure_date,
            "anaesthesia": procedure.anaesthesia,
            "arrival_time": preparation.arrival_time if preparation else None,
        },
        "days_to_go": days,
        "countdown": countdown_text(days),
        "items": items,
        "open": sum(1 for item in items if item["done_at"] is None),
        "baseline": baseline_status(procedure),
    }


def my_preparation(patient: PatientProfile, now: dt.datetime | None = None) -> dict[str, Any]:
    """The patient's countdown and checklist, or `procedure: null` when no procedure is scheduled."""
    today = patient.local_today(now or timezone.now())
    procedure = upcoming_procedure(patient, today)
    if procedure is None:
        return {"procedure": None, "days_to_go": None, "countdown": None, "items": [], "open": 0, "baseline": None}
    return preparation_of(procedure, today)


@dataclass(frozen=True)
class _Checklist:
    """A procedure's checklist with what it was made from: its protocol version and the arrival time entered."""

    protocol: PreparationProtocol
    arrival: dt.time | None
    items: list[dict[str, Any]]


def _checklists(procedures: Sequence[Procedure]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each procedure's checklist, as `checklist` makes it, for many procedures in a fixed number of queries. The
    procedures come with patient__user."""
    return {pk: made.items for pk, made in _checklists_made(procedures).items()}


def _checklists_made(procedures: Sequence[Procedure]) -> dict[uuid.UUID, _Checklist]:
    """`_checklists`, with each checklist's protocol version and arrival time."""
    ids = [p.pk for p in procedures]
    if not ids:
        return {}
    preparations = {
        p.procedure_id: p for p in ProcedurePreparation.objects.filter(procedure_id__in=ids).select_related("protocol")
    }
    shipped = preparation_protocol_current(None)
    defaults: dict[uuid.UUID | None, PreparationProtocol] = {None: shipped}
    for clinic_id in {p.patient.user.clinic_id for p in procedures}:
        if clinic_id is not None:
            own = PreparationProtocol.objects.filter(clinic_id=clinic_id).order_by("-version").first()
            defaults[clinic_id] = own or shipped
    plans: dict[uuid.UUID, list[BloodThinnerPlan]] = {pk: [] for pk in ids}
    for plan in BloodThinnerPlan.objects.filter(procedure_id__in=ids):
        plans[plan.procedure_id].append(plan)
    ticks: dict[uuid.UUID, dict[str, dt.datetime]] = {pk: {} for pk in ids}
    for procedure_id, key, done_at in PreparationTick.objects.filter(procedure_id__in=ids).values_list(
        "procedure_id", "item_key", "done_at"
    ):
        ticks[procedure_id][key] = done_at
    out: dict[uuid.UUID, _Checklist] = {}
    for procedure in procedures:
        preparation = preparations.get(procedure.pk)
        protocol = preparation.protocol if preparation else defaults[procedure.patient.user.clinic_id]
        arrival = preparation.arrival_time if preparation else None
        items = _checklist_of(procedure, protocol, arrival, plans[procedure.pk], ticks[procedure.pk])
        out[procedure.pk] = _Checklist(protocol, arrival, items)
    return out


def preparation_flags(patients: Sequence[PatientProfile], now: dt.datetime) -> dict[uuid.UUID, dict[str, Any]]:
    """For a page of the roster: each patient with an upcoming procedure -> its date, how many checklist items are not
    done and whether baseline measures are missing. A fixed number of queries, whatever the size of the page."""
    by_patient = {p.pk: p for p in patients}
    upcoming: dict[uuid.UUID, Procedure] = {}
    for procedure in upcoming_procedures().filter(patient_id__in=by_patient).select_related("patient__user"):
        if procedure.patient_id not in upcoming and procedure.procedure_date >= by_patient[
            procedure.patient_id
        ].local_today(now):
            upcoming[procedure.patient_id] = procedure
    if not upcoming:
        return {}
    checklists = _checklists(list(upcoming.values()))
    missing = procedures_missing_baseline(p.pk for p in upcoming.values())
    flags: dict[uuid.UUID, dict[str, Any]] = {}
    for patient_id, procedure in upcoming.items():
        items = checklists[procedure.pk]
        flags[patient_id] = {
            "procedure_date": procedure.procedure_date,
            "items_open": sum(1 for item in items if item["done_at"] is None),
            "items_total": len(items),
            "baseline_missing": procedure.pk in missing,
        }
    return flags


# --- Education --------------------------------------------------------------------------------------------------------

STAGE_LABELS = {
    "before": gettext_lazy("Before your procedure"),
    "procedure_day": gettext_lazy("The day of your procedure"),
    "first_weeks": gettext_lazy("The first weeks"),
    "recovering": gettext_lazy("Getting better"),
    "long_term": gettext_lazy("The long term"),
}


def stage_label(stage: str) -> str:
    """A journey stage as the patient reads it, in the active language."""
    return str(STAGE_LABELS.get(stage, stage))


def journey_stage(patient: PatientProfile, today: dt.date) -> str:
    """Where the patient is: "before" any done procedure, then by day since the current one (CLINICAL.md timeline)."""
    procedure = current_procedure(patient, on=today)
    if procedure is None:
        return "before"
    if upcoming_procedure(patient, today) is not None:
        # A repeat procedure is scheduled: preparing again.
        return "before"
    day = procedure.day_number(today)
    if day == 0:
        return "procedure_day"
    if day <= 20:
        return "first_weeks"
    if day <= 55:
        return "recovering"
    return "long_term"


def education_for(patient: PatientProfile, now: dt.datetime | None = None) -> dict[str, Any]:
    """The patient's library: the articles of this stage first (`due`), then the rest, each with when it was read."""
    today = patient.local_today(now or timezone.now())
    stage = journey_stage(patient, today)
    library = education_library_current(patient.user.clinic)
    articles = list(library.articles.all())
    read = dict(ArticleRead.objects.filter(patient=patient, article__in=articles).values_list("article_id", "read_at"))
    due: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    for article in articles:
        (due if stage in article.stages else other).append({"article": article, "read_at": read.get(article.pk)})
    return {"stage": stage, "stage_label": stage_label(stage), "library": library, "due": due, "other": other}


def article_for(patient: PatientProfile, key: str) -> EducationArticle:
    """An article of the patient's current library, by key (404 otherwise)."""
    library = education_library_current(patient.user.clinic)
    article = library.articles.filter(key=key).first()
    if article is None:
        raise Http404(_("No article with this key in your library."))
    return article


def education_reads_of(patient: PatientProfile) -> QuerySet[ArticleRead]:
    return ArticleRead.objects.filter(patient=patient).select_related("article__library").order_by("read_at")


# --- For the notification engine --------------------------------------------------------------------------------------


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
# day the clinic says it may be taken again, and the evening before the procedure (the items due on the day itself).
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
    """The checklist items (not a blood thinner's) due on the procedure day itself and not ticked: fasting when
    sedation is planned, the arrival time."""
    return [
        item
        for item in items
        if item.get("medicine") is None and item["due_on"] == procedure.procedure_date and item["done_at"] is None
    ]


def _reminders_of(procedure: Procedure, items: Sequence[dict[str, Any]]) -> list[PreparationReminder]:
    """The reminders of one procedure's checklist (the items that apply to this patient, with their ticks): an item
    not ticked, on its last day when that is before the procedure day (a reminder at the check-in time of the day
    itself would come after the procedure), the day before the procedure when an item due on the day itself is not
    ticked (one reminder for them all), and a blood thinner not ticked on its stop day, while the procedure is
    scheduled; a blood thinner's restart day while it is scheduled or done."""
    scheduled = procedure.status == ProcedureStatus.SCHEDULED
    out: list[PreparationReminder] = []
    if scheduled and _eve_items(procedure, items):
        out.append(PreparationReminder(procedure, REMINDER_EVE, "", procedure.procedure_date - dt.timedelta(days=1)))
    for item in items:
        medicine = item.get("medicine")
        open_ = scheduled and item["done_at"] is None
        if medicine is None:
            if open_ and item["due_on"] < procedure.procedure_date:
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
    checklists = _checklists(procedures)
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
        return _item_text(item, translated.get(self.key, {}), "title")


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
    items due on the procedure day not ticked, as a ProcedureEveItems; absent when none is open) and `arrival` (the
    arrival time the clinic entered, or None). A fixed number of queries, whatever the number."""
    ids = {pk for pk in procedure_ids if pk}
    if not ids:
        return {}
    procedures = list(Procedure.objects.filter(pk__in=ids).select_related("patient__user"))
    made = _checklists_made(procedures)
    out: dict[str, dict[str, Any]] = {}
    for procedure in procedures:
        checklist_ = made[procedure.pk]
        subject: dict[str, Any] = {"procedure_on": procedure.procedure_date, "arrival": checklist_.arrival}
        keys = [item["key"] for item in _eve_items(procedure, checklist_.items)]
        if keys:
            subject["items"] = ProcedureEveItems(checklist_.protocol, keys)
        out[str(procedure.pk)] = subject
    return out
