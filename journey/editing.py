"""Clinics edit their own preparation checklist and education library, versioned like the recovery protocol
(recovery.services.protocol_copy_for_clinic / protocol_revise): a clinic admin copies a version (the shipped default,
usually) as the clinic's version 1, once, then saves each edit as the next version. Versions are never changed in
place: a procedure whose preparation plan exists keeps its checklist version (journey.selectors), and article reads
stay with the article version read.

Translations are frozen with the version, in the models' `translations` fields. A revision may send them; an item or
article sent without `translations` keeps the one before's (same key) only when none of its English texts changed,
so every stored translation is whole: a reader never gets half an item in Spanish and half in English.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from rest_framework.request import Request

from accounts.access import Gate, role_require
from accounts.authentication import signed_in
from accounts.errors import StateConflict
from accounts.models import Clinic, User
from journey.models import EducationArticle, EducationLibrary, PreparationProtocol

# The text fields of each kind of definition, in English in the definition, and per language in `translations`.
ITEM_TEXT_FIELDS = ("title", "text", "text_pending")
MEDICINE_TEXT_FIELDS = ("title", "text", "text_no_restart")
ARTICLE_TEXT_FIELDS = ("title", "summary", "body")


# --- Who sees which versions ------------------------------------------------------------------------------------------


def preparation_protocols_visible_to(user: User) -> QuerySet[PreparationProtocol]:
    """The shipped default checklist's versions and the user's clinic's own."""
    default = PreparationProtocol.objects.filter(clinic__isnull=True)
    own = default if user.clinic_id is None else default | PreparationProtocol.objects.filter(clinic_id=user.clinic_id)
    return own.select_related("created_by")


def preparation_protocols_listed(user: User) -> QuerySet[PreparationProtocol]:
    """The shipped default first, then the clinic's own; newest version first."""
    return preparation_protocols_visible_to(user).order_by("clinic", "-version")


def preparation_protocol_visible(user: User, protocol_id: uuid.UUID) -> PreparationProtocol:
    try:
        return preparation_protocols_visible_to(user).get(pk=protocol_id)
    except PreparationProtocol.DoesNotExist as exc:
        raise Http404("No preparation checklist with this id.") from exc


def education_libraries_visible_to(user: User) -> QuerySet[EducationLibrary]:
    """The shipped default library's versions and the user's clinic's own."""
    default = EducationLibrary.objects.filter(clinic__isnull=True)
    own = default if user.clinic_id is None else default | EducationLibrary.objects.filter(clinic_id=user.clinic_id)
    return own.select_related("created_by")


def education_libraries_listed(user: User) -> QuerySet[EducationLibrary]:
    return education_libraries_visible_to(user).prefetch_related("articles").order_by("clinic", "-version")


def education_library_visible(user: User, library_id: uuid.UUID) -> EducationLibrary:
    try:
        return education_libraries_visible_to(user).prefetch_related("articles").get(pk=library_id)
    except EducationLibrary.DoesNotExist as exc:
        raise Http404("No education library with this id.") from exc


def access_preparation_protocol(request: Request, protocol_id: uuid.UUID, *, role: Gate) -> PreparationProtocol:
    """The checklist version, looked up before the role gate: another clinic's is 404 whatever the role; then 403 for
    a role `role` refuses. Checklists hold no patient data: not logged."""
    protocol = preparation_protocol_visible(signed_in(request), protocol_id)
    role_require(request, role)
    return protocol


def access_education_library(request: Request, library_id: uuid.UUID, *, role: Gate) -> EducationLibrary:
    """As access_preparation_protocol, for a library version."""
    library = education_library_visible(signed_in(request), library_id)
    role_require(request, role)
    return library


# --- The definitions, as the editor sees and sends them ---------------------------------------------------------------


def checklist_definition(protocol: PreparationProtocol) -> dict[str, Any]:
    """A checklist version as one document: each item, and the medicine item, with its own `translations`
    ({"es": {field: text}}). What the API shows is what a revision sends back."""
    by_language = protocol.translations or {}
    items = []
    for item in protocol.items:
        translations = {
            language: texts["items"][item["key"]]
            for language, texts in by_language.items()
            if item["key"] in (texts.get("items") or {})
        }
        # The defaults journey.selectors reads an item with, for rows written without them.
        defaults = {"applies": "everyone", "due_days_before": 0, "text_pending": ""}
        items.append({**defaults, **item, "translations": translations})
    medicine_translations = {
        language: texts["medicine_item"] for language, texts in by_language.items() if texts.get("medicine_item")
    }
    medicine_item = {
        "title": "",
        "text": "",
        "text_no_restart": "",
        **protocol.medicine_item,
        "translations": medicine_translations,
    }
    return {
        "id": protocol.pk,
        "clinic": protocol.clinic_id,
        "name": protocol.name,
        "version": protocol.version,
        "based_on": protocol.based_on_id,
        "change_note": protocol.change_note,
        "created_at": protocol.created_at,
        "created_by": protocol.created_by,
        "items": items,
        "medicine_item": medicine_item,
    }


def _texts(entry: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {f: entry[f] for f in fields if entry.get(f)}


def _translations_kept(
    entry: dict[str, Any], before: dict[str, Any] | None, fields: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """The translations an item, the medicine item or an article of a revision is stored with: its own when sent
    (`translations` present), else the one before's when its English texts are all unchanged, else none."""
    if "translations" in entry:
        return {language: dict(texts) for language, texts in (entry["translations"] or {}).items() if texts}
    if before is None or _texts(before, fields) != _texts(entry, fields):
        return {}
    return {language: dict(texts) for language, texts in (before.get("translations") or {}).items() if texts}


def _stored_item(item: dict[str, Any]) -> dict[str, Any]:
    stored = {
        "key": item["key"],
        "title": item["title"],
        "text": item["text"],
        "applies": item["applies"],
        "due_days_before": item["due_days_before"],
    }
    if item.get("text_pending"):
        stored["text_pending"] = item["text_pending"]
    return stored


def _stored_medicine_item(template: dict[str, Any]) -> dict[str, str]:
    stored = {"title": template["title"], "text": template["text"]}
    if template.get("text_no_restart"):
        stored["text_no_restart"] = template["text_no_restart"]
    return stored


def _checklist_write(
    protocol: PreparationProtocol,
    items: Sequence[dict[str, Any]],
    medicine_item: dict[str, Any],
    before: dict[str, Any] | None,
) -> None:
    """Fill a new version's items, medicine item and translations from a definition (translations kept from `before`,
    the definition of the version before, where the rules of this module say so)."""
    before_items = {item["key"]: item for item in (before or {}).get("items", [])}
    translations: dict[str, dict[str, Any]] = {}
    for item in items:
        for language, texts in _translations_kept(item, before_items.get(item["key"]), ITEM_TEXT_FIELDS).items():
            translations.setdefault(language, {}).setdefault("items", {})[item["key"]] = _texts(texts, ITEM_TEXT_FIELDS)
    before_medicine = (before or {}).get("medicine_item")
    for language, texts in _translations_kept(medicine_item, before_medicine, MEDICINE_TEXT_FIELDS).items():
        translations.setdefault(language, {})["medicine_item"] = _texts(texts, MEDICINE_TEXT_FIELDS)
    protocol.items = [_stored_item(item) for item in items]
    protocol.medicine_item = _stored_medicine_item(medicine_item)
    protocol.translations = translations


def library_definition(library: EducationLibrary) -> dict[str, Any]:
    """A library version as one document: its articles in order, each with its `translations`."""
    return {
        "id": library.pk,
        "clinic": library.clinic_id,
        "name": library.name,
        "version": library.version,
        "based_on": library.based_on_id,
        "change_note": library.change_note,
        "created_at": library.created_at,
        "created_by": library.created_by,
        "articles": [
            {
                "key": a.key,
                "title": a.title,
                "summary": a.summary,
                "body": a.body,
                "stages": a.stages,
                "translations": a.translations or {},
            }
            for a in library.articles.all()
        ],
    }


def _articles_write(
    library: EducationLibrary, articles: Sequence[dict[str, Any]], before: dict[str, Any] | None
) -> None:
    before_articles = {article["key"]: article for article in (before or {}).get("articles", [])}
    rows = []
    for position, article in enumerate(articles, start=1):
        kept = _translations_kept(article, before_articles.get(article["key"]), ARTICLE_TEXT_FIELDS)
        row = EducationArticle(
            library=library, key=article["key"], title=article["title"], summary=article["summary"],
            body=list(article["body"]), stages=list(article["stages"]), position=position,
            translations={language: _texts(texts, ARTICLE_TEXT_FIELDS) for language, texts in kept.items()},
        )  # fmt: skip
        rows.append(row)
    EducationArticle.objects.bulk_create(rows)


# --- Copy and revise --------------------------------------------------------------------------------------------------


def preparation_copy_for_clinic(*, clinic: Clinic, source: PreparationProtocol, by: User) -> PreparationProtocol:
    """A clinic's own editable copy of a checklist version, as its version 1 (once; later changes are new versions).
    Its translations come along."""
    with transaction.atomic():
        Clinic.objects.select_for_update().get(pk=clinic.pk)
        if PreparationProtocol.objects.filter(clinic=clinic).exists():
            raise StateConflict("Your clinic already has its own preparation checklist; edit that one instead.")
        return PreparationProtocol.objects.create(
            clinic=clinic, name=source.name, version=1, based_on=source, change_note=f"Copied from {source}.",
            items=source.items, medicine_item=source.medicine_item, translations=source.translations, created_by=by,
        )  # fmt: skip


def _newest_for_edit(model: type[Any], edited: Any, what: str) -> Any:
    if edited.clinic_id is None:
        raise ValidationError(f"The shipped default {what} cannot be edited; copy it for your clinic first.")
    latest = model.objects.select_for_update().filter(clinic_id=edited.clinic_id).order_by("-version").first()
    if latest is None or latest.pk != edited.pk:
        raise ValidationError("Only the newest version can be edited; it changed since you loaded this one.")
    return latest


def preparation_revise(
    *,
    protocol: PreparationProtocol,
    name: str,
    items: Sequence[dict[str, Any]],
    medicine_item: dict[str, Any],
    by: User,
    change_note: str = "",
) -> PreparationProtocol:
    """Save an edited checklist (the whole definition, already validated) as the clinic's next version. Procedures
    whose preparation plan exists keep their version; the others, and new ones, follow this one."""
    with transaction.atomic():
        latest: PreparationProtocol = _newest_for_edit(PreparationProtocol, protocol, "preparation checklist")
        revised = PreparationProtocol(
            clinic_id=latest.clinic_id, name=name, version=latest.version + 1, based_on=latest,
            change_note=change_note, created_by=by,
        )  # fmt: skip
        _checklist_write(revised, items, medicine_item, checklist_definition(latest))
        revised.save()
    return revised


def education_copy_for_clinic(*, clinic: Clinic, source: EducationLibrary, by: User) -> EducationLibrary:
    """A clinic's own editable copy of a library version, as its version 1 (once), articles and translations too."""
    with transaction.atomic():
        Clinic.objects.select_for_update().get(pk=clinic.pk)
        if EducationLibrary.objects.filter(clinic=clinic).exists():
            raise StateConflict("Your clinic already has its own education library; edit that one instead.")
        copy = EducationLibrary.objects.create(
            clinic=clinic, name=source.name, version=1, based_on=source, change_note=f"Copied from {source}.",
            created_by=by,
        )  # fmt: skip
        _articles_write(copy, library_definition(source)["articles"], None)
    return copy


def education_revise(
    *,
    library: EducationLibrary,
    name: str,
    articles: Sequence[dict[str, Any]],
    by: User,
    change_note: str = "",
) -> EducationLibrary:
    """Save an edited library (every article, in the order given) as the clinic's next version: what the clinic's
    patients are offered from now on. Reads stay recorded against the article version that was read; an article
    copied word for word still counts as read (journey.selectors.articles_read), a changed one is offered again."""
    with transaction.atomic():
        latest: EducationLibrary = _newest_for_edit(EducationLibrary, library, "education library")
        revised = EducationLibrary.objects.create(
            clinic_id=latest.clinic_id, name=name, version=latest.version + 1, based_on=latest,
            change_note=change_note, created_by=by,
        )  # fmt: skip
        _articles_write(revised, articles, library_definition(latest))
    return revised
