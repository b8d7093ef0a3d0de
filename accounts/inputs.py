"""Input serializers that take exactly what the OpenAPI schema says.

- A field the caller may not set (unknown, or read-only like `role`) is a 400 naming it, never silently dropped.
- In a JSON body each value has the JSON type its schema gives: DRF alone would take `"7"`, `7.0` for an integer,
  `0` for a string and `"yes"` for a boolean. Query parameters are text by nature and keep DRF's parsing.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

# Unknown and read-only alike: the caller cannot set it (the field is named by its key in `errors`).
NOT_SETTABLE = gettext_lazy("Unknown field.")

_TEXT_FIELDS: tuple[type[serializers.Field[Any, Any, Any, Any]], ...] = (
    serializers.CharField,
    serializers.UUIDField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.DurationField,
)

# Query parameters whose schema format leaves no room for an empty value.
_NOT_BLANK_IN_QUERY: tuple[type[serializers.Field[Any, Any, Any, Any]], ...] = (
    serializers.DateField,
    serializers.DateTimeField,
    serializers.IntegerField,
    serializers.FloatField,
    serializers.DecimalField,
    serializers.UUIDField,
    serializers.ChoiceField,  # and MultipleChoiceField: an empty string is none of the choices
)


def json_type_problem(field: serializers.Field[Any, Any, Any, Any], value: Any) -> str | None:
    """Why `value` (from a JSON body) is not of the JSON type the field's schema states, or None."""
    if value is None:
        return None  # allow_null decides
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("Must be a valid boolean (true or false).")
    if isinstance(field, serializers.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else _("A valid integer is required.")
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if isinstance(field, serializers.DecimalField) and isinstance(value, str | decimal.Decimal):
            ok = True  # decimals are documented as strings too
        return None if ok else _("A valid number is required.")
    if isinstance(field, serializers.ChoiceField):
        keys = list(field.choices)
        if keys and all(isinstance(k, str) for k in keys) and not isinstance(value, str):
            return _("Not a valid choice: a string is required.")
        return None
    if isinstance(field, _TEXT_FIELDS):
        return None if isinstance(value, str | dt.date | dt.time) else _("Not a valid string.")
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return _("Expected a list of items.")
        for item in value:
            problem = json_type_problem(field.child, item)
            if problem:
                return _("Each item: %(problem)s") % {"problem": f"{problem[0].lower()}{problem[1:]}"}
        return None
    if isinstance(field, serializers.DictField) and not isinstance(field, serializers.HStoreField):
        return None if isinstance(value, Mapping) else _("Expected a dictionary of items.")
    return None


class StrictInputSerializer(serializers.Serializer[Any]):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors: dict[str, list[str]] = {}
            writable = {name for name, field in self.fields.items() if not field.read_only}
            for name in sorted(set(data) - writable):
                errors[name] = [str(NOT_SETTABLE)]
            if isinstance(data, QueryDict):
                # DRF reads `?date_from=` as if absent; the schema states a date (a number, an id, a choice).
                for name, field in self.fields.items():
                    if isinstance(field, _NOT_BLANK_IN_QUERY) and name in data and data.get(name) == "":
                        errors[name] = [_("Give a value, or leave the parameter out.")]
            else:
                for name, field in self.fields.items():
                    if name in data and not field.read_only:
                        problem = json_type_problem(field, data[name])
                        if problem:
                            errors[name] = [problem]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


# The paginator's own messages (accounts.pagination), so a list answers the same whichever of the two checks first.
_WHOLE_NUMBER: dict[str, Any] = {
    "invalid": "Must be a whole number of at least 1.",
    "min_value": "Must be a whole number of at least 1.",
    "max_string_length": "Must be a whole number of at least 1.",
    "max_value": "Must be at most {max_value}.",
}


class PagedQueryIn(StrictInputSerializer):
    """Query parameters of a paginated list: `page` and `page_size` are the paginator's (accounts.pagination), named
    here so a list's own filters can be checked strictly and documented in one serializer."""

    page = serializers.IntegerField(required=False, min_value=1, error_messages=_WHOLE_NUMBER)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=settings.PAGE_SIZE_MAX, error_messages=_WHOLE_NUMBER
    )
