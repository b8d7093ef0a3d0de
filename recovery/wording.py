"""Patient-facing recovery content in the reader's language (the active one: an API request runs in the signed-in
person's, a reminder in its recipient's).

Two kinds of text, two ways of translating them:
- Clinical content (the protocol's phases, milestones and "When to get help"; the red-flag questions and what to do
  after a "yes"; the weekly health-care question; the progress texts; the check-in's own questions and symptoms) is
  versioned: a check-in or an alert records the version it answered, and a version's wording never changes. Its other
  languages live beside the English in a `translations` mapping, {"es": {field: value}}, frozen with the version: in
  the database for the protocol (filled for the shipped default by a data migration, carried along when a clinic
  copies or revises it), in the content modules for what is defined in code. Editing a catalog can therefore never
  change the words of a released version, and one completeness test walks every item the same way.
- Interface text written in code (validation messages, notices, button labels) is not versioned: it is marked for
  gettext and translated in recovery/locale/<language>/LC_MESSAGES/django.po.

Licensed, validated outcome measures (ODI, ZCQ) are served in English only; for a reader of another language the form
says so (`language` and `language_notice`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.languages import localized
from accounts.models import Clinic
from recovery.content.healthcare_use import HealthcareUseQuestion
from recovery.content.protocol_default import AlertRule, RedFlagQuestion, Symptom, TierInstruction
from recovery.instruments import Instrument

# The fields of each kind of content that a reader sees, and so must exist in every language.
PHASE_FIELDS = ("title", "summary", "instructions", "avoid")
MILESTONE_FIELDS = ("title", "patient_text")


def active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def text_of(item: Any, field: str) -> Any:
    """A field of a content item (a dataclass of recovery.content or a protocol row) in the active language."""
    return localized(getattr(item, field), getattr(item, "translations", None), field)


def question_out(question: RedFlagQuestion) -> dict[str, Any]:
    return {
        "key": question.key,
        "tier": question.tier,
        "question": text_of(question, "question"),
        # None stays None: a question without details has none in any language.
        "help_text": text_of(question, "help_text") if question.help_text else None,
    }


def instruction_out(instruction: TierInstruction, clinic: Clinic | None = None) -> dict[str, str]:
    """What to do after a "yes" of this tier; with a clinic, its name and numbers filled in."""
    text = str(text_of(instruction, "text"))
    if clinic is not None:
        text = text.format(clinic_name=clinic.name, clinic_phone=clinic.phone, emergency_number=clinic.emergency_number)
    return {"title": str(text_of(instruction, "title")), "text": text}


def alert_title(rule_key: str, rules: Iterable[AlertRule], stored: str) -> str:
    """An alert's title in the active language: that of the first rule of `rules` with its key (the alert's rule-set
    version first, then every other: a check-in on an old form raises an earlier version's rule), else the title
    stored on the alert."""
    rule = next((r for r in rules if r.key == rule_key), None)
    return str(text_of(rule, "title")) if rule is not None else stored


def symptom_out(symptom: Symptom) -> dict[str, str]:
    return {"key": symptom.key, "label": str(text_of(symptom, "label"))}


def healthcare_use_out(question: HealthcareUseQuestion, ask_every_days: int) -> dict[str, Any]:
    return {
        "version": question.version,
        "question": text_of(question, "question"),
        "help_text": text_of(question, "help_text"),
        "ask_every_days": ask_every_days,
    }


def instrument_language(instrument: Instrument) -> str:
    """The language the form is shown in for the active reader: theirs when the instrument has it, else English."""
    code = active_language()
    return code if code in instrument.languages else "en"


def instrument_out(instrument: Instrument) -> dict[str, Any]:
    """An outcome measure's wording for the form, in the reader's language when the instrument is offered in it."""
    language = instrument_language(instrument)
    words: Mapping[str, Any] = instrument.translations.get(language, {})
    items = words.get("items", {})
    options = words.get("options", {})
    units = words.get("units", {})
    return {
        "key": instrument.key,
        "version": instrument.version,
        "language": language,
        "language_notice": language_notice(instrument),
        "title": words.get("title") or instrument.title,
        "instructions": words.get("instructions") or instrument.instructions,
        "items": [
            {
                "key": item.key,
                "text": items.get(item.key) or item.text,
                "subscale": item.subscale,
                "post_treatment_only": item.post_treatment_only,
                "minimum": item.minimum,
                "maximum": item.maximum,
                "unit": item.unit,
                "unit_label": None if item.unit is None else units.get(item.unit, item.unit),
                "options": [{"value": o.value, "label": options.get(str(o.value)) or o.label} for o in item.options],
            }
            for item in instrument.items
        ],
    }


def language_notice(instrument: Instrument) -> str | None:
    """For a reader whose language the instrument is not offered in: a plain notice that the form is in English and
    that they may ask for help. None when the form is in their language."""
    if active_language() in instrument.languages:
        return None
    return _(
        "This form is only available in English, so that your answers can be compared with other patients' answers. "
        "You may ask a family member or your clinic to help you fill it in."
    )


# --- Protocol content (database rows with a `translations` field) ----------------------------------------------------


def phase_text(phase: Any) -> dict[str, Any]:
    return {field: text_of(phase, field) for field in PHASE_FIELDS}


def milestone_text(milestone: Any) -> dict[str, Any]:
    return {field: text_of(milestone, field) for field in MILESTONE_FIELDS}


def when_to_get_help_text(english: Mapping[str, Any], translations: Mapping[str, Any] | None) -> dict[str, Any]:
    return dict(localized(english, translations, "when_to_get_help") or {})
