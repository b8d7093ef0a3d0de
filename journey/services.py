"""Writes of the patient's journey: the clinic's preparation plan for a procedure, the patient's ticks, and articles
read. Every write is safe to repeat (the PWA's offline outbox may send a request again)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PatientProfile, User
from journey import selectors
from journey.models import ArticleRead, BloodThinnerPlan, PreparationTick, ProcedurePreparation
from recovery.models import Procedure, ProcedureStatus


class NotOnChecklist(LookupError):
    """The item is not on the patient's checklist (another patient's, unknown, or no procedure is coming up)."""


def _preparation_for_update(procedure: Procedure, now: dt.datetime, by: User | None) -> ProcedurePreparation:
    preparation, _ = ProcedurePreparation.objects.select_for_update().get_or_create(
        procedure=procedure,
        defaults={
            "protocol": selectors.preparation_protocol_current(procedure.patient.user.clinic),
            "updated_at": now,
            "updated_by": by,
        },
    )
    return preparation


def _blood_thinner_errors(
    procedure: Procedure, plans: Sequence[dict[str, Any]], known: set[uuid.UUID]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    day = selectors.long_date(procedure.procedure_date)
    for n, plan in enumerate(plans):
        stop_on: dt.date = plan["stop_on"]
        restart_on: dt.date | None = plan.get("restart_on")
        if plan.get("id") is not None and plan["id"] not in known:
            errors[f"blood_thinners.{n}.id"] = [_("This medicine is not on this procedure's plan.")]
        if stop_on > procedure.procedure_date:
            errors[f"blood_thinners.{n}.stop_on"] = [
                _(
                    "The stop date must be on or before the procedure date (%(day)s): a blood thinner is stopped "
                    "before the procedure."
                )
                % {"day": day}
            ]
        if restart_on is not None and restart_on < procedure.procedure_date:
            errors[f"blood_thinners.{n}.restart_on"] = [
                _("The restart date must be on or after the procedure date (%(day)s).") % {"day": day}
            ]
    return errors


def preparation_plan_set(
    *,
    procedure: Procedure,
    by: User,
    arrival_time: dt.time | None,
    blood_thinners: Sequence[dict[str, Any]],
    now: dt.datetime | None = None,
) -> ProcedurePreparation:
    """Set what the clinic decided for a scheduled procedure: the arrival time and the whole list of blood thinners
    with their stop and restart dates. A medicine sent with its `id` is changed (the patient's tick stays), one
    without is added, one left out is removed (with its tick). Invalid input stores nothing."""
    now = now or timezone.now()
    if procedure.status != ProcedureStatus.SCHEDULED:
        state = str(procedure.get_status_display()).lower()
        message = _("The procedure is %(state)s; preparation is planned for a scheduled procedure.") % {"state": state}
        raise ValidationError({"procedure": [message]})
    with transaction.atomic():
        known = set(BloodThinnerPlan.objects.filter(procedure=procedure).values_list("pk", flat=True))
        errors = _blood_thinner_errors(procedure, blood_thinners, known)
        if errors:
            raise ValidationError(errors)
        preparation = _preparation_for_update(procedure, now, by)
        preparation.arrival_time = arrival_time
        preparation.updated_at, preparation.updated_by = now, by
        preparation.save(update_fields=["arrival_time", "updated_at", "updated_by"])
        kept: set[uuid.UUID] = set()
        for plan in blood_thinners:
            fields = {
                "medicine": plan["medicine"],
                "stop_on": plan["stop_on"],
                "restart_on": plan.get("restart_on"),
                "note": plan.get("note", ""),
            }
            if plan.get("id") is not None:
                BloodThinnerPlan.objects.filter(pk=plan["id"], procedure=procedure).update(**fields)
                kept.add(plan["id"])
            else:
                created = BloodThinnerPlan.objects.create(procedure=procedure, created_at=now, created_by=by, **fields)
                kept.add(created.pk)
        removed = [pk for pk in known if pk not in kept]
        BloodThinnerPlan.objects.filter(pk__in=removed).delete()
        PreparationTick.objects.filter(
            procedure=procedure, item_key__in=[f"{selectors.MEDICINE_PREFIX}{pk}" for pk in removed]
        ).delete()
    return preparation


@dataclass(frozen=True)
class TickResult:
    item_key: str
    done_at: dt.datetime | None
    changed: bool


def preparation_tick(
    *, patient: PatientProfile, item_key: str, done: bool, now: dt.datetime | None = None
) -> TickResult:
    """Tick (or untick) an item of the patient's upcoming procedure's checklist. Ticking a ticked item keeps its
    first time and changes nothing, so a replay from the phone's outbox is harmless."""
    now = now or timezone.now()
    procedure = selectors.upcoming_procedure(patient, patient.local_today(now))
    if procedure is None or item_key not in selectors.checklist_item_keys(procedure):
        raise NotOnChecklist(item_key)
    with transaction.atomic():
        _preparation_for_update(procedure, now, None)
        if done:
            tick, created = PreparationTick.objects.get_or_create(
                procedure=procedure, item_key=item_key, defaults={"patient": patient, "done_at": now}
            )
            return TickResult(item_key, tick.done_at, created)
        deleted, _ = PreparationTick.objects.filter(procedure=procedure, item_key=item_key).delete()
        return TickResult(item_key, None, bool(deleted))


def article_read(*, patient: PatientProfile, key: str, now: dt.datetime | None = None) -> tuple[ArticleRead, bool]:
    """Record that the patient read an article of their library; reading it again keeps the first time."""
    article = selectors.article_for(patient, key)
    return ArticleRead.objects.get_or_create(
        patient=patient, article=article, defaults={"read_at": now or timezone.now()}
    )
