"""Settings for Bilim, read from the environment (see README and .env.example).

With no environment at all the site runs on SQLite and a Celery broker that needs no server
(Kombu's filesystem transport under ``var/``). ``DATABASE_URL`` and ``REDIS_URL`` switch to
PostgreSQL and Redis. ``DEBUG`` is off unless asked for; ``make run`` asks for it.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

_DEV_SECRET_KEY = "django-insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for development).")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env.str("SITE_NAME", default="Bilim")


def _development_site_url() -> str:
    """Where `make run` listens (HOST and PORT, as its web process reads them)."""
    host = env.str("HOST", default="") or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 - listening everywhere: use loopback
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{int(env.str('PORT', default='') or 8000)}"


# The site's public address: links in emails, certificates and their QR codes, and the
# issuer's did:web signed into every certificate, so it cannot be corrected afterwards.
# Production must state it; in development it follows HOST and PORT. (Empty counts as unset.)
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
if not SITE_URL and DEBUG:
    SITE_URL = _development_site_url()
if not SITE_URL:
    raise ImproperlyConfigured(
        "Set SITE_URL to the site's public address, e.g. https://bilim.example.org "
        "(or DEBUG=true for development)."
    )
_site = SITE_URL.split("://", 1)  # a scheme, then a host and port with nothing after them
if (
    _site[0] not in {"http", "https"}
    or len(_site) < 2
    or not _site[1]
    or any(character in _site[1] for character in "/?#@ ")
):
    raise ImproperlyConfigured(
        f"SITE_URL must be http:// or https:// and a host, with no path: {SITE_URL!r}."
    )

INSTALLED_APPS = [
    "lms",
    "courses",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "csp",
]

MIDDLEWARE = [
    # Pages are compressed (a lesson page shrinks about 10x); Django's GZipMiddleware pads
    # responses against BREACH. Static files come precompressed from WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lms.middleware.ApiLanguageMiddleware",
    "lms.middleware.RequestSizeMiddleware",  # 413 for a too-large body, in that language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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
                "django.template.context_processors.i18n",
                "lms.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise. Connections persist
# (opening a PostgreSQL connection per request costs ~3 ms and 5x the throughput).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
# A reused connection is checked with SELECT 1 before a request's first query, and opened
# anew if that fails (a restarted server, a terminated backend).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A firewall or NAT that forgets an idle connection tells neither end. Keepalive probes
    # after 60 s of silence keep such middleboxes from forgetting it, and find a dead one
    # within about 70 s; tcp_user_timeout gives up on a query the server's host never
    # acknowledged after 10 s instead of TCP's 15 minutes. Either way the socket fails, and
    # the check at the start of the next request opens a new connection.
    DATABASES["default"]["OPTIONS"] = {
        "keepalives": 1,
        "keepalives_idle": 60,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,  # milliseconds
        **DATABASES["default"].get("OPTIONS", {}),  # what DATABASE_URL says comes first
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, keeping its Redis client; pages work while Redis is down (lms/cache.py)
            "BACKEND": "lms.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bilim",
        }
    }
    # Sessions are read from Redis (a logged-in page no longer queries the session table) and
    # written to both, so they survive a cache flush; with their user, in one round trip
    # (lms/sessions.py: Django's cached_db). Not with the local-memory cache: each process
    # would keep its own copy and miss another's logout.
    SESSION_ENGINE = "lms.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "lms.User"
# The logged-in user is kept in the cache when every process shares it (lms/auth.py).
USER_CACHE = env.bool("USER_CACHE", default=bool(REDIS_URL))
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, finding the logged-in user in the cache (lms/auth.py).
    "lms.auth.ModelBackend",
    "lms.auth.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "lms:home"
LOGIN_URL = "account_login"

# django-allauth: email is the login; verification is mandatory unless DEBUG.
ACCOUNT_ADAPTER = "lms.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "lms.forms.SignupForm"
# Sign-up never says whether an address has an account, whatever the verification mode.
ACCOUNT_FORMS = {"signup": "lms.signup.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated here so they are visible and tunable in one place.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "

EMAIL_CONFIG = env.email_url(
    "EMAIL_URL",
    default="consolemail://" if DEBUG else "smtp://localhost:25",
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Bilim <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# E-mail is written by the request, sent by a worker (lms/mail.py), queued again if unsent.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
EMAIL_RESEND_AFTER = env.int("EMAIL_RESEND_AFTER", default=900)

# Languages: Kyrgyz first. URLs carry the language (/ky/, /ru/, /en/).
LANGUAGE_CODE = "ky"
LANGUAGES = [
    ("ky", _("Kyrgyz")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["lms.formats"]  # Kyrgyz dates: lms/formats/ky/formats.py
LANGUAGE_COOKIE_NAME = "bilim_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Bishkek")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# HTTPS: on by default in production (DEBUG off); set HTTPS=false behind plain HTTP.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, and take the client's address
# from X-Forwarded-For. TRUSTED_PROXY_COUNT is how many proxies of ours append to that header
# (lms/clientip.py); with none, the header is ignored, so no client can choose its address.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # allauth's limits: the same address
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response: scripts, styles, images and fonts
# from the site itself only, and nothing inline (no nonces either: pages are kept whole,
# courses/templatetags/slots.py). Lesson HTML has no style attributes (courses/content/
# sanitize.py). Views that serve other files set their own, stricter policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],  # offline use (static/js/offline/): the site's own only
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the API's X-CSRFToken header reads it from JavaScript

# Celery. Redis when REDIS_URL is set; otherwise Kombu's filesystem transport under var/,
# so a real worker runs without any server. CELERY_BROKER_URL overrides both.
CELERY_FS_DIR = VAR_DIR / "celery"
if REDIS_URL:
    _default_broker = REDIS_URL
    _default_backend = REDIS_URL
else:
    _default_broker = "filesystem://localhost//"
    _default_backend = f"file://{CELERY_FS_DIR / 'results'}"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_default_broker)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_default_backend)
# Redis redelivers an unacknowledged task after the visibility timeout. It must exceed the
# longest task (CELERY_TASK_TIME_LIMIT, 10 min) and the longest retry countdown (capped at
# 10 min) or tasks run twice; it bounds how long work waits after a whole worker host dies
# (a killed pool process is requeued at once by reject_on_worker_lost). 30 min does both.
CELERY_VISIBILITY_TIMEOUT = 1800
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "queue"),
        "data_folder_out": str(CELERY_FS_DIR / "queue"),
        "control_folder": str(CELERY_FS_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,  # the default (1 s) lets a worker take one task a second
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that enqueues while the broker is down gives up within about a second; the
# task waits in the outbox (lms/outbox.py) and beat's sweep publishes it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
}  # fmt: skip
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
HEARTBEAT_INTERVAL = 30  # seconds between worker heartbeats sent by beat
# Celery closes the database connection around every task unless told to reuse it; opening a
# PostgreSQL connection costs more than a small task (two a certificate, measured by
# `make bench`). lms/celery.py still drops broken or expired connections before each task.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CERTIFICATE_SWEEP_INTERVAL = 300
OUTBOX_SWEEP_INTERVAL = 60
# Seconds a task may wait in the outbox before a sweep publishes it (its request does first).
OUTBOX_GRACE_SECONDS = env.int("OUTBOX_GRACE_SECONDS", default=60)
# Cohorts: a roster CSV up to this many rows is read and applied in the request, a larger one
# by a worker (the page shows its progress); the same for exports and members.
COHORT_UPLOAD_INLINE_ROWS = env.int("COHORT_UPLOAD_INLINE_ROWS", default=500)
COHORT_EXPORT_INLINE_MEMBERS = env.int("COHORT_EXPORT_INLINE_MEMBERS", default=300)
CERTIFICATE_GRACE_SECONDS = env.int("CERTIFICATE_GRACE_SECONDS", default=600)
HEARTBEAT_STALE_AFTER = env.int("HEARTBEAT_STALE_AFTER", default=120)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "lms.heartbeat",
        "schedule": HEARTBEAT_INTERVAL,
        "options": {"expires": HEARTBEAT_INTERVAL},
    },
    "certificate-sweep": {
        "task": "courses.certificates_sweep",
        "schedule": CERTIFICATE_SWEEP_INTERVAL,
        "options": {"expires": CERTIFICATE_SWEEP_INTERVAL},
    },
    "status-lists-refresh": {"task": "courses.status_lists_refresh", "schedule": 24 * 3600},
    "previews-prune": {"task": "courses.previews_prune", "schedule": 24 * 3600},
    # What a broker or SMTP outage kept back (lms/outbox.py, lms/mail.py).
    "outbox-sweep": {"task": "lms.outbox_sweep", "schedule": OUTBOX_SWEEP_INTERVAL,
                     "options": {"expires": OUTBOX_SWEEP_INTERVAL}},
    "emails-requeue": {"task": "lms.emails_requeue", "schedule": 300, "options": {"expires": 300}},
}  # fmt: skip

# Certificates: signed with an Ed25519 key (a PEM file path, or the PEM itself), published
# in /.well-known/did.json with the keys it replaced (RETIRED: "key-id=path-or-PEM" items).
CERTIFICATE_ISSUER_NAME = env.str("CERTIFICATE_ISSUER_NAME", default=SITE_NAME)
CERTIFICATE_SIGNING_KEY = env.str(
    "CERTIFICATE_SIGNING_KEY", default=str(VAR_DIR / "keys" / "certificate-signing-key.pem")
)
CERTIFICATE_KEY_ID = env.str("CERTIFICATE_KEY_ID", default="key-1")
CERTIFICATE_RETIRED_KEYS = env.list("CERTIFICATE_RETIRED_KEYS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
