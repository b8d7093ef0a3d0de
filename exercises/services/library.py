"""The exercise library: a clinic's own exercises."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Clinic, User
from exercises.models import Exercise


def exercise_create(
    *,
    clinic: Clinic,
    by: User,
    name: str,
    kind: str,
    steps: Sequence[str],
    default_dose: dict[str, int],
    earliest_day: int,
    precautions: Sequence[str] = (),
    media_url: str = "",
    key: str | None = None,
    translations: dict[str, dict[str, Any]] | None = None,
) -> Exercise:
    """Add a clinic's own exercise to the library (seen by that clinic's people only), with its texts in other
    languages when given (validated by the API: offered languages, known text fields); English otherwise."""
    key = key or slugify(name).replace("-", "_")[:60]
    if not key:
        raise ValidationError({"key": ["Give the exercise a key of letters, digits and underscores."]})
    if Exercise.objects.filter(Q(clinic=clinic) | Q(clinic__isnull=True), key=key).exists():
        raise ValidationError({"key": [f"The library already has an exercise with the key '{key}'."]})
    try:
        with transaction.atomic():
            return Exercise.objects.create(
                clinic=clinic, key=key, name=name, kind=kind, steps=list(steps), default_dose=dict(default_dose),
                earliest_day=earliest_day, precautions=list(precautions), media_url=media_url, created_by=by,
                translations=dict(translations or {}),
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"key": [f"The library already has an exercise with the key '{key}'."]}) from None


class NotOwnExercise(LookupError):
    """The exercise is not one of the clinic's own (another clinic's, or the shipped library, translated with it)."""


def exercise_translations_set(*, clinic: Clinic, exercise_id: Any, translations: dict[str, dict[str, Any]]) -> Exercise:
    """Replace the translations of each language given, of one of the clinic's own exercises; other languages stay.
    The lists of steps and precautions keep one entry per English one (ValidationError otherwise, nothing stored)."""
    with transaction.atomic():
        exercise = Exercise.objects.select_for_update().filter(pk=exercise_id, clinic=clinic).first()
        if exercise is None:
            raise NotOwnExercise(exercise_id)
        errors: dict[str, list[str]] = {}
        for code, fields in translations.items():
            for name in ("steps", "precautions"):
                english = getattr(exercise, name)
                if name in fields and len(fields[name]) != len(english):
                    errors[f"translations.{code}.{name}"] = [
                        _("Give as many as in English (%(count)d), in the same order.") % {"count": len(english)}
                    ]
        if errors:
            raise ValidationError(errors)
        exercise.translations = {**exercise.translations, **translations}
        exercise.save(update_fields=["translations"])
    return exercise
