"""The language each person reads.

Every person has their own (`User.language`, one of settings.LANGUAGES). An API request runs in the signed-in
person's language (activated by API authentication); before sign-in, the browser's (LocaleMiddleware). Anything sent
later (reminders, alerts, emails) is rendered in the recipient's language at send time: `in_language_of(user)`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation

if TYPE_CHECKING:
    from accounts.models import User


def offered() -> list[tuple[str, str]]:
    """(code, name in that language) for every language the product is offered in."""
    return list(settings.LANGUAGES)


def is_offered(code: str) -> bool:
    return code in dict(settings.LANGUAGES)


def language_of(user: User | None) -> str:
    """The person's language, or the default when it is not (or no longer) offered."""
    code = getattr(user, "language", None) or settings.LANGUAGE_CODE
    return code if is_offered(code) else settings.LANGUAGE_CODE


def activate_for(user: User) -> None:
    """The rest of this request speaks the signed-in person's language."""
    translation.activate(language_of(user))


@contextmanager
def in_language_of(user: User | None) -> Iterator[str]:
    """Render something for `user` (a reminder, an email) in their language; yields the code."""
    code = language_of(user)
    with translation.override(code):
        yield code


def localized(english: Any, translations: Mapping[str, Mapping[str, Any]] | None, field: str) -> Any:
    """A field of versioned clinical content in the active language.

    Content that lives in the database (protocol phases, red-flag questions, exercises, education, preparation items)
    keeps its English in its own fields and every other language in a `translations` JSON field beside them, frozen
    with the version: {"es": {"title": "...", "instructions": ["...", ...]}}. A field with no translation falls back
    to the English (the catalog-completeness tests make sure the shipped content has none missing).
    """
    code = translation.get_language() or settings.LANGUAGE_CODE
    if code == settings.LANGUAGE_CODE or not translations:
        return english
    value = translations.get(code, {}).get(field)
    return english if value in (None, "", []) else value
