from django.apps import AppConfig


class WebConfig(AppConfig):
    """The progressive web app: the app shell, its service worker and its manifest. No models."""

    name = "web"
    verbose_name = "Web app"
