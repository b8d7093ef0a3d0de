"""gunicorn's settings for the web process (`gunicorn -c config/gunicorn.py config.wsgi:application`).

Every value can be set from the environment; command-line options override this file. The access log is redacted by
config.logs.GunicornLogger: the path without its query string, link tokens replaced, no cookies or session tokens; one
JSON object per line unless LOG_FORMAT=text.

Importing the settings here checks the environment once, in gunicorn's master process: a missing SECRET_KEY or a
malformed DATABASE_URL or SENTRY_DSN stops gunicorn with one line (see refuse_to_start in config/settings.py) instead
of every worker failing in turn.
"""

import importlib
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104 (behind the load balancer)
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Requests are answered after the proxy's X-Forwarded-Proto is trusted only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = "config.logs.GunicornLogger"
# No control socket: several gunicorns on one host (or a test run) would share its default path; we do not use it.
control_socket_disable = True
# Used when LOG_FORMAT=text; the atoms are already redacted (%(r)s and %(U)s carry no query string).
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s "%(a)s"'
