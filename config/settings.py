"""Settings for every environment, driven by environment variables only.

Every variable read here is listed in the README's configuration table. With nothing set, the project runs for
development (SQLite, Redis on localhost, console email). Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL at least; `manage.py check --deploy` then reports nothing.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

# Lets the typed generics of django-stubs (ModelAdmin[Model] and friends) work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def refuse_to_start(message: str) -> NoReturn:
    """Stop the process that is loading the settings (manage.py, gunicorn, celery) with one line and no traceback.

    Exit status 4 is gunicorn's "app failed to load": its master stops instead of starting workers again and again.
    The line never repeats the variable's value, which may hold a password or a key.
    """
    sys.stderr.write(f"Configuration error: {message}\n")
    sys.stderr.flush()
    raise SystemExit(4)


def env_url(name: str, default: str = "", *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """An optional URL ("" when unset) whose scheme is one of `schemes` and which names a host; else refuse to start."""
    value = os.environ.get(name, default).strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        scheme, host = parts.scheme.lower(), parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        scheme, host = "", None
    if scheme not in schemes or not host:
        refuse_to_start(
            f"{name} is not a URL of the form {schemes[0]}://host/...; accepted schemes: {', '.join(schemes)}."
        )
    return value


def env_database(name: str, default: str) -> dict[str, Any]:
    """Django's database settings from a database URL (dj-database-url); an unknown scheme refuses to start."""
    value = os.environ.get(name, "").strip() or default
    try:
        return dict(
            dj_database_url.parse(value, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True)
        )
    except dj_database_url.UnknownSchemeError as exc:
        if "://" in value and exc.scheme.isidentifier():
            known = ", ".join(s for s in ("postgres", "postgresql", "sqlite") if s in dj_database_url.ENGINE_SCHEMES)
            refuse_to_start(f"{name} has an unknown scheme '{exc.scheme}'; use {known} (e.g. postgres://host/mild).")
        refuse_to_start(f"{name} is not a database URL (e.g. postgres://user@host:5432/mild).")
    except ValueError:
        refuse_to_start(f"{name} is not a database URL (e.g. postgres://user@host:5432/mild).")


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TESTING", False)

# Outside development and tests, no process starts without SECRET_KEY, so a server never runs on a guessable key. A
# build step that signs nothing (collectstatic, migrate, check) may set ALLOW_MISSING_SECRET_KEY=true instead: the key
# then stays empty and Django refuses anything that signs ("The SECRET_KEY setting must not be empty").
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and (DEBUG or TESTING):
    SECRET_KEY = "development-only-secret-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
elif not SECRET_KEY and not env_bool("ALLOW_MISSING_SECRET_KEY", False):
    refuse_to_start(
        "SECRET_KEY is not set. Set it to a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))'); "
        "a build step that signs nothing may set ALLOW_MISSING_SECRET_KEY=true instead."
    )

# Error reporting (optional): a Sentry DSN, https://<key>@<host>/<project id>. A malformed value refuses to start.
SENTRY_DSN = env_url("SENTRY_DSN")
if SENTRY_DSN and not (urlsplit(SENTRY_DSN).username and urlsplit(SENTRY_DSN).path.strip("/")):
    refuse_to_start("SENTRY_DSN has no key or no project id; it looks like https://<key>@<host>/<project id>.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address of the app, used in links we send (invitations, password reset, unsubscribe).
APP_URL = env_str("APP_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "allauth.mfa",
    "axes",
    "accounts",
    "recovery",
    "exercises",
    "journey",
    "dashboards",
    "notifications",
    "interop",
    "web",
]

MIDDLEWARE = [
    "accounts.request_id.RequestIdMiddleware",
    # Refuses, for every endpoint, JSON nested too deep to parse safely and NUL characters (400).
    "accounts.input_guard.InputGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language before sign-in; a signed-in person's own language is activated by API authentication.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns a locked-out admin login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------------
# PostgreSQL is the database of record. Without DATABASE_URL, `make run` uses a local SQLite file.
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` writes from the web server, the Celery worker and beat's tasks at once. SQLite allows one writer at a
    # time: WAL lets readers go on while one writes; a transaction takes the write lock when it begins (IMMEDIATE),
    # so it waits for it (up to `timeout` seconds) instead of failing with "database is locked" when it upgrades
    # from reading to writing after another process wrote. That also serializes the claims that PostgreSQL makes
    # with SELECT ... FOR UPDATE SKIP LOCKED, which SQLite ignores.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, cache, rate limits --------------------------------------------------------------------------------
# An empty REDIS_URL means "no Redis": the cache falls back to files under var/ (only `make run` does this, when no
# Redis answers; see bin/devserver).
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: with Redis down, reads find nothing and writes do nothing (throttles allow, with a warning).
            "BACKEND": "accounts.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "mild"),
            # A Redis that cannot be reached costs one request a connection attempt (refused at once, or 2 s), then
            # is not tried for a few seconds (accounts.cache); a slow one is waited for up to 5 s.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / "var" / "cache"),
        }
    }

# --- Celery -----------------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = BASE_DIR / "var" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
else:
    # With acks_late, a message a dead worker held is redelivered after the visibility timeout. Tasks here are short
    # and idempotent, so a few minutes is safe and keeps recovery after a crash quick.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
        "socket_connect_timeout": 2,
        "socket_timeout": 10,
    }
# A web request that queues a task (e.g. an immediate alert dispatch) gives up within about a second when the broker
# cannot be reached: the work is already a database row, and the next tick sends it.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# Two queues: emergency and urgent alerts' deliveries on their own (a worker of their own consumes it: Procfile
# `alerts`), everything else (reminders, digests, rules, exports) on the default one (Procfile `worker`). A worker
# started without -Q consumes both.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_ALERTS_QUEUE = "alerts"
CELERY_TASK_QUEUES = {
    name: {"exchange": name, "routing_key": name} for name in (CELERY_TASK_DEFAULT_QUEUE, CELERY_ALERTS_QUEUE)
}
CELERY_TASK_ROUTES = {"notifications.tasks.alert_deliveries_dispatch": {"queue": CELERY_ALERTS_QUEUE}}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int("CELERY_PREFETCH_MULTIPLIER", 1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 90)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule"))
# The beat schedule lives here, in code. Exactly one beat process runs in production; the tasks it starts are safe to
# run twice all the same.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # No check-in for 3 days, milestone overdue, milestone window opened: judged in each patient's own zone.
    "recovery-time-rules": {"task": "recovery.tasks.recovery_time_rules_dispatch", "schedule": 15 * 60},
    # Plans reminders that came due in each person's zone, escalations and digests; then dispatches.
    "notifications-tick": {"task": "notifications.tasks.notifications_tick", "schedule": 60},
    # Deletes delivered notifications past NOTIFICATION_RETENTION_DAYS, in batches; hourly keeps each run short.
    "notifications-retention": {"task": "notifications.tasks.notifications_retention_purge", "schedule": 60 * 60},
    # FHIR bulk export files past FHIR_EXPORT_TTL_HOURS are deleted, with their jobs.
    "fhir-exports-purge": {"task": "interop.tasks.fhir_exports_purge", "schedule": 15 * 60},
}
RECOVERY_RULES_CHUNK_SIZE = env_int("RECOVERY_RULES_CHUNK_SIZE", 500)

# --- FHIR bulk export -------------------------------------------------------------------------------------------------
# NDJSON files of $export jobs are written under this directory (one folder per job) and kept this many hours.
FHIR_EXPORT_DIR = env_str("FHIR_EXPORT_DIR", str(BASE_DIR / "var" / "fhir-exports"))
FHIR_EXPORT_TTL_HOURS = env_int("FHIR_EXPORT_TTL_HOURS", 24)
# Rows read per database round trip (server-side cursor) and lines written between heartbeats.
FHIR_EXPORT_BATCH_SIZE = env_int("FHIR_EXPORT_BATCH_SIZE", 2000)
# An export of a large clinic runs longer than ordinary tasks: its own time limit (seconds).
FHIR_EXPORT_TIME_LIMIT = env_int("FHIR_EXPORT_TIME_LIMIT", 3600)
# A running export whose heartbeat stopped this long ago (its worker died) is started again by the next delivery.
FHIR_EXPORT_STALE_SECONDS = env_int("FHIR_EXPORT_STALE_SECONDS", 600)

# --- Notification delivery ------------------------------------------------------------------------------------------
# Reminders whose local time passed less than this long ago are still sent (e.g. after a short outage); older are not.
REMINDER_LOOKBACK_MINUTES = env_int("REMINDER_LOOKBACK_MINUTES", 120)
# Unacknowledged emergency and urgent alerts escalate to the rest of the care team and the clinic admins.
ALERT_ESCALATION_MINUTES = {
    "emergency": env_int("ALERT_ESCALATION_EMERGENCY_MINUTES", 30),
    "urgent": env_int("ALERT_ESCALATION_URGENT_MINUTES", 4 * 60),
}
DELIVERY_CLAIM_BATCH = env_int("DELIVERY_CLAIM_BATCH", 5000)
DELIVERY_CHUNK_SIZE = env_int("DELIVERY_CHUNK_SIZE", 500)
DELIVERY_MAX_BATCHES_PER_TICK = env_int("DELIVERY_MAX_BATCHES_PER_TICK", 100)
DELIVERY_MAX_ATTEMPTS = env_int("DELIVERY_MAX_ATTEMPTS", 6)
# A queued or sending delivery untouched for this long is taken back by the next dispatcher (its worker died).
DELIVERY_STALE_SECONDS = env_int("DELIVERY_STALE_SECONDS", 300)

# --- Retention ------------------------------------------------------------------------------------------------------
# Finished deliveries and inbox items older than this are deleted (except those about an alert still open). The PHI
# access log is never deleted by the application (README, "Backups and retention").
NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 180)
# Rows deleted per transaction by the retention task.
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 1000)

# --- Authentication ---------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # allauth's, loading the user's clinic and patient profile with the user (accounts.backends).
    "accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# People join by invitation only; the invitation proves the address, so no separate verification step.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Failed sign-ins: at most 10 a minute from one address, and 5 per account in 15 minutes; then 429 until it passes.
ACCOUNT_RATE_LIMITS = {"login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/15m/key")}
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("REAUTHENTICATION_TIMEOUT", 5 * 60)
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("browser", "app")
# App session tokens end with the session's role-based idle deadline (SESSION_IDLE_TIMEOUT_*).
HEADLESS_TOKEN_STRATEGY = "accounts.authentication.IdleExpiringSessionTokenStrategy"  # noqa: S105 (a class path)
HEADLESS_FRONTEND_URLS = {
    "account_reset_password_from_key": f"{APP_URL}/app/reset-password#key={{key}}",
    "account_reset_password": f"{APP_URL}/app/reset-password",
    "account_signup": f"{APP_URL}/app/invitation",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "MILD Recovery")
# When true, clinicians and clinic admins must have an authenticator app set up before the API serves them.
REQUIRE_STAFF_MFA = env_bool("REQUIRE_STAFF_MFA", False)

# Idle sessions expire: staff see many patients' records on shared screens, patients use their own phone.
SESSION_IDLE_TIMEOUT_STAFF = env_int("SESSION_IDLE_TIMEOUT_STAFF", 30 * 60)
SESSION_IDLE_TIMEOUT_PATIENT = env_int("SESSION_IDLE_TIMEOUT_PATIENT", 30 * 24 * 60 * 60)
SESSION_COOKIE_AGE = max(SESSION_IDLE_TIMEOUT_STAFF, SESSION_IDLE_TIMEOUT_PATIENT)
# Sessions (and allauth's app session tokens, which name a session) live in the database only: a Redis outage signs
# nobody out, and a session ended while Redis was down cannot come back from a stale cache when it returns.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

INVITATION_TTL = timedelta(days=env_int("INVITATION_TTL_DAYS", 7))
# How many days back a patient may add a missed check-in (e.g. after a few days offline).
CHECKIN_BACKFILL_DAYS = env_int("CHECKIN_BACKFILL_DAYS", 7)

# django-axes guards the Django admin sign-in; API sign-in is rate limited by allauth (ACCOUNT_LOGIN_ATTEMPTS_*).
AXES_ONLY_ADMIN_SITE = True
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# --- Security ---------------------------------------------------------------------------------------------------------
# How many proxies in front of the web processes append to X-Forwarded-For. 0: the socket's address is the client's
# and X-Forwarded-For is ignored (anyone can write it). N: the N-th address from the right. One notion of the client
# address for throttles, allauth's rate limits, django-axes and the PHI access log (accounts.phi.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "accounts.phi.client_ip"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", True) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)?$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or TESTING) else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Swagger UI sets style attributes from its script; styles cannot run code.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Request bodies above this size are refused with 400 before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BODY_BYTES", 64 * 1024)

# --- REST API ---------------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.SessionTokenAuthentication",
        # The PWA's session cookie; unsafe methods need the CSRF token.
        "accounts.authentication.LanguageSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.permissions.StaffMFASatisfied",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["accounts.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "accounts.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Per user and per client address, checked and counted in one Redis round trip.
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.UserAndIPThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("THROTTLE_USER_RATE", "600/min"),
        "ip": env_str("THROTTLE_IP_RATE", "1200/min"),
        "invitation_accept": env_str("THROTTLE_INVITATION_ACCEPT_RATE", "10/min"),
    },
    "EXCEPTION_HANDLER": "accounts.errors.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # No OPTIONS self-description: the OpenAPI schema describes the API, and DRF's SimpleMetadata answers 500 for any
    # write view without a serializer_class (it instantiates one to list the fields). OPTIONS is a 405.
    "DEFAULT_METADATA_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
PAGE_SIZE_MAX = 200
SPECTACULAR_SETTINGS = {
    "TITLE": "MILD Recovery API",
    "DESCRIPTION": (
        "Recovery tracking after minimally invasive lumbar decompression (MILD). Sign in through the allauth headless "
        "endpoints under /_allauth/; browser clients then use the session cookie with CSRF, app clients send the "
        "X-Session-Token header."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "accounts.models.Role.choices",
        "StaffRoleEnum": "accounts.models.STAFF_ROLE_CHOICES",
        "InstrumentEnum": "recovery.serializers.INSTRUMENT_CHOICES",
        "NotificationKindEnum": "notifications.models.Kind.choices",
        "MilestoneKindEnum": "recovery.models.MilestoneKind.choices",
        "ExerciseKindEnum": "exercises.models.ExerciseKind.choices",
        "AlertStateEnum": "recovery.models.AlertState.choices",
        "AlertTierEnum": "recovery.models.Tier.choices",
        "InterruptingTierEnum": ["emergency", "urgent"],
        "AnswerEnum": "recovery.models.Answer.choices",
        "RiskFactorEnum": "recovery.risk.RISK_FACTOR_KEYS",
        "ScreeningOutcomeEnum": "recovery.models.ScreeningOutcome.choices",
        "ScreeningStatusEnum": "recovery.models.SCREENING_STATUSES",
        "ProcedureStatusEnum": "recovery.models.ProcedureStatus.choices",
        "AdverseEventKindEnum": "recovery.models.AdverseEventKind.choices",
        "JourneyStageEnum": "journey.content.education_default.STAGES",
        "AdverseEventOutcomeEnum": "recovery.models.AdverseEventOutcome.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "accounts.schema.document_error_responses",
        "accounts.schema.refuse_undeclared_properties",
        "accounts.schema.refuse_nul_characters",
    ],
}

# --- Email ------------------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MILD Recovery <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Web Push ---------------------------------------------------------------------------------------------------------
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:support@localhost")
# We send requests to the endpoints browsers register, so only these push services (https, port 443) are accepted.
# "host:port" allows another port (tests point this at a local push server).
WEBPUSH_ALLOWED_HOSTS = env_list(
    "WEBPUSH_ALLOWED_HOSTS",
    "fcm.googleapis.com,updates.push.services.mozilla.com,*.push.services.mozilla.com,*.notify.windows.com,"
    "web.push.apple.com,*.push.apple.com",
)
WEBPUSH_CA_BUNDLE = env_str("WEBPUSH_CA_BUNDLE") or None
WEBPUSH_TIMEOUT_SECONDS = env_int("WEBPUSH_TIMEOUT_SECONDS", 10)
EMAIL_MESSAGE_ID_DOMAIN = env_str("EMAIL_MESSAGE_ID_DOMAIN", "mild-recovery.local")

# --- Internationalisation and time ------------------------------------------------------------------------------------
# Patient-facing text is offered in these languages; each person's own is User.language (accounts.languages).
# Before sign-in the browser's Accept-Language chooses (LocaleMiddleware). Catalogs live in each app's locale/ and
# are compiled by `make messages` (run by `make run` and `make test`).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Logging ----------------------------------------------------------------------------------------------------------
# One JSON object per line in production, readable text in development (LOG_FORMAT overrides). Every line carries the
# request id (and a Celery task's id); URLs lose their query strings and link tokens, exceptions their messages, and
# only ids, counts and a few named fields are logged as extras (see config/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "config.logs.LogContextFilter"},
        "redact": {"()": "config.logs.RedactFilter"},
    },
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"()": "config.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["context", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers go: its console handler prints unredacted in DEBUG, and mail_admins would email
        # tracebacks with request details. Its records reach the root handler above instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # runserver's request lines carry the raw URL: through the redacting handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # One line per request comes from mild.request (accounts.request_id); Django's 4xx warnings repeat it.
        "django.request": {"level": "ERROR"},
    },
}

# --- Error reporting --------------------------------------------------------------------------------------------------
# Optional: with SENTRY_DSN set, errors of the web and worker processes go to Sentry, scrubbed of patient data and
# secrets (config/sentry.py). SENTRY_DSN is read and checked near the top of this file.
if SENTRY_DSN:
    from config.sentry import sentry_init

    sentry_init(SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"), release=env_str("SENTRY_RELEASE"))
