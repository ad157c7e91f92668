"""Settings for the supply-chain transparency site.

One module, read from the environment through ``supplychain.env``. With no environment at all the site runs
on the embedded default: DEBUG on, an SQLite file, Celery tasks run eagerly in-process, a local-memory cache
and uploads under ``media/``. Setting ``DATABASE_URL``, ``CELERY_BROKER_URL``/``REDIS_URL`` and
``DJANGO_DEBUG=False`` switches to the production-style set-up; nothing else changes.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from supplychain.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env_secret("DJANGO_SECRET_KEY", default="dev-only-not-secret-" + "x" * 40 if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "disclosures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "supplychain.urls"
WSGI_APPLICATION = "supplychain.wsgi.application"
ASGI_APPLICATION = "supplychain.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "disclosures.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in production) or the embedded SQLite file.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", default=60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and broker: Redis when configured, in-process otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "supplychain"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# pdfium is not thread-safe: keep the prefork pool; recycle a child that grew past ~400 MB (PDF bombs).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", default=400_000, minimum=50_000)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env_int("DISCLOSURE_TASK_TIME_LIMIT", default=120, minimum=5)
CELERY_TASK_SOFT_TIME_LIMIT = max(CELERY_TASK_TIME_LIMIT - 10, 3)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", default=600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "America/Los_Angeles"
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-disclosures": {
        "task": "disclosures.tasks.disclosure_requeue_stale_task",
        "schedule": 300.0,
    },
    "expire-certifications-daily": {
        "task": "disclosures.tasks.certification_expire_due_task",
        "schedule": crontab(hour=1, minute=5),
    },
    "notify-watchlists-daily": {
        "task": "disclosures.tasks.watchlist_notify_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "recheck-company-homepages-monthly": {
        "task": "disclosures.tasks.company_homepage_recheck_all_task",
        "schedule": crontab(day_of_month=1, hour=3, minute=0),
    },
    "snapshot-open-data-daily": {
        "task": "disclosures.tasks.open_data_snapshot_task",
        "schedule": crontab(hour=2, minute=30),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", default=10, minimum=1)
LOGIN_MAX_FAILURES_PER_IP = env_int("LOGIN_MAX_FAILURES_PER_IP", default=100, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", default=900, minimum=1)
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "search:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "disclosures" / "locale"]
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")) or BASE_DIR / "media")
# Uploaded files are never served from MEDIA_URL (no URL pattern routes it): originals are downloaded
# through views that check permissions and force ``Content-Disposition: attachment`` and a safe type.
MEDIA_URL = "/media/"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@supplychain.example")

# Product limits (DESIGN.md §7).
DISCLOSURE_MAX_UPLOAD_BYTES = env_int("DISCLOSURE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024, minimum=1024)
DISCLOSURE_MAX_PAGES = env_int("DISCLOSURE_MAX_PAGES", default=500, minimum=1)
DISCLOSURE_MAX_TEXT_CHARS = env_int("DISCLOSURE_MAX_TEXT_CHARS", default=5_000_000, minimum=1000)
# Address space one extraction may add in its forked child; a PDF bomb hits this and fails as "bomb".
DISCLOSURE_EXTRACT_MEMORY_MB = env_int("DISCLOSURE_EXTRACT_MEMORY_MB", default=768, minimum=64)
DISCLOSURE_STALE_AFTER_SECONDS = env_int("DISCLOSURE_STALE_AFTER_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
URL_FETCH_ALLOW_PRIVATE = env_bool("URL_FETCH_ALLOW_PRIVATE", default=False)
# Exact IPs exempt from the private-address rule (an internal mirror, a test server); every other address is checked.
URL_FETCH_ALLOW_ADDRESSES = env_list("URL_FETCH_ALLOW_ADDRESSES", default=[])
# Brand search: how often each process checks whether brands or scores changed, and from what size the index
# is rebuilt in a background thread instead of on the spot.
SEARCH_INDEX_CHECK_SECONDS = env_int("SEARCH_INDEX_CHECK_SECONDS", default=1, minimum=0)
SEARCH_INDEX_BACKGROUND_MIN_ENTRIES = env_int("SEARCH_INDEX_BACKGROUND_MIN_ENTRIES", default=50_000, minimum=0)
URL_FETCH_TIMEOUT_SECONDS = env_int("URL_FETCH_TIMEOUT_SECONDS", default=15, minimum=1)
URL_FETCH_MAX_REDIRECTS = env_int("URL_FETCH_MAX_REDIRECTS", default=5, minimum=0)
# Form bodies other than files (pasted disclosure text) up to 5 MB; files are capped by the handler below.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "disclosures.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

REGISTRY_SIGNING_KEY = env_secret("REGISTRY_SIGNING_KEY")  # base64 Ed25519 private key; derived in DEBUG
RECRUITMENT_COMMITMENTS_REQUIRED = env_bool("RECRUITMENT_COMMITMENTS_REQUIRED", default=False)
OPEN_DATA_DIR = Path(env_str("OPEN_DATA_DIR", str(MEDIA_ROOT / "open-data")) or MEDIA_ROOT / "open-data")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "disclosures.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "disclosures.api.throttling.FixedWindowAnonThrottle",
        "disclosures.api.throttling.FixedWindowUserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "600/minute"),
        "user": env_str("API_USER_RATE", "3000/minute"),
    },
    "EXCEPTION_HANDLER": "disclosures.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Supply-chain transparency API",
    "DESCRIPTION": "California Transparency in Supply Chains Act disclosures, scores and the contractor "
    "certification registry.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's assets come from our own static files (the machines have no internet and the CSP allows
    # scripts from 'self' only); api/urls.py serves its start-up script as a file, not inline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Security headers. HTTPS settings are on by default when DEBUG is off; each can be switched by env.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
if env_bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
