"""Reads of the patient's journey: the upcoming procedure and its preparation checklist, the baseline measures still
to take, the journey stage and the education library. Nothing here writes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
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


def item_text(item: dict[str, Any], translated: dict[str, Any], field: str) -> str:
    """A text field of a checklist item (or the medicine template) in the active language, English where missing."""
    return str(translated.get(field) or item.get(field) or "")


def _arrival_text(item: dict[str, Any], translated: dict[str, Any], arrival: dt.time | None) -> str:
    if arrival is None:
        return item_text(item, translated, "text_pending") or item_text(item, translated, "text")
    return item_text(item, translated, "text").replace("{arrival_time}", clock_time(arrival))


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
    text = item_text(template, translated, "text")
    if not plan.restart_on:
        text = item_text(template, translated, "text_no_restart") or text
    title = item_text(template, translated, "title")
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
            text = item_text(item, translated, "text")
        due_on = procedure.procedure_date - dt.timedelta(days=int(item.get("due_days_before", 0)))
        items.append({"key": item["key"], "kind": item.get("applies", "everyone"),
                      "title": item_text(item, translated, "title"), "text": text, "due_on": due_on})  # fmt: skip
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
class ProcedureChecklist:
    """A procedure's checklist with what it was made from: its protocol version and the arrival time entered."""

    protocol: PreparationProtocol
    arrival: dt.time | None
    items: list[dict[str, Any]]


def procedure_checklists(procedures: Sequence[Procedure]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each procedure's checklist, as `checklist` makes it, for many procedures in a fixed number of queries. The
    procedures come with patient__user."""
    return {pk: made.items for pk, made in procedure_checklists_made(procedures).items()}


def procedure_checklists_made(procedures: Sequence[Procedure]) -> dict[uuid.UUID, ProcedureChecklist]:
    """`procedure_checklists`, with each checklist's protocol version and arrival time."""
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
    out: dict[uuid.UUID, ProcedureChecklist] = {}
    for procedure in procedures:
        preparation = preparations.get(procedure.pk)
        protocol = preparation.protocol if preparation else defaults[procedure.patient.user.clinic_id]
        arrival = preparation.arrival_time if preparation else None
        items = _checklist_of(procedure, protocol, arrival, plans[procedure.pk], ticks[procedure.pk])
        out[procedure.pk] = ProcedureChecklist(protocol, arrival, items)
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
    checklists = procedure_checklists(list(upcoming.values()))
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
    reads = articles_read(patient, articles)
    due: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    for article in articles:
        read_at, earlier_read_at = reads.get(article.pk, (None, None))
        entry = {"article": article, "read_at": read_at, "earlier_version_read_at": earlier_read_at}
        (due if stage in article.stages else other).append(entry)
    return {"stage": stage, "stage_label": stage_label(stage), "library": library, "due": due, "other": other}


def _same_text(one: EducationArticle, other: EducationArticle) -> bool:
    return (one.title, one.summary, one.body, one.translations) == (
        other.title,
        other.summary,
        other.body,
        other.translations,
    )


def articles_read(
    patient: PatientProfile, articles: list[EducationArticle]
) -> dict[uuid.UUID, tuple[dt.datetime | None, dt.datetime | None]]:
    """For each article the patient has read: (read_at, earlier_version_read_at).

    A new version of the library copies most articles unchanged: one the patient read in an earlier version, word for
    word the same in every language, counts as read (read_at is when). One whose text has changed since is offered
    again: read_at is None and earlier_version_read_at says when the earlier text was read.
    """
    by_key = {article.key: article for article in articles}
    found: dict[uuid.UUID, tuple[dt.datetime | None, dt.datetime | None]] = {}
    reads = ArticleRead.objects.filter(patient=patient, article__key__in=by_key).select_related("article")
    for read in reads.order_by("read_at"):
        current = by_key[read.article.key]
        if found.get(current.pk, (None, None))[0] is not None:
            continue  # already read in this text: the first time stays
        if read.article_id == current.pk or _same_text(read.article, current):
            found[current.pk] = (read.read_at, None)
        else:
            found[current.pk] = (None, read.read_at)  # the latest read of a changed text
    return found


def article_for(patient: PatientProfile, key: str) -> EducationArticle:
    """An article of the patient's current library, by key (404 otherwise)."""
    library = education_library_current(patient.user.clinic)
    article = library.articles.filter(key=key).first()
    if article is None:
        raise Http404(_("No article with this key in your library."))
    return article


def education_reads_of(patient: PatientProfile) -> QuerySet[ArticleRead]:
    return ArticleRead.objects.filter(patient=patient).select_related("article__library").order_by("read_at")
