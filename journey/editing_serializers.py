"""HTTP shapes of the clinic's preparation checklist and education library versions (journey.editing): a version as
the editor sees it, and a revision (the whole definition). What a version shows is what a revision sends back.

Validation refuses, per field: duplicate keys; an `applies` outside the allowed set; a {placeholder} where it is not
filled in (only the arrival item's texts name {arrival_time}; only the medicine item names {medicine}, {stop_on} and
{restart_on}, and its `text_no_restart` no {restart_on}); a translation missing a text the English has, having one
the English has not, or naming other placeholders than the English.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from rest_framework import serializers

from accounts.inputs import StrictInputSerializer
from journey.content.education_default import STAGES
from journey.content.preparation_default import APPLIES
from journey.editing import ARTICLE_TEXT_FIELDS, ITEM_TEXT_FIELDS, MEDICINE_TEXT_FIELDS
from journey.selectors import MEDICINE_PREFIX
from recovery.serializers import PersonOut

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
MAX_ITEMS = 40
MAX_ARTICLES = 60
LANGUAGES = ("es",)

TRANSLATIONS_HELP = (
    'The other languages\' texts, {"es": {field: text}}, with every text the English has. Left out, the version '
    "before's translation of the same key is kept if none of its English texts changed (else it reads in English)."
)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _shown(names: set[str] | frozenset[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names)) or "none"


def _placeholder_errors(text: str, allowed: frozenset[str], where: str) -> list[str]:
    unknown = placeholders(text) - allowed
    if not unknown:
        return []
    return [f"{_shown(unknown)} cannot be used {where} (allowed here: {_shown(allowed)})."]


def _translation_errors(
    english: dict[str, Any], translations: dict[str, dict[str, Any]], fields: tuple[str, ...], refused: set[str]
) -> dict[str, list[str]]:
    """Errors keyed "translations.<language>.<field>": each translation has exactly the texts the English has (a body
    as many paragraphs), with the same placeholders. Fields whose English is `refused` already are not compared."""
    errors: dict[str, list[str]] = {}
    for language, texts in translations.items():
        for field in fields:
            if field in refused:
                continue
            name = f"translations.{language}.{field}"
            has_english, has_translation = bool(english.get(field)), bool(texts.get(field))
            if has_english and not has_translation:
                errors[name] = [f"The English has this text: give it in this language too (language '{language}')."]
            elif has_translation and not has_english:
                errors[name] = ["The English has no such text: leave it out here too, or add it in English."]
            elif has_english and isinstance(english[field], list):
                if len(texts[field]) != len(english[field]):
                    errors[name] = [f"Give as many paragraphs as the English ({len(english[field])})."]
            elif has_english and placeholders(texts[field]) != placeholders(english[field]):
                errors[name] = [f"Use the same placeholders as the English: {_shown(placeholders(english[field]))}."]
    return errors


# --- Preparation checklist --------------------------------------------------------------------------------------------


class ItemTextsIn(StrictInputSerializer):
    """An item's texts in one other language."""

    title = serializers.CharField(max_length=200, required=False)
    text = serializers.CharField(max_length=2000, required=False)
    text_pending = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ItemTranslationsIn(StrictInputSerializer):
    es = ItemTextsIn(required=False, help_text="Spanish.")


class ChecklistItemIn(StrictInputSerializer):
    key = serializers.SlugField(max_length=60)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=2000)
    text_pending = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="",
        help_text='Only for the "arrival" item: its text until the clinic enters the arrival time.',
    )  # fmt: skip
    applies = serializers.ChoiceField(
        choices=APPLIES,
        help_text='To whom: "everyone", "diabetes" (patients with diabetes), "sedation" (procedures planned with light '
        'sedation), "arrival" (everyone; its text names {arrival_time}).',
    )
    due_days_before = serializers.IntegerField(min_value=0, max_value=90, help_text="0: on the procedure day.")
    translations = ItemTranslationsIn(required=False, help_text=TRANSLATIONS_HELP)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        arrival = attrs["applies"] == "arrival"
        if attrs["key"].startswith(MEDICINE_PREFIX):
            errors["key"] = [f"Keys starting with '{MEDICINE_PREFIX}' are the blood thinners' items; choose another."]
        allowed = frozenset({"arrival_time"}) if arrival else frozenset()
        where = "in this item" if arrival else 'outside the "arrival" item'
        for field in ("title", "text_pending"):
            if problems := _placeholder_errors(attrs.get(field, ""), frozenset(), "in this text"):
                errors[field] = problems
        if problems := _placeholder_errors(attrs["text"], allowed, where):
            errors["text"] = problems
        elif arrival and "arrival_time" not in placeholders(attrs["text"]):
            errors["text"] = ["The arrival item's text must name the time: put {arrival_time} where it goes."]
        if arrival and not attrs.get("text_pending"):
            errors["text_pending"] = ["The arrival item needs the text shown until the clinic enters the time."]
        elif not arrival and attrs.get("text_pending"):
            errors["text_pending"] = ['Only the "arrival" item has a text for before the time is known.']
        errors |= _translation_errors(attrs, attrs.get("translations", {}), ITEM_TEXT_FIELDS, set(errors))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class MedicineTextsIn(StrictInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    text = serializers.CharField(max_length=2000, required=False)
    text_no_restart = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class MedicineTranslationsIn(StrictInputSerializer):
    es = MedicineTextsIn(required=False, help_text="Spanish.")


MEDICINE_PLACEHOLDERS = frozenset({"medicine", "stop_on", "restart_on"})


class MedicineItemIn(StrictInputSerializer):
    """The template of the item shown for each blood thinner the clinician enters."""

    title = serializers.CharField(max_length=200, help_text="May name {medicine}, {stop_on}, {restart_on}.")
    text = serializers.CharField(max_length=2000, help_text="May name {medicine}, {stop_on}, {restart_on}.")
    text_no_restart = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="",
        help_text="The text when no restart date is set: {medicine}, {stop_on}; empty: `text` is used.",
    )  # fmt: skip
    translations = MedicineTranslationsIn(required=False, help_text=TRANSLATIONS_HELP)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        for field in ("title", "text"):
            if problems := _placeholder_errors(attrs[field], MEDICINE_PLACEHOLDERS, "in the medicine item"):
                errors[field] = problems
        if problems := _placeholder_errors(
            attrs.get("text_no_restart", ""), MEDICINE_PLACEHOLDERS - {"restart_on"}, "when no restart date is set"
        ):
            errors["text_no_restart"] = problems
        errors |= _translation_errors(attrs, attrs.get("translations", {}), MEDICINE_TEXT_FIELDS, set(errors))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _duplicate_key_errors(entries: list[dict[str, Any]], what: str) -> dict[str, dict[str, list[str]]]:
    counts = Counter(entry["key"] for entry in entries)
    return {
        str(n): {"key": [f"Another {what} has the key '{entry['key']}': keys must be unique."]}
        for n, entry in enumerate(entries)
        if counts[entry["key"]] > 1
    }


class ChecklistRevisionIn(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    change_note = serializers.CharField(max_length=500, allow_blank=True, default="")
    items = serializers.ListField(child=ChecklistItemIn(), max_length=MAX_ITEMS)
    medicine_item = MedicineItemIn()

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not items:
            raise serializers.ValidationError("At least one item is needed.")
        if errors := _duplicate_key_errors(items, "item"):
            raise serializers.ValidationError(errors)
        return items


class ItemTextsOut(serializers.Serializer[Any]):
    title = serializers.CharField()
    text = serializers.CharField()
    text_pending = serializers.CharField(required=False)


class ItemTranslationsOut(serializers.Serializer[Any]):
    es = ItemTextsOut(required=False)


class ChecklistItemDefinitionOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    text_pending = serializers.CharField()
    applies = serializers.ChoiceField(choices=APPLIES)
    due_days_before = serializers.IntegerField()
    translations = ItemTranslationsOut()


class MedicineTextsOut(serializers.Serializer[Any]):
    title = serializers.CharField()
    text = serializers.CharField()
    text_no_restart = serializers.CharField(required=False)


class MedicineTranslationsOut(serializers.Serializer[Any]):
    es = MedicineTextsOut(required=False)


class MedicineItemOut(serializers.Serializer[Any]):
    title = serializers.CharField()
    text = serializers.CharField()
    text_no_restart = serializers.CharField()
    translations = MedicineTranslationsOut()


BASED_ON_HELP = "The version this one was copied or revised from; null: a shipped default."
CREATED_BY_HELP = "The clinic admin who saved this version; null: a shipped default (or an account since erased)."


class ChecklistOut(serializers.Serializer[Any]):
    """One version of a preparation checklist (journey.editing.checklist_definition)."""

    id = serializers.UUIDField()
    clinic = serializers.UUIDField(allow_null=True, help_text="null: the shipped default.")
    name = serializers.CharField()
    version = serializers.IntegerField()
    based_on = serializers.UUIDField(allow_null=True, help_text=BASED_ON_HELP)
    change_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = PersonOut(allow_null=True, help_text=CREATED_BY_HELP)
    items = ChecklistItemDefinitionOut(many=True)
    medicine_item = MedicineItemOut()


# --- Education library ------------------------------------------------------------------------------------------------


class ArticleTextsIn(StrictInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(max_length=300, required=False)
    body = serializers.ListField(child=serializers.CharField(max_length=2000), max_length=30, required=False)


class ArticleTranslationsIn(StrictInputSerializer):
    es = ArticleTextsIn(required=False, help_text="Spanish.")


class ArticleIn(StrictInputSerializer):
    key = serializers.SlugField(max_length=60)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=300)
    body = serializers.ListField(
        child=serializers.CharField(max_length=2000), min_length=1, max_length=30, help_text="Paragraphs."
    )
    stages = serializers.ListField(
        child=serializers.ChoiceField(choices=STAGES),
        min_length=1,
        help_text="The journey stages at which it is offered: " + ", ".join(STAGES) + ".",
    )
    translations = ArticleTranslationsIn(required=False, help_text=TRANSLATIONS_HELP)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        if len(set(attrs["stages"])) != len(attrs["stages"]):
            errors["stages"] = ["Name each stage once."]
        texts = {"title": [attrs["title"]], "summary": [attrs["summary"]], "body": attrs["body"]}
        for field, values in texts.items():
            if problems := _placeholder_errors(" ".join(values), frozenset(), "in an article"):
                errors[field] = problems
        errors |= _translation_errors(attrs, attrs.get("translations", {}), ARTICLE_TEXT_FIELDS, set(errors))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class LibraryRevisionIn(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    change_note = serializers.CharField(max_length=500, allow_blank=True, default="")
    articles = serializers.ListField(
        child=ArticleIn(), max_length=MAX_ARTICLES, help_text="Every article, in the order shown."
    )

    def validate_articles(self, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not articles:
            raise serializers.ValidationError("At least one article is needed.")
        if errors := _duplicate_key_errors(articles, "article"):
            raise serializers.ValidationError(errors)
        return articles


class ArticleTextsOut(serializers.Serializer[Any]):
    title = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.ListField(child=serializers.CharField())


class ArticleTranslationsOut(serializers.Serializer[Any]):
    es = ArticleTextsOut(required=False)


class ArticleDefinitionOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.ListField(child=serializers.CharField())
    stages = serializers.ListField(child=serializers.ChoiceField(choices=STAGES))
    translations = ArticleTranslationsOut()


class LibraryDefinitionOut(serializers.Serializer[Any]):
    """One version of an education library (journey.editing.library_definition)."""

    id = serializers.UUIDField()
    clinic = serializers.UUIDField(allow_null=True, help_text="null: the shipped default.")
    name = serializers.CharField()
    version = serializers.IntegerField()
    based_on = serializers.UUIDField(allow_null=True, help_text=BASED_ON_HELP)
    change_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = PersonOut(allow_null=True, help_text=CREATED_BY_HELP)
    articles = ArticleDefinitionOut(many=True)
