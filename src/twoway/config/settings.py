"""Twoway settings: one module, read from the environment.

SQLite under TWOWAY_DATA_DIR is the default so that a fresh clone runs at once;
DATABASE_URL switches to PostgreSQL. TWOWAY_ENV=production turns the
development conveniences off and makes the secrets mandatory.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from twoway import __version__

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TWOWAY_ENV = os.environ.get("TWOWAY_ENV", "development")
if TWOWAY_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("TWOWAY_ENV must be 'development' or 'production'")
PRODUCTION = TWOWAY_ENV == "production"
VERSION = __version__

DATA_DIR = Path(os.environ.get("TWOWAY_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when TWOWAY_ENV=production")
    return value


def _development_secret_key() -> str:
    # Generated once and kept beside the database, so sessions survive restarts
    # without anyone having to invent a key for a local run.
    key_file = DATA_DIR / "secret_key"
    try:
        # Created readable by the owner only, from the first byte.
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


if PRODUCTION:
    SECRET_KEY = _required("SECRET_KEY")
    _required("ALLOWED_HOSTS")
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
    # Any host outside production, so a demo served on a LAN or VM address just works.
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS") or ["*"]
    # Off unless asked for: a newcomer running the demo should see Twoway's own
    # error pages, not Django's debug screens.
    DEBUG = _env_bool("DEBUG", False)

CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "twoway.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "twoway.core",
    "twoway.accounts",
    "twoway.profiles",
    "twoway.programs",
    "twoway.pairing",
    "twoway.relationships",
    "twoway.notifications",
    "twoway.insights",
    "twoway.home",
    "twoway.demo",
]

MIDDLEWARE = [
    # First: load balancers probe /healthz by IP over plain HTTP, before host
    # validation and the HTTPS redirect.
    "twoway.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "twoway.core.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "twoway.core.middleware.UserTimezoneMiddleware",
    "twoway.core.middleware.FormAfterSignInMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "twoway.config.urls"
WSGI_APPLICATION = "twoway.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "twoway.core.context_processors.site",
                "twoway.home.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

SQLITE_PATH = DATA_DIR / "twoway.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A server that accepts the TCP connection but never answers must not hold a
    # request until the worker is killed: give up connecting after 5 seconds, have
    # the server end any statement after TWOWAY_DB_STATEMENT_TIMEOUT seconds, and
    # notice a peer that vanished through TCP keepalives.
    _statement_ms = int(float(os.environ.get("TWOWAY_DB_STATEMENT_TIMEOUT", "30")) * 1000)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=5,
        options=f"-c statement_timeout={_statement_ms}",
        keepalives=1,
        keepalives_idle=30,
        keepalives_interval=10,
        keepalives_count=3,
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "twoway.core.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # WAL lets readers carry on while a writer commits; IMMEDIATE takes
                # the write lock at BEGIN so concurrent writers queue instead of
                # failing half-way with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORM_RENDERER = "twoway.core.forms.FormRenderer"

# --- Accounts -----------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: a locked-out sign-in is refused before any password hashing, so
    # guessing cannot tie up the server with Argon2 work.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
INVITATION_TTL_DAYS = int(os.environ.get("TWOWAY_INVITATION_TTL_DAYS", "14"))

# --- Time and language ----------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root before collectstatic
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve static files straight from the apps: no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- E-mail ---------------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Twoway <twoway@localhost>")
# Where people reach Twoway: e-mails link to it.
BASE_URL = os.environ.get("TWOWAY_BASE_URL", "http://127.0.0.1:8000")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Background tasks -------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Security -------------------------------------------------------------------

BEHIND_PROXY = _env_bool("TWOWAY_BEHIND_PROXY", False)

# Sign-in throttling: after AXES_FAILURE_LIMIT wrong passwords for one account
# from one address, that pair is locked out for the cool-off time (HTTP 429),
# and so is an address after SIGN_IN_ADDRESS_FAILURE_LIMIT for any accounts.
AXES_FAILURE_LIMIT = int(os.environ.get("TWOWAY_SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TWOWAY_SIGN_IN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "twoway.accounts.throttle.SignInThrottle"
# And an address that piles up wrong passwords for any accounts is paused too.
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("TWOWAY_SIGN_IN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "twoway.core.http.client_ip"
AXES_USERNAME_CALLABLE = "twoway.core.http.sign_in_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, not a log of everyone's sign-ins
AXES_VERBOSE = False

# No inline script or style anywhere: every page is written for this policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

HEALTH_CHECK_TIMEOUT = float(os.environ.get("TWOWAY_HEALTH_CHECK_TIMEOUT", "3"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Secure HSTS preload is a deliberate opt-in: it is hard to undo.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Axes notes every sign-in at INFO; lock-outs and repeated failures are WARNING.
        "axes": {"level": "WARNING"},
    },
}
