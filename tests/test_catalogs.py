"""The translation catalogs are complete and current, and Spanish dates, times and numbers come out Spanish.

1. Every .po catalog of the project (each app's locale/<language>/LC_MESSAGES/*.po, the django and djangojs domains):
   every entry is translated (each plural form too), nothing is fuzzy, and each translation keeps the original's
   placeholders (%(name)s, %s, {name}).
2. The catalogs are current: `makemessages` runs for every catalog's language on a copy of the source tree, and any
   string marked for translation in code or templates but missing from a committed catalog fails the test, named.
3. Localisation: dates, times and numbers use the language's own formats (Django's locale data).

The .po files are read with a small parser of the gettext PO format (the standard library has none).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, number_format, time_format

from notifications.messages import day_month, weekday_day_month

ROOT = Path(settings.BASE_DIR)
DOMAINS = ("django", "djangojs")
# Directories that are not the project's source (the same as `make catalogs` ignores).
NOT_SOURCE = (".venv", "node_modules", "staticfiles", "var")


# --- Reading .po files ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = dataclasses.field(default_factory=dict)
    flags: set[str] = dataclasses.field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def label(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt else ""
        return f"{self.msgid!r}{context}"


_UNESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted PO string: {text}")
    return re.sub(r"\\(.)", lambda m: _UNESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(text: str) -> list[Entry]:
    """The entries of a PO file (the header included, with msgid ""); obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry = Entry()
    field: tuple[str, int | None] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, field, started
        if started:
            entries.append(entry)
        entry, field, started = Entry(), None, False

    keyword = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")\s*$")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if started:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            if started:
                finish()
            continue
        match = keyword.match(line)
        if match:
            name, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if name in ("msgctxt", "msgid") and started and entry.msgstr:
                finish()  # a new entry without a blank line between
            if not started:
                entry.line = number
            started = True
            field = (name, int(index) if index is not None else None)
            _append(entry, field, value)
        elif line.startswith('"') and field is not None:
            _append(entry, field, _unquote(line))
        else:
            raise ValueError(f"line {number}: cannot read {raw!r}")
    finish()
    return entries


def _append(entry: Entry, field: tuple[str, int | None], value: str) -> None:
    name, index = field
    if name == "msgstr":
        key = index if index is not None else 0
        entry.msgstr[key] = entry.msgstr.get(key, "") + value
    elif name == "msgid":
        entry.msgid += value
    elif name == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    else:
        entry.msgctxt = (entry.msgctxt or "") + value


# --- What a complete catalog is ---------------------------------------------------------------------------------------

_PERCENT = re.compile(r"%(?:\((?P<name>[A-Za-z_][A-Za-z0-9_]*)\))?[-#0 +]*\d*(?:\.\d+)?(?P<type>[sdifrxXeEgGc%])")
_BRACE = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_][A-Za-z0-9_]*|\d*)\}(?!\})")


def placeholders(text: str) -> tuple[tuple[str, ...], int, tuple[str, ...]]:
    """(named %(x)s, how many unnamed %s, {x} names): what a translation must keep."""
    named, unnamed = [], 0
    for match in _PERCENT.finditer(text):
        if match.group("type") == "%":
            continue
        if match.group("name"):
            named.append(f"%({match.group('name')}){match.group('type')}")
        else:
            unnamed += 1
    braces = [f"{{{m.group('name')}}}" for m in _BRACE.finditer(text)]
    return tuple(sorted(set(named))), unnamed, tuple(sorted(set(braces)))


def problems(entries: list[Entry], plural_forms: int | None = None) -> list[str]:
    """Everything incomplete about these entries, one line each (empty when the catalog is complete)."""
    found = []
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            if "fuzzy" in entry.flags:
                found.append("the header is marked fuzzy")
            continue
        where = f"line {entry.line}: {entry.label()}"
        if "fuzzy" in entry.flags:
            found.append(f"{where} is fuzzy (a guess by msgmerge: check it and remove the flag)")
        forms = sorted(entry.msgstr) or [0]
        if entry.msgid_plural is not None and plural_forms and len(entry.msgstr) != plural_forms:
            found.append(f"{where} has {len(entry.msgstr)} plural forms, the language has {plural_forms}")
        for index in forms:
            translated = entry.msgstr.get(index, "")
            if not translated.strip():
                form = f" (plural form {index})" if entry.msgid_plural is not None else ""
                found.append(f"{where} has no translation{form}")
                continue
            original = entry.msgid if entry.msgid_plural is None or index == 0 else entry.msgid_plural
            want, got = placeholders(original), placeholders(translated)
            if entry.msgid_plural is not None and index == 0:
                # The singular may leave out the count ("Una alerta"), but may not invent placeholders.
                plural = placeholders(entry.msgid_plural)
                allowed_named, allowed_braces = set(want[0]) | set(plural[0]), set(want[2]) | set(plural[2])
                if not (set(got[0]) <= allowed_named and set(got[2]) <= allowed_braces and got[1] <= want[1]):
                    found.append(f"{where}: the translation's placeholders {got} are not the original's {want}")
            elif got != want:
                found.append(f"{where}: the translation's placeholders {got} are not the original's {want}")
    return found


def plural_forms_of(entries: list[Entry]) -> int | None:
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, "") if header else "")
    return int(match.group(1)) if match else None


def catalogs(root: Path = ROOT) -> list[Path]:
    """Every .po catalog of the project: <app>/locale/<language>/LC_MESSAGES/<domain>.po, and LOCALE_PATHS."""
    found = {p for domain in DOMAINS for p in root.glob(f"*/locale/*/LC_MESSAGES/{domain}.po")}
    for extra in getattr(settings, "LOCALE_PATHS", ()):
        base = Path(extra)
        if root != ROOT:
            base = root / base.relative_to(ROOT)
        found.update(p for domain in DOMAINS for p in base.glob(f"*/LC_MESSAGES/{domain}.po"))
    return sorted(p for p in found if not any(part in NOT_SOURCE for part in p.relative_to(root).parts))


def _read(path: Path) -> list[Entry]:
    return parse_po(path.read_text(encoding="utf-8"))


# --- The checker itself catches what it is meant to -------------------------------------------------------------------

_BROKEN = r"""
msgid ""
msgstr ""
"Language: es\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: a.py
msgid "Untranslated"
msgstr ""

#: a.py
#, fuzzy
msgid "A guess"
msgstr "Una suposición"

#: a.py
#, python-format
msgid "Hello %(name)s, see you on %(date)s"
msgstr "Hola, %(nombre)s: nos vemos el %(date)s"

#: a.js
msgid "{count} days left"
msgstr "quedan días"

#: a.py
#, python-format
msgid "%(count)s alert"
msgid_plural "%(count)s alerts"
msgstr[0] "Una alerta"
msgstr[1] ""

#: a.py
msgctxt "month"
msgid "May"
msgstr "Mayo"

#: a.py
#, python-format
msgid "Fine %(x)s and 100%%"
msgstr ""
"Bien %(x)s "
"y 100%%"

#~ msgid "Old"
#~ msgstr ""
"""


def test_the_checker_names_every_kind_of_incomplete_entry():
    entries = parse_po(_BROKEN)
    found = problems(entries, plural_forms_of(entries))

    assert [e.msgid for e in entries][1:] == [
        "Untranslated", "A guess", "Hello %(name)s, see you on %(date)s", "{count} days left", "%(count)s alert", "May",
        "Fine %(x)s and 100%%",
    ]  # fmt: skip
    assert entries[6].msgctxt == "month" and entries[7].msgstr == {0: "Bien %(x)s y 100%%"}
    assert len(found) == 5, found
    assert "'Untranslated' has no translation" in found[0]
    assert "'A guess' is fuzzy" in found[1]
    assert "placeholders" in found[2] and "%(name)s" in found[2]
    assert "placeholders" in found[3] and "{count}" in found[3]
    assert "'%(count)s alert' has no translation (plural form 1)" in found[4]


# --- 1. Every committed catalog is complete ---------------------------------------------------------------------------


def test_the_project_has_spanish_catalogs():
    found = [p.relative_to(ROOT).as_posix() for p in catalogs()]
    assert "accounts/locale/es/LC_MESSAGES/django.po" in found
    assert "notifications/locale/es/LC_MESSAGES/django.po" in found
    languages = {p.parent.parent.name for p in catalogs()}
    assert languages <= set(dict(settings.LANGUAGES)) - {settings.LANGUAGE_CODE}


@pytest.mark.parametrize("path", catalogs(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_entry_of_the_catalog_is_translated_with_its_placeholders(path):
    entries = _read(path)
    assert len(entries) > 1, f"{path} has no entries"
    found = problems(entries, plural_forms_of(entries))
    assert not found, f"{path.relative_to(ROOT)}:\n" + "\n".join(found)


# --- 2. The committed catalogs hold every string marked in the code ---------------------------------------------------


def _source_copy(destination: Path) -> Path:
    """The source tree as it is now (tracked and new files; no virtualenv, node_modules, caches or compiled .mo)."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        return {
            n
            for n in names
            if n.startswith(".") or n in NOT_SOURCE or n == "__pycache__" or n.endswith((".mo", ".pyc"))
        }

    copy = destination / "source"
    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    return copy


def _extract(copy: Path, languages: set[str]) -> None:
    env = {**os.environ, "ALLOW_MISSING_SECRET_KEY": "true", "PYTHONDONTWRITEBYTECODE": "1"}
    ignores = [f"--ignore={name}" for name in NOT_SOURCE]
    for domain in DOMAINS:
        command = [sys.executable, "manage.py", "makemessages", "-d", domain, "--no-obsolete", "--add-location=file"]
        command += [f"--locale={code}" for code in sorted(languages)] + ignores
        done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603 (our own manage.py)
        assert done.returncode == 0, (
            f"makemessages -d {domain} failed (a string marked in an app with no locale directory?):\n"
            f"{done.stdout}\n{done.stderr}"
        )


def _keys(path: Path) -> set[tuple[str | None, str, str | None]]:
    return {e.key for e in _read(path) if e.msgid or e.msgctxt is not None} if path.exists() else set()


def missing_from_catalogs(copy: Path, root: Path = ROOT) -> dict[str, list[str]]:
    """For each catalog in the extracted copy: the strings it has that the committed one lacks."""
    missing: dict[str, list[str]] = {}
    for extracted in catalogs(copy):
        relative = extracted.relative_to(copy)
        committed = _keys(root / relative)
        lacking = [e for e in _read(extracted) if (e.msgid or e.msgctxt is not None) and e.key not in committed]
        if lacking:
            missing[relative.as_posix()] = [e.label() for e in lacking]
    return missing


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Iterator[Path]:
    copy = _source_copy(tmp_path_factory.mktemp("catalogs"))
    languages = {p.parent.parent.name for p in catalogs()} or {"es"}
    _extract(copy, languages)
    yield copy
    shutil.rmtree(copy, ignore_errors=True)


def test_every_string_marked_for_translation_is_in_the_committed_catalogs(extracted):
    missing = missing_from_catalogs(extracted)
    assert not missing, (
        "Strings marked for translation but missing from the catalogs: run `make catalogs`, translate them, then "
        "`make messages`.\n" + "\n".join(f"{path}: {', '.join(labels)}" for path, labels in missing.items())
    )


def test_a_newly_marked_string_would_be_named(extracted, tmp_path):
    """The comparison above fails on a string the catalogs lack: a committed catalog with one entry taken out."""
    relative = Path("notifications/locale/es/LC_MESSAGES/django.po")
    text = (ROOT / relative).read_text(encoding="utf-8")
    entry = '#: notifications/messages.py\nmsgid "Time for your exercises"\nmsgstr "Es hora de sus ejercicios"\n\n'
    assert entry in text
    shrunk = tmp_path / relative
    shrunk.parent.mkdir(parents=True)
    shrunk.write_text(text.replace(entry, ""), encoding="utf-8")
    for other in catalogs():
        if other.relative_to(ROOT) != relative:
            target = tmp_path / other.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(other, target)

    assert missing_from_catalogs(extracted, root=tmp_path) == {relative.as_posix(): ["'Time for your exercises'"]}


# --- 3. Dates, times and numbers in the reader's language -------------------------------------------------------------


def test_spanish_dates_times_and_numbers_use_the_spanish_formats():
    day, nine, amount = dt.date(2026, 6, 3), dt.time(9, 0), Decimal("1234.5")
    with translation.override("es"):
        assert day_month(day) == "3 de junio"
        assert weekday_day_month(day) == "miércoles 3 de junio"
        assert date_format(day) == "3 de junio de 2026"
        assert time_format(nine) == "09:00"
        # Spanish groups thousands with a (non-breaking) space and uses a decimal comma.
        assert number_format(amount, decimal_pos=1, force_grouping=True) == "1\xa0234,5"
    with translation.override("en"):
        assert day_month(day) == "June 3"
        assert weekday_day_month(day) == "Wednesday, June 3"
        assert time_format(nine) == "9 a.m."
        assert number_format(amount, decimal_pos=1, force_grouping=True) == "1,234.5"
