import os

from django.apps import AppConfig
from django.urls import get_resolver
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV


class WebConfig(AppConfig):
    """The progressive web app: the app shell, its service worker and its manifest. No models."""

    name = "web"
    verbose_name = "Web app"

    def ready(self) -> None:
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            import_urlconf_before_the_dev_server_threads()


def import_urlconf_before_the_dev_server_threads() -> None:
    """In the process `runserver` reloads, two threads start at once: one runs the system checks and then serves, the
    other (the file watcher) imports the URLconf. The checks import much of what the URLconf imports (the cache backend,
    and with it redis-py). Two threads importing a package whose modules import each other (redis.commands imports
    redis) can end in "cannot import name ... from partially initialized module", and the web server never starts.
    Imported here, while the process has one thread, the URLconf and all it pulls in are already loaded when they
    start. This is the last app, so every other app is ready (the admin has found its modules).
    """
    get_resolver().urlconf_module  # noqa: B018 (the import is the point)
