"""The app's texts per language: Django's JSON catalog of the web app's djangojs domain at a stable URL per language,
kept by the service worker, and complete (every text the app marks has its Spanish)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
APP_SOURCES = [*sorted((ROOT / "web" / "static" / "web").rglob("*.js")), ROOT / "web" / "serviceworker" / "sw.js"]
CATALOG = ROOT / "web" / "locale" / "es" / "LC_MESSAGES" / "djangojs.po"
# gettext("...") / gettext_noop('...') / ngettext("...", "...", n): the literal texts the app marks.
MARKED = re.compile(r"""\b(?:gettext|gettext_noop|ngettext)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def _po_entries(path: Path) -> dict[str, list[str]]:
    """msgid -> its msgstr (or msgstr[n]) texts, from a .po file (the header left out)."""
    entries: dict[str, list[str]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        msgid: list[str] = []
        strings: list[list[str]] = []
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            found = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$", line)
            if found:
                current = msgid if found.group(1) == "msgid" else [] if found.group(1) == "msgid_plural" else None
                if current is None:
                    strings.append([])
                    current = strings[-1]
                current.append(json.loads(found.group(2)))
            elif line.startswith('"') and current is not None:
                current.append(json.loads(line))
        key = "".join(msgid)
        if key:
            entries[key] = ["".join(parts) for parts in strings]
    return entries


def test_every_text_the_app_marks_has_its_spanish():
    marked: dict[str, str] = {}
    for source in APP_SOURCES:
        for found in MARKED.finditer(source.read_text(encoding="utf-8")):
            text = found.group(1) if found.group(1) is not None else found.group(2)
            text = text.replace('\\"', '"').replace("\\'", "'")
            marked.setdefault(text, source.relative_to(ROOT).as_posix())
    catalog = _po_entries(CATALOG)

    not_extracted = sorted(f"{where}: {text!r}" for text, where in marked.items() if text not in catalog)
    untranslated = sorted(text for text, strings in catalog.items() if not all(s.strip() for s in strings))

    assert len(marked) > 300, "the app's texts are marked with gettext"
    assert not not_extracted, "Not in web/locale/es/LC_MESSAGES/djangojs.po (run `make catalogs`):\n" + "\n".join(
        not_extracted
    )
    assert not untranslated, "No Spanish yet in djangojs.po:\n" + "\n".join(untranslated)


def test_spanish_keeps_the_placeholders_of_each_text():
    for text, strings in _po_entries(CATALOG).items():
        wanted = sorted(re.findall(r"%\(\w+\)s", text))
        for translated in strings:
            assert sorted(re.findall(r"%\(\w+\)s", translated)) == wanted, (text, translated)


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_the_catalog_of_each_offered_language_is_json_at_a_stable_url(db, client, code):
    response = client.get(f"/app/i18n/{code}.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Language"] == code
    assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    body = response.json()
    assert set(body) >= {"catalog", "formats", "plural"}
    if code == "es":
        assert body["catalog"]["Today"] == "Hoy"
        assert body["catalog"]["%(count)s minute"] == ["%(count)s minuto", "%(count)s minutos"]
    else:
        # English is the language the texts are written in: nothing to look up.
        assert body["catalog"] == {}
    # The same document again, revalidated by its ETag, costs nothing
    again = client.get(f"/app/i18n/{code}.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("code", ["fr", "xx", "ES", "es-MX", "en-us"])
def test_a_language_that_is_not_offered_has_no_catalog(db, client, code):
    response = client.get(f"/app/i18n/{code}.json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_service_worker_keeps_every_languages_catalog_for_offline_use(db, client):
    source = client.get("/sw.js").content.decode()

    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", source).group(1))
    assert {f"/app/i18n/{code}.json" for code, _name in settings.LANGUAGES} <= set(precache)


def test_a_new_translation_is_a_new_version_of_the_app(tmp_path, monkeypatch):
    from web import views

    before = views._compute_version()
    locale = tmp_path / "locale" / "es" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "djangojs.po").write_text(CATALOG.read_text(encoding="utf-8") + '\nmsgid "Extra"\nmsgstr "Más"\n')
    monkeypatch.setattr(views, "CATALOG_SOURCES", tmp_path / "locale")

    assert views._compute_version() != before
