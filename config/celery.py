"""The Celery application. Settings come from Django's settings under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

from config.logs import task_finished, task_started

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("mild")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every task logs its id (on each of its lines) and the ids it works on.
task_prerun.connect(task_started, weak=False)
task_postrun.connect(task_finished, weak=False)
