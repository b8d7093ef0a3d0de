"""The `translations` of an exercise as the API takes them: {language: {field: value}} for its text fields
(exercises.models.EXERCISE_TEXT_FIELDS), in offered languages other than English, checked field by field."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.languages import is_offered
from exercises.models import EXERCISE_TEXT_FIELDS

_TRANSLATION_FIELDS: dict[str, Any] = {
    "name": lambda: serializers.CharField(max_length=120),
    "steps": lambda: serializers.ListField(child=serializers.CharField(max_length=300), min_length=1, max_length=20),
    "precautions": lambda: serializers.ListField(child=serializers.CharField(max_length=300), max_length=20),
}


_TEXT = {"type": "string", "minLength": 1, "maxLength": 300}
_LANGUAGE_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 120},
        "steps": {"type": "array", "items": _TEXT, "minItems": 1, "maxItems": 20},
        "precautions": {"type": "array", "items": _TEXT, "maxItems": 20},
    },
    "additionalProperties": False,
}


@extend_schema_field(
    {
        "type": "object",
        "description": "Other languages than English, by code: {'es': {'name': ..., 'steps': [...], "
        "'precautions': [...]}}. A field left out reads in English; a list has as many entries as the English one.",
        "properties": {code: _LANGUAGE_SCHEMA for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE},
        "additionalProperties": False,
    }
)
class ExerciseTranslationsField(serializers.Field):
    """{language: {field: value}} for the exercise's text fields, checked field by field: each error names its
    place ("translations.es.steps"), and nothing is stored while any is wrong."""

    def to_representation(self, value: Any) -> Any:
        return value

    def to_internal_value(self, data: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Give translations as {language: {field: text}}."))
        errors: dict[str, Any] = {}
        clean: dict[str, dict[str, Any]] = {}
        for code, fields in data.items():
            if code == settings.LANGUAGE_CODE:
                errors[code] = [_("English is in the exercise's own fields.")]
                continue
            if not is_offered(code):
                errors[code] = [_("“%(code)s” is not a language this service is offered in.") % {"code": code}]
                continue
            if not isinstance(fields, dict):
                errors[code] = [_("Give the translated fields as {field: text}.")]
                continue
            clean[code] = {}
            for name, value in fields.items():
                if name not in _TRANSLATION_FIELDS:
                    known = ", ".join(EXERCISE_TEXT_FIELDS)
                    errors.setdefault(code, {})[name] = [
                        _("Not a text of an exercise; translate %(fields)s.") % {"fields": known}
                    ]
                    continue
                field = _TRANSLATION_FIELDS[name]()
                try:
                    clean[code][name] = field.run_validation(value)
                except serializers.ValidationError as exc:
                    errors.setdefault(code, {})[name] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return clean


def check_translated_lists(translations: dict[str, dict[str, Any]], english: dict[str, Any]) -> None:
    """A translated list of steps or precautions has one entry per English one, so they read side by side."""
    errors: dict[str, dict[str, list[str]]] = {}
    for code, fields in translations.items():
        for name in ("steps", "precautions"):
            if name in fields and len(fields[name]) != len(english.get(name) or []):
                count = len(english.get(name) or [])
                errors.setdefault(code, {})[name] = [
                    _("Give as many as in English (%(count)d), in the same order.") % {"count": count}
                ]
    if errors:
        raise serializers.ValidationError({"translations": errors})
