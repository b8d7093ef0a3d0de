"""The PWA's pages: one app shell for every client-side route under /app/, the service worker and the manifest.

The shell is the same HTML for every screen; the JavaScript router picks the screen from the URL. It holds no patient
data, so the service worker may keep a copy for offline use. Data reaches the app through the JSON API only.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe
from django.views.i18n import JSONCatalog

from accounts.languages import language_of, offered
from accounts.models import User

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
SERVICE_WORKER = WEB_DIR / "serviceworker" / "sw.js"
SHELL_TEMPLATE = WEB_DIR / "templates" / "web" / "app.html"
# The app's texts in each language (the source of the JSON catalogs): a new translation is a new shell version.
CATALOG_SOURCES = WEB_DIR / "locale"

# The app's name as the phone shows it under its icon (translated in the manifest).
APP_NAME = gettext_noop("MILD Recovery")
THEME_COLOUR = "#0b4f6c"
BACKGROUND_COLOUR = "#ffffff"
# (file under static/, size, purpose) as the manifest lists them.
ICONS = (
    ("web/icons/icon-192.png", 192, "any"),
    ("web/icons/icon-512.png", 512, "any"),
    ("web/icons/icon-maskable-512.png", 512, "maskable"),
)


def _shell_files() -> list[str]:
    """Every static file of the app (paths as given to `static()`), in a stable order."""
    return sorted(
        path.relative_to(STATIC_DIR).as_posix()
        for path in (STATIC_DIR / "web").rglob("*")
        if path.is_file() and not path.name.startswith(".")
    )


def _compute_version() -> str:
    """A digest of everything the shell is made of: any change to a file gives a new cache (and a new worker)."""
    digest = hashlib.sha256()
    for name in _shell_files():
        digest.update(name.encode())
        digest.update((STATIC_DIR / name).read_bytes())
    digest.update(SHELL_TEMPLATE.read_bytes())
    for po in sorted(CATALOG_SOURCES.rglob("djangojs.po")):
        digest.update(po.read_bytes())
    digest.update(SERVICE_WORKER.read_bytes())
    return digest.hexdigest()[:16]


_cached_version = functools.cache(_compute_version)


def shell_version() -> str:
    # In development files change under a running server; elsewhere they are fixed at deploy time.
    return _compute_version() if settings.DEBUG else _cached_version()


def _precache_urls() -> list[str]:
    """What the service worker stores at install: the shell page, the manifest and every static file.

    Both the storage's URL (hashed in production) and the plain one are listed: the page loads its entry files by the
    storage's URL, and ES modules import each other by relative, plain URLs.
    """
    urls = ["/app/", "/app/manifest.webmanifest"]
    # Every language's catalog: a person who changes language offline still gets the app in words they read.
    urls += [catalog_url(code) for code, _name in offered()]
    for name in _shell_files():
        urls.append(static(name))
        urls.append(f"{settings.STATIC_URL}{name}")
    return list(dict.fromkeys(urls))


def catalog_url(code: str) -> str:
    return f"/app/i18n/{code}.json"


class AppCatalog(JSONCatalog):
    """The app's texts in one language, as JSON ({"catalog", "formats", "plural"}), from web/locale's djangojs domain.

    The language is in the URL (not the request's), so each URL always answers the same document: the service worker
    keeps a copy of each for offline use, and HTTP caches revalidate it by its ETag.
    """

    domain = "djangojs"
    packages = ["web"]

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        code = str(kwargs.get("language", ""))
        if code not in dict(offered()):
            raise Http404("This language is not offered.")
        with translation.override(code):
            response = super().get(request)
        response["Content-Language"] = code
        response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        patch_cache_control(response, public=True, no_cache=True)
        return get_conditional_response(request, etag=response["ETag"], response=response) or response


app_catalog = require_safe(AppCatalog.as_view())


@require_safe
@ensure_csrf_cookie
def app_shell(request: HttpRequest, path: str = "") -> HttpResponse:
    """Every screen of the app (/app/ and its client-side routes). Sets the CSRF cookie the API client sends back."""
    response = render(request, "web/app.html", {"theme_colour": THEME_COLOUR, "version": shell_version()})
    # Always revalidated: the service worker fetches it network-first and keeps the last copy for offline use.
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site root so it may control /app/. Never cached by HTTP: browsers check it for
    updates on each visit, and a new version of the shell means a new worker."""
    source = SERVICE_WORKER.read_text(encoding="utf-8")
    source = source.replace("__SHELL_VERSION__", shell_version()).replace(
        "__PRECACHE_URLS__", json.dumps(_precache_urls())
    )
    source = source.replace("__STATIC_URL__", json.dumps(settings.STATIC_URL))
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/app/"
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what a phone needs to install the app on its home screen, in the reader's language (the
    signed-in person's own; before sign-in, the browser's, as LocaleMiddleware chose it). The page asks for it with
    its cookies (crossorigin="use-credentials"), so a signed-in person's session reaches it."""
    user = request.user
    code = language_of(user) if isinstance(user, User) else translation.get_language()
    with translation.override(code):
        body = _manifest_body(translation.get_language() or settings.LANGUAGE_CODE)
    response = HttpResponse(json.dumps(body, indent=2), content_type="application/manifest+json")
    response["Content-Language"] = body["lang"]
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    patch_cache_control(response, no_cache=True)
    return response


def _manifest_body(code: str) -> dict[str, Any]:
    return {
        "id": "/app/",
        "name": gettext(APP_NAME),
        "short_name": gettext("Recovery"),
        "description": gettext("Your daily check-in, exercises and progress after the MILD procedure."),
        "lang": code,
        "dir": "ltr",
        "start_url": "/app/",
        "scope": "/app/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["health", "medical"],
        "icons": [
            {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for path, size, purpose in ICONS
        ],
    }
