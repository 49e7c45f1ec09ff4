"""The one settings module of renkei, driven by the environment.

Development (the default) runs on SQLite under ``var/`` with a secret key generated on first
use. ``RENKEI_ENV=production`` refuses to start without its secrets and turns on every
protection ``manage.py check --deploy`` asks for.
"""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from renkei.lib.addresses import site_url
from renkei.lib.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name, default=None):
    return os.environ.get(name, default)


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def envbool(name, default=False):
    """A boolean from the environment; a value that is neither true nor false is refused
    (``RENKEI_SSL_REDIRECT=ture`` must not silently turn the redirect off)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of {sorted(TRUE_WORDS | FALSE_WORDS)}"
    )


def envint(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = env("RENKEI_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("RENKEI_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

VAR_DIR = Path(env("RENKEI_VAR_DIR", str(PROJECT_DIR / "var")))
DEBUG = envbool("RENKEI_DEBUG", False)


def _secret_key():
    key = env("RENKEI_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("RENKEI_SECRET_KEY must be set when RENKEI_ENV=production")
    # Development: a random key kept under var/ so sessions survive restarts.
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

if PRODUCTION:
    ALLOWED_HOSTS = envlist("RENKEI_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("RENKEI_ALLOWED_HOSTS must be set when RENKEI_ENV=production")
else:
    ALLOWED_HOSTS = envlist("RENKEI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("RENKEI_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the widgets' templates, for FORM_RENDERER (renkei.lib.forms.Renderer)
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_q",
    "csp",
    "renkei.accounts",
    "renkei.notifications",
    "renkei.regions",
    "renkei.programs",
    "renkei.communities",
    "renkei.councils",
    "renkei.maturity",
    "renkei.matching",
    "renkei.experts",
    "renkei.regulatory",
    "renkei.contributions",
    "renkei.portal",
]

MIDDLEWARE = [
    # First: the request's id, client and route for log lines and audit rows (renkei.lib.context).
    "renkei.portal.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A Content-Security-Policy on every response, refusals below included (django-csp).
    "csp.middleware.CSPMiddleware",
    # Unused methods, NUL bytes, over-long parameters and oversized bodies are refused before
    # anything reads the request (docs/security.md).
    "renkei.portal.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "renkei.lib.middleware.JapaneseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A write refused with 403 is written to the audit log with the client's address.
    "renkei.portal.middleware.RefusalAuditMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end when idle or too old; staff reach nothing before their second factor.
    "renkei.accounts.middleware.SessionPolicyMiddleware",
    "renkei.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "renkei.urls"
# Forms drawn through the project's templates: labels without an ASCII colon, 必須/任意 marks,
# 「選択してください」 for an empty choice (renkei/lib/forms.py).
FORM_RENDERER = "renkei.lib.forms.Renderer"
WSGI_APPLICATION = "renkei.wsgi.application"

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
                "renkei.portal.context_processors.portal",
            ],
            # The helper library's filters ({% load renkei %}); it is a plain package, not an app.
            "libraries": {"renkei": "renkei.lib.templatetags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'renkei.sqlite3'}"),
        conn_max_age=envint("RENKEI_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web workers read while a command writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Data on SSDs: with the default random_page_cost (4) the planner prefers a sequential
    # scan over the GIN index for common search terms, three to five times slower.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={env('RENKEI_PG_RANDOM_PAGE_COST', '1.1')}"
    )
    # Server-side parameter binding (psycopg 3 then prepares repeated statements): measured
    # on the navigator's queries, off by default (ADR 0002, docs/benchmarks.md).
    if envbool("RENKEI_PG_SERVER_SIDE_BINDING", False):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: refuses a locked-out login before any other backend runs.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, taking a username or an e-mail address.
    "renkei.accounts.backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:mypage"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env("RENKEI_MEDIA_ROOT", str(VAR_DIR / "media")))
# Index files built from the database, mapped read-only by every worker of the machine
# (renkei.programs.search.catalogue; docs/deploy.md). Local to each machine, never shared.
RENKEI_INDEX_DIR = Path(env("RENKEI_INDEX_DIR", str(VAR_DIR / "index")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
if env("RENKEI_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("RENKEI_REDIS_URL"),
    }

DEFAULT_FROM_EMAIL = env("RENKEI_FROM_EMAIL", "renkei <noreply@renkei.example.jp>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("RENKEI_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("RENKEI_EMAIL_HOST")
    EMAIL_PORT = envint("RENKEI_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("RENKEI_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env("RENKEI_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = envbool("RENKEI_EMAIL_USE_TLS", True)
elif PRODUCTION:
    raise ImproperlyConfigured("RENKEI_EMAIL_HOST must be set when RENKEI_ENV=production")
elif env("RENKEI_EMAIL_FILE_PATH"):
    # Development and the browser journeys: each mail written to a file in this directory.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("RENKEI_EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A form refused for its CSRF token: the site's page, in Japanese, saying how to send it again.
CSRF_FAILURE_VIEW = "renkei.portal.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host-: the browser keeps these cookies only from HTTPS, for the whole host and no
    # other (no Domain, Path=/), so a sibling subdomain cannot set or shadow them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("RENKEI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("RENKEI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy that sets this header (documented in README).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# One JSON object per line in production (request id, user id, route), readable lines in
# development; RENKEI_LOG_FORMAT=json|text chooses either anywhere (renkei.lib.logs).
RENKEI_LOG_FORMAT = env("RENKEI_LOG_FORMAT", "json" if PRODUCTION else "text")
if RENKEI_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("RENKEI_LOG_FORMAT must be 'json' or 'text'")
LOGGING = logging_config(json=RENKEI_LOG_FORMAT == "json", level=env("RENKEI_LOG_LEVEL", "INFO"))

# --- background jobs (django-q2; ADR 0006) ------------------------------------------------
# The embedded default keeps jobs in the database (the ORM broker) and `renkei worker` runs
# them; RENKEI_REDIS_URL moves the queue (and the cache) to Redis with the same code.
Q_CLUSTER = {
    "name": "renkei",
    "workers": envint("RENKEI_JOB_WORKERS", 1),
    "timeout": envint("RENKEI_JOB_TIMEOUT", 600),
    "retry": envint("RENKEI_JOB_TIMEOUT", 600) + 60,
    "max_attempts": 3,
    # A failed job is not acknowledged: the database queue hands it out again after "retry"
    # seconds, up to max_attempts times; every failure stays in the database (ADR 0006).
    "ack_failures": False,
    "save_limit": 1000,
    "catch_up": False,
    "poll": 1,
    "label": _("バックグラウンド処理"),
}
if env("RENKEI_REDIS_URL"):
    Q_CLUSTER["redis"] = env("RENKEI_REDIS_URL")
else:
    Q_CLUSTER["orm"] = "default"

# --- notifications (renkei.notifications) ------------------------------------------------
# The public address of the portal, for links in mails. Without RENKEI_SITE_URL it follows
# where `make run` / `renkei serve` listen (HOST, PORT); a deployment behind a proxy sets it.
RENKEI_SITE_URL = (
    env("RENKEI_SITE_URL") or site_url(env("HOST", "127.0.0.1"), env("PORT", "8000"))
).rstrip("/")
# How people reach the secretariat, written at the foot of every mail (an address, a phone).
RENKEI_SECRETARIAT_CONTACT = env("RENKEI_SECRETARIAT_CONTACT", "secretariat@renkei.example.jp")
if not PRODUCTION and not env("RENKEI_ALLOWED_HOSTS"):
    # Development: the portal answers at the address its mails link to (HOST=0.0.0.0 make run
    # links to the machine's name).
    _site_host = urlsplit(RENKEI_SITE_URL).hostname
    if _site_host and _site_host not in ALLOWED_HOSTS and f"[{_site_host}]" not in ALLOWED_HOSTS:
        ALLOWED_HOSTS.append(_site_host)
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated), e.g.
# the load balancer in front of gunicorn. Empty: the client is REMOTE_ADDR.
RENKEI_TRUSTED_PROXIES = [
    ipaddress.ip_network(value, strict=False) for value in envlist("RENKEI_TRUSTED_PROXIES")
]
# Public need form: attempts per client address per hour.
RENKEI_NEED_FORM_LIMIT = envint("RENKEI_NEED_FORM_LIMIT", 10)

# --- people and access (renkei.accounts; ADR 0005) ---------------------------------------
# Staff (secretariat, reviewers, coordinators, admin users) sessions end after this long
# without a request, and this long in all; everyone else's after SESSION_COOKIE_AGE.
RENKEI_STAFF_SESSION_IDLE_MINUTES = envint("RENKEI_STAFF_SESSION_IDLE_MINUTES", 30)
RENKEI_STAFF_SESSION_HOURS = envint("RENKEI_STAFF_SESSION_HOURS", 8)
SESSION_COOKIE_AGE = envint("RENKEI_SESSION_DAYS", 14) * 24 * 3600
# django-axes: after RENKEI_LOGIN_FAILURE_LIMIT failed sign-ins (wrong passwords and wrong
# second-factor codes alike) the account is locked for RENKEI_LOGIN_LOCK_MINUTES. Counted by
# account (a username or its e-mail address), so the lock follows the account from any
# address; a name without an account is locked the same way, so nothing tells which exist.
AXES_FAILURE_LIMIT = envint("RENKEI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("RENKEI_LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to lock by address too: an office (a prefecture, a university) signs in from
# one shared address, and one person's typos must not lock out the whole office. Guessing
# many accounts from one address is slowed by each account's own lock (ADR 0005).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "renkei.accounts.lockout.account_name"
AXES_CLIENT_IP_CALLABLE = "renkei.lib.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "renkei.accounts.lockout.locked_page"
AXES_RESET_ON_SUCCESS = False  # reset once the whole sign-in succeeds (second factor too)
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]
AXES_VERBOSE = False
# django-otp: the login lock above limits guessing; the devices' own growing delays would
# refuse a right code after a typo without saying why.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = "renkei"

# The portal's name and the licence line on every open-data download.
RENKEI_SITE_NAME = _("renkei 地域バイオコミュニティ連携ポータル")
RENKEI_DATA_LICENCE = "CC BY 4.0 (renkei / 出典: 内閣府 バイオコミュニティ関連資料 ほか)"

# --- security (issue 11; docs/security.md) ------------------------------------------------
# A Content-Security-Policy on every response: scripts, styles, images and fonts only from
# the portal itself (no inline script or style anywhere), never framed; browsers report
# violations to /csp-report/, which logs them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": ["/csp-report/"],
    },
}
# Methods the portal answers; any other (TRACE, PUT, DELETE, OPTIONS…) gets 405.
RENKEI_ALLOWED_METHODS = ["GET", "HEAD", "POST"]
# A query parameter longer than this (characters) gets a 400 naming it; gunicorn reads
# request lines up to 8190 bytes (renkei serve), so the portal answers before it would.
RENKEI_MAX_PARAM_CHARS = envint("RENKEI_MAX_PARAM_CHARS", 500)
RENKEI_MAX_PATH_CHARS = 1000
# Uploads: the whole request body (from Content-Length, before it is read), one spreadsheet
# (CSV/XLSX), its unpacked size and rows, one PDF, and the seconds parsing may take.
RENKEI_UPLOAD_MAX_BYTES = envint("RENKEI_UPLOAD_MAX_BYTES", 12 * 1024 * 1024)
RENKEI_SPREADSHEET_MAX_BYTES = envint("RENKEI_SPREADSHEET_MAX_BYTES", 5 * 1024 * 1024)
# (10,000 rows of 16 short columns unpack to about 10 MB and read in about 10 s on a busy
# 2-CPU machine; a 300 KB file that unpacks to 86 MB is refused before it is opened.)
RENKEI_SPREADSHEET_MAX_UNPACKED_BYTES = envint(
    "RENKEI_SPREADSHEET_MAX_UNPACKED_BYTES", 20 * 1024 * 1024
)
RENKEI_SPREADSHEET_MAX_ROWS = envint("RENKEI_SPREADSHEET_MAX_ROWS", 10000)
RENKEI_ATTACHMENT_MAX_BYTES = envint("RENKEI_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
RENKEI_PARSE_SECONDS = envint("RENKEI_PARSE_SECONDS", 30)
# The interactive API documentation (/api/docs) is public in development; in production
# only when RENKEI_API_DOCS=true (the OpenAPI document itself stays public).
RENKEI_API_DOCS = envbool("RENKEI_API_DOCS", not PRODUCTION)
# API calls a minute per client address (429 beyond, with Retry-After).
RENKEI_API_RATE_PER_MINUTE = envint("RENKEI_API_RATE_PER_MINUTE", 300)
