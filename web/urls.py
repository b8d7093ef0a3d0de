"""The app's pages (included from config/urls.py at the site root)."""

from django.urls import path, re_path
from django.views.generic import RedirectView

from web import views

app_name = "web"

urlpatterns = [
    path("", RedirectView.as_view(url="/app/", permanent=False), name="root"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("app/manifest.webmanifest", views.manifest, name="manifest"),
    path("app/", views.app_shell, name="app"),
    # The app's texts per language (JSON), e.g. /app/i18n/es.json; 404 for a language that is not offered.
    path("app/i18n/<str:language>.json", views.app_catalog, name="catalog"),
    # Client-side routes (/app/checkin, /app/clinician/patients/<id>, ...) all get the same shell.
    re_path(r"^app/(?P<path>.+)$", views.app_shell, name="app-route"),
]
