"""Django settings. Everything an installer may change comes from the environment (see config)."""

import os
import warnings
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from holdspace import config

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = config.var_dir(os.environ)

SECRET_KEY = config.secret_key(os.environ, VAR_DIR)
HOLDSPACE_ENCRYPTION_KEYS = config.encryption_keys(os.environ, VAR_DIR)
DEBUG = config.flag(os.environ, "HOLDSPACE_DEBUG")
ALLOWED_HOSTS = config.allowed_hosts(os.environ)
CSRF_TRUSTED_ORIGINS = config.csrf_trusted_origins(os.environ)

INSTALLED_APPS = [
    "holdspace.accounts",
    "holdspace.care",
    "holdspace.community",
    "holdspace.core",
    "holdspace.groups",
    "holdspace.messaging",
    "holdspace.moderation",
    "holdspace.privacy",
    "holdspace.referrals",
    "holdspace.support",
    "holdspace.training",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks_db",
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view says otherwise (@login_not_required).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "holdspace.accounts.middleware.ConsentRequiredMiddleware",
    "holdspace.moderation.middleware.RestrictionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address: a 15-minute pause.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Axes logs failures: with this, the log line names no username, address or browser.
AXES_CLIENT_STR_CALLABLE = "holdspace.core.ratelimit.anonymous_client"

CACHES = config.caches(os.environ)
# Sign-ups from one address an hour, and messages one person can send a minute.
HOLDSPACE_SIGNUPS_PER_HOUR = 5
HOLDSPACE_MESSAGES_PER_MINUTE = 20

# Scripts and styles only from this site: no inline script anywhere in Holdspace's pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "holdspace.urls"
ASGI_APPLICATION = "holdspace.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "holdspace.moderation.context.moderation_notices",
            ],
        },
    },
]

DATABASES = {"default": config.database(os.environ, VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CHANNEL_LAYERS = config.channel_layers(os.environ)

# Background jobs (escalating unacknowledged cases) are stored in the database and run by
# `holdspace worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds within which an escalation must be acknowledged before it goes up the roster.
HOLDSPACE_ACK_TARGETS = config.acknowledgement_targets(os.environ)
# How long messages, safety records and logs are kept; `holdspace purge` enforces it.
HOLDSPACE_RETENTION_DAYS = config.retention_days(os.environ)
# Days from a member accepting a referral to the check-in on how it went.
HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS = config.referral_follow_up_days(os.environ)

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Kept so that a hash made by another hasher can still be checked and then upgraded.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Static files are served straight from the package by WhiteNoise: no collectstatic step.
WHITENOISE_USE_FINDERS = True
# WhiteNoise has no asynchronous file response, so under ASGI Django streams its files from a
# thread and warns on every one. They are few and small; the warning says nothing new.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators", module="django"
)

TRANSPORT = config.transport_security(os.environ, ALLOWED_HOSTS)
SESSION_COOKIE_SECURE = TRANSPORT.secure_cookies
CSRF_COOKIE_SECURE = TRANSPORT.secure_cookies
SECURE_SSL_REDIRECT = TRANSPORT.ssl_redirect
SECURE_HSTS_SECONDS = TRANSPORT.hsts_seconds
SECURE_PROXY_SSL_HEADER = TRANSPORT.proxy_ssl_header
SECURE_HSTS_INCLUDE_SUBDOMAINS = TRANSPORT.hsts_include_subdomains
SECURE_HSTS_PRELOAD = TRANSPORT.hsts_preload
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
