"""The app's pages as the server sends them (no browser): a Content-Security-Policy without inline scripts, the
service worker's headers, the manifest and its icons."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders

from accounts.models import User

APP_PAGES = ["/app/", "/app/checkin", "/app/clinician/patients/00000000-0000-0000-0000-000000000000", "/app/invitation"]
WEB_STATIC = Path(__file__).resolve().parent.parent.parent / "web" / "static" / "web"


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", APP_PAGES)
def test_app_pages_carry_a_content_security_policy_without_inline_scripts(db, client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    directives = _directives(response["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("script-src", []) + directives.get("default-src", [])
    assert directives["worker-src"] == ["'self'"] and directives["manifest-src"] == ["'self'"]
    # and the page itself has no inline script and no inline event handler
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(' src="' in tag and 'type="module"' in tag for tag in scripts)
    assert all(not body.strip() for body in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S))
    assert re.search(r"\son[a-z]+\s*=", html) is None


def test_app_page_sets_the_csrf_cookie_and_is_always_revalidated(db, client):
    response = client.get("/app/today")

    assert "csrftoken" in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_site_root_leads_to_the_app(db, client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/app/"


def test_service_worker_is_served_from_the_root_for_the_app_scope_and_never_cached(db, client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/app/"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    source = response.content.decode()
    assert not re.search(r"__[A-Z_]+__", source), "a placeholder was left unfilled"
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", source).group(1))
    assert {"/app/", "/static/web/app.js", "/static/web/app.css", "/static/web/js/outbox.js"} <= set(precache)
    assert re.search(r'const VERSION = "[0-9a-f]{16}";', source)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_manifest_names_the_app_and_its_icons_exist_at_their_sizes(db, client):
    response = client.get("/app/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/app/", "/app/", "standalone")
    purposes = set()
    for icon in manifest["icons"]:
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert found, icon["src"]
        width, height = _png_size(Path(found))
        assert f"{width}x{height}" == icon["sizes"]
        purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    assert _png_size(WEB_STATIC / "icons" / "apple-touch-icon.png") == (180, 180)


MANIFEST = "/app/manifest.webmanifest"


def _manifest(client, accept_language: str) -> tuple[dict[str, Any], Any]:
    response = client.get(MANIFEST, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    return json.loads(response.content), response


def test_before_sign_in_the_manifest_is_in_the_browsers_language(db, client):
    spanish, response = _manifest(client, "es-MX,es;q=0.9,en;q=0.5")
    # The app's name is a name (the app's own catalog keeps it too); the label under the icon is a word
    assert (spanish["lang"], spanish["name"], spanish["short_name"]) == ("es", "MILD Recovery", "Recuperación")
    assert spanish["description"] == "Su registro diario, sus ejercicios y su avance después del procedimiento MILD."
    assert response["Content-Language"] == "es"
    # A shared cache must not give one reader's language to another
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}

    english, response = _manifest(client, "en-US,en;q=0.9")
    assert (english["lang"], english["name"], english["short_name"]) == ("en", "MILD Recovery", "Recovery")
    assert english["description"] == "Your daily check-in, exercises and progress after the MILD procedure."
    assert response["Content-Language"] == "en"
    # Everything but the words is the same in both
    for key in ("name", "short_name", "description", "lang"):
        spanish.pop(key), english.pop(key)
    assert spanish == english


def test_after_sign_in_the_manifest_is_in_the_persons_own_language(cast, client):
    User.objects.filter(pk=cast.alice.pk).update(language="es")
    client.force_login(User.objects.get(pk=cast.alice.pk))
    assert _manifest(client, "en-US,en;q=0.9")[0]["lang"] == "es"

    client.force_login(cast.carol)  # reads English, whatever the browser prefers
    manifest, _response = _manifest(client, "es")
    assert (manifest["lang"], manifest["short_name"]) == ("en", "Recovery")


def test_the_page_sends_its_cookies_with_the_manifest_request(db, client):
    # Browsers fetch a manifest without cookies unless asked, and it would then always be in the browser's language
    html = client.get("/app/").content.decode()
    assert re.search(r'<link rel="manifest" href="/app/manifest.webmanifest" crossorigin="use-credentials">', html)


def test_the_app_never_builds_html_from_strings_or_evaluates_code():
    # What keeps a script-src of 'self' meaningful: no string ever becomes markup or code.
    offenders = [
        f"{path.relative_to(WEB_STATIC)}: {pattern}"
        for path in WEB_STATIC.rglob("*.js")
        for pattern in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")
        if pattern in path.read_text()
    ]
    assert offenders == []


def test_the_service_worker_precaches_every_module_the_app_imports(db, client):
    # Every ES module reachable from app.js by its imports (and what the worker imports itself) opens offline.
    source = client.get("/sw.js").content.decode()
    precache = set(json.loads(re.search(r"const PRECACHE = (\[.*?\]);", source).group(1)))
    reached: set[Path] = set()
    todo = [WEB_STATIC / "app.js"]
    while todo:
        module = todo.pop().resolve()
        if module in reached:
            continue
        reached.add(module)
        for target in re.findall(r'^import (?:[^"]*? from )?"(\.[^"]+)";', module.read_text(), re.MULTILINE):
            todo.append(module.parent / target)
    urls = {f"/static/web/{path.relative_to(WEB_STATIC.resolve()).as_posix()}" for path in reached}

    assert "/static/web/js/screens/clinician/roster.js" in urls  # the import graph was followed
    assert all(path.is_file() for path in reached), sorted(str(p) for p in reached if not p.is_file())
    assert urls <= precache, sorted(urls - precache)
    assert "/static/web/js/outbox.js" in precache  # importScripts of the worker
