"""Settings for the ANSO working-group site.

Every value that differs between a laptop and production comes from the environment.
With nothing set the settings fail closed: DEBUG is off, and start-up stops unless
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and SITE_URL are set. `make run` and the tests turn
debug on (DJANGO_DEBUG=true): SQLite, a local-only key, mail printed to the console.
"""

import email.utils
import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from anso.files.storage import (
    bucket_origins_from_environment,
    media_root_from_environment,
    storages_from_environment,
)

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def site_url_clean(value: str) -> str:
    """The site's address as `anso.links.absolute_url` joins paths to it: a scheme and a host
    (and a port), no trailing slash. Anything else stops the start-up."""
    parts = urlsplit(value.strip())
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's address, such as https://anso.example.org; got {value!r}."
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
#: The site's address as visitors reach it: every absolute link (mails, canonical addresses,
#: the sitemap, robots.txt, calendar feeds) is a path on it (anso/links.py), never on the
#: request's Host.
SITE_URL = os.environ.get("SITE_URL", "").strip() or ("http://127.0.0.1:8000" if DEBUG else "")
if DEBUG:
    # A public key for local runs only (debug on); production must set its own.
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-key-not-for-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    missing = [
        name
        for name, value in (
            ("DJANGO_SECRET_KEY", SECRET_KEY),
            ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS),
            ("SITE_URL", SITE_URL),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is off (the default), so these environment variables must be set: "
            + ", ".join(missing)
            + ". See docs/deployment.md; for a local run, set DJANGO_DEBUG=true (`make run`)."
        )

SITE_URL = site_url_clean(SITE_URL)

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "ANSO Working Group")

INSTALLED_APPS = [
    # Before the admin: its admin classes and static files extend the admin's.
    "modeltranslation",
    "anso.apps.AdminConfig",  # django.contrib.admin with the two-factor admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "django_rq",
    "members",
    "meetings",
    "anso",
    # Last: a stored file goes when its record is deleted or its file field replaced, once the
    # transaction commits (a rolled-back delete keeps it).
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "anso.security.client.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Answers the API's CORS preflights and marks its answers (CORS_URLS_REGEX: /api/ only).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "anso.caching.resilience.DatabaseUnavailableMiddleware",
    "anso.security.bad_requests.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and the language: a cached page is answered without them.
    "anso.caching.pages.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anso.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anso.context_processors.site",
                "members.context_processors.member",
                "django.template.context_processors.csp",
            ],
        },
    },
    # Hot HTML fragments (a programme's thousand agenda items): anso/fragments.py.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "anso.fragments.environment"},
    },
]

WSGI_APPLICATION = "anso.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The site and the worker share the file (`make run`). A transaction takes the write lock
    # when it begins (IMMEDIATE), so a reader never has to upgrade to a writer while another
    # writes, which SQLite answers at once with "database is locked"; a writer waits up to
    # 20 s for the lock, and WAL lets readers go on beside it. Secure delete overwrites what a
    # row no longer holds (erased passport details, docs/papers.md), so that no copy of the
    # file (a backup) keeps it in the page's free space, whatever SQLite's build defaults to.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
            ),
        }
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation of query plans (docs/performance.md, "JIT"): the planner's estimates
    # of the site's aggregates and searches pass `jit_above_cost` on large data, and compiling
    # took 13 ms of a 42 ms attendance query and seconds of a two-character search, for plans
    # that run in milliseconds. Set per connection, so it holds whatever the server's default.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
#: The interface languages. Public pages carry the language in their path (/en/, /zh-hans/:
#: anso/urls.py); the admin, the account pages and the Secretariat's mails follow the visitor's
#: choice (the `django_language` cookie set by `set_language`, else Accept-Language). Dates and
#: numbers come from Django's locale formats: no *_FORMAT here.
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
# Content in both languages (django-modeltranslation): each translated field has a column per
# language (`title_en`, `title_zh_hans`); a value missing in Chinese falls back to English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (anso/files/storage.py, docs/deployment.md): this machine's MEDIA_ROOT by default,
# an S3-compatible bucket when S3_BUCKET is set. No URL serves MEDIA_ROOT, in debug or not: a
# file is reached only through a view that checks the visitor's rights (anso/files/downloads.py).
MEDIA_ROOT = str(media_root_from_environment(os.environ, BASE_DIR))
# The papers' signature (meetings/papers/signing.py, docs/papers.md): the key and certificate, each
# a path to a PEM file or the PEM text. Unset with debug on, a self-signed pair is made once in
# PAPERS_DEV_SIGNING_DIR (by default `signing/` in MEDIA_ROOT, which no URL serves).
PAPERS_SIGNING_KEY = os.environ.get("PAPERS_SIGNING_KEY", "")
PAPERS_SIGNING_CERT = os.environ.get("PAPERS_SIGNING_CERT", "")
PAPERS_SIGNING_KEY_PASSWORD = os.environ.get("PAPERS_SIGNING_KEY_PASSWORD", "")
PAPERS_DEV_SIGNING_DIR = os.environ.get("PAPERS_DEV_SIGNING_DIR", "")
#: Whether a missing key is replaced by the development pair: with debug on only.
PAPERS_DEV_SELF_SIGNED = DEBUG
# Visa letters (docs/papers.md): the keys that encrypt the passport details at rest, Fernet keys
# separated by commas; the first encrypts, every one decrypts (rotation). Unset with debug on, a
# key derived from SECRET_KEY serves; production without one fails `check --deploy`.
VISA_DATA_KEYS = [
    key.strip() for key in os.environ.get("VISA_DATA_KEYS", "").split(",") if key.strip()
]
VISA_DATA_DEV_KEY = DEBUG
#: Days after a meeting's end when the passport details of its visa requests are erased.
VISA_DATA_RETENTION_DAYS = int(os.environ.get("VISA_DATA_RETENTION_DAYS", "30"))
# Batches of papers made by the worker (meetings/papers/batches.py, docs/papers.md): a meeting
# with more registrants than the threshold (or an admin selection larger than it) has its badges,
# table tents and certificates made in the background; their files are deleted after the days.
PAPERS_BATCH_THRESHOLD = int(os.environ.get("PAPERS_BATCH_THRESHOLD", "100"))
PAPERS_BATCH_DAYS = int(os.environ.get("PAPERS_BATCH_DAYS", "7"))
#: A batch no worker has spoken of for this long is queued again, up to PAPERS_BATCH_ATTEMPTS runs.
PAPERS_BATCH_STALE_SECONDS = int(os.environ.get("PAPERS_BATCH_STALE_SECONDS", "600"))
PAPERS_BATCH_ATTEMPTS = int(os.environ.get("PAPERS_BATCH_ATTEMPTS", "3"))
#: Days before an action's due date when its owner is reminded by mail (once per due date).
ACTION_REMINDER_DAYS = int(os.environ.get("ACTION_REMINDER_DAYS", "14"))
#: Hours before a vote by written procedure closes when those yet to vote are reminded, once.
VOTE_REMINDER_HOURS = int(os.environ.get("VOTE_REMINDER_HOURS", "48"))
#: Behind nginx, the prefix of its `internal` location that serves MEDIA_ROOT (X-Accel-Redirect).
#: Unset, a local file is streamed by the Python worker: fine for `make run` only.
FILES_X_ACCEL_REDIRECT_PREFIX = os.environ.get("FILES_X_ACCEL_REDIRECT_PREFIX", "")
STORAGES = {
    "default": storages_from_environment(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

COUNTRIES_FIRST = ["CN"]

# Mail: printed to the console locally, SMTP in production (Django 6.1's MAILERS).
EMAIL_MODE = os.environ.get("DJANGO_EMAIL", "console" if DEBUG else "smtp")
if EMAIL_MODE == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ANSO Secretariat <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
#: The domain of the Message-IDs the site writes: the sender's domain unless set.
MAIL_DOMAIN = os.environ.get("MAIL_DOMAIN") or (
    email.utils.parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
)
#: Where answers to the site's mail go (the Secretariat), whoever the sender is.
MAIL_REPLY_TO = os.environ.get("MAIL_REPLY_TO") or f"ANSO Secretariat <secretariat@{MAIL_DOMAIN}>"
#: Mails sent per minute at most, by all workers together (the mail server's or provider's
#: limit); see anso/mail/dispatch.py and docs/deployment.md.
MAIL_RATE_PER_MINUTE = int(os.environ.get("MAIL_RATE_PER_MINUTE", "60"))
# Searches a client may make a minute (meetings/search/views.py; over it, 429): each search
# runs a query per kind of result, and its pages are never kept by the page cache.
SEARCH_RATE_PER_MINUTE = int(os.environ.get("SEARCH_RATE_PER_MINUTE", "60"))

# Security. Everything below is on in production; local runs over plain HTTP keep cookies usable.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record names the client of the request being answered (anso/security/client.py).
    "filters": {"client_address": {"()": "anso.security.client.ClientAddressFilter"}},
    "formatters": {"client": {"format": "%(levelname)s %(name)s [%(client_address)s] %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["client_address"],
            "formatter": "client",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Django's own configuration gives "django" a console handler (debug only) besides the
    # root's: each "django.*" record (the worker's tasks) printed twice. Here it has none.
    # WeasyPrint (the papers) logs each step of every render, and its stylesheets on import, at
    # INFO; its warnings (a font or image it could not use) are kept.
    "loggers": {
        "django": {"handlers": [], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Caches: local memory in one process by default, Redis (shared by all workers) when REDIS_URL is
# set. The public page cache renews a page when a write renews one of the tags it shows
# (anso/caching/tags.py); the clock and the tags live in the "versions" cache, which must be shared
# by all workers: Redis, or else the database (`manage.py createcachetable`) when debug is off.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "anso.caching.backends.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "anso"),
        },
    }
    CACHES["versions"] = CACHES["default"]
    CACHES["ratelimit"] = CACHES["default"]
    # Where rate limits count while Redis cannot be reached (anso/security/ratelimit.py): the
    # database, in the table of `manage.py createcachetable`. Every cache fails soft
    # (anso/caching/backends.py).
    CACHES["ratelimit-fallback"] = {
        "BACKEND": "anso.caching.backends.FailSoftDatabaseCache",
        "LOCATION": "anso_cache_versions",
        "KEY_PREFIX": "ratelimit",
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "versions": (
            {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "versions"}
            if DEBUG
            else {
                "BACKEND": "anso.caching.backends.FailSoftDatabaseCache",
                "LOCATION": "anso_cache_versions",
            }
        ),
    }
    # Rate-limit counters must be shared by all workers: the database cache when no Redis is
    # configured (the same table, kept apart by a key prefix).
    CACHES["ratelimit"] = {**CACHES["versions"], "KEY_PREFIX": "ratelimit"}

# Background work (django.tasks): mail and spreadsheet imports run in a worker, never in the
# request. The queue is a database table by default (`manage.py db_worker`), so a local run needs
# no other server; with REDIS_URL it is Redis (RQ), shared by every machine that runs the site
# (`manage.py rqworker default --with-scheduler --job-class django_tasks_rq.backend.Job`).
# TASKS_REDIS_URL overrides REDIS_URL for the queue alone. See docs/deployment.md.
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", REDIS_URL)
#: Seconds a task may run on RQ before the worker stops it. RQ's own default is 180, less than
#: the long tasks take (an import of 50,000 rows: about 4 minutes on PostgreSQL; a mailing to
#: thousands; a dispatcher run on a slow mail server), and django_tasks_rq passes no timeout
#: of its own for a task: the queue's DEFAULT_TIMEOUT holds for every task on it.
TASKS_TIMEOUT = int(os.environ.get("TASKS_TIMEOUT", "3600"))
RQ_QUEUES = {
    "default": {
        "URL": TASKS_REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": TASKS_TIMEOUT,
    }
}
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        if TASKS_REDIS_URL
        else {"BACKEND": "django_tasks_db.DatabaseBackend"}
    )
}
# A worker's progress (rows of an import read so far) is seen by the web processes through this
# cache: Redis when configured, else files on this machine (the database queue's workers run on
# the machine of the site).
CACHES["progress"] = (
    CACHES["default"]
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DJANGO_PROGRESS_DIR", str(BASE_DIR / "var" / "progress")),
    }
)
#: Attempts to send one mail, and the waits between them (seconds), before it is marked failed.
MAIL_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 60 * 60]

# The upkeep (anso/background/upkeep.py): the worker's timer (`manage.py upkeep_timer`, started by
# scripts/worker) queues it every UPKEEP_SECONDS. It queues again what a dead worker or a lost
# enqueue left, and deletes what is past its retention. docs/deployment.md.
UPKEEP_SECONDS = int(os.environ.get("UPKEEP_SECONDS", "300"))
#: An import step queued this long ago that no worker holds is queued again (a dead worker),
#: up to IMPORT_JOB_ATTEMPTS runs, then marked failed with "Try again".
IMPORT_JOB_STALE_SECONDS = int(os.environ.get("IMPORT_JOB_STALE_SECONDS", "600"))
IMPORT_JOB_ATTEMPTS = int(os.environ.get("IMPORT_JOB_ATTEMPTS", "3"))
#: Days a failed import keeps its file (for "Try again"); other jobs drop it when they end.
IMPORT_JOB_FILE_DAYS = int(os.environ.get("IMPORT_JOB_FILE_DAYS", "7"))
#: Days a sent mail keeps its text and HTML parts; the headers (to, subject, dates, status) stay.
MAIL_BODY_DAYS = int(os.environ.get("MAIL_BODY_DAYS", "30"))
# Retention of personal data (docs/personal-data.md): the email and phone of people who only
# registered and never attended are cleared this many months after their last meeting ended;
# nominations never confirmed are deleted this many days after they were submitted.
CONTACT_RETENTION_MONTHS = int(os.environ.get("CONTACT_RETENTION_MONTHS", "24"))
NOMINATION_UNCONFIRMED_DAYS = int(os.environ.get("NOMINATION_UNCONFIRMED_DAYS", "30"))
#: A mailing not written out this long after it was sent is handed to the worker again.
MAILING_STALE_SECONDS = int(os.environ.get("MAILING_STALE_SECONDS", "600"))
#: Days after an invitation (or a reminder) was sent before a reminder is offered to those who
#: have not answered (`meetings.invitations.selectors.reminder_due`).
INVITATION_REMINDER_AFTER_DAYS = int(os.environ.get("INVITATION_REMINDER_AFTER_DAYS", "3"))

#: Anonymous GET/HEAD answers of public pages are cached and carry an ETag (anso/caching/pages.py).
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", not DEBUG)
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "3600"))
#: Paths never cached (prefixes). Forms are excluded by what they do (CSRF cookie, Set-Cookie).
PAGE_CACHE_EXCLUDE = ["/admin/", "/account/", "/healthz", "/bench/", "/api/"]
#: `/bench/floor` answers (a bare view, bench/run.py's floor) only when this is on.
BENCH_FLOOR = env_bool("DJANGO_BENCH_FLOOR", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Login brute force: 5 failures for a username from one address lock it out for an hour.
# The last backend reloads a member signed in with a mailed link (django-sesame): it takes only
# a token, so the admin's password form never reaches it, and the link's page calls it itself
# (members/sign_in/services.py).
AUTHENTICATION_BACKENDS = [
    "anso.security.auth_backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# No start-up banner: every process (each command, the reloader's too) printed it.
AXES_VERBOSE = False

# The client address (anso/security/client.py), for the login lockout, rate limits, stored hashes
# and logs. Behind nginx every request comes from the proxy: the client is then the right-most
# X-Forwarded-For entry that is not a trusted proxy (addresses or networks, comma-separated).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an address or network."
        ) from _error
AXES_CLIENT_IP_CALLABLE = "anso.security.client.client_address"
# Failures for one username from all addresses together within the cool-off lock the
# account too (anso/security/auth_backends.py); the Secretariat can unlock it in the admin.
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_HANDLER = "anso.security.auth_backends.LockoutHandler"

# Members' sign-in links (django-sesame, members/sign_in/): a link works once, for an hour by
# default, and only its v2 tokens are read (the v1 parser logs the token it refuses).
SESAME_MAX_AGE = int(os.environ.get("DJANGO_MEMBER_SIGN_IN_LINK_SECONDS", str(60 * 60)))
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "sesame"  # noqa: S105 (the query parameter's name)
SESAME_TOKENS = ["sesame.tokens_v2"]

# Two-factor authentication (TOTP). Staff may turn it on; superusers must, whenever debug is off
# (ANSO_ADMIN_REQUIRE_OTP=true turns the rule on for local runs too).
OTP_TOTP_ISSUER = SITE_NAME
ADMIN_REQUIRE_OTP = env_bool("ANSO_ADMIN_REQUIRE_OTP", not DEBUG)

# Content-Security-Policy (Django's built-in CSP): only the site's own scripts, styles and
# images; an inline script needs the request's nonce (`<script nonce="{{ csp_nonce }}">`).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # The few inline style attributes of django-simple-history's and django-import-export's
    # admin templates, allowed by their exact text ('border-top: 0', 'padding: 0;',
    # 'font-weight: bold;') and nothing else.
    "style-src-attr": [
        CSP.UNSAFE_HASHES,
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",
        "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",
    ],
    # Previews kept in a bucket are shown from its signed addresses (anso/files/storage.py).
    "img-src": [CSP.SELF, "data:", *bucket_origins_from_environment(os.environ)],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The read-only JSON API under /api/v1/ (docs/api.md): Django REST framework, its OpenAPI 3
# schema by drf-spectacular, its documentation page from the vendored Swagger UI
# (drf-spectacular-sidecar). Read by anyone: no authentication, no session, no CSRF.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
#: Requests per client (`anso.security.client.client_address`) in each window of
#: API_RATE_PERIOD seconds, counted in the shared "ratelimit" cache (Redis in production);
#: beyond it, 429 with Retry-After.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "120"))
API_RATE_PERIOD = int(os.environ.get("API_RATE_PERIOD", "60"))
SPECTACULAR_SETTINGS = {
    "TITLE": "ANSO Working Group API",
    "DESCRIPTION": (
        "The meetings, the action plan, the organizations, bodies and working group of ANSO's "
        "working group, as the public pages show them. Read-only. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "BodyKindEnum": "members.models.BodyKind",
        "OrganizationKindEnum": "members.models.OrganizationKind",
    },
}
# Other sites may read the API from their pages' scripts: GET (and its preflight) on /api/ only.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After", "Content-Language")

# Spreadsheet exports (django-import-export): characters that XLSX cannot hold become U+FFFD
# instead of failing the export. Formulas are escaped by the site's own formats
# (anso/spreadsheets/formats.py): the library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a
# leading "=" (leaving "+", "-", "@" live) and turns numbers into text.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
# An admin export of more rows than this is written by the worker (anso/background/exports.py): the
# request answers with the job's page, which links to the file when it is ready. Its file is deleted
# EXPORT_FILES_KEEP_DAYS after it was written (`anso.background.exports.export_files_delete`).
EXPORT_IN_REQUEST_MAX_ROWS = int(os.environ.get("EXPORT_IN_REQUEST_MAX_ROWS", "5000"))
EXPORT_FILES_KEEP_DAYS = int(os.environ.get("EXPORT_FILES_KEEP_DAYS", "7"))

# Uploaded documents (anso/files/uploads.py): the largest file accepted, in bytes (50 MB by
# default). The web server's own limit must be at least this (nginx: client_max_body_size). Files
# above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) are spooled to a temporary file while they are checked.
UPLOAD_MAX_BYTES = int(os.environ.get("DJANGO_UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))
