"""Django settings of the console, read from the product's one settings module.

Everything configurable comes from :func:`bot.settings.get_settings` (environment
variables listed in the README); what is here is fixed policy: Argon2 first, sign-in
lockout, CSRF on every form, idle expiry, no third-party origins.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.settings import get_settings, local_secret
from console.database import django_database

_product = get_settings()
CONSOLE_DIR = Path(__file__).resolve().parent

SECRET_KEY = _product.console_secret_key or local_secret(_product.var_dir, "console.key")
DEBUG = False
ALLOWED_HOSTS = [host.strip() for host in _product.console_allowed_hosts.split(",") if host.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "console.cases",
    "console.audit",
    "console.transcripts",
    "console.retention",
    "console.review",
    "console.takeover",
    "console.annotations",
    "console.outcomes",
    # Last: its post_migrate hook gives the roles the other apps' permissions.
    "console.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "console.accounts.middleware.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "console.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "console.urls"
WSGI_APPLICATION = "console.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [CONSOLE_DIR / "templates"],
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

DATABASES = {"default": django_database(_product.database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:list"
LOGOUT_REDIRECT_URL = "login"

# Five failures for one user name from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

# Optional sign-in codes (TOTP, django-otp); BACKCARE_CONSOLE_REQUIRE_TOTP=1 makes them
# mandatory: a user without one is sent to set it up after the password.
CONSOLE_REQUIRE_TOTP = _product.console_require_totp
OTP_TOTP_ISSUER = "BackCare console"

# Idle expiry: a session with no request from a person for this long is signed out.
# The queue's own refreshes do not count (see console.accounts.middleware).
CONSOLE_IDLE_SECONDS = _product.console_idle_minutes * 60
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
# Behind HTTPS (BACKCARE_CONSOLE_HTTPS=1) cookies are never sent in clear.
SESSION_COOKIE_SECURE = _product.console_https
CSRF_COOKIE_SECURE = _product.console_https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# How long a case may wait for acknowledgement, by tier: the rules the delivery worker's
# re-alerts follow too (bot.alerts.deadlines; BACKCARE_ACK_DEADLINE_<TIER> overrides).
CONSOLE_ACK_DEADLINES = dict(_product.ack_deadlines)
# The queue page's script fetches its rows this often (seconds); without script the
# page reloads itself at the slower rate.
CONSOLE_REFRESH_SECONDS = 15
CONSOLE_FALLBACK_REFRESH_SECONDS = 60
# Conversations whose last event is older than this many days are deleted by
# ``python -m console purge`` (unless a case is open or a legal hold is set).
CONSOLE_RETENTION_DAYS = _product.retention_days
# The review queue (console.review): the share of conversations without an alert sampled
# at random (the same ones every time), and the intent confidence under which a patient
# message is listed for a look.
CONSOLE_REVIEW_SAMPLE_RATE = _product.review_sample_rate
CONSOLE_REVIEW_MIN_CONFIDENCE = _product.review_min_confidence

# A clinician's takeover goes through the Rasa server's HTTP API (console.takeover),
# with the token the server was started with; the live page checks for new patient
# messages this often (seconds).
CONSOLE_RASA_URL = _product.rasa_url
CONSOLE_RASA_API_TOKEN = _product.rasa_api_token
CONSOLE_TAKEOVER_REFRESH_SECONDS = 3

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CONSOLE_DIR / "static"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
